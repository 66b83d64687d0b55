from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce import flags
from commerce.api.serializers import (
    ContractModelSerializer,
    IdObjectListField,
    MetadataField,
    MillisecondDateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictCharListField,
    StrictInputSerializer,
    live_relation,
)
from commerce.models import Currency, Store
from saleschannels.api.serializers import SALES_CHANNEL_FIELDS, SalesChannelSerializer
from saleschannels.models import PublishableApiKey, SalesChannel
from saleschannels.services import MAX_BATCH_IDS


class AdminSalesChannelSerializer(ContractModelSerializer):
    locations = serializers.SerializerMethodField()

    class Meta:
        model = SalesChannel
        fields = [*SALES_CHANNEL_FIELDS, "locations"]
        relation_fields = ["locations"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_locations(self, channel: SalesChannel) -> list:
        """Medusa's `sales_channel_location` rows of the channel (links of `inventory`)."""
        links = sorted(
            channel.location_links.all(), key=lambda link: (link.priority, link.location_id)
        )
        return [
            {
                "id": link.pk,
                "created_at": _iso(link.created_at),
                "updated_at": _iso(link.updated_at),
                "deleted_at": None,
                "sales_channel_id": link.sales_channel_id,
                "location_id": link.location_id,
                "priority": link.priority,
            }
            for link in links
        ]


_iso = MillisecondDateTimeField().to_representation


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
    product_ids = IdObjectListField(max_length=MAX_BATCH_IDS)


# ---- PUBLISHABLE API KEYS ----

PUBLISHABLE_API_KEY_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "created_by",
    "revoked_by",
    "revoked_at",
    "title",
]


class AdminPublishableApiKeySerializer(ContractModelSerializer):
    created_by = serializers.CharField(source="created_by_id", read_only=True, allow_null=True)
    revoked_by = serializers.CharField(source="revoked_by_id", read_only=True, allow_null=True)

    class Meta:
        model = PublishableApiKey
        fields = PUBLISHABLE_API_KEY_FIELDS


class AdminPublishableApiKeyCreateInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=255, allow_blank=True)


class AdminPublishableApiKeyUpdateInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=255, required=False, allow_blank=True)


class AdminPublishableApiKeyRevokeInputSerializer(StrictInputSerializer):
    """No properties: the body is empty (or `{}`)."""


class AdminPublishableApiKeySalesChannelsBatchInputSerializer(StrictInputSerializer):
    sales_channel_ids = IdObjectListField(max_length=MAX_BATCH_IDS)


# ---- STORE ----


class AdminCurrencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Currency
        fields = ["code", "symbol", "symbol_native", "name"]
        read_only_fields = fields


class AdminStoreSalesChannelSerializer(SalesChannelSerializer):
    pass


class AdminStoreSerializer(ContractModelSerializer):
    """The store. `default_sales_channel_id` and `default_sales_channel` exist only with the flag on."""

    currencies = AdminCurrencySerializer(many=True, read_only=True)
    default_currency = serializers.SerializerMethodField()
    default_sales_channel_id = serializers.CharField(read_only=True, allow_null=True)
    default_sales_channel = serializers.SerializerMethodField()

    class Meta:
        model = Store
        fields = [
            "id",
            "created_at",
            "updated_at",
            "name",
            "default_currency_code",
            "default_currency",
            "currencies",
            "swap_link_template",
            "payment_link_template",
            "invite_link_template",
            "default_sales_channel_id",
            "default_sales_channel",
            "metadata",
        ]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if not flags.sales_channels_enabled():
            fields.pop("default_sales_channel_id")
            fields.pop("default_sales_channel")
        return fields

    @extend_schema_field(AdminCurrencySerializer(allow_null=True))
    def get_default_currency(self, store: Store) -> dict | None:
        # Read from the prefetched currencies: the default is always one of them.
        for currency in store.currencies.all():
            if currency.code == store.default_currency_code:
                return AdminCurrencySerializer(currency).data
        return None

    get_default_sales_channel = live_relation(
        "default_sales_channel", AdminStoreSalesChannelSerializer
    )


class AdminStoreUpdateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255, required=False)
    currencies = StrictCharListField(item_max_length=3, required=False)
    default_currency_code = StrictCharField(max_length=3, required=False)
    metadata = MetadataField(required=False)
    default_sales_channel_id = StrictCharField(max_length=64, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not flags.sales_channels_enabled():
            # Refused as an unknown property: "property default_sales_channel_id should not exist".
            self.fields.pop("default_sales_channel_id")
