"""An order's JSON that the store and admin APIs render alike: its columns and its payments."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce.api.serializers import ContractModelSerializer
from orders.models import Payment

# The order columns we model (Medusa's fulfillments, claims, swaps and returns have no
# counterpart here and are left out).
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
    "billing_address_id",
    "shipping_address_id",
    "region_id",
    "currency_code",
    "tax_rate",
    "canceled_at",
    "metadata",
    "idempotency_key",
    "sales_channel_id",
]

# An order line's columns; Medusa's `description` is the variant title at the time of purchase.
ORDER_ITEM_FIELDS = [
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
]


class PaymentSerializer(ContractModelSerializer):
    """Medusa's payment JSON. Swaps do not exist here, so `swap_id` is always null."""

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

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_swap_id(self, payment: Payment) -> None:
        return None
