from django.db.models import Q
from django_filters import rest_framework as filters

from commerce.api.filters import ContractFilterSet, date_filters
from inventory.models import InventoryItem, StockLocation


class StockLocationFilter(ContractFilterSet):
    """`sales_channel_id` is resolved by the selector (Medusa's 404 for unknown channels)."""

    id = filters.CharFilter(field_name="id", lookup_expr="exact")
    name = filters.CharFilter(field_name="name", lookup_expr="exact")
    q = filters.CharFilter(field_name="name", lookup_expr="icontains")
    locals().update(date_filters("created_at", "updated_at"))

    class Meta:
        model = StockLocation
        fields = ["id", "name", "q"]


class InventoryItemFilter(ContractFilterSet):
    id = filters.CharFilter(field_name="id", lookup_expr="exact")
    sku = filters.CharFilter(field_name="sku", lookup_expr="exact")
    variant_id = filters.CharFilter(field_name="variant_id", lookup_expr="exact")
    location_id = filters.CharFilter(method="filter_location")
    q = filters.CharFilter(method="filter_q")

    class Meta:
        model = InventoryItem
        fields = ["id", "sku", "variant_id", "location_id", "q"]

    def filter_location(self, queryset, name, value):
        return queryset.filter(levels__location_id=value).distinct()

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(sku__icontains=value) | Q(variant__title__icontains=value))
