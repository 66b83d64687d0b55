"""The catalogue's JSON that the store and admin APIs render alike: Medusa's entity columns.

The column lists are the contract's order (the renderers and the render cache follow it). The
leaf shapes below are the store's serializers; the admin subclasses them under its own names
(`AdminProductTagSerializer`…), so each surface keeps its OpenAPI components. The lists of
a category's columns and of a product's relations are here too, each surface's derived from the
other's; the serializers that differ by surface — a product's, a variant's prices — are declared
on that side (`catalog.api.store.serializers`, `catalog.api.admin.serializers`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Model

from catalog.models import (
    PHYSICAL_FIELDS,
    Image,
    Price,
    Product,
    ProductCollection,
    ProductOptionValue,
    ProductTag,
    ProductType,
)
from catalog.selectors import JsonSource
from commerce.api import sql_json
from commerce.api.serializers import ContractModelSerializer, MediaUrlField

# Medusa's product columns that we model. Shipping profiles (profiles/profile_id) have no
# counterpart here, so they are left out of the JSON rather than faked as null.
PRODUCT_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "title",
    "subtitle",
    "description",
    "handle",
    "is_giftcard",
    "status",
    "thumbnail",
    "discountable",
    "external_id",
    "metadata",
    "collection_id",
    "type_id",
    *PHYSICAL_FIELDS,
]
VARIANT_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "title",
    "product_id",
    "sku",
    "barcode",
    "ean",
    "upc",
    "variant_rank",
    "inventory_quantity",
    "allow_backorder",
    "manage_inventory",
    "metadata",
    *PHYSICAL_FIELDS,
]
# Medusa's MoneyAmount, without price lists (not modelled here).
PRICE_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "currency_code",
    "amount",
    "min_quantity",
    "max_quantity",
    "region_id",
    "variant_id",
]
OPTION_VALUE_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "value",
    "option_id",
    "variant_id",
    "metadata",
]
OPTION_FIELDS = ["id", "created_at", "updated_at", "deleted_at", "title", "product_id", "metadata"]
# A tag's and a type's columns.
VALUE_FIELDS = ["id", "created_at", "updated_at", "deleted_at", "value", "metadata"]
# A category's columns as the admin shows them; a store shows neither its path nor its flags.
ADMIN_CATEGORY_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "name",
    "description",
    "handle",
    "mpath",
    "is_active",
    "is_internal",
    "parent_category_id",
    "rank",
    "metadata",
]
CATEGORY_FIELDS = [
    name for name in ADMIN_CATEGORY_FIELDS if name not in ("mpath", "is_active", "is_internal")
]
# A product's relations, as a store expands them (the admin adds its channel listings).
PRODUCT_RELATION_FIELDS = [
    "collection",
    "type",
    "images",
    "tags",
    "categories",
    "options",
    "variants",
    "sales_channels",
]


class PriceSerializer(ContractModelSerializer):
    class Meta:
        model = Price
        fields = PRICE_FIELDS


class OptionValueSerializer(ContractModelSerializer):
    class Meta:
        model = ProductOptionValue
        fields = OPTION_VALUE_FIELDS


class CollectionSerializer(ContractModelSerializer):
    class Meta:
        model = ProductCollection
        fields = ["id", "created_at", "updated_at", "deleted_at", "title", "handle", "metadata"]


class ImageSerializer(ContractModelSerializer):
    """Medusa's Image: `{id, url, created_at, updated_at, deleted_at, metadata}`."""

    url = MediaUrlField()

    class Meta:
        model = Image
        fields = ["id", "created_at", "updated_at", "deleted_at", "url", "metadata"]


class TagSerializer(ContractModelSerializer):
    class Meta:
        model: type[Model] = ProductTag  # a type's Meta names its own
        fields = VALUE_FIELDS


class TypeSerializer(TagSerializer):
    class Meta(TagSerializer.Meta):
        model = ProductType


def products_rendered(
    ids: Sequence[str],
    *,
    key: tuple[str, str],
    serializer_class: type[ContractModelSerializer],
    sources: Callable[[], Mapping[tuple[type[Any], str], JsonSource]],
    context: dict[str, Any],
    rows: Callable[[Sequence[str]], Sequence[Product | None]],
    render: Callable[[list[Product]], Iterable[Any]],
) -> list[Any]:
    """Return these products' JSON, in their order; None for one gone since its id was read.

    Built by PostgreSQL in one statement where it can be: compiled once per `key` (a list's
    kind and its render cache shape) from `serializer_class` and the selectors' relations
    (`sources`, `catalog.selectors.product_json_sources_for_*`; `commerce.api.sql_json`).
    Elsewhere their rows are read by id (`rows`, None for one gone) and rendered in Python
    (`render`, which loads what they show), as the list reads and renders them.
    """
    built = sql_json.built(
        key,
        lambda: (
            serializer_class(context=context),
            Product.all_objects.all(),
            sql_json.Compiling(context, sources()),
        ),
        ids,
        context,
        model=Product,
    )
    if built is not None:
        return [built.get(pk) for pk in ids]
    read = rows(ids)
    rendered = iter(render([row for row in read if row is not None]))
    return [None if row is None else next(rendered) for row in read]
