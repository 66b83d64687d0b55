"""Admin for orders (read-only) and the order side of the sales-channel screens.

Orders are snapshots: the admin shows them and never edits totals. A channel deleted later —
soft-deleted, or its row gone altogether — still shows by name or by id, never as an error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from commerce.admin_base import ADMIN_CSS, PermissionAdminMixin, ReadOnlyAdminMixin, money
from inventory import admin as inventory_admin
from orders.dashboard import SPARK_HEIGHT, SPARK_WIDTH, channel_overview
from orders.models import Order, OrderItem, Payment
from saleschannels.admin import ChannelScopedAdminMixin, SalesChannelFilter, channel_label
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
class OrderAdmin(
    ChannelScopedAdminMixin, ReadOnlyAdminMixin, PermissionAdminMixin, admin.ModelAdmin
):
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
    list_select_related = ("sales_channel", "region")
    list_filter = (SalesChannelFilter, "status", "payment_status", "fulfillment_status")
    date_hierarchy = "created_at"
    search_fields = ("email", "=display_id", "=id")
    ordering = ("-created_at", "-id")
    list_per_page = 50
    show_full_result_count = False  # 200,000 rows: skip the second, unfiltered COUNT(*)
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

    class Media:
        css = {"all": (ADMIN_CSS,)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        # The channel is joined (not lazily loaded) so that a hard-deleted one reads as None.
        return super().get_queryset(request).select_related("sales_channel", "region")

    @admin.display(description="order", ordering="display_id")
    def display(self, obj: Order) -> str:
        return f"#{obj.display_id}"

    @admin.display(description="sales channel", ordering="sales_channel__name")
    def channel(self, obj: Order) -> str:
        return channel_label(obj)

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


class SalesChannelAdmin(inventory_admin.SalesChannelAdmin):
    """The channel admin with its orders.

    An order count column, and above the list an overview of orders and revenue per channel
    over the last 30 days (one aggregate query).
    """

    list_display = (
        "name_display",
        "status",
        "product_count",
        "order_count",
        "description",
        "created_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[SalesChannel]:
        return super().get_queryset(request).annotate(order_count=order_count_subquery())

    @admin.display(description="orders", ordering="order_count")
    def order_count(self, obj: SalesChannel) -> str:
        url = reverse("admin:orders_order_changelist", current_app=self.admin_site.name)
        return format_html(
            '<a href="{}?{}">{}</a>',
            url,
            urlencode({SalesChannelFilter.parameter_name: obj.pk}),
            f"{obj.order_count:,}",
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method != "GET":  # actions redirect; only the list page draws the chart
            return super().changelist_view(request, extra_context)
        extra_context = {
            **(extra_context or {}),
            "channel_overview": channel_overview(days=30, scope=staff_scope(request.user)),
            "spark_width": SPARK_WIDTH,
            "spark_height": SPARK_HEIGHT,
            "orders_changelist_url": reverse(
                "admin:orders_order_changelist", current_app=self.admin_site.name
            ),
        }
        return super().changelist_view(request, extra_context)


admin.site.unregister(SalesChannel)
admin.site.register(SalesChannel, SalesChannelAdmin)
