"""Admin for sales channels, publishable API keys and the store's settings.

There is one channel admin, registered here once. Apps further up the import layers add to it
through `ChannelAdminPart`s registered with `channel_admin_part` (this module imports none of
them): `catalog.admin` adds the channel's products, `orders.admin` the order counts and the
per-channel overview.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from commerce import admin as commerce_admin
from commerce import permissions
from commerce.admin_base import (
    ADMIN_CSS,
    OptionalJSONField,
    PermissionAdminMixin,
    ReadOnlyAdminMixin,
    ServiceAdmin,
    ServiceDeleteMixin,
    SoftDeleteAdminMixin,
    TwoStateFilter,
    adopt,
)
from commerce.models import Store
from commerce.services import store_get_or_create, store_update
from saleschannels import services
from saleschannels.models import PublishableApiKey, SalesChannel, StaffChannelScope
from saleschannels.scope import restrict, staff_scope

DEFAULT_CHANNEL_HELP = (
    "This is the store's default sales channel: it cannot be disabled or deleted. "
    "Choose another default on the store page first."
)


def badge(text: str, kind: str) -> str:
    """Return a small coloured label (styles in commerce/static/commerce/admin.css)."""
    return format_html('<span class="cs-badge cs-badge--{}">{}</span>', kind, text)


def channel_label(row: Any) -> str:
    """Show the channel of a cart or order: its name, marked when deleted, its id when gone.

    `row.sales_channel` must be joined (select_related): it is None when the row was hard-deleted.
    """
    if row.sales_channel_id is None:
        return "—"
    channel = row.sales_channel
    if channel is None:
        return format_html("{} {}", row.sales_channel_id, badge("Deleted", "disabled"))
    if channel.deleted_at is not None:
        return format_html("{} {}", channel.name, badge("Deleted", "disabled"))
    return channel.name


class ChannelScopedAdminMixin:
    """The Django admin door of the staff channel scope (`saleschannels.scope`).

    Changelists, change views, autocomplete and bulk actions all start from `get_queryset`, so
    narrowing it is enough; an object outside a restricted user's scope is a 404.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return restrict(super().get_queryset(request), staff_scope(request.user))  # type: ignore[misc]  # a mixin: the class it is mixed into has it

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str):
        if staff_scope(request.user).restricted:
            raise Http404  # do not say whether it exists elsewhere
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)  # type: ignore[misc]  # a mixin: the class it is mixed into has it


class ChannelRecordAdmin(
    ChannelScopedAdminMixin, ReadOnlyAdminMixin, PermissionAdminMixin, admin.ModelAdmin
):
    """A view-only list of a channel's records in a region (carts, orders), with their channel.

    Newest first, 50 a page, without the second, unfiltered COUNT(*) of a big table.
    """

    list_select_related = ("sales_channel", "region")
    ordering = ("-created_at", "-id")
    list_per_page = 50
    show_full_result_count = False

    class Media:
        css = {"all": (ADMIN_CSS,)}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The channel is joined (not lazily loaded) so that a hard-deleted one reads as None.
        return super().get_queryset(request).select_related("sales_channel", "region")

    @admin.display(description="sales channel", ordering="sales_channel__name")
    def channel(self, obj: Any) -> str:
        return channel_label(obj)


def scoped_channels(request: HttpRequest, channels: QuerySet | None = None) -> QuerySet:
    """Return the channels a form or a filter may offer this user."""
    channels = SalesChannel.objects.all() if channels is None else channels
    return restrict(channels, staff_scope(request.user))


