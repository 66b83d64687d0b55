from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from catalog import listings, selectors
from catalog.api.counts import with_cached_listing
from catalog.api.serializers import products_rendered
from catalog.api.store.filters import ProductFilter, VariantFilter
from catalog.api.store.serializers import (
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    ProductSerializer,
    VariantStoreListSerializer,
)
from catalog.exceptions import ProductNotInKeyScope, VariantNotInKeyScope
from catalog.models import Product, ProductVariant
from catalog.pricing import cart_region_get
from catalog.selectors import PriceSelection, StoreReading
from commerce import flags
from commerce.api.filters import active_filters, requested_order, view_query
from commerce.api.fragments import context_shape, rendered_rows
from commerce.api.mixins import (
    ContractViewHost,
    EnvelopeMixin,
    ExpandMixin,
    loaded_relations_release,
)
from commerce.api.pagination import (
    SinglePassLimitOffsetPagination,
    UncountedLimitOffsetPagination,
)
from commerce.api.query import ParsedQuery, parse_query
from commerce.api.rendering import serialize, tree_shape
from commerce.api.schema import envelope, operation
from commerce.api.store.views import (
    PUBLISHABLE_KEY_PARAMETER,
    StoreMixin,
)
from commerce.services import region_get
from saleschannels.api.store.scope import (
    request_key_scope,
    sales_channel_param_check,
    store_channel_ids,
)
from saleschannels.selectors import default_sales_channel_id_query

# A detail route's price parameters, described as the list's FilterSet declares them.
PRICE_PARAMETERS = [
    OpenApiParameter(
        name, str, description=str(ProductFilter.base_filters[name].extra["help_text"])
    )
    for name in ("cart_id", "region_id", "currency_code")
]
CHANNEL_DETAIL_PARAMETER = OpenApiParameter(
    "sales_channel_id",
    str,
    description="Accepted for Medusa compatibility (availability only); with a key it must be within the key's channels.",
)
PRODUCT_RELATIONS = (
    "variants",
    "variants.prices",
    "variants.options",
    "options",
    "options.values",
    "images",
    "tags",
    "type",
    "categories",
)
VARIANT_RELATIONS = ("prices", "options", "product")


def catalogue_schema(
    list_summary: str, list_answer: Any, retrieve_summary: str, detail_answer: Any
) -> Callable[[type], type]:
    """Return the `extend_schema_view` of a store catalogue view (products, variants).

    A key scopes both actions; a detail also takes a `sales_channel_id` and a price selection.
    """
    return extend_schema_view(
        list=operation(
            list_summary,
            errors=(400, 404),
            parameters=[PUBLISHABLE_KEY_PARAMETER],
            answer=list_answer,
        ),
        retrieve=operation(
            retrieve_summary,
            errors=(400, 404),
            parameters=[PUBLISHABLE_KEY_PARAMETER, CHANNEL_DETAIL_PARAMETER, *PRICE_PARAMETERS],
            answer=detail_answer,
        ),
    )


