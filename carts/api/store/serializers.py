"""Store cart input and output. Totals are integers in minor units from `cart_totals`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carts.models import Cart, LineItem, PaymentSession, ShippingMethod
from carts.selectors import cart_totals
from carts.services import MAX_LINE_QUANTITY
from catalog.api.store.serializers import VariantWithProductSerializer
from commerce import flags
from commerce.api.serializers import (
    AddressSerializer,
    ContractModelSerializer,
    MediaUrlField,
    MetadataField,
    ObjectListField,
    RegionSerializer,
    StrictCharField,
    StrictInputSerializer,
    StrictIntegerField,
)
from commerce.api.store.serializers import (
    AddressInputSerializer,
    EmailInputField,
    ShippingOptionSerializer,
)
from commerce.money import tax_amount
from saleschannels.api.serializers import SalesChannelSerializer

# ---- INPUT ----


class QuantityField(StrictIntegerField):
    default_error_messages = {
        **StrictIntegerField.default_error_messages,
        "min_value": "must be a positive integer",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_LINE_QUANTITY)
        super().__init__(**kwargs)


class LineItemCreateInputSerializer(StrictInputSerializer):
    variant_id = StrictCharField(max_length=64)
    quantity = QuantityField()


class LineItemUpdateInputSerializer(StrictInputSerializer):
    quantity = QuantityField(
        min_value=0,
        error_messages={"min_value": "must be a positive integer, or 0 to remove the line"},
    )


class ChannelFlaggedInputSerializer(StrictInputSerializer):
    """Without the sales channels feature, `sales_channel_id` is an unknown property (design §6)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if not flags.sales_channels_enabled():
            fields.pop("sales_channel_id", None)
        return fields


class CartCreateInputSerializer(ChannelFlaggedInputSerializer):
    region_id = StrictCharField(required=False, max_length=64)
    sales_channel_id = StrictCharField(required=False, allow_null=True, max_length=64)
    email = EmailInputField(required=False, allow_null=True)
    country_code = StrictCharField(required=False, max_length=2)
    items = serializers.ListField(
        child=LineItemCreateInputSerializer(),
        required=False,
        max_length=100,
        error_messages={"not_a_list": "must be an array"},
    )
    context = MetadataField(required=False, allow_null=True)  # type: ignore[assignment]  # a body field, not the Serializer attribute


class CodeInputSerializer(StrictInputSerializer):
    """`{"code": "..."}`: a discount or gift card code, as Medusa's cart update takes them."""

    code = StrictCharField(max_length=255)


