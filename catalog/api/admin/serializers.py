from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.serializers import (
    ADMIN_CATEGORY_FIELDS,
    OPTION_FIELDS,
    PRODUCT_FIELDS,
    PRODUCT_RELATION_FIELDS,
    VARIANT_FIELDS,
    CollectionSerializer,
    ImageSerializer,
    OptionValueSerializer,
    PriceSerializer,
    TagSerializer,
    TypeSerializer,
)
from catalog.models import (
    Product,
    ProductCategory,
    ProductOption,
    ProductStatus,
    ProductVariant,
)
from commerce import flags
from commerce.api.serializers import (
    ChoiceInputField,
    ContractModelSerializer,
    IdObjectListField,
    MediaUrlField,
    MetadataField,
    MillisecondDateTimeField,
    ObjectListField,
    StrictBooleanField,
    StrictCharField,
    StrictCharListField,
    StrictInputSerializer,
    StrictIntegerField,
    live_relation,
)
from saleschannels.api.serializers import SalesChannelSerializer
from saleschannels.services import MAX_BATCH_IDS

PRODUCT_RELATIONS = [*PRODUCT_RELATION_FIELDS, "channel_listings"]
MAX_BIGINT = 2**63 - 1
MAX_INT = 2**31 - 1


class NestedRelationsMixin:
    """A nested serializer whose own relations render only when `<prefix>.<name>` was expanded.

    The view puts the expanded relation paths (`variants.prices`) in the context; without one
    (schema generation) every relation is kept.
    """

    relation_prefix = ""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()  # type: ignore[misc]  # a mixin: the class it is mixed into has it
        relations = self.context.get("relations")  # type: ignore[attr-defined]  # a serializer mixin: the serializer has it
        if relations is not None:
            for name in getattr(self.Meta, "relation_fields", ()):  # type: ignore[attr-defined]  # a serializer mixin: the serializer has it
                if f"{self.relation_prefix}.{name}" not in relations:
                    fields.pop(name, None)
        return fields


class ProductStatusField(ChoiceInputField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ProductStatus.choices, **kwargs)


# ---- OUTPUT ----

# The shapes both APIs render alike, under the admin's names (its OpenAPI components).


class AdminProductSalesChannelSerializer(SalesChannelSerializer):
    pass


class AdminProductCollectionSerializer(CollectionSerializer):
    pass


class AdminImageSerializer(ImageSerializer):
    pass


class AdminProductTagSerializer(TagSerializer):
    pass


class AdminProductTypeSerializer(TypeSerializer):
    pass


