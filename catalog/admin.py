"""Admin for products, variants and prices, and the products panel of the sales-channel page.

Every write is a `catalog.services` call. The channel↔product screens are built for 100,000
products: nothing renders a select of all products (autocomplete and paginated lists instead),
and the bulk actions write every selected product in a fixed number of statements.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple, FilteredSelectMultiple
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from catalog import availability, listings, services
from catalog.models import (
    PHYSICAL_FIELDS,
    VARIANT_STOCK_FIELDS,
    Image,
    Price,
    Product,
    ProductCategory,
    ProductCollection,
    ProductSalesChannel,
    ProductVariant,
)
from commerce import permissions
from commerce.admin_base import (
    ServiceAdmin,
    ServiceDeleteMixin,
    SoftDeleteAdminMixin,
    adopt,
    money,
    object_url,
)
from commerce.models import Currency
from saleschannels import admin as channel_admin
from saleschannels.models import SalesChannel
from saleschannels.scope import staff_scope

CHANNEL_PRODUCTS_PER_PAGE = 25


def _products(count: int) -> str:
    return f"{count:,} product" + ("" if count == 1 else "s")


def _listing_summary(product: Any) -> str:
    """Say a product's listing in a channel (its `listing_*` annotations) in a few words.

    `product`: a Product annotated by `ChannelProductsPart` (the annotations are not model fields).
    """
    at = listings.moment()
    published_at = product.listing_published_at
    if not product.listing_is_published:
        words = ["Unpublished"]
    elif published_at and published_at > at:
        words = [f"Scheduled for {listings.when(published_at)}"]
    else:
        words = ["Published"]
    if not product.listing_visible_in_listings:
        words.append("hidden from lists")
    opens = product.listing_available_for_purchase_at
    if opens and opens > at:
        words.append(f"for sale from {listings.when(opens)}")
    return "; ".join(words)


def _currency_choices() -> list[tuple[str, str]]:
    return [(c.code, c.code.upper()) for c in Currency.objects.order_by("code")]


# ---- PRODUCTS ----


class ProductChannelFilter(admin.SimpleListFilter):
    """Products in one channel (an EXISTS on the link table), or in none."""

    title = "sales channel"
    parameter_name = "sales_channel"
    NONE = "none"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        channels = channel_admin.scoped_channels(
            request, SalesChannel.objects.order_by("name", "id")
        )
        choices = list(channels.values_list("pk", "name"))
        if staff_scope(request.user).restricted:
            return choices  # they cannot see products without a channel
        return [*choices, (self.NONE, "No sales channel")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> QuerySet[Product]:
        value = self.value()
        if not value:
            return queryset
        links = ProductSalesChannel.objects.filter(product=OuterRef("pk"))
        if value == self.NONE:
            return queryset.filter(~Exists(links.filter(sales_channel__deleted_at__isnull=True)))
        return queryset.filter(Exists(links.filter(sales_channel_id=value)))


class ProductForm(forms.ModelForm):
    type_value = forms.CharField(
        required=False,
        max_length=255,
        label="Type",
        help_text="One product type, by name (made when new). Empty: none.",
    )
    tag_values = forms.CharField(
        required=False,
        label="Tags",
        help_text="Comma separated (made when new).",
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=ProductCategory.objects.order_by("mpath"),
        widget=FilteredSelectMultiple("categories", is_stacked=False),
        required=False,
    )
    thumbnail_upload = forms.FileField(
        required=False,
        label="Upload a thumbnail",
        help_text="A JPEG, PNG, WebP or GIF picture; it replaces the thumbnail URL.",
    )
    channels = channel_admin.channels_field(
        "A new product without channels goes into the store's default channel."
    )

    class Meta:
        model = Product
        fields = (
            "title",
            "subtitle",
            "handle",
            "description",
            "status",
            "thumbnail",
            "collection",
            "is_giftcard",
            "discountable",
            *PHYSICAL_FIELDS,
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"handle": "Left empty, it is made from the title."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "handle" in self.fields:  # absent on a view-only page
            self.fields["handle"].required = False
        if self.instance.pk:
            self.fields["type_value"].initial = (
                self.instance.type.value if self.instance.type else ""
            )
            self.fields["tag_values"].initial = ", ".join(
                self.instance.tags.order_by("value").values_list("value", flat=True)
            )
            self.fields["categories"].initial = list(
                self.instance.categories.values_list("pk", flat=True)
            )
            self.fields["channels"].initial = list(
                self.instance.channel_links.filter(
                    sales_channel__deleted_at__isnull=True
                ).values_list("sales_channel_id", flat=True)
            )


class ImageInlineForm(forms.ModelForm):
    upload = forms.FileField(
        required=False, help_text="A JPEG, PNG, WebP or GIF picture (checked, then stored)."
    )

    class Meta:
        model = Image
        fields = ()


class ImageInline(admin.TabularInline):
    """The product's pictures, in order: upload new ones; existing ones can be removed."""

    model = Image
    form = ImageInlineForm
    extra = 1
    fields = ("preview", "url", "upload")
    readonly_fields = ("preview", "url")
    ordering = ("rank", "created_at", "id")

    @admin.display(description="picture")
    def preview(self, obj: Image) -> str:
        if obj.pk is None:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height:64px">', obj.url)


