from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.serializers import PRODUCT_FIELDS, VARIANT_FIELDS
from catalog.models import Product, ProductVariant
from commerce.api.serializers import (
    ADDRESS_FIELDS,
    REGION_FIELDS,
    ContractModelSerializer,
    MediaUrlField,
    RateField,
    live_relation,
)
from commerce.models import Address, Region
from commerce.money import tax_amount
from customers.api.admin.serializers import AdminOrderCustomerSerializer
from orders.api.serializers import ORDER_FIELDS as ORDER_COLUMNS
from orders.api.serializers import ORDER_ITEM_FIELDS, PaymentSerializer
from orders.models import Order, OrderItem
from saleschannels.api.serializers import SalesChannelSerializer

# The order's columns but its address ids and idempotency key (Medusa's draft_order_id,
# no_notification, claims, discounts, fulfillments, gift cards, refunds, returns, shipping
# methods and swaps are not modelled).
ORDER_FIELDS = [
    name
    for name in ORDER_COLUMNS
    if name not in ("billing_address_id", "shipping_address_id", "idempotency_key")
]
# The totals we keep on the order (Medusa also computes discount, gift-card and refund totals).
ORDER_TOTALS = ["subtotal", "shipping_total", "tax_total", "total"]
ORDER_RELATIONS = [
    "billing_address",
    "customer",
    "items",
    "payments",
    "region",
    "sales_channel",
    "shipping_address",
]
ITEM_TOTALS = ["subtotal", "tax_total", "total"]


class RenderOncePerPageMixin:
    """Render each distinct row once per serializer (one request), then hand out copies.

    Every order of a page joins its region and channel, so a page of 50 orders holds the same
    two or three regions 50 times over. A row's rendering depends only on its columns, which
    are the same for one id within one query, so the first rendering of an id serves the rest
    (a shallow copy each, so no two places in the response share a dict).
    """

    def render_state_reset(self) -> None:
        """Forget this render's rows (a kept serializer tree, commerce.api.rendering.serialize)."""
        self.__dict__.pop("_rendered_by_pk", None)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        rendered = self.__dict__.setdefault("_rendered_by_pk", {})
        key = getattr(instance, "pk", None)
        if key is None:
            return super().to_representation(instance)  # type: ignore[misc]  # a mixin: the class it is mixed into has it
        hit = rendered.get(key)
        if hit is None:
            hit = rendered[key] = super().to_representation(instance)  # type: ignore[misc]  # a mixin: the class it is mixed into has it
        return dict(hit)


class AdminOrderRegionSerializer(RenderOncePerPageMixin, ContractModelSerializer):
    tax_rate = RateField()

    class Meta:
        model = Region
        fields = [name for name in REGION_FIELDS if name != "includes_tax"]


class AdminOrderAddressSerializer(ContractModelSerializer):
    class Meta:
        model = Address
        # The address columns, `company` first (as the admin order has always shown them).
        fields = [
            *ADDRESS_FIELDS[:3],
            "company",
            *(name for name in ADDRESS_FIELDS[3:] if name != "company"),
        ]


class AdminOrderSalesChannelSerializer(RenderOncePerPageMixin, SalesChannelSerializer):
    pass


class AdminOrderItemProductSerializer(ContractModelSerializer):
    collection_id = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS


class AdminOrderItemVariantSerializer(ContractModelSerializer):
    product_id = serializers.CharField(read_only=True)
    product = serializers.SerializerMethodField()

    class Meta:
        model = ProductVariant
        fields = [*VARIANT_FIELDS, "product"]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        relations = self.context.get("relations")
        if relations is not None and "items.variant.product" not in relations:
            fields.pop("product")
        return fields

    @extend_schema_field(AdminOrderItemProductSerializer())
    def get_product(self, variant: ProductVariant) -> dict[str, Any]:
        return self.nested(AdminOrderItemProductSerializer).to_representation(variant.product)


class AdminOrderItemSerializer(ContractModelSerializer):
    """An order line. Medusa's `description` is the variant title at the time of purchase."""

    order_id = serializers.CharField(read_only=True)
    description = serializers.CharField(source="variant_title", read_only=True)
    thumbnail = MediaUrlField()
    variant_id = serializers.CharField(read_only=True, allow_null=True)
    variant = serializers.SerializerMethodField()
    subtotal = serializers.SerializerMethodField()
    tax_total = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    class Meta:
        model = OrderItem
        fields = [*ORDER_ITEM_FIELDS, "variant", *ITEM_TOTALS]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        relations = self.context.get("relations")
        if relations is not None and "items.variant" not in relations:
            fields.pop("variant")
        if not self.context.get("item_totals", True):
            for name in ITEM_TOTALS:
                fields.pop(name)
        return fields

    @extend_schema_field(AdminOrderItemVariantSerializer(allow_null=True))
    def get_variant(self, item: OrderItem) -> dict[str, Any] | None:
        if item.variant is None:  # joined by the selector
            return None
        return self.nested(AdminOrderItemVariantSerializer).to_representation(item.variant)

    @extend_schema_field(OpenApiTypes.INT)
    def get_subtotal(self, item: OrderItem) -> int:
        return item.unit_price * item.quantity

    @extend_schema_field(OpenApiTypes.INT)
    def get_tax_total(self, item: OrderItem) -> int:
        # The order's rate, as at checkout; `item.order` is the prefetching order (no query).
        return tax_amount(
            amount=item.unit_price * item.quantity, rate_percent=item.order.tax_rate or 0
        )

    @extend_schema_field(OpenApiTypes.INT)
    def get_total(self, item: OrderItem) -> int:
        return self.get_subtotal(item) + self.get_tax_total(item)


class AdminOrderPaymentSerializer(PaymentSerializer):
    """Medusa's payment JSON (no swaps here: `swap_id` is always null)."""


class AdminOrderSerializer(ContractModelSerializer):
    cart_id = serializers.CharField(read_only=True, allow_null=True)
    region_id = serializers.CharField(read_only=True)
    sales_channel_id = serializers.CharField(read_only=True, allow_null=True)
    tax_rate = RateField(allow_null=True)
    billing_address = AdminOrderAddressSerializer(read_only=True, allow_null=True)
    customer = AdminOrderCustomerSerializer(read_only=True, allow_null=True)
    items = AdminOrderItemSerializer(many=True, read_only=True, source="loaded_items")
    payments = AdminOrderPaymentSerializer(many=True, read_only=True, source="loaded_payments")
    region = AdminOrderRegionSerializer(read_only=True)
    sales_channel = serializers.SerializerMethodField()
    shipping_address = AdminOrderAddressSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Order
        fields = [*ORDER_FIELDS, *ORDER_RELATIONS, *ORDER_TOTALS]
        relation_fields = ORDER_RELATIONS

    get_sales_channel = live_relation("sales_channel", AdminOrderSalesChannelSerializer)
