from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors, services
from catalog.api.admin.filters import AdminProductFilter
from catalog.api.admin.serializers import (
    PRODUCT_FIELDS,
    AdminProductCreateInputSerializer,
    AdminProductSerializer,
    AdminProductUpdateInputSerializer,
)
from catalog.models import PHYSICAL_FIELDS, Product, ProductStatus
from commerce import flags
from commerce.api.filters import active_filters, view_query
from commerce.api.mixins import (
    EnvelopeMixin,
    ExpandMixin,
    FeatureFlagRequiredMixin,
    PageReleaseMixin,
)
from commerce.api.pagination import SinglePassLimitOffsetPagination
from commerce.api.schema import (
    DeleteResponseSerializer,
    DeleteWithBodyAutoSchema,
    envelope,
    errors,
)
from saleschannels.api.admin.serializers import (
    AdminSalesChannelProductsBatchInputSerializer,
    AdminSalesChannelSerializer,
)
from saleschannels.scope import staff_scope
from saleschannels.services import MAX_BATCH_IDS

ProductEnvelope = envelope("AdminProductResponse", AdminProductSerializer, key="product")
SalesChannelEnvelope = envelope(
    "AdminSalesChannelResponse", AdminSalesChannelSerializer, key="sales_channel"
)

_CHANNEL_RELATIONS = ("sales_channels",)
_DEFAULT_RELATIONS = (
    "variants",
    "variants.prices",
    "variants.options",
    "options",
    "options.values",
    "sales_channels",
    "collection",
    "images",
    "tags",
    "type",
)
_EXTRA_RELATIONS = ("categories",)


def _with_parents(relations: set[str]) -> set[str]:
    """`variants.prices` implies `variants`, as a relation path does in Medusa."""
    expanded = set(relations)
    for name in relations:
        parts = name.split(".")
        expanded.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return expanded


# ---- SALES CHANNEL ↔ PRODUCTS (calls a catalog service, hence lives here) ----


_BATCH_DOC = (
    'Body `{"product_ids": [{"id": "prod_…"}]}`, at most '
    f"{MAX_BATCH_IDS:,} ids. Idempotent; a fixed number of SQL statements whatever the "
    "number of ids. Answers the channel without relations."
)


class AdminSalesChannelProductsBatchView(FeatureFlagRequiredMixin, APIView):
    """`POST|DELETE /api/admin/sales-channels/{id}/products/batch`."""

    required_feature_flag = flags.SALES_CHANNELS
    schema = DeleteWithBodyAutoSchema()

    def _product_ids(self, request: Request) -> list[str]:
        payload = AdminSalesChannelProductsBatchInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return payload.validated_data["product_ids"]

    def _render(self, channel: Any) -> Response:
        return Response(
            {
                "sales_channel": AdminSalesChannelSerializer(
                    channel, context={"relations": set()}
                ).data
            }
        )

    @extend_schema(
        operation_id="admin_sales_channel_products_batch_add",
        summary="Add products to a sales channel",
        description=_BATCH_DOC + " Unknown or deleted products: 400 listing them all.",
        request=AdminSalesChannelProductsBatchInputSerializer,
        responses={200: SalesChannelEnvelope, **errors(400, 401, 404)},
    )
    def post(self, request: Request, pk: str) -> Response:
        channel = services.sales_channel_products_add(
            channel_id=pk, product_ids=self._product_ids(request), scope=staff_scope(request.user)
        )
        return self._render(channel)

    @extend_schema(
        operation_id="admin_sales_channel_products_batch_remove",
        summary="Remove products from a sales channel",
        description=_BATCH_DOC + " Products that are not in the channel are ignored.",
        request=AdminSalesChannelProductsBatchInputSerializer,
        responses={200: SalesChannelEnvelope, **errors(400, 401, 404)},
    )
    def delete(self, request: Request, pk: str) -> Response:
        channel = services.sales_channel_products_remove(
            channel_id=pk, product_ids=self._product_ids(request), scope=staff_scope(request.user)
        )
        return self._render(channel)


# ---- PRODUCTS ----

