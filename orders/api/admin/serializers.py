from decimal import Decimal
from functools import cached_property
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.admin.serializers import PRODUCT_FIELDS, VARIANT_FIELDS
from catalog.models import Product, ProductVariant
from commerce.api.serializers import ContractModelSerializer, MediaUrlField
from commerce.models import Address, Region
from commerce.money import tax_amount
from commerce.services import ADDRESS_FIELDS
from customers.api.admin.serializers import AdminOrderCustomerSerializer
from orders.models import Order, OrderItem, Payment
from saleschannels.api.admin.serializers import SALES_CHANNEL_FIELDS
from saleschannels.models import SalesChannel

# Medusa's order columns that we model. Not modelled, so left out:
# draft_order_id, no_notification, claims, discounts, fulfillments, gift_cards,
# gift_card_transactions, payments, refunds, returns, shipping_methods, swaps.
ORDER_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "status",
    "fulfillment_status",
    "payment_status",
    "display_id",
    "cart_id",
    "customer_id",
    "email",
    "region_id",
    "currency_code",
    "tax_rate",
    "canceled_at",
    "metadata",
    "sales_channel_id",
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


def _nested(context: dict[str, Any]) -> dict[str, Any]:
    """Context for a relation rendered by hand: `fields` applies to the top-level object only."""
    return {**context, "fields": None}


@extend_schema_field(OpenApiTypes.NUMBER)
class RateField(serializers.Field):
    """A percentage as a JSON number (`0`, `12.5`), as Medusa prints rates."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Decimal) -> int | float:
        return int(value) if value == value.to_integral_value() else float(value)


class RenderOncePerPageMixin:
    """Render each distinct row once per serializer (one request), then hand out copies.

    Every order of a page joins its region and channel, so a page of 50 orders holds the same
    two or three regions 50 times over. A row's rendering depends only on its columns, which
    are the same for one id within one query, so the first rendering of an id serves the rest
    (a shallow copy each, so no two places in the response share a dict).
    """

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
        fields = [
            "id",
            "created_at",
            "updated_at",
            "deleted_at",
            "name",
            "currency_code",
            "tax_rate",
            "tax_code",
            "automatic_taxes",
            "metadata",
        ]
        read_only_fields = fields


class AdminOrderAddressSerializer(ContractModelSerializer):
    class Meta:
        model = Address
        # An address's fields (commerce.services), the company first here, as Medusa's admin shows.
        fields = [
            "id",
            "created_at",
            "updated_at",
            "company",
            *(name for name in ADDRESS_FIELDS if name != "company"),
        ]
        read_only_fields = fields


class AdminOrderSalesChannelSerializer(RenderOncePerPageMixin, ContractModelSerializer):
    class Meta:
        model = SalesChannel
        fields = SALES_CHANNEL_FIELDS
        read_only_fields = fields


class AdminOrderItemProductSerializer(ContractModelSerializer):
    collection_id = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        read_only_fields = fields


class AdminOrderItemVariantSerializer(ContractModelSerializer):
    product_id = serializers.CharField(read_only=True)
    product = serializers.SerializerMethodField()

    class Meta:
        model = ProductVariant
        fields = [*VARIANT_FIELDS, "product"]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        relations = self.context.get("relations")
        if relations is not None and "items.variant.product" not in relations:
            fields.pop("product")
        return fields

    @extend_schema_field(AdminOrderItemProductSerializer())
    def get_product(self, variant: ProductVariant) -> dict[str, Any]:
        return self._product_serializer.to_representation(variant.product)

    @cached_property
    def _product_serializer(self) -> AdminOrderItemProductSerializer:
        # One serializer for every row of a page: building one per row cost more than the rows.
        return AdminOrderItemProductSerializer(context=_nested(self.context))


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
        fields = [
            "id",
            "created_at",
            "updated_at",
            "order_id",
            "title",
            "description",
            "thumbnail",
            "unit_price",
            "variant_id",
            "quantity",
            "metadata",
            "variant",
            *ITEM_TOTALS,
        ]
        read_only_fields = fields

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
        return self._variant_serializer.to_representation(item.variant)

    @cached_property
    def _variant_serializer(self) -> AdminOrderItemVariantSerializer:
        # One serializer for every row of a page: building one per row cost more than the rows.
        return AdminOrderItemVariantSerializer(context=_nested(self.context))

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


class AdminOrderPaymentSerializer(ContractModelSerializer):
    """Medusa's payment JSON (no swaps here: `swap_id` is always null)."""

    swap_id = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "created_at",
            "updated_at",
            "swap_id",
            "cart_id",
            "order_id",
            "amount",
            "currency_code",
            "amount_refunded",
            "provider_id",
            "data",
            "captured_at",
            "canceled_at",
            "metadata",
            "idempotency_key",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_swap_id(self, payment: Payment) -> None:
        return None


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
        read_only_fields = fields
        relation_fields = ORDER_RELATIONS

    @extend_schema_field(AdminOrderSalesChannelSerializer(allow_null=True))
    def get_sales_channel(self, order: Order) -> dict[str, Any] | None:
        # Joined through the base manager: a soft-deleted channel is still loaded, and shows as
        # null while `sales_channel_id` keeps its id (Medusa, exchange 91).
        channel = order.sales_channel
        if channel is None or channel.deleted_at is not None:
            return None
        return self._sales_channel_serializer.to_representation(channel)

    @cached_property
    def _sales_channel_serializer(self) -> AdminOrderSalesChannelSerializer:
        # One serializer for every row of a page: building one per row cost more than the rows.
        return AdminOrderSalesChannelSerializer(context=_nested(self.context))
