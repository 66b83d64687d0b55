"""Admin for the kernel: staff users, their API tokens, regions and shipping options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest

from commerce import services
from commerce.admin_base import (
    PermissionAdminMixin,
    ServiceAdmin,
    ServiceDeleteMixin,
    SoftDeleteAdminMixin,
    adopt,
    money,
)
from commerce.models import ApiToken, Currency, PaymentProvider, Region, ShippingOption, User

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec

admin.site.site_header = "Commerce administration"
admin.site.site_title = "Commerce admin"
admin.site.index_title = "Merchant screens"


# ---- USERS ----


class EmailLoginMixin:
    """Store emails lower-cased, as `UserManager.create_user` does, so the login matches."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()  # type: ignore[attr-defined]  # a form mixin: the form has it
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:  # type: ignore[attr-defined]  # a form mixin: the form has it
            others = others.exclude(pk=self.instance.pk)  # type: ignore[attr-defined]  # a form mixin: the form has it
        if others.exists():
            raise forms.ValidationError("A user with that email address already exists.")
        return email


class UserCreationForm(EmailLoginMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(EmailLoginMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(PermissionAdminMixin, DjangoUserAdmin):
    """Django's user admin, with the email address as the login (there is no username)."""

    form = UserEditForm
    add_form = UserCreationForm
    fieldsets: ClassVar[_FieldsetSpec] = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Important dates", {"fields": ("last_login", "created_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "created_at")
    list_display: tuple[str, ...] = (
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
        "created_at",
    )
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Granting permissions is a superuser's job here; the users API grants roles only
            # to users who hold them (commerce.services.user_update).
            readonly = (*readonly, "is_superuser", "groups", "user_permissions")
        return readonly


# ---- ADMIN API TOKENS ----


class ApiTokenCreateForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("user", "name")
        help_texts = {"user": "An active staff user. The token acts with this user's permissions."}


@admin.register(ApiToken)
class ApiTokenAdmin(ServiceDeleteMixin, ServiceAdmin):
    """Issue admin API tokens (`x-medusa-access-token`). The raw token is shown once, on creation."""

    form = ApiTokenCreateForm
    list_display = ("hint_display", "name", "user", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__email", "hint")
    autocomplete_fields = ("user",)
    readonly_fields = ("hint_display", "user", "name", "created_at", "last_used_at")
    ordering = ("-created_at", "-id")
    list_per_page = 50

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        if obj is None:
            return ("user", "name")
        return ("hint_display", "name", "user", "created_at", "last_used_at")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a token is issued or revoked, never edited

    @admin.display(description="token", ordering="hint")
    def hint_display(self, obj: ApiToken) -> str:
        return f"{obj.hint}…"

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        issued = services.api_token_create(
            user=form.cleaned_data["user"], name=form.cleaned_data.get("name") or ""
        )
        adopt(obj, issued.token)
        self.message_user(
            request,
            f"Copy this token now, it will not be shown again: {issued.raw}",
            messages.WARNING,
        )

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.api_token_revoke(token_id=pk)


# ---- REGIONS AND SHIPPING ----


def _currency_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code.upper()} — {c.name}") for c in Currency.objects.order_by("code")]


class CountriesField(forms.CharField):
    """ISO 3166-1 alpha-2 codes typed as "us, ca"; stored as a list of lower-case codes."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # the codes, not the text
        text = super().to_python(value) or ""
        codes = [part.strip().lower() for part in text.replace(";", ",").split(",") if part.strip()]
        bad = [code for code in codes if len(code) != 2 or not code.isalpha()]
        if bad:
            raise forms.ValidationError(f"Not a two-letter country code: {', '.join(bad)}")
        return codes


class RegionForm(forms.ModelForm):
    currency_code = forms.ChoiceField(choices=_currency_choices)
    countries = CountriesField(required=False, help_text="Two-letter codes, comma separated.")
    payment_providers = forms.ModelMultipleChoiceField(
        queryset=PaymentProvider.objects.filter(is_installed=True).order_by("id"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None selected means the built-in manual provider.",
    )

    class Meta:
        model = Region
        fields = ("name", "currency_code", "tax_rate", "tax_code", "countries", "payment_providers")


@admin.register(Region)
class RegionAdmin(SoftDeleteAdminMixin, ServiceDeleteMixin, ServiceAdmin):
    form = RegionForm
    list_display = ("name", "currency", "tax_rate", "countries_display", "created_at")
    list_filter = ("currency_code",)
    search_fields = ("name", "=id")
    ordering = ("name", "id")
    list_per_page = 50

    @admin.display(description="currency", ordering="currency_code")
    def currency(self, obj: Region) -> str:
        return obj.currency_code.upper()

    @admin.display(description="countries")
    def countries_display(self, obj: Region) -> str:
        return ", ".join(code.upper() for code in obj.countries or []) or "—"

    def save_model(self, request: HttpRequest, obj: Region, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {name: data[name] for name in ("name", "currency_code", "tax_rate", "countries")}
        fields["payment_providers"] = [p.pk for p in data["payment_providers"]] or None
        if change:
            saved = services.region_update(region=obj, tax_code=data.get("tax_code"), **fields)
        else:
            saved = services.region_create(tax_code=data.get("tax_code") or None, **fields)
        adopt(obj, saved)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # payment providers were set by the service

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.region_delete(region_id=pk)


class ShippingOptionForm(forms.ModelForm):
    class Meta:
        model = ShippingOption
        fields = ("region", "name", "amount", "is_return", "admin_only")
        help_texts = {"amount": "Minor units of the region's currency (1000 = 10.00)."}


@admin.register(ShippingOption)
class ShippingOptionAdmin(SoftDeleteAdminMixin, ServiceDeleteMixin, ServiceAdmin):
    form = ShippingOptionForm
    list_display = ("name", "region", "price", "is_return", "admin_only")
    list_select_related = ("region",)
    list_filter = ("is_return", "admin_only")
    search_fields = ("name", "region__name")
    ordering = ("region__name", "name", "id")
    list_per_page = 50

    def get_readonly_fields(self, request: HttpRequest, obj: ShippingOption | None = None):
        return ("region",) if obj is not None else ()

    @admin.display(description="price", ordering="amount")
    def price(self, obj: ShippingOption) -> str:
        return money(obj.amount, obj.region.currency_code)

    def save_model(
        self, request: HttpRequest, obj: ShippingOption, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        fields = {name: data[name] for name in ("name", "amount", "is_return", "admin_only")}
        if change:
            saved = services.shipping_option_update(option=obj, **fields)
        else:
            saved = services.shipping_option_create(region=data["region"], **fields)
        adopt(obj, saved)

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.shipping_option_delete(option_id=pk)
