"""Filters shared by the store and admin lists: a product's tags, type and categories; collections."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters

from catalog import selectors
from catalog.models import Product, ProductCategory, ProductCollection
from commerce.api.filters import (
    CharInFilter,
    ContractFilterSet,
    ContractOrderingFilter,
    SearchFilter,
    StrictBooleanFilter,
    date_fields,
)


class ProductRelationFiltersMixin(filters.FilterSet):
    """`tags[]` (tag ids), `type_id[]`, `category_id[]` and `include_category_children`.

    Each is a semi-join on an indexed link (no DISTINCT, a product counts once). The store's
    category filter sees only the store's categories (active, not internal); `store_scope` says
    which side this FilterSet serves.
    """

    store_scope = False

    tags = CharInFilter(method="filter_tags", help_text="Only products with any of these tag ids.")
    type_id = CharInFilter(help_text="Only these product types.")
    category_id = CharInFilter(
        method="filter_category_id",
        help_text="Only products in any of these categories (in the store: active, not internal ones).",
    )
    include_category_children = StrictBooleanFilter(
        method="filter_nothing",
        help_text="With `category_id`: the categories below them count too.",
    )

    def filter_tags(self, queryset, name, value):
        links = Product.tags.through.objects.filter(
            product_id=OuterRef("pk"), producttag_id__in=value
        )
        return queryset.filter(Exists(links))

    def filter_category_id(self, queryset, name, value):
        if self.form.cleaned_data.get("include_category_children"):
            ids = selectors.category_ids_with_descendants(
                category_ids=value, store=self.store_scope
            )
        elif self.store_scope:
            ids = list(
                selectors.category_qs_for_store()
                .filter(pk__in=list(value))
                .values_list("pk", flat=True)
            )
        else:
            ids = list(value)
        links = ProductCategory.products.through.objects.filter(
            product_id=OuterRef("pk"), productcategory_id__in=ids
        )
        return queryset.filter(Exists(links))

    def filter_nothing(self, queryset, name, value):
        """`include_category_children` only changes what `category_id` matches."""
        return queryset


class CollectionFilterBase(ContractFilterSet):
    """A collection list's filters on both surfaces (the admin's adds titles and `deleted_at`)."""

    handle = CharInFilter(help_text="Only these handles.")
    q = SearchFilter(
        fields=("title", "handle"), help_text="Case-insensitive match on title or handle."
    )
    # Oldest first: a storefront shows collections in the order the merchant made them.
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "title", "handle", "id"), default=("created_at",)
    )

    class Meta:
        model = ProductCollection
        fields = date_fields("created_at", "updated_at")
