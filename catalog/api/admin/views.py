from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import availability, selectors, services
from catalog.api.admin.filters import AdminProductFilter
from catalog.api.admin.serializers import (
    PRODUCT_FIELDS,
    AdminChannelListingsInputSerializer,
    AdminChannelListingsSerializer,
    AdminProductAvailabilitySerializer,
    AdminProductCreateInputSerializer,
    AdminProductSerializer,
    AdminProductUpdateInputSerializer,
    AdminSalesChannelProductsBatchAddInputSerializer,
)
from catalog.api.counts import with_cached_listing
from catalog.api.serializers import products_rendered
from catalog.models import PHYSICAL_FIELDS, Product, ProductStatus
from commerce import flags
from commerce.api.filters import active_filters, requested_order, view_query
from commerce.api.fragments import context_shape, rendered_rows
from commerce.api.mixins import (
    FeatureFlagRequiredMixin,
    PageReleaseMixin,
    loaded_relations_release,
    validated_input,
    with_parent_paths,
)
from commerce.api.pagination import SinglePassLimitOffsetPagination
from commerce.api.query import parse_query
from commerce.api.rendering import serialize, tree_shape
from commerce.api.schema import DeleteWithBodyAutoSchema, operation
from commerce.api.viewsets import ContractModelViewSet, contract_schema
from saleschannels.api.admin.serializers import (
    AdminSalesChannelProductsBatchInputSerializer,
    AdminSalesChannelSerializer,
)
from saleschannels.api.admin.views import SalesChannelEnvelope
from saleschannels.scope import staff_scope
from saleschannels.services import MAX_BATCH_IDS

_CHANNEL_RELATIONS = ("sales_channels", "channel_listings")
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
_EXTRA_RELATIONS = ("categories", "channel_listings")


# ---- SALES CHANNEL ↔ PRODUCTS (calls a catalog service, hence lives here) ----


_BATCH_DOC = (
    'Body `{"product_ids": [{"id": "prod_…"}]}`, at most '
    f"{MAX_BATCH_IDS:,} ids. Idempotent; a fixed number of SQL statements whatever the "
    "number of ids. Answers the channel without relations."
)
_LISTING_DOC = (
    " Our extension (docs/listings.md): an item may also set its listing in the channel, "
    "`is_published`, `published_at`, `visible_in_listings`, `available_for_purchase_at`; "
    "a plain `{id}` keeps a linked product's listing (a new link gets the defaults)."
)


class AdminSalesChannelProductsBatchView(FeatureFlagRequiredMixin, APIView):
    """`POST|DELETE /api/admin/sales-channels/{id}/products/batch`."""

    required_feature_flag = flags.SALES_CHANNELS
    schema = DeleteWithBodyAutoSchema()

    def _product_ids(self, request: Request) -> list[str]:
        payload = validated_input(AdminSalesChannelProductsBatchInputSerializer, request.data)
        return payload["product_ids"]

    def _render(self, channel: Any) -> Response:
        return Response(
            {
                "sales_channel": AdminSalesChannelSerializer(
                    channel, context={"relations": set()}
                ).data
            }
        )

    @operation(
        "Add products to a sales channel",
        errors=(400, 401, 404),
        operation_id="admin_sales_channel_products_batch_add",
        description=_BATCH_DOC
        + " Unknown or deleted products: 400 listing them all."
        + _LISTING_DOC,
        request=AdminSalesChannelProductsBatchAddInputSerializer,
        answer=SalesChannelEnvelope,
    )
    def post(self, request: Request, pk: str) -> Response:
        payload = validated_input(AdminSalesChannelProductsBatchAddInputSerializer, request.data)
        items = payload["product_ids"]
        channel = services.sales_channel_products_add(
            channel_id=pk,
            product_ids=[item["id"] for item in items],
            scope=staff_scope(request.user),
            listings=[
                services.ListingInput(
                    product_id=item["id"],
                    sales_channel_id=pk,
                    changes={k: v for k, v in item.items() if k != "id"},
                )
                for item in items
                if len(item) > 1
            ],
        )
        return self._render(channel)

    @operation(
        "Remove products from a sales channel",
        errors=(400, 401, 404),
        operation_id="admin_sales_channel_products_batch_remove",
        description=_BATCH_DOC + " Products that are not in the channel are ignored.",
        request=AdminSalesChannelProductsBatchInputSerializer,
        answer=SalesChannelEnvelope,
    )
    def delete(self, request: Request, pk: str) -> Response:
        channel = services.sales_channel_products_remove(
            channel_id=pk, product_ids=self._product_ids(request), scope=staff_scope(request.user)
        )
        return self._render(channel)


