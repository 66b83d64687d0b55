"""Admin collections and product categories, with their products batches (Medusa v1 shapes)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from catalog import selectors, services
from catalog.api.admin.serializers import (
    PRODUCT_FIELDS,
    AdminProductCategorySummarySerializer,
    AdminProductCollectionSerializer,
)
from catalog.api.categories import (
    CATEGORY_RELATIONS,
    TREE_PARAMETER,
    CategoryFilterBase,
    CategoryTreeMixin,
    CategoryViewMixin,
)
from catalog.api.filters import CollectionFilterBase
from catalog.api.serializers import ADMIN_CATEGORY_FIELDS
from catalog.models import Product, ProductCategory, ProductCollection
from commerce.api.filters import (
    CharInFilter,
    StrictBooleanFilter,
    date_fields,
)
from commerce.api.mixins import validated_input
from commerce.api.schema import DeleteWithBodyAutoSchema, envelope, operation
from commerce.api.serializers import (
    ContractModelSerializer,
    IdObjectListField,
    MediaUrlField,
    MetadataField,
    StrictBooleanField,
    StrictCharField,
    StrictInputSerializer,
    StrictIntegerField,
)
from commerce.api.viewsets import ContractModelViewSet, batch_schema, contract_schema
from saleschannels.scope import staff_scope
from saleschannels.services import MAX_BATCH_IDS

# ---- COLLECTIONS ----


class AdminCollectionProductSerializer(ContractModelSerializer):
    """A product of a collection, its own columns (Medusa's collection detail)."""

    thumbnail = MediaUrlField()

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        read_only_fields = fields


class AdminCollectionDetailSerializer(AdminProductCollectionSerializer):
    products = serializers.SerializerMethodField()

    class Meta(AdminProductCollectionSerializer.Meta):
        fields = [*AdminProductCollectionSerializer.Meta.fields, "products"]
        read_only_fields = fields

    @extend_schema_field(AdminCollectionProductSerializer(many=True))
    def get_products(self, collection: ProductCollection) -> list[dict[str, Any]]:
        products = selectors.collection_products(collection_id=collection.pk)
        return AdminCollectionProductSerializer(
            products, many=True, context={**self.context, "fields": None, "relations": None}
        ).data  # type: ignore[return-value]  # many=True: the stubs say ReturnDict, it is a ReturnList


class AdminCollectionFilter(CollectionFilterBase):
    title = CharInFilter(field_name="title", lookup_expr="in", help_text="Only these titles.")

    class Meta(CollectionFilterBase.Meta):
        fields = date_fields("created_at", "updated_at", "deleted_at")


class AdminCollectionCreateInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=255)
    handle = StrictCharField(max_length=255, required=False, allow_blank=True)
    metadata = MetadataField(required=False, allow_null=True)


class AdminCollectionUpdateInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=255, required=False)
    handle = StrictCharField(max_length=255, required=False)
    metadata = MetadataField(required=False, allow_null=True)


