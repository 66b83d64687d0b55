"""Admin for orders (read-only) and the order side of the sales-channel screens.

Orders are snapshots: the admin shows them and never edits totals. A channel deleted later —
soft-deleted, or its row gone altogether — still shows by name or by id, never as an error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse

from commerce.admin_base import ReadOnlyAdminMixin, money
from orders.dashboard import SPARK_HEIGHT, SPARK_WIDTH, channel_overview
from orders.models import Order, OrderItem, Payment
from saleschannels.admin import (
    ChannelAdminPart,
    ChannelRecordAdmin,
    SalesChannelFilter,
    channel_admin_part,
)
from saleschannels.models import SalesChannel
from saleschannels.scope import staff_scope


class OrderItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OrderItem
    extra = 0
    fields = ("title", "variant_title", "sku", "quantity", "unit_price_display", "total_display")
    readonly_fields = fields
    ordering = ("created_at", "id")

    @admin.display(description="unit price")
    def unit_price_display(self, obj: OrderItem) -> str:
        return money(obj.unit_price, obj.order.currency_code)

    @admin.display(description="total")
    def total_display(self, obj: OrderItem) -> str:
        return money(obj.total, obj.order.currency_code)

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderItem]:
        return super().get_queryset(request).select_related("order")


class PaymentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The order's payment, made at completion from the cart's selected payment session."""

    model = Payment
    extra = 0
    fields = (
        "id",
        "provider",
        "amount_display",
        "data",
        "captured_at",
        "canceled_at",
        "created_at",
    )
    readonly_fields = fields
    ordering = ("created_at", "id")

    @admin.display(description="amount")
    def amount_display(self, obj: Payment) -> str:
        return money(obj.amount, obj.currency_code)


@admin.register(Order)
class OrderAdmin(ChannelRecordAdmin):
    list_display = (
        "display",
        "email",
        "channel",
        "status",
        "payment_status",
        "total_display",
        "created_at",
    )
    list_display_links = ("display",)
    list_filter = (SalesChannelFilter, "status", "payment_status", "fulfillment_status")
    date_hierarchy = "created_at"
    search_fields = ("email", "=display_id", "=id")
    inlines = (OrderItemInline, PaymentInline)
    fields = (
        "display",
        "id",
        "email",
        "customer",
        "channel",
        "region",
        "status",
        "payment_status",
        "fulfillment_status",
        "shipping_option_name",
        "subtotal_display",
        "shipping_total_display",
        "tax_total_display",
        "total_display",
        "shipping_address",
        "billing_address",
        "cart",
        "created_at",
        "canceled_at",
    )
    readonly_fields = fields

    @admin.display(description="order", ordering="display_id")
    def display(self, obj: Order) -> str:
        return f"#{obj.display_id}"

    @admin.display(description="total", ordering="total")
    def total_display(self, obj: Order) -> str:
        return money(obj.total, obj.currency_code)

    @admin.display(description="subtotal")
    def subtotal_display(self, obj: Order) -> str:
        return money(obj.subtotal, obj.currency_code)

    @admin.display(description="shipping")
    def shipping_total_display(self, obj: Order) -> str:
        return money(obj.shipping_total, obj.currency_code)

    @admin.display(description="tax")
    def tax_total_display(self, obj: Order) -> str:
        return money(obj.tax_total, obj.currency_code)


# ---- THE ORDER SIDE OF THE SALES-CHANNEL SCREENS ----


def order_count_subquery() -> Coalesce:
    """Orders per channel, counted in a correlated subquery (uses the channel/created index)."""
    # COUNT(*), not COUNT(id): an index-only scan of (sales_channel, created_at) answers it.
    counts = (
        Order.objects.filter(sales_channel_id=OuterRef("pk"))
        .order_by()
        .values("sales_channel_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@channel_admin_part
class ChannelOrdersPart(ChannelAdminPart):
    """The channel admin's orders.

    An order count column, and above the list an overview of orders and revenue per channel
    over the last 30 days (one aggregate query).
    """

    columns = ("order_count",)

    def annotate(self, queryset: QuerySet[SalesChannel]) -> QuerySet[SalesChannel]:
        return queryset.annotate(order_count=order_count_subquery())

    @admin.display(description="orders", ordering="order_count")
    def order_count(self, obj: SalesChannel) -> str:
        return self.count_link("orders_order_changelist", SalesChannelFilter, obj, "order_count")

    def changelist_context(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "channel_overview": channel_overview(days=30, scope=staff_scope(request.user)),
            "spark_width": SPARK_WIDTH,
            "spark_height": SPARK_HEIGHT,
            "orders_changelist_url": reverse(
                "admin:orders_order_changelist", current_app=self.admin_site.name
            ),
        }