def _changes(form: forms.ModelForm, names: tuple[str, ...]) -> dict[str, Any]:
    """Return the form's changed `names` (model fields) as a service's keyword arguments.

    A chosen row goes by its id (`collection` -> `collection_id`); a handle left empty keeps the
    old one (it is not a change).
    """
    data = form.cleaned_data
    changes: dict[str, Any] = {}
    for name in form.changed_data:
        if name not in names:
            continue
        if isinstance(form.fields[name], forms.ModelChoiceField):
            changes[f"{name}_id"] = data[name].pk if data[name] else None
        elif name != "handle" or data[name]:
            changes[name] = data[name]
    return changes


def _tag_inputs(raw: str) -> list[services.TagInput]:
    values = dict.fromkeys(v.strip() for v in (raw or "").split(",") if v.strip())
    return [services.TagInput(value=value) for value in values]


class VariantInlineForm(forms.ModelForm):
    option_values = forms.CharField(
        required=False,
        label="Option values",
        help_text="New variants only: one value per product option, comma separated.",
    )

    class Meta:
        model = ProductVariant
        fields = ("title", "sku", "inventory_quantity", "manage_inventory", "allow_backorder")


class VariantInline(admin.TabularInline):
    """The product's variants; prices are edited on each variant's page (the "Change" link)."""

    model = ProductVariant
    form = VariantInlineForm
    extra = 0
    fields = (
        "title",
        "sku",
        "inventory_quantity",
        "manage_inventory",
        "allow_backorder",
        "option_values",
        "prices_display",
    )
    readonly_fields = ("prices_display",)
    show_change_link = True
    ordering = ("variant_rank", "created_at", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductVariant]:
        prices = Price.objects.order_by("currency_code", "amount", "id")
        return super().get_queryset(request).prefetch_related(Prefetch("prices", queryset=prices))

    @admin.display(description="prices")
    def prices_display(self, obj: ProductVariant) -> str:
        if obj.pk is None:
            return "—"
        return ", ".join(money(p.amount, p.currency_code) for p in obj.prices.all()) or "—"


def _variant_input(form: forms.ModelForm) -> services.VariantInput:
    data = form.cleaned_data
    values = [v.strip() for v in (data.get("option_values") or "").split(",") if v.strip()]
    return services.VariantInput(
        title=data["title"],
        sku=data.get("sku") or None,
        inventory_quantity=data["inventory_quantity"],
        manage_inventory=data["manage_inventory"],
        allow_backorder=data["allow_backorder"],
        option_values=values,
    )


class ChannelChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SalesChannel) -> str:
        return f"{obj.name} (disabled)" if obj.is_disabled else obj.name


class ProductChannelsForm(forms.Form):
    """The channels chosen on the bulk action's intermediate page."""

    sales_channels = ChannelChoiceField(
        queryset=SalesChannel.objects.order_by("name", "id"),
        widget=forms.CheckboxSelectMultiple,
        label="Sales channels",
        error_messages={"required": "Choose at least one sales channel."},
    )


