"""Admin for carts: read-only. Carts change only through the store API and its services.

Nothing here can add a line item: the cart page is view-only and so is its items inline, so
the channel rules of `carts.services` cannot be bypassed from the admin.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from carts.models import Cart, LineItem
from commerce.admin_base import (
    ReadOnlyAdminMixin,
    TwoStateFilter,
    money,
)
from saleschannels.admin import ChannelRecordAdmin, SalesChannelFilter


class CompletedFilter(TwoStateFilter):
    title, lookup = "state", "completed_at__isnull"
    states = (("open", "Open", True), ("completed", "Completed", False))


class LineItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = LineItem
    extra = 0
    fields = ("title", "description", "variant", "quantity", "unit_price_display")
    readonly_fields = fields
    ordering = ("created_at", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[LineItem]:
        return super().get_queryset(request).select_related("cart__region", "variant")

    @admin.display(description="unit price")
    def unit_price_display(self, obj: LineItem) -> str:
        return money(obj.unit_price, obj.cart.region.currency_code)


@admin.register(Cart)
class CartAdmin(ChannelRecordAdmin):
    list_display = ("id", "email", "channel", "region", "created_at", "completed_at")
    list_filter = (SalesChannelFilter, CompletedFilter)
    search_fields = ("=id", "email")
    inlines = (LineItemInline,)
    fields = (
        "id",
        "email",
        "channel",
        "region",
        "type",
        "shipping_address",
        "billing_address",
        "created_at",
        "completed_at",
        "payment_authorized_at",
    )
    readonly_fields = fields