class AdminProductCategorySummarySerializer(ContractModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ADMIN_CATEGORY_FIELDS


class AdminProductOptionValueSerializer(OptionValueSerializer):
    option_id = serializers.CharField(read_only=True)
    variant_id = serializers.CharField(read_only=True)


class AdminProductOptionSerializer(NestedRelationsMixin, ContractModelSerializer):
    relation_prefix = "options"
    product_id = serializers.CharField(read_only=True)
    values = AdminProductOptionValueSerializer(many=True, read_only=True, source="loaded_values")

    class Meta:
        model = ProductOption
        fields = [*OPTION_FIELDS, "values"]
        relation_fields = ["values"]


class AdminPriceSerializer(PriceSerializer):
    """Medusa's MoneyAmount, without price lists (not modelled here)."""

    region_id = serializers.CharField(read_only=True, allow_null=True)
    variant_id = serializers.CharField(read_only=True)


class AdminProductVariantSerializer(NestedRelationsMixin, ContractModelSerializer):
    relation_prefix = "variants"
    product_id = serializers.CharField(read_only=True)
    options = AdminProductOptionValueSerializer(many=True, read_only=True, source="loaded_options")
    prices = AdminPriceSerializer(many=True, read_only=True, source="loaded_prices")

    class Meta:
        model = ProductVariant
        fields = [*VARIANT_FIELDS, "options", "prices"]
        relation_fields = ["options", "prices"]


class AdminChannelListingSerializer(serializers.Serializer):
    """A product's listing in one channel (docs/listings.md)."""

    sales_channel_id = serializers.CharField()
    sales_channel_name = serializers.CharField(source="sales_channel.name")
    is_published = serializers.BooleanField()
    published_at = MillisecondDateTimeField(allow_null=True)
    visible_in_listings = serializers.BooleanField()
    available_for_purchase_at = MillisecondDateTimeField(allow_null=True)


class AdminProductSerializer(ContractModelSerializer):
    collection_id = serializers.CharField(read_only=True, allow_null=True)
    type_id = serializers.CharField(read_only=True, allow_null=True)
    thumbnail = MediaUrlField()
    collection = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    images = AdminImageSerializer(many=True, read_only=True, source="loaded_images")
    tags = AdminProductTagSerializer(many=True, read_only=True, source="loaded_tags")
    categories = AdminProductCategorySummarySerializer(
        many=True, read_only=True, source="loaded_categories"
    )
    options = AdminProductOptionSerializer(many=True, read_only=True, source="loaded_options")
    variants = AdminProductVariantSerializer(many=True, read_only=True, source="loaded_variants")
    sales_channels = AdminProductSalesChannelSerializer(
        many=True, read_only=True, source="loaded_sales_channels"
    )
    channel_listings = AdminChannelListingSerializer(
        many=True, read_only=True, source="loaded_channel_listings"
    )

    class Meta:
        model = Product
        fields = [*PRODUCT_FIELDS, *PRODUCT_RELATIONS]
        relation_fields = PRODUCT_RELATIONS

    # Both joined by the selector.
    get_collection = live_relation("collection", AdminProductCollectionSerializer)
    get_type = live_relation("type", AdminProductTypeSerializer)


# ---- INPUT ----


class PhysicalInputMixin(serializers.Serializer):
    weight = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_INT)
    length = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_INT)
    height = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_INT)
    width = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_INT)
    hs_code = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    origin_country = StrictCharField(
        max_length=255, required=False, allow_null=True, allow_blank=True
    )
    mid_code = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    material = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)


class AdminPriceInputSerializer(StrictInputSerializer):
    currency_code = StrictCharField(max_length=3)
    amount = StrictIntegerField(min_value=0, max_value=MAX_BIGINT)
    region_id = StrictCharField(max_length=64, required=False, allow_null=True)


class AdminVariantOptionInputSerializer(StrictInputSerializer):
    value = StrictCharField(max_length=255)


class AdminProductOptionInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=255)


class AdminProductVariantCreateInputSerializer(PhysicalInputMixin, StrictInputSerializer):
    title = StrictCharField(max_length=255)
    sku = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    barcode = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    ean = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    upc = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    inventory_quantity = StrictIntegerField(required=False, min_value=0, max_value=MAX_INT)
    manage_inventory = StrictBooleanField(required=False)
    allow_backorder = StrictBooleanField(required=False)
    metadata = MetadataField(required=False, allow_null=True)
    prices = ObjectListField(child=AdminPriceInputSerializer(), required=False)
    options = ObjectListField(child=AdminVariantOptionInputSerializer(), required=False)