def channels_field(help_text: str = "") -> forms.ModelMultipleChoiceField:
    """Return the sales-channel checkboxes of an admin form, ordered by name."""
    return forms.ModelMultipleChoiceField(
        queryset=SalesChannel.objects.order_by("name", "id"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Sales channels",
        help_text=help_text,
    )


class StatusFilter(TwoStateFilter):
    title, lookup = "status", "is_disabled"
    states = (("enabled", "Enabled", False), ("disabled", "Disabled", True))


class SalesChannelFilter(admin.SimpleListFilter):
    """Filter rows with a `sales_channel` foreign key; deleted channels stay choosable (one query)."""

    title = "sales channel"
    parameter_name = "sales_channel"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        channels = scoped_channels(request, SalesChannel.all_objects.order_by("name", "id"))
        channels = channels.values_list("pk", "name", "deleted_at")
        return [(pk, f"{name} (deleted)" if deleted else name) for pk, name, deleted in channels]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            # Filtering on the key itself would turn the changelist's select_related LEFT JOIN
            # into an INNER JOIN and hide orders whose channel row is gone (no FK constraint).
            return queryset.alias(channel_key=F("sales_channel_id")).filter(
                channel_key=self.value()
            )
        return queryset


# ---- SALES CHANNELS ----


class SalesChannelForm(forms.ModelForm):
    metadata = OptionalJSONField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='Free-form JSON object, e.g. {"region": "eu"}.',
    )

    class Meta:
        model = SalesChannel
        fields = ("name", "description", "is_disabled", "metadata")
        labels = {"is_disabled": "Disabled"}
        help_texts = {"is_disabled": "A disabled channel takes no new carts."}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ChannelAdminPart:
    """What an app further up the layers adds to the sales channel admin.

    Subclass it in that app's admin module and register the subclass with `channel_admin_part`.
    Each part is built once with the channel admin it serves (`self.model_admin`); every hook
    has a neutral default, so a part defines only what it adds.
    """

    columns: tuple[str, ...] = ()  # the part's display methods, listed before "description"
    inlines: tuple[type[InlineModelAdmin], ...] = ()  # inlines on the channel's change page

    def __init__(self, model_admin: SalesChannelAdmin) -> None:
        self.model_admin = model_admin
        self.admin_site = model_admin.admin_site

    def annotate(self, queryset: QuerySet[SalesChannel]) -> QuerySet[SalesChannel]:
        """Add what the part's columns show to the channel queryset."""
        return queryset

    def count_link(
        self,
        changelist: str,
        channel_filter: type[admin.SimpleListFilter],
        channel: SalesChannel,
        count: str,
    ) -> str:
        """Show the channel's annotated `count` linked to a changelist filtered to the channel."""
        url = reverse(f"admin:{changelist}", current_app=self.admin_site.name)
        query = urlencode({str(channel_filter.parameter_name): channel.pk})
        return format_html('<a href="{}?{}">{}</a>', url, query, f"{getattr(channel, count):,}")

    def get_urls(self) -> list[URLPattern]:
        """Extra admin views under the channel admin's URLs."""
        return []

    def change_context(self, request: HttpRequest, object_id: str) -> dict[str, Any]:
        """Extra template context for a channel's change page."""
        return {}

    def change_form_media(self, context: dict[str, Any]) -> forms.Media | None:
        """Extra form media the change page needs, given its context."""
        return None

    def changelist_context(self, request: HttpRequest) -> dict[str, Any]:
        """Extra template context for the channel list page (GET only)."""
        return {}

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> bool:
        """Save one of the part's inline formsets (through its services); False: not the part's."""
        return False


_CHANNEL_ADMIN_PARTS: list[type[ChannelAdminPart]] = []


def channel_admin_part(part: type[ChannelAdminPart]) -> type[ChannelAdminPart]:
    """Register a part of the sales channel admin (a class decorator).

    Parts apply in the order they register: the order of INSTALLED_APPS, in which the admin
    imports each app's admin module.
    """
    _CHANNEL_ADMIN_PARTS.append(part)
    return part