class StoreCatalogueMixin(StoreMixin, ContractViewHost):
    """Price selection, relation names and query parsing shared by store products and variants."""

    _price_selection: PriceSelection | None  # set once per request by price_selection()
    detail_query_params: tuple[str, ...] = (
        "cart_id",
        "region_id",
        "currency_code",
        "sales_channel_id",
    )

    def query(self) -> ParsedQuery:
        if self.action == "list":
            return view_query(self.request, self)
        return parse_query(
            self.request,
            scalar_params=set(self.detail_query_params),
            flagged_params={"sales_channel_id": flags.SALES_CHANNELS},
        )

    def price_selection(self) -> PriceSelection | None:
        if hasattr(self, "_price_selection"):
            return self._price_selection
        scalars = self.query().scalars
        selection = None
        region = None
        if scalars.get("cart_id"):
            # As Medusa: the cart's region and its currency, whatever region_id/currency_code say.
            region = cart_region_get(cart_id=scalars["cart_id"])
        elif scalars.get("region_id"):
            region = region_get(region_id=scalars["region_id"])
        if region is not None:
            selection = PriceSelection(
                currency_code=region.currency_code, region_id=region.pk, tax_rate=region.tax_rate
            )
        elif scalars.get("currency_code"):
            selection = PriceSelection(currency_code=scalars["currency_code"].lower())
        self._price_selection = selection
        return selection

    def store_relations(self) -> set[str]:
        return {name.split(".")[0] for name in self.resolved_relations()}

    def moment(self) -> datetime:
        """Return the moment this request is answered for: every listing condition compares with it."""
        if not hasattr(self, "_moment"):
            self._moment = listings.moment()
        return self._moment

    def channel_ids(self) -> list[str] | None:
        return store_channel_ids(
            self.request, requested=self.query().arrays.get("sales_channel_id")
        )

    def stock_channel_ids(self) -> Collection[str] | None:
        """Return the channels whose stock a detail's `inventory_quantity` shows (Medusa §6.5).

        The `sales_channel_id` param, else the key's channel(s), else the store's default
        channel (as a subquery: no query more); lists use the channels they are limited to.
        """
        if not flags.sales_channels_enabled():
            return None
        requested = self.query().scalars.get("sales_channel_id")
        if requested:
            return [requested]
        scope = request_key_scope(self.request)
        if scope is not None:
            return list(scope.sales_channel_ids)
        return default_sales_channel_id_query()  # type: ignore[return-value]  # an id subquery: SQL takes it as IN (…)

    def detail_scope(self):
        """Resolve the key, and check a `sales_channel_id` param against it (Medusa does both)."""
        scope = request_key_scope(self.request)
        requested = self.query().scalars.get("sales_channel_id")
        if requested:
            sales_channel_param_check(requested=[requested], scope=scope)
        return scope

    def loaded_relations(self) -> set[str]:
        """Return the relations the selector loads: those rendered (a view may need more)."""
        return self.store_relations()

    def list_need(self) -> listings.Need:
        """Return what a list needs of a product's listing in its channels."""
        return listings.Need.LISTED

    def list_reading(self) -> StoreReading:
        """Return what a list's selector reads it with: its channels (stock too), relations, prices."""
        channel_ids = self.channel_ids()
        return StoreReading(
            channel_ids=channel_ids,
            relations=self.loaded_relations(),
            prices=self.price_selection(),
            at=self.moment(),
            need=self.list_need(),
            stock_channel_ids=channel_ids,
        )

    def detail_reading(self) -> StoreReading:
        """Return what a detail's selector reads it with: relations, prices, the stock's channels."""
        return StoreReading(
            relations=self.loaded_relations(),
            prices=self.price_selection(),
            at=self.moment(),
            stock_channel_ids=self.stock_channel_ids(),
        )

    # A detail: the key (and a `sales_channel_id` param) checked, the object read by the view's
    # get_detail_object(pk), then refused with its `not_in_key_scope_error` when it is outside
    # the key's channels (`in_channels(pk, channel_ids)`).
    not_in_key_scope_error: type[Exception]

    def in_channels(self, pk: str, channel_ids: Collection[str]) -> bool:
        raise NotImplementedError

    def retrieve(self, request: Request, pk: str) -> Response:
        scope = self.detail_scope()
        found = self.get_detail_object(pk)
        if scope is not None and not self.in_channels(pk, scope.sales_channel_ids):
            raise self.not_in_key_scope_error(pk)
        return self.envelope(self.get_serializer(found).data)

    def rendered_relations(self) -> set[str]:
        return self.store_relations()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if "relations" in context:  # a GET's (ExpandMixin)
            context["price_selection"] = self.price_selection()
        return context


ProductEnvelope = envelope("StoreProductResponse", ProductSerializer, key="product")