class SalesChannelsFlaggedMixin:
    """With the sales-channels flag off, `sales_channels` in a body is an unknown property (design §6)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()  # type: ignore[misc]  # a mixin: the class it is mixed into has it
        if not flags.sales_channels_enabled():
            fields.pop("sales_channels", None)
        return fields


class AdminTagInputSerializer(StrictInputSerializer):
    """`{value}` for a tag or type made when new, or `{id}` (with or without `value`) for one there."""

    id = StrictCharField(max_length=64, required=False)
    value = StrictCharField(max_length=255, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("id") and not attrs.get("value"):
            raise serializers.ValidationError({"value": ["value must be a string"]})
        return attrs


class ProductRelationsInputMixin(PhysicalInputMixin):
    images = StrictCharListField(
        item_max_length=500, max_length=100, required=False, allow_null=True
    )
    tags = ObjectListField(child=AdminTagInputSerializer(), required=False, allow_null=True)
    type = AdminTagInputSerializer(required=False, allow_null=True)
    categories = IdObjectListField(required=False, allow_null=True, max_length=1000)


class AdminProductCreateInputSerializer(
    SalesChannelsFlaggedMixin, ProductRelationsInputMixin, StrictInputSerializer
):
    title = StrictCharField(max_length=255)
    subtitle = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    description = StrictCharField(required=False, allow_null=True, allow_blank=True)
    handle = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    is_giftcard = StrictBooleanField(required=False)
    discountable = StrictBooleanField(required=False)
    status = ProductStatusField(required=False)
    thumbnail = StrictCharField(max_length=500, required=False, allow_null=True, allow_blank=True)
    collection_id = StrictCharField(max_length=64, required=False, allow_null=True)
    metadata = MetadataField(required=False, allow_null=True)
    options = ObjectListField(child=AdminProductOptionInputSerializer(), required=False)
    variants = ObjectListField(child=AdminProductVariantCreateInputSerializer(), required=False)
    sales_channels = IdObjectListField(
        required=False,
        allow_null=True,
        help_text="Channels to list the product in; absent, null or empty: the default channel.",
    )


class AdminProductUpdateInputSerializer(
    SalesChannelsFlaggedMixin, ProductRelationsInputMixin, StrictInputSerializer
):
    title = StrictCharField(max_length=255, required=False)
    subtitle = StrictCharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    description = StrictCharField(required=False, allow_null=True, allow_blank=True)
    handle = StrictCharField(max_length=255, required=False)
    discountable = StrictBooleanField(required=False)
    status = ProductStatusField(required=False)
    thumbnail = StrictCharField(max_length=500, required=False, allow_null=True, allow_blank=True)
    collection_id = StrictCharField(max_length=64, required=False, allow_null=True)
    metadata = MetadataField(required=False, allow_null=True)
    sales_channels = IdObjectListField(
        required=False,
        allow_null=True,
        help_text="Omitted: unchanged. null or []: removed from every channel. A list: exactly these.",
    )


# ---- CHANNEL LISTINGS AND AVAILABILITY (issue 19; docs/listings.md) ----


class ListingColumnsInputSerializer(StrictInputSerializer):
    """The listing columns a write may set; those left out keep their values."""

    is_published = StrictBooleanField(required=False)
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    visible_in_listings = StrictBooleanField(required=False)
    available_for_purchase_at = serializers.DateTimeField(required=False, allow_null=True)


class AdminListingIdObjectSerializer(ListingColumnsInputSerializer):
    id = StrictCharField(max_length=64)


class ListingIdObjectListField(IdObjectListField):
    """`[{"id", is_published?, published_at?, …}]`, returned as dicts (plain `{id}` items too)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", AdminListingIdObjectSerializer())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:  # type: ignore[override]
        self.check_length(data)
        return ObjectListField.to_internal_value(self, data)


class AdminSalesChannelProductsBatchAddInputSerializer(StrictInputSerializer):
    product_ids = ListingIdObjectListField(max_length=MAX_BATCH_IDS)


class AdminChannelListingInputSerializer(ListingColumnsInputSerializer):
    sales_channel_id = StrictCharField(max_length=64)


class AdminChannelListingsInputSerializer(StrictInputSerializer):
    channel_listings = ObjectListField(child=AdminChannelListingInputSerializer(), max_length=1000)


class AdminChannelListingsSerializer(serializers.Serializer):
    channel_listings = AdminChannelListingSerializer(many=True)


class AdminAvailabilityReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class AdminChannelAvailabilitySerializer(serializers.Serializer):
    sales_channel_id = serializers.CharField(source="channel.pk")
    sales_channel_name = serializers.CharField(source="channel.name")
    listed = serializers.BooleanField()
    reachable = serializers.BooleanField()
    purchasable = serializers.BooleanField()
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(AdminAvailabilityReasonSerializer(many=True))
    def get_reasons(self, verdict: Any) -> list[dict[str, str]]:
        return [{"code": code, "message": message} for code, message in verdict.reasons]


class AdminProductAvailabilitySerializer(serializers.Serializer):
    availability = AdminChannelAvailabilitySerializer(many=True)
