"""A sales channel's JSON as other objects embed it, alike in the store and admin APIs."""

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
    """A sales channel's own columns, as a cart, a product, an order or the store embeds it."""

    class Meta:
        model = SalesChannel
        fields = SALES_CHANNEL_FIELDS
