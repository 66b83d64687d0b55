"""Store order output: the order a storefront shows after checkout."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carts.api.store.serializers import (
    TOTAL_FIELDS,
    CodeSerializer,
    LineTotalsMixin,
    ShippingMethodSerializer,
)
from catalog.api.store.serializers import VariantSummarySerializer
from commerce.api.serializers import (
    AddressSerializer,
    ContractModelSerializer,
    MediaUrlField,
    RateField,
    RegionSummarySerializer,
    live_relation,
)
from commerce.money import tax_amount
from customers.api.store.serializers import CustomerSummarySerializer
from orders.api.serializers import ORDER_FIELDS, ORDER_ITEM_FIELDS, PaymentSerializer
from orders.models import Order, OrderItem
from saleschannels.api.serializers import SalesChannelSerializer

ORDER_TOTALS = [
    "subtotal",
    "discount_total",
    "shipping_total",
    "tax_total",
    "gift_card_total",
    "gift_card_tax_total",
    "total",
]
# Discounts and gift cards are always empty lists.
ORDER_RELATIONS = [
    "billing_address",
    "shipping_address",
    "items",
    "region",
    "shipping_methods",
    "sales_channel",
    "payments",
    "discounts",
    "gift_cards",
    "customer",
]


class OrderItemSerializer(LineTotalsMixin, ContractModelSerializer):
    description = serializers.CharField(source="variant_title", read_only=True)
    thumbnail = MediaUrlField()
    variant = VariantSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = OrderItem
        fields = [*ORDER_ITEM_FIELDS, "variant", *TOTAL_FIELDS]


class OrderSerializer(ContractModelSerializer):
    """A store order. `sales_channel_id` is always there; `sales_channel` only when expanded.

    Item and shipping taxes use the rate the order was placed at, as the cart totals did.
    """

    object = serializers.SerializerMethodField()
    tax_rate = RateField()
    discount_total = serializers.SerializerMethodField()
    billing_address = AddressSerializer(read_only=True, allow_null=True)
    shipping_address = AddressSerializer(read_only=True, allow_null=True)
    items = OrderItemSerializer(many=True, read_only=True)
    region = RegionSummarySerializer(read_only=True)
    shipping_methods = serializers.SerializerMethodField()
    sales_channel = serializers.SerializerMethodField()
    payments = PaymentSerializer(many=True, read_only=True)
    discounts = serializers.SerializerMethodField()
    gift_cards = serializers.SerializerMethodField()
    gift_card_total = serializers.SerializerMethodField()
    gift_card_tax_total = serializers.SerializerMethodField()
    customer = CustomerSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Order
        fields = ["object", *ORDER_FIELDS, *ORDER_TOTALS, *ORDER_RELATIONS]
        relation_fields = ORDER_RELATIONS

    def to_representation(self, order: Order) -> dict[str, Any]:
        rate = order.tax_rate or 0
        if "items" in self.fields:
            for item in order.items.all():
                item._subtotal = item.unit_price * item.quantity  # type: ignore[attr-defined]  # computed once, read by the fields below
                item._tax_total = tax_amount(amount=item._subtotal, rate_percent=rate)  # type: ignore[attr-defined]  # computed once, read by the fields below
        return super().to_representation(order)

    def get_object(self, order: Order) -> str:
        return "order"

    def get_discount_total(self, order: Order) -> int:
        return 0  # there are no discounts here

    def get_gift_card_total(self, order: Order) -> int:
        return 0  # nor gift cards

    def get_gift_card_tax_total(self, order: Order) -> int:
        return 0

    @extend_schema_field(CodeSerializer(many=True))
    def get_discounts(self, order: Order) -> list[dict[str, Any]]:
        return []

    @extend_schema_field(CodeSerializer(many=True))
    def get_gift_cards(self, order: Order) -> list[dict[str, Any]]:
        return []

    @extend_schema_field(ShippingMethodSerializer(many=True))
    def get_shipping_methods(self, order: Order) -> list[dict[str, Any]]:
        cart = order.cart
        if cart is None:
            return []
        methods = list(cart.shipping_methods.all())
        for method in methods:
            method._subtotal = method.price  # type: ignore[attr-defined]  # computed once, read by the fields below
            method._tax_total = tax_amount(amount=method.price, rate_percent=order.tax_rate or 0)  # type: ignore[attr-defined]  # computed once, read by the fields below
        return ShippingMethodSerializer(methods, many=True).data  # type: ignore[return-value]  # many=True: the stubs say ReturnDict, it is a ReturnList

    get_sales_channel = live_relation("sales_channel", SalesChannelSerializer)


_NOT_A_NUMBER = "must be a number conforming to the specified constraints"


class OrderLookupQuerySerializer(serializers.Serializer):
    """The query of `GET /store/orders`: both parts are required (Medusa's validator words)."""

    display_id = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages=dict.fromkeys(
            ["invalid", "required", "null", "min_value", "max_value", "max_string_length"],
            _NOT_A_NUMBER,
        ),
    )
    email = serializers.EmailField(
        max_length=254,
        error_messages=dict.fromkeys(
            ["invalid", "required", "null", "blank", "max_length"], "must be an email"
        ),
    )
