from django.db.models import Q
from django_filters import rest_framework as filters

from catalog.api.filters import ProductRelationFiltersMixin
from catalog.models import Product, ProductVariant
from commerce.api.filters import CharInFilter, ContractFilterSet, StrictBooleanFilter, date_filters


class ProductFilter(ProductRelationFiltersMixin, ContractFilterSet):
    store_scope = True

    id = CharInFilter(field_name="id", lookup_expr="in")
    handle = filters.CharFilter(field_name="handle", lookup_expr="exact")
    title = filters.CharFilter(field_name="title", lookup_expr="exact")
    collection_id = CharInFilter(field_name="collection_id", lookup_expr="in")
    is_giftcard = StrictBooleanFilter(field_name="is_giftcard")
    q = filters.CharFilter(method="filter_q")
    locals().update(date_filters("created_at", "updated_at"))

    class Meta:
        model = Product
        fields = [
            "id",
            "handle",
            "title",
            "collection_id",
            "is_giftcard",
            "q",
            "tags",
            "type_id",
            "category_id",
            "include_category_children",
        ]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(subtitle__icontains=value)
            | Q(description__icontains=value)
            | Q(handle__icontains=value)
        )


class VariantFilter(ContractFilterSet):
    # Medusa's `ids` is a comma list; `id` and `title` take one value or several.
    ids = CharInFilter(field_name="id", lookup_expr="in")
    id = CharInFilter(field_name="id", lookup_expr="in")
    title = CharInFilter(field_name="title", lookup_expr="in")

    class Meta:
        model = ProductVariant
        fields = ["ids", "id", "title"]
