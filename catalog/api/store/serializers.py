"""Store catalogue output. The leaf shapes both surfaces render alike live in catalog.api.serializers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from django.core.exceptions import ImproperlyConfigured
from django.db.models import DecimalField, F, Func, Q, QuerySet, Value
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.serializers import (
    CATEGORY_FIELDS,
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
from catalog.hooks import STORE_AVAILABLE, store_inventory_quantity
from catalog.models import Price, Product, ProductCategory, ProductOption, ProductVariant
from catalog.selectors import (
    LOADED_RELATIONS,
    PRICE_AMOUNT,
    PriceSelection,
    variant_price_select,
)
from commerce.api import sql_json
from commerce.api.serializers import (
    ContractModelSerializer,
    MediaUrlField,
    live_relation,
    rate_number,
)
from commerce.money import tax_amount
from saleschannels.api.serializers import SalesChannelSerializer

# Medusa's priced-variant keys. They are null unless the request names a region or a currency.
CALCULATED_PRICE_FIELDS = [
    "original_price",
    "calculated_price",
    "calculated_price_type",
    "original_price_incl_tax",
    "calculated_price_incl_tax",
    "original_tax",
    "calculated_tax",
    "tax_rates",
]
NULLABLE_INT = serializers.IntegerField(allow_null=True)


class OptionSerializer(ContractModelSerializer):
    values = OptionValueSerializer(many=True, read_only=True, source=LOADED_RELATIONS["values"])

    class Meta:
        model = ProductOption
        fields = [*OPTION_FIELDS, "values"]


class CategorySummarySerializer(ContractModelSerializer):
    """A category's own columns, as a product's `categories` and a parent show it."""

    class Meta:
        model = ProductCategory
        fields = CATEGORY_FIELDS


class TaxRateSerializer(serializers.Serializer):
    rate = serializers.FloatField()
    name = serializers.CharField()
    code = serializers.CharField()


def calculated_prices(prices: list[Price], selection: PriceSelection | None) -> dict[str, Any]:
    """Medusa's priced-variant keys for the selection; all null without one or without a price.

    There are no price lists here, so the calculated price is the original price and its type
    is Medusa's `default` (a storefront shows a sale badge only for `sale`). Tax is the region's
    rate added on top (as cart totals add it); with only a currency there is no tax.
    """
    result: dict[str, Any] = dict.fromkeys(CALCULATED_PRICE_FIELDS)
    if selection is None:
        return result
    amount = variant_price_select(prices, selection)
    if amount is None:
        return result
    result["original_price"] = result["calculated_price"] = amount
    result["calculated_price_type"] = "default"
    if selection.tax_rate is not None:
        tax = tax_amount(amount=amount, rate_percent=selection.tax_rate)
        result["original_tax"] = result["calculated_tax"] = tax
        result["original_price_incl_tax"] = result["calculated_price_incl_tax"] = amount + tax
        result["tax_rates"] = [
            {"rate": rate_number(selection.tax_rate), "name": "default", "code": "default"}
        ]
    return result


def calculated_price_sql(key: str, amount: Any, selection: PriceSelection) -> Any:
    """`calculated_prices(...)[key]` as SQL JSON, from the variant's price for the selection.

    `amount` is `catalog.selectors.variant_price_amount` annotated on the variant; the tax is
    rounded half away from zero, as `commerce.money.tax_amount` rounds it.
    """
    priced = Q(**{f"{PRICE_AMOUNT}__isnull": False})
    if key in ("original_price", "calculated_price"):
        return sql_json.number_json(amount)
    if key == "calculated_price_type":
        return sql_json.when_text([(priced, sql_json.literal('"default"'))], sql_json.NULL)
    if selection.tax_rate is None:
        return sql_json.NULL
    tax = Func(
        amount * Value(selection.tax_rate, output_field=DecimalField()) / Value(100),
        function="ROUND",
        output_field=DecimalField(),
    )
    if key in ("original_tax", "calculated_tax"):
        return sql_json.number_json(tax)
    if key in ("original_price_incl_tax", "calculated_price_incl_tax"):
        return sql_json.number_json(amount + tax)
    rates = [{"rate": rate_number(selection.tax_rate), "name": "default", "code": "default"}]
    return sql_json.when_text(
        [(priced, sql_json.literal(orjson.dumps(rates).decode()))], sql_json.NULL
    )


class StoreInventoryQuantityField(serializers.IntegerField):
    """What the request's channel can sell of the variant (`catalog.hooks`; issue 20)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, variant: ProductVariant) -> int:  # type: ignore[override]  # source="*": the value is the variant
        return store_inventory_quantity(variant)

    def sql_json(self, compiling: sql_json.Compiling, queryset: QuerySet[Any]) -> Any:
        """Its twin in SQL (`commerce.api.sql_json`): the variants' stock annotation, else the column."""
        annotated = STORE_AVAILABLE in queryset.query.annotations
        return sql_json.number_json(F(STORE_AVAILABLE if annotated else "inventory_quantity"))


