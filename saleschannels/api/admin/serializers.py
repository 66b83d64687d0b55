from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce.api.serializers import (
    ContractModelSerializer,
    IdObjectListField,
    MetadataField,
    StrictBooleanField,
    StrictCharField,
    StrictInputSerializer,
)
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


class AdminSalesChannelSerializer(ContractModelSerializer):
    locations = serializers.SerializerMethodField()

    class Meta:
        model = SalesChannel
        fields = [*SALES_CHANNEL_FIELDS, "locations"]
        read_only_fields = fields
        relation_fields = ["locations"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_locations(self, channel: SalesChannel) -> list:
        # There is no stock-location module here: a channel has no locations (as Medusa without one).
        return []


class AdminSalesChannelCreateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255, allow_blank=True)
    description = StrictCharField(required=False, allow_null=True, allow_blank=True)
    is_disabled = StrictBooleanField(required=False)
    metadata = MetadataField(required=False, allow_null=True)


class AdminSalesChannelUpdateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255, required=False, allow_blank=True)
    description = StrictCharField(required=False, allow_null=True, allow_blank=True)
    is_disabled = StrictBooleanField(required=False)
    metadata = MetadataField(required=False, allow_null=True)


class AdminSalesChannelProductsBatchInputSerializer(StrictInputSerializer):
    product_ids = IdObjectListField(max_length=20_000)
