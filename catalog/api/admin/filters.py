from django.db.models import Exists, OuterRef, Q
from django_filters import rest_framework as filters

from catalog.api.filters import ProductRelationFiltersMixin
from catalog.models import Product, ProductStatus, ProductVariant
from catalog.selectors import products_in_channels
from commerce.api.filters import (
    CharInFilter,
    ChoiceInFilter,
    ContractFilterSet,
    ContractOrderingFilter,
    StrictBooleanFilter,
    date_fields,
)


class AdminProductFilter(ProductRelationFiltersMixin, ContractFilterSet):
    id = CharInFilter(help_text="One or more ids.")
    q = filters.CharFilter(
        method="filter_q",
        help_text="Case-insensitive match on title, handle, description, variant title or SKU.",
    )
    status = ChoiceInFilter(choices=ProductStatus.values, help_text="Any of these statuses.")
    handle = filters.CharFilter(help_text="Only the product with this handle.")
    sales_channel_id = CharInFilter(
        method="filter_sales_channel_id", help_text="Products in any of these live channels."
    )
    collection_id = CharInFilter(
        help_text="Products in any of these collections.",
    )
    is_giftcard = StrictBooleanFilter(help_text="Only gift cards, or only not.")
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "title", "handle", "status", "id"),
        default=("-created_at",),
    )

    class Meta:
        model = Product
        fields = date_fields("created_at", "updated_at", "deleted_at")

    def filter_q(self, queryset, name, value):
        """Case-insensitive match on title, handle, description, or a live variant's title or SKU."""
        variant_match = ProductVariant.objects.filter(product=OuterRef("pk")).filter(
            Q(title__icontains=value) | Q(sku__icontains=value)
        )
        return queryset.filter(
            Q(title__icontains=value)
            | Q(handle__icontains=value)
            | Q(description__icontains=value)
            | Exists(variant_match)
        )

    def filter_sales_channel_id(self, queryset, name, value):
        """Products in any of the given live channels (a semi-join: no duplicates, no DISTINCT)."""
        return products_in_channels(queryset, value)