@catalogue_schema(
    "List published products of the request's sales channels",
    ProductSerializer(many=True),
    "Get a published product",
    ProductEnvelope,
)
class ProductViewSet(
    StoreCatalogueMixin,
    EnvelopeMixin,
    ExpandMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    envelope_singular, envelope_plural = "product", "products"
    not_in_key_scope_error = ProductNotInKeyScope
    default_limit = 100
    pagination_class = SinglePassLimitOffsetPagination  # the selector's ListPlan (issue 16)
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    # Medusa's store defaults (its shipping profiles aside).
    default_relations = ("variants", "options", "collection", "images", "tags", "type")
    allowed_fields = tuple(PRODUCT_FIELDS)

    @property
    def allowed_relations(self) -> tuple[str, ...]:  # type: ignore[override]  # per request here, a constant on the mixin
        relations = (*PRODUCT_RELATIONS, "collection")
        return (*relations, "sales_channels") if flags.sales_channels_enabled() else relations

    def store_relations(self) -> set[str]:
        relations = super().store_relations()
        if request_key_scope(self.request) is not None:
            # A key-scoped product read shows each product's channels (as Medusa 1.20 answers
            # `/store/products` with a publishable key).
            relations.add("sales_channels")
        return relations

    def get_queryset(self) -> QuerySet[Product]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no DB
            return Product.objects.none()
        return selectors.product_qs_for_store(reading=self.list_reading())

    def list_need(self) -> listings.Need:
        """Return what a list needs: by handle (a product page) it reaches unlisted products."""
        if "handle" in active_filters(self.request, self):
            return listings.Need.REACHABLE
        return listings.Need.LISTED

    def list(self, request: Request) -> Response:
        # A page's ids and versions (+ the count), then each one's cached JSON. The selector
        # plans the count and the page (`product_list_plan_for_store`); the pagination reads
        # the plan; the page's products are rendered only where the render cache has no
        # fragment for their version and this request's shape (`rendered_rows`).
        reading = self.list_reading()
        channel_ids, at = reading.channel_ids, self.moment()

        def products() -> QuerySet[Product]:
            # The page's rows alone: the misses' relations are loaded by `render_products`.
            return self.filter_queryset(selectors.product_qs_for_store(reading=reading))

        plan = with_cached_listing(
            selectors.product_list_plan_for_store(
                products,
                channel_ids=channel_ids,
                narrowed=bool(active_filters(request, self)),
                order=requested_order(request, self),
                at=at,
            ),
            name="store-listed",
            channel_ids=channel_ids,
            at=at,
            timed=True,
        )
        page: list[Any] = self.paginate_queryset(plan) or []  # type: ignore[arg-type]  # the pagination reads a ListPlan (commerce.selectors)
        context = self.get_serializer_context()

        shape = self.render_shape(context, channel_ids)

        def render(misses: list[Any]) -> list[Any]:
            return products_rendered(
                [row.pk for row in misses],
                key=("store-product", shape),
                serializer_class=ProductSerializer,
                sources=lambda: selectors.product_json_sources_for_store(reading),
                context=context,
                rows=lambda ids: selectors.product_rows_for_store(ids, reading=reading),
                render=lambda found: self.render_products(found, reading, context),
            )

        data = rendered_rows(
            page,
            kind="store-product",
            shape=shape,
            version=lambda row: row.list_version,
            render=render,
        )
        return self.get_paginated_response(data)

    def render_shape(self, context: dict[str, Any], channel_ids: Collection[str] | None) -> str:
        """Everything besides a product's own rows that its JSON depends on, as one key."""
        return context_shape(
            "list",
            self.request,
            context,
            context.get("price_selection"),
            None if channel_ids is None else sorted(set(channel_ids)),
        )

    def render_products(
        self, products: Sequence[Product], reading: StoreReading, context: dict[str, Any]
    ) -> Any:  # the serializer's list of dicts
        selectors.product_page_load(products, reading=reading)
        try:
            return serialize(
                ProductSerializer, products, many=True, context=context, shape=tree_shape(context)
            )
        finally:
            loaded_relations_release(products)

    def get_detail_object(self, pk: str) -> Product:
        return selectors.product_get_for_store(product_id=pk, reading=self.detail_reading())

    def in_channels(self, pk: str, channel_ids: Collection[str]) -> bool:
        return selectors.product_in_channels(
            product_id=pk, channel_ids=channel_ids, at=self.moment()
        )


@extend_schema_serializer(many=False)  # a list action, but not a paginated array
class StoreVariantListResponseSerializer(serializers.Serializer):
    variants = VariantStoreListSerializer(many=True)


VariantEnvelope = envelope("StoreVariantResponse", VariantStoreListSerializer, key="variant")


@catalogue_schema(
    "List variants of published products (Medusa answers `{variants}` without a count)",
    StoreVariantListResponseSerializer,
    "Get a variant of a published product",
    VariantEnvelope,
)
class VariantViewSet(StoreCatalogueMixin, EnvelopeMixin, ExpandMixin, viewsets.GenericViewSet):
    """`/store/variants`, scoped by channel like `/store/products` so both show one catalogue."""

    envelope_singular, envelope_plural = "variant", "variants"
    not_in_key_scope_error = VariantNotInKeyScope
    default_limit = 100
    pagination_class = UncountedLimitOffsetPagination
    serializer_class = VariantStoreListSerializer
    filterset_class = VariantFilter
    default_relations = ("prices", "options")
    allowed_relations = VARIANT_RELATIONS
    allowed_fields = tuple(VARIANT_FIELDS)

    def loaded_relations(self) -> set[str]:
        """Return what is rendered, plus prices when a calculated price is asked for."""
        relations = self.store_relations()
        return relations | {"prices"} if self.price_selection() is not None else relations

    def get_queryset(self) -> QuerySet[ProductVariant]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no DB
            return ProductVariant.objects.none()
        return selectors.variant_qs_for_store(reading=self.list_reading())

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_detail_object(self, pk: str) -> ProductVariant:
        return selectors.variant_get_for_store(variant_id=pk, reading=self.detail_reading())

    def in_channels(self, pk: str, channel_ids: Collection[str]) -> bool:
        return selectors.variant_in_channels(
            variant_id=pk, channel_ids=channel_ids, at=self.moment()
        )
