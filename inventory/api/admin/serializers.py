"""Admin JSON of stock locations, inventory items and levels (Medusa v1's shapes)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce.api.serializers import (
    ContractModelSerializer,
    MetadataField,
    MillisecondDateTimeField,
    StrictCharField,
    StrictInputSerializer,
    StrictIntegerField,
)
from commerce.models import Address
from inventory.models import InventoryItem, InventoryLevel, StockLocation
from saleschannels.api.serializers import SALES_CHANNEL_FIELDS

MAX_QUANTITY = 2**31 - 1


class StockLocationAddressSerializer(ContractModelSerializer):
    class Meta:
        model = Address
        fields = [
            "id",
            "created_at",
            "updated_at",
            "address_1",
            "address_2",
            "company",
            "city",
            "country_code",
            "phone",
            "province",
            "postal_code",
            "metadata",
        ]


class LocationSalesChannelSerializer(serializers.Serializer):
    """A channel as `expand=sales_channels` shows it on a location (its own columns)."""

    def to_representation(self, channel: Any) -> dict[str, Any]:
        return {name: _json(getattr(channel, name)) for name in SALES_CHANNEL_FIELDS}


def _json(value: Any) -> Any:
    return _iso(value) if hasattr(value, "isoformat") else value


_iso = MillisecondDateTimeField().to_representation


class StockLocationSerializer(ContractModelSerializer):
    address = StockLocationAddressSerializer(read_only=True, allow_null=True)
    sales_channels = serializers.SerializerMethodField()

    class Meta:
        model = StockLocation
        fields = [
            "id",
            "created_at",
            "updated_at",
            "deleted_at",
            "name",
            "address_id",
            "address",
            "metadata",
            "sales_channels",
        ]
        relation_fields = ["address", "sales_channels"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_sales_channels(self, location: StockLocation) -> list[dict[str, Any]]:
        channels = getattr(location, "loaded_sales_channels", [])
        return [LocationSalesChannelSerializer(channel).data for channel in channels]


class StockLocationAddressInputSerializer(StrictInputSerializer):
    address_1 = StrictCharField(max_length=255)
    address_2 = StrictCharField(required=False, allow_null=True, allow_blank=True)
    company = StrictCharField(required=False, allow_null=True, allow_blank=True)
    city = StrictCharField(required=False, allow_null=True, allow_blank=True)
    country_code = StrictCharField(max_length=2)
    phone = StrictCharField(required=False, allow_null=True, allow_blank=True)
    province = StrictCharField(required=False, allow_null=True, allow_blank=True)
    postal_code = StrictCharField(required=False, allow_null=True, allow_blank=True)
    metadata = MetadataField(required=False, allow_null=True)


class StockLocationCreateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255)
    address = StockLocationAddressInputSerializer(required=False, allow_null=True)
    metadata = MetadataField(required=False, allow_null=True)


class StockLocationUpdateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255, required=False)
    address = StockLocationAddressInputSerializer(required=False, allow_null=True)
    metadata = MetadataField(required=False, allow_null=True)


class ChannelStockLocationInputSerializer(StrictInputSerializer):
    location_id = StrictCharField(max_length=64)
    priority = StrictIntegerField(required=False, min_value=0, max_value=MAX_QUANTITY)


class ChannelStockLocationRemoveInputSerializer(StrictInputSerializer):
    location_id = StrictCharField(max_length=64)


class InventoryLevelCreateInputSerializer(StrictInputSerializer):
    location_id = StrictCharField(max_length=64)
    stocked_quantity = StrictIntegerField(min_value=0, max_value=MAX_QUANTITY)
    incoming_quantity = StrictIntegerField(required=False, min_value=0, max_value=MAX_QUANTITY)


class InventoryLevelUpdateInputSerializer(StrictInputSerializer):
    stocked_quantity = StrictIntegerField(required=False, min_value=0, max_value=MAX_QUANTITY)
    incoming_quantity = StrictIntegerField(required=False, min_value=0, max_value=MAX_QUANTITY)


class ChannelAvailabilitySerializer(serializers.Serializer):
    channel_name = serializers.CharField()
    channel_id = serializers.CharField()
    available_quantity = serializers.IntegerField()


class InventoryLevelSerializer(ContractModelSerializer):
    class Meta:
        model = InventoryLevel
        fields = [
            "id",
            "created_at",
            "updated_at",
            "inventory_item_id",
            "location_id",
            "stocked_quantity",
            "reserved_quantity",
            "incoming_quantity",
            "available_quantity",
            "metadata",
        ]


class InventoryItemSerializer(ContractModelSerializer):
    # The levels at live locations, as `views._items_with_levels` prefetches them.
    location_levels = InventoryLevelSerializer(many=True, read_only=True, source="loaded_levels")

    class Meta:
        model = InventoryItem
        fields = [
            "id",
            "created_at",
            "updated_at",
            "deleted_at",
            "sku",
            "requires_shipping",
            "variant_id",
            "metadata",
            "location_levels",
        ]


class VariantInventorySerializer(serializers.Serializer):
    """`GET /admin/variants/{id}/inventory`: the variant's items and per-channel availability."""

    id = serializers.CharField()
    inventory = InventoryItemSerializer(many=True)
    sales_channel_availability = ChannelAvailabilitySerializer(many=True)