class ChannelListingInline(admin.TabularInline):
    """A product's listings in its live channels (a scoped user's only): edited, not added.

    Channels are joined and left with the product's "channels" field; here each one's listing
    is set (docs/listings.md). Saved through `services.product_channel_listings_set`.
    """

    model = ProductSalesChannel
    verbose_name = "listing in a channel"
    verbose_name_plural = "listings in channels (docs/listings.md)"
    fields = (
        "sales_channel",
        "is_published",
        "published_at",
        "visible_in_listings",
        "available_for_purchase_at",
    )
    readonly_fields = ("sales_channel",)
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductSalesChannel]:
        links = super().get_queryset(request).filter(sales_channel__deleted_at__isnull=True)
        scope = staff_scope(request.user)
        if scope.restricted:
            links = links.filter(sales_channel_id__in=sorted(scope.channel_ids or ()))
        return links.select_related("sales_channel").order_by(
            "sales_channel__created_at", "sales_channel_id"
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.parent_model_admin.has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.parent_model_admin.has_manage_channel_products_permission(request)

    def __init__(self, parent_model: Any, admin_site: admin.AdminSite) -> None:
        super().__init__(parent_model, admin_site)
        # The product's admin, registered before any request builds this inline.
        self.parent_model_admin = cast("ProductAdmin", admin_site._registry[parent_model])


class ScheduleInChannelForm(forms.Form):
    """The bulk action "Schedule in channel…": one channel, the listing every product gets there."""

    sales_channel = forms.ModelChoiceField(
        queryset=SalesChannel.objects.order_by("name", "id"),
        label="Sales channel",
        error_messages={"required": "Choose a sales channel."},
    )
    is_published = forms.BooleanField(required=False, initial=True, label="Published")
    published_at = forms.DateTimeField(
        required=False,
        label="Appears at",
        help_text="Empty: at once. Format 2026-12-03 09:00:00 (the site's time zone, UTC).",
    )
    visible_in_listings = forms.BooleanField(
        required=False, initial=True, label="Visible in lists, search and counts"
    )
    available_for_purchase_at = forms.DateTimeField(
        required=False, label="For sale from", help_text="Empty: at once."
    )


@admin.register(Product)
class ProductAdmin(
    channel_admin.ChannelScopedAdminMixin, SoftDeleteAdminMixin, ServiceDeleteMixin, ServiceAdmin
):
    form = ProductForm
    inlines = (ImageInline, VariantInline, ChannelListingInline)
    list_display = ("title", "handle", "status", "channels_display", "created_at")
    list_filter = (ProductChannelFilter, "status")
    search_fields = ("title", "handle", "=id")
    ordering = ("-created_at", "-id")
    raw_id_fields = ("collection",)
    readonly_fields = ("id", "options_display", "availability_display", "created_at", "updated_at")
    actions = ("add_to_sales_channels", "remove_from_sales_channels", "schedule_in_channel")
    list_per_page = 50
    show_full_result_count = False  # 100,000 rows: skip the second, unfiltered COUNT(*)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Product]:
        channels = channel_admin.scoped_channels(request).order_by("name", "id").only("id", "name")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("sales_channels", queryset=channels, to_attr="channel_list"))
        )

    def get_fields(self, request: HttpRequest, obj: Product | None = None):
        fields: tuple[str, ...] = (
            *ProductForm.Meta.fields,
            "thumbnail_upload",
            "type_value",
            "tag_values",
            "categories",
            "channels",
        )
        if obj is None:
            return fields
        if not self.has_change_permission(request, obj):
            # A view-only page shows every field read-only; `categories` there would be the
            # reverse relation, which the admin cannot display: show the names instead.
            fields = tuple("categories_display" if f == "categories" else f for f in fields)
        return (
            "id",
            *fields,
            "options_display",
            "availability_display",
            "created_at",
            "updated_at",
        )

    def get_inlines(self, request: HttpRequest, obj: Product | None) -> list[Any]:
        inlines = list(super().get_inlines(request, obj))
        # The listings are shown for an existing product; a form posted without them (a client
        # that predates them) saves the rest and leaves the listings as they are.
        if obj is None or (
            request.method == "POST" and "channel_links-TOTAL_FORMS" not in request.POST
        ):
            inlines.remove(ChannelListingInline)
        return inlines

    @admin.display(description="availability per channel")
    def availability_display(self, obj: Product) -> str:
        """Show `GET /admin/products/{id}/availability`'s verdicts, in words, per channel."""
        scope = getattr(obj, "viewer_scope", None)  # set by get_object, for the viewer
        if scope is None:
            return "—"
        verdicts = availability.product_availability(product_id=obj.pk, scope=scope)
        if not verdicts:
            return "—"

        def mark(value: bool) -> str:
            return "yes" if value else "no"

        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    verdict.channel.name,
                    mark(verdict.listed),
                    mark(verdict.reachable),
                    mark(verdict.purchasable),
                    format_html_join(
                        " ", '<span title="{}">{}</span>', ((c, m) for c, m in verdict.reasons)
                    )
                    or "Listed, reachable and for sale.",
                )
                for verdict in verdicts
            ),
        )
        return format_html(
            '<table class="cs-availability"><thead><tr><th>channel</th><th>listed</th>'
            "<th>reachable</th><th>purchasable</th><th>why</th></tr></thead><tbody>{}</tbody>"
            "</table>",
            rows,
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.viewer_scope = staff_scope(request.user)  # the availability panel's channels
        return obj

    @admin.display(description="categories")
    def categories_display(self, obj: Product) -> str:
        return ", ".join(obj.categories.order_by("name").values_list("name", flat=True)) or "—"

    @admin.display(description="sales channels")
    def channels_display(self, obj: Product) -> str:
        channels = getattr(obj, "channel_list", [])
        if not channels:
            return "—"
        return format_html_join(", ", "{}", ((c.name,) for c in channels))

    @admin.display(description="options")
    def options_display(self, obj: Product) -> str:
        return (
            ", ".join(obj.options.order_by("created_at", "id").values_list("title", flat=True))
            or "—"
        )

    # ---- writes ----

    def save_model(self, request: HttpRequest, obj: Product, form: Any, change: bool) -> None:
        data = form.cleaned_data
        channel_ids = [c.pk for c in data["channels"]]
        fields = {
            name: data[name]
            for name in ProductForm.Meta.fields
            if name not in ("collection", "handle")
        }
        physical = {name: fields.pop(name) for name in PHYSICAL_FIELDS}
        collection = data.get("collection")
        type_value = (data.get("type_value") or "").strip()
        category_ids = [c.pk for c in data.get("categories") or []]
        if not change:
            saved = services.product_create(
                **fields,
                handle=data.get("handle") or None,
                collection_id=collection.pk if collection else None,
                sales_channel_ids=channel_ids or None,
                type=services.TagInput(value=type_value) if type_value else None,
                tags=_tag_inputs(data.get("tag_values")),
                category_ids=category_ids,
                physical=physical,
                scope=staff_scope(request.user),
            )
        else:
            changes = _changes(form, ProductForm.Meta.fields)
            for name in form.changed_data:
                if name == "type_value":
                    changes["type"] = services.TagInput(value=type_value) if type_value else None
                elif name == "tag_values":
                    changes["tags"] = _tag_inputs(data.get("tag_values"))
                elif name == "categories":
                    changes["category_ids"] = category_ids
            if "channels" in form.changed_data:
                changes["sales_channel_ids"] = channel_ids
            saved = services.product_update(
                product_id=obj.pk, scope=staff_scope(request.user), **changes
            )
        if data.get("thumbnail_upload"):
            saved = services.product_thumbnail_upload(
                product_id=saved.pk, file=data["thumbnail_upload"], name="thumbnail"
            )
        adopt(obj, saved)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save(commit=False)  # fills new/changed/deleted_objects for the admin log only
        product_id = form.instance.pk
        if formset.model is ProductSalesChannel:
            # Channels the product just left (its "channels" field) are not set again here.
            kept = set(
                ProductSalesChannel.objects.filter(product_id=product_id).values_list(
                    "sales_channel_id", flat=True
                )
            )
            listings = [
                services.ListingInput(
                    product_id=product_id,
                    sales_channel_id=link.sales_channel_id,
                    changes={name: getattr(link, name) for name in changed},
                )
                for link, changed in formset.changed_objects
                if link.sales_channel_id in kept
            ]
            if listings:
                services.product_channel_listings_set(
                    product_id=product_id, listings=listings, scope=staff_scope(request.user)
                )
            return
        if formset.model is Image:
            for image in formset.deleted_objects:
                services.product_image_delete(image_id=image.pk)
            for image_form in formset.forms:
                upload = image_form.cleaned_data.get("upload")
                if upload and not image_form.cleaned_data.get("DELETE"):
                    services.product_image_upload(product_id=product_id, file=upload, name="upload")
            return
        for variant in formset.deleted_objects:
            services.variant_delete(variant_id=variant.pk)
        for variant_form in formset.forms:
            if variant_form.instance in formset.new_objects:
                services.variant_create(product_id=product_id, variant=_variant_input(variant_form))
        for variant, changed in formset.changed_objects:
            variant_form = next(f for f in formset.forms if f.instance is variant)
            updates = {
                name: variant_form.cleaned_data[name]
                for name in changed
                if name in VariantInlineForm.Meta.fields
            }
            if "sku" in updates:
                updates["sku"] = updates["sku"] or None
            if updates:
                services.variant_update(variant_id=variant.pk, **updates)

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.product_delete(product_id=pk, scope=staff_scope(request.user))

    # ---- bulk channel actions ----

    @admin.action(description="Add to sales channels…", permissions=["manage_channel_products"])
    def add_to_sales_channels(self, request: HttpRequest, queryset: QuerySet[Product]):
        return self._channels_action(request, queryset, adding=True)

    @admin.action(
        description="Remove from sales channels…", permissions=["manage_channel_products"]
    )
    def remove_from_sales_channels(self, request: HttpRequest, queryset: QuerySet[Product]):
        return self._channels_action(request, queryset, adding=False)

    @admin.action(description="Schedule in channel…", permissions=["manage_channel_products"])
    def schedule_in_channel(self, request: HttpRequest, queryset: QuerySet[Product]):
        """Put the selected products in one channel with one listing (docs/listings.md)."""
        form = ScheduleInChannelForm(request.POST if "apply" in request.POST else None)
        channel_field = cast(forms.ModelChoiceField, form.fields["sales_channel"])
        channel_field.queryset = channel_admin.scoped_channels(request, channel_field.queryset)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            channel = data["sales_channel"]
            product_ids = list(queryset.order_by().values_list("pk", flat=True))
            changes = {name: data[name] for name in services.LISTING_FIELDS}
            scope = staff_scope(request.user)
            self.run_service(
                request,
                lambda: services.sales_channel_products_add(
                    channel_id=channel.pk,
                    product_ids=product_ids,
                    scope=scope,
                    listings=[
                        services.ListingInput(pid, channel.pk, changes) for pid in product_ids
                    ],
                ),
                success=f"Scheduled {_products(len(product_ids))} in {channel.name}.",
            )
            return None
        return self._action_page(
            request,
            queryset,
            form,
            "admin/catalog/product/schedule_action.html",
            title="Schedule products in a sales channel",
            action="schedule_in_channel",
        )

    def has_manage_channel_products_permission(self, request: HttpRequest) -> bool:
        return self.has_named_permission(request, permissions.MANAGE_CHANNEL_PRODUCTS)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change, **kwargs)
        field = copy.deepcopy(form_class.base_fields["channels"])
        field.queryset = channel_admin.scoped_channels(request, field.queryset)
        if not self.has_manage_channel_products_permission(request):
            # Choosing a product's channels is managing those channels' products.
            field.disabled = True
        form_class.base_fields["channels"] = field
        return form_class

    def _all_channels_in_scope(self, request: HttpRequest, obj: Product | None) -> bool:
        """Tell whether every channel of the product is in the user's scope (to change or delete it)."""
        scope = staff_scope(request.user)
        if obj is None or not scope.restricted:
            return True
        channel_ids = obj.channel_links.filter(sales_channel__deleted_at__isnull=True).values_list(
            "sales_channel_id", flat=True
        )
        return scope.covers(channel_ids)

    def has_change_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._all_channels_in_scope(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._all_channels_in_scope(
            request, obj
        )

    def _channels_action(
        self, request: HttpRequest, queryset: QuerySet[Product], *, adding: bool
    ) -> HttpResponse | None:
        """Show the channel chooser; on "apply", write all selected products in one service call."""
        form = ProductChannelsForm(request.POST if "apply" in request.POST else None)
        chooser = cast(forms.ModelMultipleChoiceField, form.fields["sales_channels"])
        chooser.queryset = channel_admin.scoped_channels(request, chooser.queryset)
        if form.is_bound and form.is_valid():
            channels = list(form.cleaned_data["sales_channels"])
            channel_ids = [c.pk for c in channels]
            product_ids = list(queryset.order_by().values_list("pk", flat=True))
            scope = staff_scope(request.user)
            names = ", ".join(c.name for c in channels)
            if adding:
                self.run_service(
                    request,
                    lambda: services.products_sales_channels_add(
                        product_ids=product_ids, channel_ids=channel_ids, scope=scope
                    ),
                    success=f"Added {_products(len(product_ids))} to {names}.",
                )
            else:
                self.run_service(
                    request,
                    lambda: services.products_sales_channels_remove(
                        product_ids=product_ids, channel_ids=channel_ids, scope=scope
                    ),
                    success=f"Removed {_products(len(product_ids))} from {names}.",
                )
            return None

        return self._action_page(
            request,
            queryset,
            form,
            "admin/catalog/product/sales_channels_action.html",
            title="Add products to sales channels"
            if adding
            else "Remove products from sales channels",
            action="add_to_sales_channels" if adding else "remove_from_sales_channels",
            adding=adding,
        )

    def _action_page(
        self,
        request: HttpRequest,
        queryset: QuerySet[Product],
        form: forms.Form,
        template: str,
        **context: Any,
    ) -> TemplateResponse:
        """Show a bulk action's form page (products_action_base.html) for the selected products.

        The page posts back to the changelist URL (same filters and search) with the original
        selection: the `_selected_action` ids, or `select_across` for "all N".
        """
        select_across = request.POST.get("select_across") == "1"
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        count = queryset.count() if select_across else len(selected)
        sample = queryset.order_by("title", "id").values_list("title", flat=True)[:10]
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                **context,
                "opts": self.opts,
                "form": form,
                "selected": selected,
                "select_across": select_across,
                "count": count,
                "count_label": _products(count),
                "sample": list(sample),
                "media": self.media + form.media,
                "changelist_url": request.get_full_path(),
            },
        )