class ProductIdListField(serializers.ListField):
    """Medusa's `product_ids`: product ids as strings (collections) or `{id}` objects (categories)."""

    default_error_messages = {
        "not_a_list": "must be an array",
        "required": "must be an array",
        "null": "must be an array",
        "max_length": "must contain no more than {max_length} elements",
        "min_length": "should not be empty",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", serializers.JSONField())
        kwargs.setdefault("max_length", MAX_BATCH_IDS)
        kwargs.setdefault("min_length", 1)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        if isinstance(data, list) and len(data) > MAX_BATCH_IDS:
            self.fail("max_length", max_length=MAX_BATCH_IDS)
        values = super().to_internal_value(data)
        ids = []
        for value in values:
            if isinstance(value, dict) and set(value) == {"id"}:
                value = value["id"]
            if not isinstance(value, str) or not value.strip() or "\x00" in value:
                raise serializers.ValidationError("each value in product_ids must be a product id")
            ids.append(value.strip())
        return ids


class AdminProductsBatchInputSerializer(StrictInputSerializer):
    product_ids = ProductIdListField()


class CollectionRemovedSerializer(serializers.Serializer):
    id = serializers.CharField()
    object = serializers.CharField()
    removed_products = serializers.ListField(child=serializers.CharField())


CollectionEnvelope = envelope(
    "AdminCollectionResponse", AdminCollectionDetailSerializer, key="collection"
)
COLLECTION_FIELDS = tuple(AdminProductCollectionSerializer.Meta.fields)


@contract_schema(
    CollectionEnvelope,
    list=operation("List product collections", errors=(400, 401)),
    retrieve=operation("Get a product collection with its products", errors=(401, 404)),
    create=operation("Create a product collection", errors=(400, 401, 422)),
    partial_update=operation("Update a product collection", errors=(400, 401, 404, 422)),
    destroy=operation(
        "Delete a product collection (soft; its products leave it; idempotent)", errors=(401,)
    ),
    products_batch=batch_schema(
        "admin_collection_products_batch",
        request=AdminProductsBatchInputSerializer,
        answer=CollectionEnvelope,
        removed=CollectionRemovedSerializer,
        add=operation(
            "Put products in a collection (moving them from any other)",
            errors=(400, 401, 404),
            description="`product_ids`: ids as strings (Medusa v1) or `{id}` objects. Unknown products: 400 listing them.",
        ),
        remove=operation("Take products out of a collection", errors=(400, 401, 404)),
    ),
)
class AdminCollectionViewSet(ContractModelViewSet):
    envelope_singular, envelope_plural, delete_object_name = (
        "collection",
        "collections",
        "product-collection",
    )
    default_limit = 10  # Medusa's
    schema = DeleteWithBodyAutoSchema()
    serializer_class = AdminProductCollectionSerializer
    create_input_serializer_class = AdminCollectionCreateInputSerializer
    update_input_serializer_class = AdminCollectionUpdateInputSerializer
    filterset_class = AdminCollectionFilter
    allowed_fields = COLLECTION_FIELDS

    def get_queryset(self) -> QuerySet[ProductCollection]:
        with_deleted = any(key.startswith("deleted_at") for key in self.request.query_params)
        return (
            ProductCollection.all_objects.all() if with_deleted else ProductCollection.objects.all()
        )

    def get_detail_object(self, pk: str) -> ProductCollection:
        return selectors.collection_get(collection_id=pk)

    def get_detail_serializer(self, instance: ProductCollection) -> AdminCollectionDetailSerializer:
        context = {"request": self.request, "relations": None, "fields": None}
        return AdminCollectionDetailSerializer(instance, context=context)

    def perform_create(self, data: dict[str, Any]) -> ProductCollection:
        return services.collection_create(
            title=data["title"], handle=data.get("handle") or None, metadata=data.get("metadata")
        )

    def perform_update(self, target: str, data: dict[str, Any]) -> None:
        services.collection_update(collection_id=target, **data)

    def perform_destroy(self, pk: str) -> None:
        services.collection_delete(collection_id=pk)

    @action(detail=True, methods=["post", "delete"], url_path="products/batch")
    def products_batch(self, request: Request, pk: str) -> Response:
        ids = validated_input(AdminProductsBatchInputSerializer, request.data)["product_ids"]
        if request.method == "POST":
            services.collection_products_add(
                collection_id=pk, product_ids=ids, scope=staff_scope(request.user)
            )
            return self.detail_response(pk)
        removed = services.collection_products_remove(
            collection_id=pk, product_ids=ids, scope=staff_scope(request.user)
        )
        return Response({"id": pk, "object": "product-collection", "removed_products": removed})


# ---- CATEGORIES ----


class AdminCategorySerializer(CategoryTreeMixin, ContractModelSerializer):
    summary_serializer_class = AdminProductCategorySummarySerializer

    class Meta(CategoryTreeMixin.Meta):
        fields = [*ADMIN_CATEGORY_FIELDS, *CATEGORY_RELATIONS]


class AdminCategoryFilter(CategoryFilterBase):
    is_active = StrictBooleanFilter(
        field_name="is_active", help_text="Only active categories, or only inactive ones."
    )
    is_internal = StrictBooleanFilter(
        field_name="is_internal", help_text="Only internal categories, or only public ones."
    )


class AdminCategoryCreateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255)
    handle = StrictCharField(max_length=255, required=False, allow_blank=True)
    description = StrictCharField(required=False, allow_blank=True, allow_null=True)
    is_active = StrictBooleanField(required=False)
    is_internal = StrictBooleanField(required=False)
    parent_category_id = StrictCharField(max_length=64, required=False, allow_null=True)
    rank = StrictIntegerField(required=False, min_value=0, max_value=2**31 - 1)
    metadata = MetadataField(required=False, allow_null=True)