class SalesChannelAdmin(
    ChannelScopedAdminMixin, SoftDeleteAdminMixin, ServiceDeleteMixin, ServiceAdmin
):
    """Channels: create, rename, enable/disable and (soft) delete, all through the services.

    Composed with the `ChannelAdminPart`s of other apps (columns, annotations, views, context).
    """

    form = SalesChannelForm
    list_display: tuple[str, ...] = ("name_display", "status", "description", "created_at")
    list_display_links = ("name_display",)
    list_filter = (StatusFilter,)
    search_fields = ("name", "description")
    ordering = ("name", "id")
    readonly_fields = ("id", "default_display", "created_at", "updated_at")
    actions = ("enable_selected", "disable_selected")
    list_per_page = 50

    @cached_property
    def parts(self) -> list[ChannelAdminPart]:
        """Build the registered parts on first use (after every admin module is imported)."""
        return [part(self) for part in _CHANNEL_ADMIN_PARTS]

    def get_list_display(self, request: HttpRequest) -> tuple[Any, ...]:
        added = [getattr(part, name) for part in self.parts for name in part.columns]
        return ("name_display", "status", *added, "description", "created_at")

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[type[InlineModelAdmin]]:
        return [
            *super().get_inlines(request, obj),
            *(i for part in self.parts for i in part.inlines),
        ]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if not any(part.save_formset(request, form, formset, change) for part in self.parts):
            super().save_formset(request, form, formset, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SalesChannel]:
        is_default = Exists(Store.objects.filter(default_sales_channel=OuterRef("pk")))
        queryset = super().get_queryset(request).annotate(is_default=is_default)
        for part in self.parts:
            queryset = part.annotate(queryset)
        return queryset

    def get_urls(self) -> list[URLPattern]:
        return [*(url for part in self.parts for url in part.get_urls()), *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = dict(extra_context or {})
        for part in self.parts:
            extra_context |= part.change_context(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ):
        for part in self.parts:
            media = part.change_form_media(context)
            if media is not None:
                context["media"] = context["media"] + media
        return super().render_change_form(request, context, *args, **kwargs)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method != "GET":  # actions redirect; only the list page shows the parts' panels
            return super().changelist_view(request, extra_context)
        extra_context = dict(extra_context or {})
        for part in self.parts:
            extra_context |= part.changelist_context(request)
        return super().changelist_view(request, extra_context)

    def get_fieldsets(self, request: HttpRequest, obj: SalesChannel | None = None):
        main: tuple[str, ...] = ("name", "description", "is_disabled")
        if obj is not None:
            main = ("id", "default_display", *main, "created_at")
        return [
            (None, {"fields": main}),
            ("Metadata", {"fields": ("metadata",), "classes": ("collapse",)}),
        ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is not None and getattr(obj, "is_default", False):
            form_class.base_fields["is_disabled"].help_text = DEFAULT_CHANNEL_HELP
        return form_class

    @admin.display(description="name", ordering="name")
    def name_display(self, obj: SalesChannel) -> str:
        if getattr(obj, "is_default", False):
            return format_html("{} {}", obj.name, badge("Default", "default"))
        return obj.name

    @admin.display(description="status", ordering="is_disabled")
    def status(self, obj: SalesChannel) -> str:
        if obj.is_disabled:
            return badge("Disabled", "disabled")
        return badge("Enabled", "enabled")

    @admin.display(description="default channel")
    def default_display(self, obj: SalesChannel) -> str:
        if getattr(obj, "is_default", False):
            return badge("Default", "default")
        return "No"

    # ---- writes ----

    def save_model(self, request: HttpRequest, obj: SalesChannel, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            saved = services.sales_channel_create(
                name=data["name"],
                description=data.get("description") or None,
                is_disabled=data.get("is_disabled", False),
                metadata=data.get("metadata"),
                created_by=permissions.acting_user(request),
            )
        elif form.changed_data:
            changes = {name: data[name] for name in form.changed_data if name in form.Meta.fields}
            if "description" in changes:
                changes["description"] = changes["description"] or None
            saved = services.sales_channel_update(channel_id=obj.pk, **changes)
        else:
            return
        adopt(obj, saved)

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.sales_channel_delete(channel_id=pk)

    @admin.action(description="Enable selected sales channels", permissions=["change"])
    def enable_selected(self, request: HttpRequest, queryset: QuerySet[SalesChannel]) -> None:
        self._set_disabled(request, queryset, disabled=False)

    @admin.action(description="Disable selected sales channels", permissions=["change"])
    def disable_selected(self, request: HttpRequest, queryset: QuerySet[SalesChannel]) -> None:
        self._set_disabled(request, queryset, disabled=True)

    def _set_disabled(
        self, request: HttpRequest, queryset: QuerySet[SalesChannel], *, disabled: bool
    ) -> None:
        """Enable or disable the selected channels through the service, all or none, in pk order."""
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))

        def write() -> None:
            for channel_id in ids:
                services.sales_channel_update(channel_id=channel_id, is_disabled=disabled)

        done = "Disabled" if disabled else "Enabled"
        self.run_service(request, write, success=f"{done} {_channels(len(ids))}.")


def _channels(count: int) -> str:
    return f"{count} sales channel" + ("" if count == 1 else "s")


admin.site.register(SalesChannel, SalesChannelAdmin)


# ---- PUBLISHABLE API KEYS ----


class RevokedFilter(TwoStateFilter):
    title, lookup = "state", "revoked_at__isnull"
    states = (("active", "Active", True), ("revoked", "Revoked", False))


class PublishableApiKeyForm(forms.ModelForm):
    channels = channels_field("A storefront sending this key sees only these channels.")

    class Meta:
        model = PublishableApiKey
        fields = ("title",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["channels"].initial = list(
                self.instance.channel_links.values_list("sales_channel_id", flat=True)
            )


@admin.register(PublishableApiKey)
class PublishableApiKeyAdmin(ChannelScopedAdminMixin, ServiceDeleteMixin, ServiceAdmin):
    """Storefront keys: create with channels, change channels, revoke (the key's id is the key)."""

    form = PublishableApiKeyForm
    list_display = ("title", "key", "channels_display", "state", "created_at", "created_by")
    list_select_related = ("created_by",)
    list_filter = (RevokedFilter,)
    search_fields = ("title", "=id")
    ordering = ("-created_at", "-id")
    readonly_fields = ("key", "state", "created_at", "created_by", "revoked_at", "revoked_by")
    actions = ("revoke_selected",)
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[PublishableApiKey]:
        channels = SalesChannel.objects.order_by("name", "id").only("id", "name")
        return (
            super()
            .get_queryset(request)
            .select_related("created_by", "revoked_by")
            .prefetch_related(Prefetch("sales_channels", queryset=channels, to_attr="channel_list"))
        )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change, **kwargs)
        if staff_scope(request.user).restricted:
            field = copy.deepcopy(form_class.base_fields["channels"])
            field.queryset = scoped_channels(request, field.queryset)
            form_class.base_fields["channels"] = field
        return form_class

    def get_fields(self, request: HttpRequest, obj: PublishableApiKey | None = None):
        if obj is None:
            return ("title", "channels")
        return (
            "key",
            "title",
            "channels",
            "state",
            "created_at",
            "created_by",
            "revoked_at",
            "revoked_by",
        )

    @admin.display(description="key (x-publishable-api-key)", ordering="id")
    def key(self, obj: PublishableApiKey) -> str:
        return format_html("<code>{}</code>", obj.pk)

    @admin.display(description="sales channels")
    def channels_display(self, obj: PublishableApiKey) -> str:
        channels = getattr(obj, "channel_list", [])
        if not channels:
            return badge("No channel", "disabled")
        return format_html_join(", ", "{}", ((c.name,) for c in channels))

    @admin.display(description="state", ordering="revoked_at")
    def state(self, obj: PublishableApiKey) -> str:
        return badge("Revoked", "disabled") if obj.is_revoked else badge("Active", "enabled")

    def save_model(
        self, request: HttpRequest, obj: PublishableApiKey, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        wanted = [c.pk for c in data["channels"]]
        if not change:
            saved = services.publishable_api_key_create(
                title=data["title"],
                created_by=permissions.acting_user(request),
                sales_channel_ids=wanted,
            )
            adopt(obj, saved)
            return
        if "title" in form.changed_data:
            services.publishable_api_key_update(key_id=obj.pk, title=data["title"])
        if "channels" in form.changed_data:
            current = set(obj.channel_links.values_list("sales_channel_id", flat=True))
            added = [cid for cid in wanted if cid not in current]
            # Links to channels deleted since are not offered by the form; leave them alone.
            live = SalesChannel.objects.filter(pk__in=current).values_list("pk", flat=True)
            removed = sorted(set(live) - set(wanted))
            if added:
                services.publishable_api_key_sales_channels_add(
                    key_id=obj.pk, sales_channel_ids=added
                )
            if removed:
                services.publishable_api_key_sales_channels_remove(
                    key_id=obj.pk, sales_channel_ids=removed
                )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # channel links were written by the services in save_model

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.publishable_api_key_delete(key_id=pk)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return self.has_named_permission(request, permissions.REVOKE_PUBLISHABLE_KEY)

    @admin.action(description="Revoke selected keys", permissions=["revoke"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[PublishableApiKey]) -> None:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))

        def write() -> None:
            for key_id in ids:
                services.publishable_api_key_revoke(
                    key_id=key_id, revoked_by=permissions.acting_user(request)
                )

        count = len(ids)
        self.run_service(request, write, success=f"Revoked {count} key{'s' if count != 1 else ''}.")


# ---- STORE ----


class StoreForm(forms.ModelForm):
    class Meta:
        model = Store
        fields = ("name", "default_sales_channel")  # its help text is the model field's

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("default_sales_channel")
        if field is None:  # read-only for this user (commerce.permissions.CHANGE_DEFAULT_CHANNEL)
            return
        cast(forms.ModelChoiceField, field).queryset = SalesChannel.objects.filter(
            is_disabled=False
        ).order_by("name", "id")
        field.required = True


@admin.register(Store)
class StoreAdmin(ServiceAdmin):
    """The one store: a single settings page (no list, no add, no delete)."""

    form = StoreForm
    fields = ("name", "default_sales_channel", "currencies_display", "id")
    readonly_fields = ("currencies_display", "id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A user scoped to channels cannot change the store (as on the API).
        return (
            super().has_change_permission(request, obj) and not staff_scope(request.user).restricted
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Store | None = None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not self.has_named_permission(request, permissions.CHANGE_DEFAULT_CHANNEL):
            readonly = (*readonly, "default_sales_channel")
        return readonly

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        store = store_get_or_create()
        return HttpResponseRedirect(
            reverse(
                "admin:commerce_store_change", args=[store.pk], current_app=self.admin_site.name
            )
        )

    @admin.display(description="currencies")
    def currencies_display(self, obj: Store) -> str:
        codes = [c.code.upper() for c in obj.currencies.order_by("code")]
        default = obj.default_currency_code.upper()
        return ", ".join(f"{code} (default)" if code == default else code for code in codes)

    def save_model(self, request: HttpRequest, obj: Store, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if "name" in form.changed_data:
            store_update(name=data["name"])
        if "default_sales_channel" in form.changed_data:
            services.store_default_sales_channel_set(channel_id=data["default_sales_channel"].pk)


# ---- STAFF USERS: THEIR CHANNEL SCOPE ----


SCOPE_FIELDS = ("scope_restricted", "scope_channels")


class ScopeFieldsForm(forms.Form):
    """The channel scope of a user or a group form: restricted or not, and to which channels."""

    scope_help_text = ""
    scope_restricted = forms.BooleanField(required=False, label="Restricted to some sales channels")
    scope_channels = channels_field()

    def fill_scope(self, scope: StaffChannelScope | None) -> None:
        """Show the scope row's restriction (none: unrestricted)."""
        self.fields["scope_restricted"].help_text = self.scope_help_text
        if scope is not None:
            self.fields["scope_restricted"].initial = True
            self.fields["scope_channels"].initial = list(
                scope.sales_channels.values_list("pk", flat=True)
            )

    def scope_changed(self) -> bool:
        return bool(set(SCOPE_FIELDS) & set(self.changed_data))

    def scope_channel_ids(self) -> list[str] | None:
        """Return the channels chosen, or None for unrestricted."""
        data = self.cleaned_data
        return [c.pk for c in data["scope_channels"]] if data["scope_restricted"] else None


class UserScopeForm(ScopeFieldsForm, commerce_admin.UserEditForm):
    scope_help_text = (
        "Unticked: every channel (plus any restriction from the user's groups). Ticked: only "
        "the channels below (and their groups'): their orders, carts, products and keys."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fill_scope(StaffChannelScope.objects.filter(user_id=self.instance.pk).first())


class UserAdmin(commerce_admin.UserAdmin):
    """The user admin plus the user's sales channel scope (saved through the scope service)."""

    form = UserScopeForm
    fieldsets = (
        *commerce_admin.UserAdmin.fieldsets,
        ("Sales channel scope", {"fields": SCOPE_FIELDS}),
    )
    list_display = (*commerce_admin.UserAdmin.list_display, "scope_display")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("channel_scope__sales_channels")

    @admin.display(description="sales channels")
    def scope_display(self, obj: Any) -> str:
        try:
            scope = obj.channel_scope
        except StaffChannelScope.DoesNotExist:
            return "All"
        return ", ".join(c.name for c in scope.sales_channels.all()) or "None"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if staff_scope(request.user).restricted:  # they cannot change anyone's scope
            readonly = (*readonly, *SCOPE_FIELDS)
        return readonly

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if isinstance(form, ScopeFieldsForm) and form.scope_changed():  # not the add form
            services.staff_scope_set(
                user_id=obj.pk,
                sales_channel_ids=form.scope_channel_ids(),
                actor=permissions.acting_user(request),
            )


admin.site.unregister(commerce_admin.User)
admin.site.register(commerce_admin.User, UserAdmin)


# ---- GROUPS: THEIR CHANNEL SCOPE ----


class GroupScopeForm(ScopeFieldsForm, forms.ModelForm):
    scope_help_text = "Ticked: the group's members work only in the channels below (and their own)."

    class Meta:
        model = Group
        fields = ("name", "permissions")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = StaffChannelScope.objects.filter(group_id=self.instance.pk).first()
        self.fill_scope(scope if self.instance.pk else None)


class GroupAdmin(PermissionAdminMixin, DjangoGroupAdmin):
    """Django's group admin plus the group's sales channel scope (through the scope service)."""

    form = GroupScopeForm
    fields = ("name", "permissions", *SCOPE_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:  # as on the user page: permissions are a superuser's
            readonly = (*readonly, "permissions", *SCOPE_FIELDS)
        return readonly

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if form.scope_changed():
            services.group_scope_set(group_id=obj.pk, sales_channel_ids=form.scope_channel_ids())


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