class CodeListField(ObjectListField):
    """A list of `{code}` objects, returned as the list of codes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", CodeInputSerializer())
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        return [row["code"] for row in super().to_internal_value(data)]


class CartUpdateInputSerializer(ChannelFlaggedInputSerializer):
    region_id = StrictCharField(required=False, max_length=64)
    sales_channel_id = StrictCharField(required=False, max_length=64)
    email = EmailInputField(required=False, allow_null=True)
    shipping_address = AddressInputSerializer(required=False, allow_null=True)
    billing_address = AddressInputSerializer(required=False, allow_null=True)
    context = MetadataField(required=False, allow_null=True)  # type: ignore[assignment]  # a body field, not the Serializer attribute
    metadata = MetadataField(required=False, allow_null=True)
    discounts = CodeListField(required=False)
    gift_cards = CodeListField(required=False)


class ShippingMethodInputSerializer(StrictInputSerializer):
    option_id = StrictCharField(max_length=64)
    data = MetadataField(required=False, allow_null=True)  # type: ignore[assignment]  # a body field, not the Serializer attribute


class PaymentSessionSelectInputSerializer(StrictInputSerializer):
    provider_id = StrictCharField(max_length=50)


# ---- OUTPUT ----


class PaymentSessionSerializer(ContractModelSerializer):
    class Meta:
        model = PaymentSession
        fields = [
            "id",
            "created_at",
            "updated_at",
            "cart_id",
            "provider_id",
            "is_selected",
            "is_initiated",
            "status",
            "data",
            "idempotency_key",
            "amount",
        ]
        read_only_fields = fields


class LineTotalsMixin(serializers.Serializer):
    """Totals of one line or shipping method; the cart serializer sets `_subtotal`/`_tax_total`."""

    subtotal = serializers.IntegerField(source="_subtotal", read_only=True)
    discount_total = serializers.SerializerMethodField()
    tax_total = serializers.IntegerField(source="_tax_total", read_only=True)
    total = serializers.SerializerMethodField()
    # No discounts here: the original figures are the figures.
    original_total = serializers.SerializerMethodField(method_name="get_total")
    original_tax_total = serializers.IntegerField(source="_tax_total", read_only=True)

    def get_discount_total(self, row: Any) -> int:
        return 0  # there are no discounts here

    def get_total(self, row: Any) -> int:
        return row._subtotal + row._tax_total


TOTAL_FIELDS = [
    "subtotal",
    "discount_total",
    "tax_total",
    "total",
    "original_total",
    "original_tax_total",
]


class LineItemSerializer(LineTotalsMixin, ContractModelSerializer):
    thumbnail = (
        MediaUrlField()
    )  # the product picture copied onto the line: absolute, as on products
    variant = VariantWithProductSerializer(read_only=True, allow_null=True)

    class Meta:
        model = LineItem
        fields = [
            "id",
            "created_at",
            "updated_at",
            "cart_id",
            "title",
            "description",
            "thumbnail",
            "should_merge",
            "unit_price",
            "variant_id",
            "quantity",
            "metadata",
            "variant",
            *TOTAL_FIELDS,
        ]
        read_only_fields = fields


class ShippingMethodSerializer(LineTotalsMixin, ContractModelSerializer):
    shipping_option = ShippingOptionSerializer(read_only=True)

    class Meta:
        model = ShippingMethod
        fields = [
            "id",
            "shipping_option_id",
            "cart_id",
            "price",
            "data",
            "shipping_option",
            *TOTAL_FIELDS,
        ]
        read_only_fields = fields


CART_FIELDS = [
    "object",
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "email",
    "billing_address_id",
    "shipping_address_id",
    "region_id",
    "customer_id",
    "type",
    "completed_at",
    "payment_authorized_at",
    "idempotency_key",
    "context",
    "metadata",
    "sales_channel_id",
    "billing_address",
    "shipping_address",
    "items",
    "region",
    "sales_channel",
    "shipping_methods",
    "payment_sessions",
    "payment_session",
    "discounts",
    "gift_cards",
    "subtotal",
    "discount_total",
    "item_tax_total",
    "shipping_total",
    "shipping_tax_total",
    "tax_total",
    "gift_card_total",
    "gift_card_tax_total",
    "total",
]


class CodeSerializer(serializers.Serializer):
    """A discount or gift card applied to a cart or an order (none exist yet: always empty)."""

    id = serializers.CharField()
    code = serializers.CharField()


class CartSerializer(ContractModelSerializer):
    """A store cart with what it contains and its totals. Expects `cart_qs_for_store` loading."""

    # (or a cart a service has just written, completed by `cart_loaded_for_store`)

    object = serializers.SerializerMethodField()
    billing_address = AddressSerializer(read_only=True, allow_null=True)
    shipping_address = AddressSerializer(read_only=True, allow_null=True)
    items = LineItemSerializer(many=True, read_only=True, source="loaded_items")
    region = RegionSerializer(read_only=True)
    sales_channel = serializers.SerializerMethodField()
    shipping_methods = ShippingMethodSerializer(
        many=True, read_only=True, source="loaded_shipping_methods"
    )
    payment_sessions = PaymentSessionSerializer(
        many=True, read_only=True, source="loaded_payment_sessions"
    )
    payment_session = serializers.SerializerMethodField()
    discounts = serializers.SerializerMethodField()
    gift_cards = serializers.SerializerMethodField()
    subtotal = serializers.IntegerField(source="_totals.subtotal", read_only=True)
    discount_total = serializers.SerializerMethodField()
    item_tax_total = serializers.SerializerMethodField()
    shipping_total = serializers.IntegerField(source="_totals.shipping_total", read_only=True)
    shipping_tax_total = serializers.SerializerMethodField()
    tax_total = serializers.IntegerField(source="_totals.tax_total", read_only=True)
    gift_card_total = serializers.SerializerMethodField()
    gift_card_tax_total = serializers.SerializerMethodField()
    total = serializers.IntegerField(source="_totals.total", read_only=True)

    class Meta:
        model = Cart
        fields = CART_FIELDS
        read_only_fields = fields

    def to_representation(self, cart: Cart) -> dict[str, Any]:
        items: list[LineItem] = cart.loaded_items  # type: ignore[attr-defined]  # carts.selectors.CART_LOADED
        methods: list[ShippingMethod] = cart.loaded_shipping_methods  # type: ignore[attr-defined]  # likewise
        totals = cart_totals(cart=cart, items=items, shipping_methods=methods)
        for item in items:
            item._subtotal = item.unit_price * item.quantity  # type: ignore[attr-defined]  # computed once, read by the fields below
            item._tax_total = totals.item_tax_totals[item.pk]  # type: ignore[attr-defined]  # computed once, read by the fields below
        for method in methods:
            method._subtotal = method.price  # type: ignore[attr-defined]  # computed once, read by the fields below
            method._tax_total = tax_amount(amount=method.price, rate_percent=cart.region.tax_rate)  # type: ignore[attr-defined]  # computed once, read by the fields below
        cart._totals = totals  # type: ignore[attr-defined]  # computed once, read by the fields below
        cart._item_tax_total = sum(totals.item_tax_totals.values())  # type: ignore[attr-defined]  # computed once, read by the fields below
        return super().to_representation(cart)

    def get_object(self, cart: Cart) -> str:
        return "cart"

    @extend_schema_field(SalesChannelSerializer(allow_null=True))
    def get_sales_channel(self, cart: Cart) -> dict[str, Any] | None:
        channel = cart.sales_channel
        if channel is None or channel.deleted_at is not None:
            return None
        return SalesChannelSerializer(channel).data

    @extend_schema_field(PaymentSessionSerializer(allow_null=True))
    def get_payment_session(self, cart: Cart) -> dict[str, Any] | None:
        selected = [s for s in cart.loaded_payment_sessions if s.is_selected]  # type: ignore[attr-defined]  # loaded: carts.selectors.CART_LOADED
        return PaymentSessionSerializer(selected[0]).data if selected else None

    @extend_schema_field(CodeSerializer(many=True))
    def get_discounts(self, cart: Cart) -> list[dict[str, Any]]:
        return []  # no discount code exists yet (a cart update refuses every code)

    @extend_schema_field(CodeSerializer(many=True))
    def get_gift_cards(self, cart: Cart) -> list[dict[str, Any]]:
        return []  # no gift card exists yet

    def get_discount_total(self, cart: Cart) -> int:
        return 0  # there are no discounts here

    def get_gift_card_total(self, cart: Cart) -> int:
        return 0  # nor gift cards: the total is subtotal + shipping + tax

    def get_gift_card_tax_total(self, cart: Cart) -> int:
        return 0

    def get_item_tax_total(self, cart: Cart) -> int:
        return cart._item_tax_total  # type: ignore[attr-defined]  # computed once, read by the fields below

    def get_shipping_tax_total(self, cart: Cart) -> int:
        return cart._totals.tax_total - cart._item_tax_total  # type: ignore[attr-defined]  # computed once, read by the fields below