# ---- VARIANTS AND PRICES ----


class PriceForm(forms.ModelForm):
    currency_code = forms.ChoiceField(choices=_currency_choices)

    class Meta:
        model = Price
        fields = ("currency_code", "amount", "region")
        help_texts = {"amount": "Minor units (1000 = 10.00)."}


class PriceInline(admin.TabularInline):
    model = Price
    form = PriceForm
    extra = 0
    ordering = ("currency_code", "amount", "id")


@admin.register(ProductVariant)
class ProductVariantAdmin(SoftDeleteAdminMixin, ServiceDeleteMixin, ServiceAdmin):
    """A variant's page, where its prices are edited. Variants are added from the product page."""

    inlines = (PriceInline,)
    list_display = ("title", "sku", "product", "inventory_quantity", "prices_display")
    list_select_related = ("product",)
    search_fields = ("title", "sku", "=id", "product__title")
    fields = ("product", "title", *VARIANT_STOCK_FIELDS, "variant_rank")
    readonly_fields = ("product",)
    ordering = ("-created_at", "-id")
    list_per_page = 50
    show_full_result_count = False

    # Read-only panels that apps above catalog add with `variant_panel` (inventory: the stock).
    panels: tuple[str, ...] = ()

    def get_fields(self, request: HttpRequest, obj: Any = None):
        _panel_request.set(request)
        return (*super().get_fields(request, obj), *self.panels)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        return (*super().get_readonly_fields(request, obj), *self.panels)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductVariant]:
        prices = Price.objects.order_by("currency_code", "amount", "id")
        return super().get_queryset(request).prefetch_related(Prefetch("prices", queryset=prices))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="prices")
    def prices_display(self, obj: ProductVariant) -> str:
        return ", ".join(money(p.amount, p.currency_code) for p in obj.prices.all()) or "—"

    def save_model(
        self, request: HttpRequest, obj: ProductVariant, form: Any, change: bool
    ) -> None:
        updates = {name: form.cleaned_data[name] for name in form.changed_data}
        for name in ("sku", "barcode", "ean", "upc"):
            if name in updates:
                updates[name] = updates[name] or None
        if updates:
            adopt(obj, services.variant_update(variant_id=obj.pk, **updates))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save(commit=False)  # fills new/changed/deleted_objects for the admin log only
        if not formset.has_changed():
            return
        prices = [
            services.PriceInput(
                currency_code=price_form.cleaned_data["currency_code"],
                amount=price_form.cleaned_data["amount"],
                region_id=price_form.cleaned_data["region"].pk
                if price_form.cleaned_data.get("region")
                else None,
            )
            for price_form in formset.forms
            if price_form.cleaned_data
            and not formset._should_delete_form(price_form)
            and (price_form.instance.pk or price_form.has_changed())
        ]
        services.variant_update(variant_id=form.instance.pk, prices=prices)

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.variant_delete(variant_id=pk)


