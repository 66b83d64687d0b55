"""Admin plumbing every app's admin uses: writes through services, refusals shown, money, soft deletes.

The Django admin is one more caller of the services (design §3, "one door for rules"). A service
that refuses a write raises `CommerceError`; the admin catches it at its edge, rolls the whole
request back, and shows the refusal with `message_user(..., messages.ERROR)` — never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from commerce import permissions
from commerce.exceptions import CommerceError, RequestErrors

# ISO 4217 currencies without minor units; every other currency has two decimals.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"bif", "clp", "djf", "gnf", "isk", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd"}
    | {"vuv", "xaf", "xof", "xpf"}
)

ADMIN_CSS = "commerce/admin.css"
REFUSED_FORM_ERROR = "Nothing was saved: the change was refused (see the message above)."


def money(amount: int | None, currency_code: str | None) -> str:
    """Format minor units for people: `money(123456, "usd")` is "1,234.56 USD"."""
    if amount is None:
        return "—"
    code = (currency_code or "").lower()
    if code in ZERO_DECIMAL_CURRENCIES:
        return f"{amount:,} {code.upper()}".strip()
    value = Decimal(amount) / 100
    return f"{value:,.2f} {code.upper()}".strip()


def describe(error: CommerceError) -> str:
    """Return the words to show a merchant for a refused write (the listed problems, if any)."""
    if isinstance(error, RequestErrors) and error.errors:
        return " ".join(error.errors)
    return error.message


def adopt(target: models.Model, saved: models.Model) -> None:
    """Copy a service's saved row onto the admin's in-memory instance (for logging and redirects)."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


def object_url(model_admin: admin.ModelAdmin, view: str, pk: Any) -> str:
    """Return the URL of a ModelAdmin's view of one row: `change`, or one it adds (`products_add`)."""
    opts = model_admin.opts
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{view}",
        args=[pk],
        current_app=model_admin.admin_site.name,
    )


class OptionalJSONField(forms.JSONField):
    """A JSON form field that shows an unset (null) value as an empty box, not as "null"."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)


class TwoStateFilter(admin.SimpleListFilter):
    """A list filter splitting rows on one boolean lookup: `lookup` and its two `states`.

    `states` is `((value, label, lookup value), ...)`, for example
    `(("open", "Open", True), ("completed", "Completed", False))` on `completed_at__isnull`.
    Its query parameter is its title unless `parameter_name` says otherwise.
    """

    lookup: str
    states: tuple[tuple[str, str, bool], ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.parameter_name is None and cls.title:
            cls.parameter_name = str(cls.title)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, label) for value, label, _ in self.states]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        for value, _, lookup_value in self.states:
            if self.value() == value:
                return queryset.filter(**{self.lookup: lookup_value})
        return queryset


class PermissionAdminMixin:
    """The Django admin's permission checks, from `commerce.permissions` (as the admin API's).

    View needs `view_<model>`; add and change need the view permission too (as on the API, where
    a write answers the object); delete needs `delete_<model>`. Named permissions of bulk actions
    are asked with `has_named_permission(request, permissions.X)`.
    """

    def _allowed(self, request: HttpRequest, action: str) -> bool:
        return permissions.model_action_allowed(request.user, self.opts.model, action)  # type: ignore[attr-defined]  # an admin mixin: the ModelAdmin has it

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "view")

    def has_view_or_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "delete")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    @staticmethod
    def has_named_permission(request: HttpRequest, perm: str) -> bool:
        return permissions.user_can(request.user, perm)


class ServiceAdmin(PermissionAdminMixin, admin.ModelAdmin):
    """A ModelAdmin whose writes are service calls and whose refusals change nothing.

    Subclasses implement `save_model` (and `save_related` when they edit relations) by calling
    services, and deletes with `ServiceDeleteMixin` (or their own `delete_model`/`delete_queryset`). Any `CommerceError` raised while a form is saved
    rolls back the whole request (model, relations, inlines and the admin log); the form is shown
    again with what the merchant typed, and the refusal is shown as an error message.
    """

    class Media:
        css = {"all": (ADMIN_CSS,)}

    # ---- forms ----

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except CommerceError as error:
            self.message_user(request, describe(error), messages.ERROR)
            # Second pass: the same POST, with a form that refuses to validate, so the page shows
            # what was typed instead of saving it.
            request._refused_write = error  # type: ignore[attr-defined]  # cached on the request
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "_refused_write", None) is None:
            return form_class

        def clean(form: Any) -> dict[str, Any]:
            form_class.clean(form)
            raise ValidationError(REFUSED_FORM_ERROR)

        return type(form_class.__name__, (form_class,), {"clean": clean})

    # ---- deletes ----

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().delete_view(request, object_id, extra_context)
        except CommerceError as error:
            self.message_user(request, describe(error), messages.ERROR)
            return HttpResponseRedirect(object_url(self, "change", object_id))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (_delete_selected_through_services, name, description)
        return actions

    # ---- helpers for actions and custom views ----

    def run_service(
        self, request: HttpRequest, write: Callable[[], Any], *, success: str | None = None
    ) -> bool:
        """Run `write` in one transaction; show `success` or the refusal. Return whether it ran."""
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                write()
        except CommerceError as error:
            self.message_user(request, describe(error), messages.ERROR)
            return False
        if success:
            self.message_user(request, success, messages.SUCCESS)
        return True


def _delete_selected_through_services(
    modeladmin: ServiceAdmin, request: HttpRequest, queryset: models.QuerySet
) -> HttpResponse | None:
    """Django's "Delete selected" action, all or nothing: a refusal rolls every delete back."""
    try:
        with transaction.atomic(using=router.db_for_write(modeladmin.model)):
            return django_delete_selected(modeladmin, request, queryset)
    except CommerceError as error:
        modeladmin.message_user(request, describe(error), messages.ERROR)
        return None


_delete_selected_through_services.allowed_permissions = ("delete",)  # type: ignore[attr-defined]  # Django's admin reads this function attribute


class SoftDeleteAdminMixin:
    """Confirm soft deletes without walking relations: nothing related is deleted, so nothing is listed.

    Django's confirmation page would otherwise collect every related row (100,000 product links
    for a big channel) only to show them as "will be deleted", which they will not be.
    """

    def get_deleted_objects(self, objs: Any, request: HttpRequest):
        opts = self.opts  # type: ignore[attr-defined]  # an admin mixin: the ModelAdmin has it
        objs = list(objs)
        to_delete = []
        for obj in objs:
            url = object_url(self, "change", obj.pk)  # type: ignore[arg-type]  # an admin mixin: self is the ModelAdmin
            to_delete.append(
                format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)
            )
        perms_needed = (
            set() if self.has_delete_permission(request) else {opts.verbose_name}  # type: ignore[attr-defined]  # an admin mixin: the ModelAdmin has it
        )
        return to_delete, {opts.verbose_name_plural: len(objs)}, perms_needed, []


class ServiceDeleteMixin:
    """Deletes, of one row or of a "Delete selected" batch, through `delete_one`: a service call.

    A batch is deleted row by row in primary-key order (the order services lock rows in).
    """

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        raise NotImplementedError(
            f"{type(self).__name__} deletes through a service: define delete_one"
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        self.delete_one(request, obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            self.delete_one(request, pk)


class ReadOnlyAdminMixin:
    """View-only: no add, change or delete, whatever the user's permissions."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