_RELATIONS_DOC = (
    "Comma list of relations, replacing the defaults (all but categories): variants, "
    "variants.prices, variants.options, options, options.values, sales_channels (only with the "
    "sales_channels feature), collection, images, tags, type, categories. Empty for none."
)


@extend_schema_view(
    list=extend_schema(
        summary="List products",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Case-insensitive match on title, handle, description, variant title or SKU.",
            ),
            OpenApiParameter(
                "id", {"type": "array", "items": {"type": "string"}}, description="One or more ids."
            ),
            OpenApiParameter(
                "status",
                {
                    "type": "array",
                    "items": {
                        "type": "string",
                        "enum": ["draft", "proposed", "published", "rejected"],
                    },
                },
                description="Any of these statuses (`status[]=draft&status[]=published`).",
            ),
            OpenApiParameter(
                "sales_channel_id",
                {"type": "array", "items": {"type": "string"}},
                description="Products in any of these live channels. 400 when the feature is off.",
            ),
            OpenApiParameter(
                "collection_id",
                {"type": "array", "items": {"type": "string"}},
                description="Products in any of these collections.",
            ),
            OpenApiParameter("expand", str, description=_RELATIONS_DOC),
            OpenApiParameter("fields", str, description="Comma list of product fields to return."),
            OpenApiParameter(
                "order", str, description="Sort field, `-` for descending. Default -created_at."
            ),
        ],
        responses={200: AdminProductSerializer(many=True), **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary="Get a product",
        parameters=[
            OpenApiParameter("expand", str, description=_RELATIONS_DOC),
            OpenApiParameter("fields", str, description="Comma list of product fields to return."),
        ],
        responses={200: ProductEnvelope, **errors(400, 401, 404)},
    ),
    create=extend_schema(
        summary="Create a product with options, variants, prices and channels",
        description=(
            "Without `sales_channels` (or with null or []), the product goes into the store's "
            "default channel. Unknown channels: 400 listing them."
        ),
        request=AdminProductCreateInputSerializer,
        responses={200: ProductEnvelope, **errors(400, 401, 404, 422)},
    ),
    partial_update=extend_schema(
        summary="Update a product",
        description=(
            "`sales_channels` omitted: unchanged; null or []: removed from every channel; "
            "a list: replaced by exactly that set."
        ),
        request=AdminProductUpdateInputSerializer,
        responses={200: ProductEnvelope, **errors(400, 401, 404, 422)},
    ),
    destroy=extend_schema(
        summary="Delete a product (soft; idempotent)",
        responses={200: DeleteResponseSerializer, **errors(401)},
    ),
)
class AdminProductViewSet(
    PageReleaseMixin,
    EnvelopeMixin,
    ExpandMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    envelope_singular, envelope_plural, delete_object_name = "product", "products", "product"
    default_limit = 50
    pagination_class = SinglePassLimitOffsetPagination  # cheap channel counts, one-pass deep pages
    serializer_class = AdminProductSerializer
    filterset_class = AdminProductFilter
    array_query_params = (
        "id",
        "status",
        "sales_channel_id",
        "collection_id",
        "tags",
        "type_id",
        "category_id",
    )
    date_query_params = ("created_at", "updated_at", "deleted_at")
    flagged_query_params = {"sales_channel_id": flags.SALES_CHANNELS}
    ordering_fields = ["created_at", "updated_at", "title", "handle", "status", "id"]
    ordering = ["-created_at"]
    allowed_fields = tuple(PRODUCT_FIELDS)

    @property
    def default_relations(self) -> tuple[str, ...]:  # type: ignore[override]
        if flags.sales_channels_enabled():
            return _DEFAULT_RELATIONS
        return tuple(r for r in _DEFAULT_RELATIONS if r not in _CHANNEL_RELATIONS)

    @property
    def allowed_relations(self) -> tuple[str, ...]:  # type: ignore[override]
        return (*self.default_relations, *_EXTRA_RELATIONS)

    def resolved_relations(self) -> set[str]:
        return _with_parents(super().resolved_relations())

    def get_queryset(self) -> QuerySet[Product]:
        with_deleted = any(key.startswith("deleted_at") for key in self.request.query_params)
        return selectors.product_qs_for_admin(
            relations=self.resolved_relations(),
            with_deleted=with_deleted,
            scope=staff_scope(self.request.user),
        )

    def list(self, request: Request) -> Response:
        """List products: the selector plans the count (`product_list_plan_for_admin`), the pagination reads the plan."""
        channel_ids = view_query(request, self).arrays.get("sales_channel_id")
        only_channels = (
            active_filters(request, self) == {"sales_channel_id"}
            and not any(key.startswith("deleted_at") for key in request.query_params)
            and not staff_scope(request.user).restricted  # the links' count knows no scope
        )
        plan = selectors.product_list_plan_for_admin(
            self.filter_queryset(self.get_queryset()),
            channel_ids=channel_ids,
            only_channels=only_channels,
        )
        page = self.paginate_queryset(plan)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _render(self, product_id: str) -> Response:
        relations = set(self.default_relations)
        product = selectors.product_get_for_admin(
            product_id=product_id, relations=relations, scope=staff_scope(self.request.user)
        )
        context = {**self.get_serializer_context(), "relations": relations, "fields": None}
        return self.envelope(AdminProductSerializer(product, context=context).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        product = selectors.product_get_for_admin(
            product_id=pk, relations=self.resolved_relations(), scope=staff_scope(request.user)
        )
        return self.envelope(self.get_serializer(product).data)

    def create(self, request: Request) -> Response:
        payload = AdminProductCreateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        product = services.product_create(
            title=data["title"],
            handle=data.get("handle") or None,
            subtitle=data.get("subtitle"),
            description=data.get("description"),
            status=data.get("status", ProductStatus.DRAFT),
            thumbnail=data.get("thumbnail") or None,
            is_giftcard=data.get("is_giftcard", False),
            discountable=data.get("discountable", True),
            collection_id=data.get("collection_id"),
            metadata=data.get("metadata"),
            options=[option["title"] for option in data.get("options", [])],
            variants=[_variant_input(variant) for variant in data.get("variants", [])],
            sales_channel_ids=data.get("sales_channels"),
            images=data.get("images") or [],
            tags=[_tag_input(tag) for tag in data.get("tags") or []],
            type=_tag_input(data["type"]) if data.get("type") else None,
            category_ids=data.get("categories") or [],
            physical={name: data[name] for name in PHYSICAL_FIELDS if name in data},
            scope=staff_scope(request.user),
        )
        return self._render(product.pk)

    def partial_update(self, request: Request, pk: str) -> Response:
        payload = AdminProductUpdateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        if "sales_channels" in changes:
            changes["sales_channel_ids"] = changes.pop("sales_channels") or []
        if "tags" in changes:
            changes["tags"] = [_tag_input(tag) for tag in changes["tags"] or []]
        if "type" in changes:
            changes["type"] = _tag_input(changes["type"]) if changes["type"] else None
        if "categories" in changes:
            changes["category_ids"] = changes.pop("categories") or []
        product = services.product_update(product_id=pk, scope=staff_scope(request.user), **changes)
        return self._render(product.pk)

    def destroy(self, request: Request, pk: str) -> Response:
        services.product_delete(product_id=pk, scope=staff_scope(request.user))
        return self.deleted(pk)


def _tag_input(data: dict[str, Any]) -> services.TagInput:
    return services.TagInput(value=data.get("value"), id=data.get("id"))


def _variant_input(data: dict[str, Any]) -> services.VariantInput:
    return services.VariantInput(
        title=data["title"],
        sku=data.get("sku") or None,
        inventory_quantity=data.get("inventory_quantity", 0),
        manage_inventory=data.get("manage_inventory", True),
        allow_backorder=data.get("allow_backorder", False),
        prices=[
            services.PriceInput(
                currency_code=price["currency_code"],
                amount=price["amount"],
                region_id=price.get("region_id"),
            )
            for price in data.get("prices", [])
        ],
        option_values=[option["value"] for option in data.get("options", [])],
        metadata=data.get("metadata"),
        extra={
            **{name: data[name] or None for name in ("barcode", "ean", "upc") if name in data},
            **{name: data[name] for name in PHYSICAL_FIELDS if name in data},
        },
    )
