from django_filters import rest_framework as filters

from catalog.api.filters import ProductRelationFiltersMixin
from catalog.models import Product, ProductVariant
from commerce.api.filters import (
    CharInFilter,
    ContractFilterSet,
    ContractOrderingFilter,
    QueryArrayParam,
    QueryParam,
    SearchFilter,
    StrictBooleanFilter,
    date_fields,
)


class PriceParamsMixin(ContractFilterSet):
    """What prices a store list of products or variants (read by the view, not filters)."""

    cart_id = QueryParam(
        help_text="Price variants for this cart: its region and currency (wins over region_id and currency_code)."
    )
    region_id = QueryParam(
        help_text="Price variants for this region: its currency, its own prices first, with its tax."
    )
    currency_code = QueryParam(help_text="Price variants in this currency (without a region).")
    sales_channel_id = QueryArrayParam(
        help_text=(
            "Only what is in any of these channels. Without it and without a publishable key: "
            "the store's default channel. With a key: must be within the key's channels."
        ),
    )


class ProductFilter(ProductRelationFiltersMixin, PriceParamsMixin):
    store_scope = True

    id = CharInFilter(help_text="Only these product ids.")
    handle = filters.CharFilter(help_text="Only the product with this handle.")
    title = filters.CharFilter(help_text="Only products with this title.")
    collection_id = CharInFilter(help_text="Only these collections.")
    is_giftcard = StrictBooleanFilter(help_text="Only gift cards, or only not.")
    q = SearchFilter(
        fields=("title", "subtitle", "description", "handle"),
        help_text="Case-insensitive match on title, subtitle, description or handle.",
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "title", "handle", "id"), default=("-created_at",)
    )

    class Meta:
        model = Product
        fields = date_fields("created_at", "updated_at")


class VariantFilter(PriceParamsMixin):
    # Medusa's `ids` is a comma list; `id` and `title` take one value or several.
    ids = CharInFilter(field_name="id", help_text="Only these variant ids.")
    id = CharInFilter(help_text="Only these variant ids.")
    title = CharInFilter(help_text="Only these titles.")
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "title", "variant_rank", "id"), default=("-created_at",)
    )

    class Meta:
        model = ProductVariant
        fields: dict[str, list[str]] = {}