# The create's properties, in its order (a redeclared field keeps its place), none required;
# a handle cannot be blanked. A comment, not a docstring: that would be the OpenAPI description.
class AdminCategoryUpdateInputSerializer(AdminCategoryCreateInputSerializer):
    name = StrictCharField(max_length=255, required=False)
    handle = StrictCharField(max_length=255, required=False)


class AdminCategoryProductsBatchInputSerializer(StrictInputSerializer):
    product_ids = IdObjectListField(max_length=MAX_BATCH_IDS)


CategoryEnvelope = envelope(
    "AdminProductCategoryResponse", AdminCategorySerializer, key="product_category"
)


@contract_schema(
    CategoryEnvelope,
    list=operation("List product categories", errors=(400, 401)),
    retrieve=operation("Get a product category", errors=(401, 404), parameters=[TREE_PARAMETER]),
    create=operation(
        "Create a product category",
        errors=(400, 401, 404, 422),
        description="Placed last among its parent's children unless `rank` says otherwise.",
    ),
    partial_update=operation(
        "Update a product category (a new parent moves everything below it)",
        errors=(400, 401, 404, 422),
    ),
    destroy=operation(
        "Delete a product category (refused while it has children; idempotent)", errors=(400, 401)
    ),
    products_batch=batch_schema(
        "admin_product_category_products_batch",
        request=AdminCategoryProductsBatchInputSerializer,
        answer=CategoryEnvelope,
        add=operation("Add products to a product category (idempotent)", errors=(400, 401, 404)),
        remove=operation("Remove products from a product category", errors=(400, 401, 404)),
    ),
)
class AdminProductCategoryViewSet(CategoryViewMixin, ContractModelViewSet):
    envelope_singular, envelope_plural, delete_object_name = (
        "product_category",
        "product_categories",
        "product-category",
    )
    schema = DeleteWithBodyAutoSchema()
    serializer_class = AdminCategorySerializer
    create_input_serializer_class = AdminCategoryCreateInputSerializer
    update_input_serializer_class = AdminCategoryUpdateInputSerializer
    filterset_class = AdminCategoryFilter
    allowed_fields = tuple(ADMIN_CATEGORY_FIELDS)

    def get_detail_object(self, pk: str) -> ProductCategory:
        category = selectors.category_get(category_id=pk)
        selectors.categories_load_relations(
            [category], relations=set(CATEGORY_RELATIONS), store=False, tree=False
        )
        return category

    def get_detail_serializer(self, instance: ProductCategory) -> AdminCategorySerializer:
        context = {"request": self.request, "relations": set(CATEGORY_RELATIONS), "fields": None}
        return AdminCategorySerializer(instance, context=context)

    def perform_create(self, data: dict[str, Any]) -> ProductCategory:
        data["description"] = data.get("description") or ""
        data["handle"] = data.get("handle") or None
        return services.category_create(**data)

    def perform_update(self, target: str, data: dict[str, Any]) -> None:
        services.category_update(category_id=target, **data)

    def perform_destroy(self, pk: str) -> None:
        services.category_delete(category_id=pk)

    @action(detail=True, methods=["post", "delete"], url_path="products/batch")
    def products_batch(self, request: Request, pk: str) -> Response:
        payload = validated_input(AdminCategoryProductsBatchInputSerializer, request.data)
        ids = payload["product_ids"]
        if request.method == "POST":
            services.category_products_add(
                category_id=pk, product_ids=ids, scope=staff_scope(request.user)
            )
        else:
            services.category_products_remove(
                category_id=pk, product_ids=ids, scope=staff_scope(request.user)
            )
        return self.detail_response(pk)