_panel_request: ContextVar[HttpRequest | None] = ContextVar("variant_panel_request", default=None)


def variant_panel(
    func: Callable[[ProductVariant, HttpRequest | None], str],
) -> Callable[[ProductVariant, HttpRequest | None], str]:
    """Add a read-only panel to the variant page: `func(variant, request)` returns its HTML.

    For apps that catalog may not import (inventory shows a variant's stock per sales channel),
    the way the sales channel page takes `ChannelAdminPart`s: the page is registered once, here.
    Decorate `func` with `admin.display(description=...)` for its label.
    """

    @functools.wraps(func)
    def panel(admin_: ProductVariantAdmin, obj: ProductVariant) -> str:
        return func(obj, _panel_request.get())

    setattr(ProductVariantAdmin, func.__name__, panel)
    ProductVariantAdmin.panels = (*ProductVariantAdmin.panels, func.__name__)
    return func


# ---- THE PRODUCTS OF A SALES CHANNEL ----


class ChannelProductsAddForm(forms.Form):
    def __init__(self, *args: Any, admin_site: admin.AdminSite, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The widget asks the product admin's search (autocomplete view) page by page.
        self.fields["products"] = forms.ModelMultipleChoiceField(
            queryset=Product.objects.none(),
            widget=AutocompleteSelectMultiple(
                ProductSalesChannel._meta.get_field("product"),
                admin_site,
                attrs={
                    "data-placeholder": "Search products by title or handle",
                    "style": "width: 32em",
                },
            ),
            label="Add products",
        )


def _count(links: QuerySet) -> Coalesce:
    counts = links.order_by().values("sales_channel_id").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def product_count_subquery() -> CombinedExpression:
    """Live products per channel, from correlated subqueries (no join multiplication).

    All links minus the links of soft-deleted products: the first is an index-only count on
    (sales_channel, product), the second starts from the few deleted products. Joining every
    link to its product instead reads the whole product table once per channel (seconds at
    100,000 products).
    """
    links = ProductSalesChannel.objects.filter(sales_channel_id=OuterRef("pk"))
    return _count(links) - _count(links.filter(product__deleted_at__isnull=False))


@dataclass(frozen=True)
class ProductsChange:
    """One write of a channel's products panel: the field posted, the service, its messages."""

    field: str
    service: Callable[..., object]
    nothing_chosen: str
    done: str


# The panel's two forms, by the word in their URL (`<channel>/products/add/`).
PRODUCTS_CHANGES = {
    "add": ProductsChange(
        "products",
        services.sales_channel_products_add,
        "Choose at least one product to add.",
        "Added {products} to {channel}.",
    ),
    "remove": ProductsChange(
        "product_ids",
        services.sales_channel_products_remove,
        "Tick the products to remove first.",
        "Removed {products} from {channel}.",
    ),
}


@channel_admin.channel_admin_part
class ChannelProductsPart(channel_admin.ChannelAdminPart):
    """The channel admin's products.

    A product count column, and on the change page a searchable, paginated product list with
    remove checkboxes and an autocomplete to add products.
    """

    columns = ("product_count",)

    def annotate(self, queryset: QuerySet[SalesChannel]) -> QuerySet[SalesChannel]:
        return queryset.annotate(product_count=product_count_subquery())

    @admin.display(description="products", ordering="product_count")
    def product_count(self, obj: SalesChannel) -> str:
        return self.count_link(
            "catalog_product_changelist", ProductChannelFilter, obj, "product_count"
        )

    def get_urls(self):
        opts = self.model_admin.opts
        prefix = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                f"<path:object_id>/products/{change}/",
                self.admin_site.admin_view(
                    functools.partial(self.products_change_view, change=change)
                ),
                name=f"{prefix}_products_{change}",
            )
            for change in PRODUCTS_CHANGES
        ]

    def change_context(self, request: HttpRequest, object_id: str) -> dict[str, Any]:
        return {"products_panel": self._products_panel(request, unquote(object_id))}

    def change_form_media(self, context: dict[str, Any]) -> forms.Media | None:
        panel = context.get("products_panel")
        return panel["add_form"].media if panel is not None else None

    def _products_panel(self, request: HttpRequest, channel_id: str) -> dict[str, Any]:
        term = request.GET.get("products_q", "").strip()
        products = Product.objects.filter(channel_links__sales_channel_id=channel_id)
        if term:
            products = products.filter(
                Q(title__icontains=term) | Q(handle__icontains=term) | Q(pk=term)
            )
        products = (
            products.order_by("title", "id")
            .only("id", "title", "handle", "status")
            .annotate(  # the listing here, from the link the filter joined
                **{
                    f"listing_{name}": F(f"channel_links__{name}")
                    for name in services.LISTING_FIELDS
                }
            )
        )
        page = Paginator(products, CHANNEL_PRODUCTS_PER_PAGE).get_page(
            request.GET.get("products_page")
        )
        for product in page.object_list:
            product.listing_summary = _listing_summary(product)

        def page_url(number: int) -> str:
            query: dict[str, str | int] = {
                "products_page": number,
                **({"products_q": term} if term else {}),
            }
            return f"?{urlencode(query)}#products"

        return {
            "page": page,
            "term": term,
            "count_label": _products(page.paginator.count),
            "previous_url": page_url(page.previous_page_number()) if page.has_previous() else None,
            "next_url": page_url(page.next_page_number()) if page.has_next() else None,
            "can_manage": self.model_admin.has_named_permission(
                request, permissions.MANAGE_CHANNEL_PRODUCTS
            ),
            "add_form": ChannelProductsAddForm(admin_site=self.admin_site),
            "add_url": object_url(self.model_admin, "products_add", quote(channel_id)),
            "remove_url": object_url(self.model_admin, "products_remove", quote(channel_id)),
        }

    def _channel_for_write(self, request: HttpRequest, object_id: str) -> SalesChannel:
        channel = self.model_admin.get_object(request, unquote(object_id))
        if channel is None:
            raise Http404
        if not self.model_admin.has_named_permission(request, permissions.MANAGE_CHANNEL_PRODUCTS):
            raise PermissionDenied
        return channel

    def _back_to_products(self, object_id: str) -> HttpResponseRedirect:
        url = object_url(self.model_admin, "change", object_id)
        return HttpResponseRedirect(f"{url}#products")

    def products_change_view(
        self, request: HttpRequest, object_id: str, *, change: str
    ) -> HttpResponse:
        """Add or remove the products posted (`PRODUCTS_CHANGES`), through the channel service."""
        if request.method != "POST":
            return self._back_to_products(object_id)
        channel = self._channel_for_write(request, object_id)
        write = PRODUCTS_CHANGES[change]
        product_ids = request.POST.getlist(write.field)
        if not product_ids:
            self.model_admin.message_user(request, write.nothing_chosen, messages.WARNING)
        else:
            self.model_admin.run_service(
                request,
                lambda: write.service(
                    channel_id=channel.pk, product_ids=product_ids, scope=staff_scope(request.user)
                ),
                success=write.done.format(
                    products=_products(len(set(product_ids))), channel=channel.name
                ),
            )
        return self._back_to_products(object_id)