def _calculated(
    key: str, schema: Any = NULLABLE_INT
) -> tuple[serializers.SerializerMethodField, Callable[[Any, ProductVariant], Any]]:
    """Return a method field for one of Medusa's priced-variant keys, and the method it calls.

    The method is documented as `schema`; `VariantSerializer.to_representation` computes the
    keys once per variant.
    """

    @extend_schema_field(schema)
    def read(serializer: Any, variant: ProductVariant) -> Any:
        return variant._calculated[key]  # type: ignore[attr-defined]  # computed once per variant

    def sql(serializer: Any, compiling: sql_json.Compiling, queryset: QuerySet[Any]) -> Any:
        """Its twin in SQL (`commerce.api.sql_json`): `calculated_price_sql`."""
        selection = serializer.context.get("price_selection")
        if selection is None:
            return sql_json.NULL
        if PRICE_AMOUNT not in queryset.query.annotations:
            return None  # variants read without their price: rendered in Python
        return calculated_price_sql(key, F(PRICE_AMOUNT), selection)

    read.sql_json = sql  # type: ignore[attr-defined]  # read by commerce.api.sql_json
    return serializers.SerializerMethodField(), read


class VariantSerializer(ContractModelSerializer):
    """A store variant with its option values, prices and Medusa's calculated-price keys.

    Relations are read from the lists the store selectors load (`LOADED_RELATIONS`). Prices follow the `price_selection` context key (all of them without one).
    """

    options = OptionValueSerializer(many=True, read_only=True, source=LOADED_RELATIONS["options"])
    prices = PriceSerializer(many=True, read_only=True, source=LOADED_RELATIONS["prices"])
    inventory_quantity = StoreInventoryQuantityField()
    # Medusa's priced-variant keys (CALCULATED_PRICE_FIELDS): each a method field and its method.
    original_price, get_original_price = _calculated("original_price")
    calculated_price, get_calculated_price = _calculated("calculated_price")
    calculated_price_type, get_calculated_price_type = _calculated(
        "calculated_price_type",
        serializers.ChoiceField(choices=["default", "sale", "override"], allow_null=True),
    )
    original_price_incl_tax, get_original_price_incl_tax = _calculated("original_price_incl_tax")
    calculated_price_incl_tax, get_calculated_price_incl_tax = _calculated(
        "calculated_price_incl_tax"
    )
    original_tax, get_original_tax = _calculated("original_tax")
    calculated_tax, get_calculated_tax = _calculated("calculated_tax")
    tax_rates, get_tax_rates = _calculated(
        "tax_rates", TaxRateSerializer(many=True, allow_null=True)
    )

    # Its `to_representation` checks the relations were loaded and computes the price keys:
    # in SQL the relations are subqueries and the price keys have their twins (`_calculated`).
    sql_json_representation = True

    class Meta:
        model = ProductVariant
        fields = [*VARIANT_FIELDS, "options", "prices", *CALCULATED_PRICE_FIELDS]
        relation_fields = ["options", "prices"]

    def to_representation(self, variant: ProductVariant) -> dict[str, Any]:
        for name in ("prices", "options"):
            # A relation shown but never loaded would vanish from the output without a word
            # (DRF skips a read-only field it cannot read): fail loudly instead.
            if name in self.fields and not hasattr(variant, LOADED_RELATIONS[name]):
                raise ImproperlyConfigured(
                    f"variant {variant.id}: {name} not loaded (see catalog.selectors)"
                )
        prices = getattr(variant, LOADED_RELATIONS["prices"], None) or []
        variant._calculated = calculated_prices(prices, self.context.get("price_selection"))  # type: ignore[attr-defined]  # computed once, read by the calculated-price fields
        return super().to_representation(variant)


class ProductSummarySerializer(ContractModelSerializer):
    """A product's own columns, as a cart line's variant shows it."""

    thumbnail = MediaUrlField()

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS


class VariantStoreListSerializer(VariantSerializer):
    """`/store/variants`: a variant with its product when `expand=product`."""

    product = ProductSummarySerializer(read_only=True)

    class Meta(VariantSerializer.Meta):
        fields = [*VARIANT_FIELDS, "options", "prices", "product", *CALCULATED_PRICE_FIELDS]
        relation_fields = ["options", "prices", "product"]


class VariantSummarySerializer(ContractModelSerializer):
    """A variant's own columns, as an order item shows it."""

    class Meta:
        model = ProductVariant
        fields = VARIANT_FIELDS


class VariantWithProductSerializer(VariantSummarySerializer):
    """A cart line's variant: its columns and its product's (no prices; the line has its own)."""

    product = ProductSummarySerializer(read_only=True)

    class Meta(VariantSummarySerializer.Meta):
        fields = [*VARIANT_FIELDS, "product"]


class ProductSerializer(ContractModelSerializer):
    """A store product; relations render when expanded.

    `sales_channels` also renders when the request is scoped by a publishable key (as Medusa does).
    """

    thumbnail = MediaUrlField()
    options = OptionSerializer(many=True, read_only=True, source=LOADED_RELATIONS["options"])
    variants = VariantSerializer(many=True, read_only=True, source=LOADED_RELATIONS["variants"])
    collection = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    images = ImageSerializer(many=True, read_only=True, source=LOADED_RELATIONS["images"])
    tags = TagSerializer(many=True, read_only=True, source=LOADED_RELATIONS["tags"])
    categories = CategorySummarySerializer(
        many=True, read_only=True, source=LOADED_RELATIONS["categories"]
    )
    sales_channels = SalesChannelSerializer(
        many=True, read_only=True, source=LOADED_RELATIONS["sales_channels"]
    )

    class Meta:
        model = Product
        fields = [*PRODUCT_FIELDS, *PRODUCT_RELATION_FIELDS]
        relation_fields = PRODUCT_RELATION_FIELDS

    get_collection = live_relation("collection", CollectionSerializer)
    get_type = live_relation("type", TypeSerializer)
