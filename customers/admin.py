"""Customer screens: accounts and guests, their addresses, and their orders per sales channel.

Every write goes through `customers.services`; deletes are soft.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join

from commerce.admin_base import (
    OptionalJSONField,
    ServiceAdmin,
    ServiceDeleteMixin,
    SoftDeleteAdminMixin,
    adopt,
    money,
)
from customers import selectors, services
from customers.models import Customer
from saleschannels.admin import ChannelScopedAdminMixin
from saleschannels.scope import staff_scope


class CustomerForm(forms.ModelForm):
    new_password = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Required for a new account. On an existing customer, leave empty to keep it.",
    )
    metadata = OptionalJSONField(required=False)

    class Meta:
        model = Customer
        fields = ("email", "first_name", "last_name", "phone", "metadata")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance._state.adding and not data.get("new_password"):
            self.add_error("new_password", "A new account needs a password.")
        return data


@admin.register(Customer)
class CustomerAdmin(
    ChannelScopedAdminMixin, SoftDeleteAdminMixin, ServiceDeleteMixin, ServiceAdmin
):
    """Customers; a user scoped to channels sees only some of them.

    Those with an order or a cart in one of their channels, with only those channels' orders;
    they may add a customer (accounts are shared by every channel).
    """

    form = CustomerForm
    list_display = ("email", "first_name", "last_name", "has_account", "created_at")
    list_filter = ("has_account",)
    search_fields = ("email", "first_name", "last_name", "=id")
    ordering = ("-created_at", "-id")
    list_per_page = 50
    readonly_fields = (
        "id",
        "has_account",
        "billing_address",
        "saved_addresses",
        "orders_per_channel",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("id", "email", "new_password", "has_account")}),
        ("Profile", {"fields": ("first_name", "last_name", "phone", "metadata")}),
        ("Addresses", {"fields": ("billing_address", "saved_addresses")}),
        ("Orders", {"fields": ("orders_per_channel",)}),
        ("Dates", {"fields": ("created_at", "updated_at")}),
    )

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        customer = super().get_object(request, object_id, from_field)
        if customer is not None:
            customer._viewer_scope = staff_scope(request.user)
        return customer

    def get_fieldsets(self, request: HttpRequest, obj: Customer | None = None):
        if obj is None:
            return ((None, {"fields": ("email", "new_password")}), self.fieldsets[1])
        return self.fieldsets

    @admin.display(description="saved addresses")
    def saved_addresses(self, obj: Customer) -> str:
        addresses = obj.shipping_addresses.order_by("created_at", "id")
        return format_html_join("", "<div>{}</div>", ((str(a),) for a in addresses)) or "—"

    @admin.display(description="orders per sales channel")
    def orders_per_channel(self, obj: Customer) -> str:
        # the viewer's scope, set by get_object (a read-only field gets no request)
        scope = getattr(obj, "_viewer_scope", None)
        if scope is None:
            return "—"
        rows = selectors.customer_orders_by_channel(customer_id=obj.pk, scope=scope)
        return (
            format_html_join(
                "",
                "<div>{}: {} order(s), {}</div>",
                (
                    (
                        row.sales_channel_name or row.sales_channel_id or "no channel",
                        row.count,
                        money(row.total, row.currency_code),
                    )
                    for row in rows
                ),
            )
            or "—"
        )

    def save_model(self, request: HttpRequest, obj: Customer, form: Any, change: bool) -> None:
        data = form.cleaned_data
        profile = {name: data.get(name) for name in ("first_name", "last_name", "phone")}
        if change:
            changes: dict[str, Any] = {
                **profile,
                "email": data["email"],
                "metadata": data.get("metadata"),
            }
            if data.get("new_password"):
                changes["password"] = data["new_password"]
            saved = services.customer_update(customer_id=obj.pk, **changes)
        else:
            saved = services.customer_create(
                email=data["email"],
                password=data["new_password"],
                metadata=data.get("metadata"),
                **profile,
            )
        adopt(obj, saved)

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.customer_delete(customer_id=pk)