# ---- COLLECTIONS AND CATEGORIES ----


class LiveProductCountMixin:
    """A "products" column: how many live (not deleted) products each row holds (one query)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        live = Count("products", filter=Q(products__deleted_at__isnull=True))
        return super().get_queryset(request).annotate(live_products=live)  # type: ignore[misc]  # a mixin: the ModelAdmin has it

    @admin.display(description="products", ordering="live_products")
    def product_count(self, obj: ProductCollection | ProductCategory) -> str:
        return _products(getattr(obj, "live_products", 0))


class CollectionForm(forms.ModelForm):
    class Meta:
        model = ProductCollection
        fields = ("title", "handle", "metadata")
        help_texts = {"handle": "Left empty, it is made from the title."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handle"].required = False


@admin.register(ProductCollection)
class ProductCollectionAdmin(
    LiveProductCountMixin, SoftDeleteAdminMixin, ServiceDeleteMixin, ServiceAdmin
):
    form = CollectionForm
    list_display = ("title", "handle", "product_count", "created_at")
    search_fields = ("title", "handle", "=id")
    ordering = ("created_at", "id")
    readonly_fields = ("id", "created_at", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: ProductCollection, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        if not change:
            saved = services.collection_create(
                title=data["title"], handle=data.get("handle") or None, metadata=data["metadata"]
            )
        else:
            saved = services.collection_update(
                collection_id=obj.pk, **_changes(form, CollectionForm.Meta.fields)
            )
        adopt(obj, saved)

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.collection_delete(collection_id=pk)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = ProductCategory
        fields = (
            "name",
            "handle",
            "description",
            "parent_category",
            "rank",
            "is_active",
            "is_internal",
            "metadata",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "handle": "Left empty, it is made from the name.",
            "is_active": "Storefronts show only active categories that are not internal.",
            "rank": "The place among its siblings, from 0.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handle"].required = False
        self.fields["rank"].required = False


@admin.register(ProductCategory)
class ProductCategoryAdmin(LiveProductCountMixin, ServiceDeleteMixin, ServiceAdmin):
    """The category tree: listed in tree order, each name indented by its depth."""

    form = CategoryForm
    list_display = ("tree_name", "handle", "is_active", "is_internal", "rank", "product_count")
    list_filter = ("is_active", "is_internal")
    search_fields = ("name", "handle", "=id")
    ordering = ("mpath",)
    autocomplete_fields = ("parent_category",)
    readonly_fields = ("id", "mpath", "created_at", "updated_at")
    list_per_page = 200

    @admin.display(description="name", ordering="mpath")
    def tree_name(self, obj: ProductCategory) -> str:
        marker = "└ " if obj.depth else ""
        return format_html(
            '<span style="padding-left:{}em">{}{}</span>', obj.depth * 1.5, marker, obj.name
        )

    def save_model(
        self, request: HttpRequest, obj: ProductCategory, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        parent = data.get("parent_category")
        if not change:
            saved = services.category_create(
                name=data["name"],
                handle=data.get("handle") or None,
                description=data.get("description") or "",
                parent_category_id=parent.pk if parent else None,
                is_active=data["is_active"],
                is_internal=data["is_internal"],
                rank=data.get("rank"),
                metadata=data["metadata"],
            )
        else:
            changes = _changes(form, CategoryForm.Meta.fields)
            if changes.get("rank", 0) is None:  # left empty: keep the place it has
                del changes["rank"]
            saved = services.category_update(category_id=obj.pk, **changes)
        adopt(obj, saved)

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.category_delete(category_id=pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ProductCategory]) -> None:
        # Deepest first, so a parent deleted with its children goes after them.
        for pk in sorted(queryset.values_list("pk", "mpath"), key=lambda row: -row[1].count(".")):
            self.delete_one(request, pk[0])

    def get_deleted_objects(self, objs: Any, request: HttpRequest):
        objs = list(objs)
        names = [str(obj) for obj in objs]
        perms = set() if self.has_delete_permission(request) else {self.opts.verbose_name}
        return names, {self.opts.verbose_name_plural: len(objs)}, perms, []