# ---- PRODUCTS ----


@contract_schema(
    list=operation("List products", errors=(400, 401)),
    retrieve=operation("Get a product", errors=(400, 401, 404)),
    create=operation(
        "Create a product with options, variants, prices and channels",
        errors=(400, 401, 404, 422),
        description=(
            "Without `sales_channels` (or with null or []), the product goes into the store's "
            "default channel. Unknown channels: 400 listing them."
        ),
    ),
    partial_update=operation(
        "Update a product",
        errors=(400, 401, 404, 422),
        description=(
            "`sales_channels` omitted: unchanged; null or []: removed from every channel; "
            "a list: replaced by exactly that set."
        ),
    ),
    destroy=operation("Delete a product (soft; idempotent)", errors=(401,)),
)
class AdminProductViewSet(PageReleaseMixin, ContractModelViewSet):
    envelope_singular, envelope_plural, delete_object_name = "product", "products", "product"
    default_limit = 50
    pagination_class = SinglePassLimitOffsetPagination  # cheap channel counts, one-pass deep pages
    serializer_class = AdminProductSerializer
    create_input_serializer_class = AdminProductCreateInputSerializer
    update_input_serializer_class = AdminProductUpdateInputSerializer
    filterset_class = AdminProductFilter
    allowed_fields = tuple(PRODUCT_FIELDS)

    @property
    def default_relations(self) -> tuple[str, ...]:  # type: ignore[override]  # per request here, a constant on the mixin
        if flags.sales_channels_enabled():
            return _DEFAULT_RELATIONS
        return tuple(r for r in _DEFAULT_RELATIONS if r not in _CHANNEL_RELATIONS)

    @property
    def allowed_relations(self) -> tuple[str, ...]:  # type: ignore[override]  # per request here, a constant on the mixin
        return (*self.default_relations, *_EXTRA_RELATIONS)

    def resolved_relations(self) -> set[str]:
        return with_parent_paths(super().resolved_relations())

    def get_queryset(self) -> QuerySet[Product]:
        with_deleted = any(key.startswith("deleted_at") for key in self.request.query_params)
        return selectors.product_qs_for_admin(
            relations=self.resolved_relations(),
            with_deleted=with_deleted,
            scope=staff_scope(self.request.user),
        )

    def list(self, request: Request) -> Response:
        # The selector plans the count and the page (`product_list_plan_for_admin`). The
        # page's rows are rendered only where the render cache has no fragment for their
        # version and this request's shape (`rendered_rows`): the fields, the relations, the
        # staff scope (it narrows `sales_channels` and `channel_listings`) and the host.
        channel_ids = view_query(request, self).arrays.get("sales_channel_id")
        only_channels = (
            active_filters(request, self) == {"sales_channel_id"}
            and not any(key.startswith("deleted_at") for key in request.query_params)
            and not staff_scope(request.user).restricted  # the links' count knows no scope
        )
        plan = with_cached_listing(
            selectors.product_list_plan_for_admin(
                lambda: self.filter_queryset(self.get_queryset()),
                channel_ids=channel_ids,
                only_channels=only_channels,
                order=requested_order(request, self),
            ),
            name="admin-live",
            channel_ids=channel_ids,
            at=timezone.now(),
            timed=False,
        )
        page: list[Any] = self.paginate_queryset(plan) or []  # ids and versions
        context = self.get_serializer_context()
        relations, scope = self.resolved_relations(), staff_scope(request.user)
        shape = context_shape(
            "admin-list",
            request,
            context,
            None if scope.channel_ids is None else sorted(scope.channel_ids),
        )

        def render(misses: list[Any]) -> Any:
            return products_rendered(
                [row.pk for row in misses],
                key=("admin-product", shape),
                serializer_class=AdminProductSerializer,
                sources=lambda: selectors.product_json_sources_for_admin(scope),
                context=context,
                rows=lambda ids: selectors.product_rows_for_admin(
                    ids, relations=relations, scope=scope
                ),
                render=render_found,
            )

        def render_found(found: list[Product]) -> Any:
            selectors.product_page_load_for_admin(found, relations=relations, scope=scope)
            try:
                return serialize(
                    AdminProductSerializer,
                    found,
                    many=True,
                    context=context,
                    shape=tree_shape(context),
                )
            finally:
                loaded_relations_release(found)

        data = rendered_rows(
            page,
            kind="admin-product",
            shape=shape,
            version=lambda product: product.list_version,
            render=render,
        )
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, pk: str) -> Response:
        # With the request's `expand` and `fields`; a write answers with the defaults (below).
        product = selectors.product_get_for_admin(
            product_id=pk, relations=self.resolved_relations(), scope=staff_scope(request.user)
        )
        return self.envelope(self.get_serializer(product).data)

    def get_detail_object(self, pk: str) -> Product:
        return selectors.product_get_for_admin(
            product_id=pk,
            relations=set(self.default_relations),
            scope=staff_scope(self.request.user),
        )

    def get_detail_serializer(self, instance: Product) -> AdminProductSerializer:
        relations = set(self.default_relations)
        context = {**self.get_serializer_context(), "relations": relations, "fields": None}
        return AdminProductSerializer(instance, context=context)

    def perform_create(self, data: dict[str, Any]) -> Product:
        return services.product_create(
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
            scope=staff_scope(self.request.user),
        )

    def perform_update(self, target: str, data: dict[str, Any]) -> None:
        if "sales_channels" in data:
            data["sales_channel_ids"] = data.pop("sales_channels") or []
        if "tags" in data:
            data["tags"] = [_tag_input(tag) for tag in data["tags"] or []]
        if "type" in data:
            data["type"] = _tag_input(data["type"]) if data["type"] else None
        if "categories" in data:
            data["category_ids"] = data.pop("categories") or []
        services.product_update(product_id=target, scope=staff_scope(self.request.user), **data)

    def perform_destroy(self, pk: str) -> None:
        services.product_delete(product_id=pk, scope=staff_scope(self.request.user))

    @operation(
        "Get a product's listings in its channels",
        errors=(400, 401, 404),
        methods=["GET"],
        operation_id="admin_product_channel_listings_list",
        description="Its live channels (a scoped user's only). See docs/listings.md.",
        answer=AdminChannelListingsSerializer,
    )
    @operation(
        "Set a product's listings in channels",
        errors=(400, 401, 403, 404),
        methods=["POST"],
        operation_id="admin_product_channel_listings_set",
        description=(
            "Each item sets the listing in one channel (the product joins it if it is not in "
            "it); properties left out keep their values. Channels not named are unchanged. "
            "Unknown channels: 400 naming them; outside a scoped user's channels: 403. "
            "Answers every listing of the product, as GET does."
        ),
        request=AdminChannelListingsInputSerializer,
        answer=AdminChannelListingsSerializer,
    )
    @action(detail=True, methods=["get", "post"], url_path="channel-listings")
    def channel_listings(self, request: Request, pk: str) -> Response:
        _sales_channels_required()
        scope = staff_scope(request.user)
        if request.method == "POST":
            payload = validated_input(AdminChannelListingsInputSerializer, request.data)
            links = services.product_channel_listings_set(
                product_id=pk,
                listings=[
                    services.ListingInput(
                        product_id=pk,
                        sales_channel_id=item["sales_channel_id"],
                        changes={k: v for k, v in item.items() if k != "sales_channel_id"},
                    )
                    for item in payload["channel_listings"]
                ],
                scope=scope,
            )
        else:
            selectors.product_get_for_admin(product_id=pk, relations=(), scope=scope)
            links = selectors.product_channel_listings(product_id=pk, scope=scope)
        return Response(AdminChannelListingsSerializer({"channel_listings": links}).data)

    @operation(
        "Why is a product (not) listed, reachable, purchasable in each channel",
        errors=(400, 401, 404),
        description=(
            "For every live channel (a scoped user's only), the verdicts a storefront of that "
            "channel gets now, and every reason that applies, in words. See docs/listings.md."
        ),
        parameters=[
            OpenApiParameter("sales_channel_id", str, description="Only this channel."),
            OpenApiParameter(
                "publishable_api_key_id", str, description="Only this live key's channels."
            ),
            OpenApiParameter(
                "region_id", str, description="Prices in this region's currency (else any)."
            ),
        ],
        answer=AdminProductAvailabilitySerializer,
    )
    @action(detail=True, methods=["get"], url_path="availability")
    def availability(self, request: Request, pk: str) -> Response:
        _sales_channels_required()
        query = parse_query(
            request,
            scalar_params={"sales_channel_id", "publishable_api_key_id", "region_id"},
        ).scalars
        verdicts = availability.product_availability(
            product_id=pk,
            sales_channel_id=query.get("sales_channel_id") or None,
            publishable_api_key_id=query.get("publishable_api_key_id") or None,
            region_id=query.get("region_id") or None,
            scope=staff_scope(request.user),
        )
        return Response(AdminProductAvailabilitySerializer({"availability": verdicts}).data)


def _sales_channels_required() -> None:
    """Refuse with a 404 when the sales channels feature is off (design §6): listings are theirs."""
    if not flags.sales_channels_enabled():
        raise NotFound("Not Found")


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
