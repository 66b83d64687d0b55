"""Store collections and product categories: what a storefront's navigation reads.

Categories shown to a store are the active, non-internal ones (Medusa's store scope); a hidden
category hides what is below it. Their products are read through `/store/products`
(`collection_id[]`, `category_id[]`), so a publishable key scopes them as it scopes every
product list.
"""

from __future__ import annotations

from django.db.models import QuerySet

from catalog import selectors
from catalog.api.categories import (
    CATEGORY_RELATIONS,
    TREE_PARAMETER,
    CategoryFilterBase,
    CategoryTreeMixin,
    CategoryViewMixin,
)
from catalog.api.filters import CollectionFilterBase
from catalog.api.serializers import CATEGORY_FIELDS, CollectionSerializer
from catalog.api.store.serializers import CategorySummarySerializer
from catalog.models import ProductCollection
from commerce.api.schema import operation
from commerce.api.serializers import ContractModelSerializer
from commerce.api.store.views import StoreMixin
from commerce.api.viewsets import ContractViewSet, contract_schema

# ---- COLLECTIONS ----


class StoreCollectionFilter(CollectionFilterBase):
    """The store's collection filters: the shared ones."""


@contract_schema(
    list=operation("List product collections", errors=(400,)),
    retrieve=operation("Get a product collection", errors=(400, 404)),
)
class CollectionViewSet(StoreMixin, ContractViewSet):
    envelope_singular, envelope_plural = "collection", "collections"
    default_limit = 10  # Medusa's
    serializer_class = CollectionSerializer
    filterset_class = StoreCollectionFilter
    allowed_fields = ("id", "created_at", "updated_at", "deleted_at", "title", "handle", "metadata")

    def get_queryset(self) -> QuerySet[ProductCollection]:
        return ProductCollection.objects.all()

    def get_detail_object(self, pk: str) -> ProductCollection:
        return selectors.collection_get(collection_id=pk)


# ---- CATEGORIES ----


class StoreCategorySerializer(CategoryTreeMixin, ContractModelSerializer):
    """A store category with its parent and children when expanded (see `CategoryTreeMixin`)."""

    summary_serializer_class = CategorySummarySerializer

    class Meta(CategoryTreeMixin.Meta):
        fields = [*CATEGORY_FIELDS, *CATEGORY_RELATIONS]


class StoreCategoryFilter(CategoryFilterBase):
    """The store's category filters: the shared ones (`is_active`/`is_internal` are admin only)."""


@contract_schema(
    list=operation("List product categories (active, not internal)", errors=(400,)),
    retrieve=operation(
        "Get a product category (active, not internal)",
        errors=(400, 404),
        parameters=[TREE_PARAMETER],
    ),
)
class ProductCategoryViewSet(CategoryViewMixin, StoreMixin, ContractViewSet):
    envelope_singular, envelope_plural = "product_category", "product_categories"
    serializer_class = StoreCategorySerializer
    filterset_class = StoreCategoryFilter
    allowed_fields = tuple(CATEGORY_FIELDS)
    store_scope = True
