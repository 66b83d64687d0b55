from django_filters import rest_framework as filters

from commerce.api.filters import (
    ContractFilterSet,
    ContractOrderingFilter,
    QueryArrayParam,
    SearchFilter,
    date_fields,
)
from inventory.models import InventoryItem, StockLocation


class StockLocationFilter(ContractFilterSet):
    """`sales_channel_id` is resolved by the selector (Medusa's 404 for unknown channels)."""

    id = filters.CharFilter(help_text="Only the location with this id.")
    name = filters.CharFilter(help_text="Only locations with this name.")
    q = filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Case-insensitive match on the name."
    )
    sales_channel_id = QueryArrayParam(
        help_text="Only locations linked to any of these channels; none of them live → 404."
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "name", "id"), default=("-created_at",)
    )

    class Meta:
        model = StockLocation
        fields = date_fields("created_at", "updated_at")


class InventoryItemFilter(ContractFilterSet):
    id = filters.CharFilter(help_text="Only the item with this id.")
    sku = filters.CharFilter(help_text="Only this SKU.")
    variant_id = filters.CharFilter(help_text="Only this variant's item.")
    location_id = filters.CharFilter(
        method="filter_location", help_text="Only items stocked at this location."
    )
    q = SearchFilter(fields=("sku", "variant__title"), help_text="Match on SKU or variant title.")
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "sku", "id"), default=("-created_at",)
    )

    class Meta:
        model = InventoryItem
        fields: dict[str, list[str]] = {}

    def filter_location(self, queryset, name, value):
        return queryset.filter(levels__location_id=value).distinct()
