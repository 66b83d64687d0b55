from commerce.api.serializers import ContractModelSerializer
from saleschannels.models import SalesChannel

SALES_CHANNEL_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "name",
    "description",
    "is_disabled",
    "metadata",
]


class SalesChannelSerializer(ContractModelSerializer):
    """A sales channel as store responses embed it (carts, key-scoped products, orders)."""

    class Meta:
        model = SalesChannel
        fields = SALES_CHANNEL_FIELDS
        read_only_fields = fields
