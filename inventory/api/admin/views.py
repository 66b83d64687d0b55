"""Medusa v1's stock-location, inventory-item and variant-inventory admin routes (issue 20)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.exceptions import VariantNotFound
from catalog.models import ProductVariant
from commerce import flags
from commerce.api.filters import view_query
from commerce.api.mixins import EnvelopeMixin, FeatureFlagRequiredMixin, validated_input
from commerce.api.schema import (
    DeleteResponseSerializer,
    DeleteWithBodyAutoSchema,
    envelope,
    operation,
)
from commerce.api.viewsets import ContractModelViewSet, contract_schema
from inventory import selectors, services
from inventory.api.admin.filters import InventoryItemFilter, StockLocationFilter
from inventory.api.admin.serializers import (
    ChannelStockLocationInputSerializer,
    ChannelStockLocationRemoveInputSerializer,
    InventoryItemSerializer,
    InventoryLevelCreateInputSerializer,
    InventoryLevelUpdateInputSerializer,
    StockLocationCreateInputSerializer,
    StockLocationSerializer,
    StockLocationUpdateInputSerializer,
    VariantInventorySerializer,
)
from inventory.exceptions import InventoryItemNotFound, StockLocationNotFound
from inventory.models import InventoryItem, InventoryLevel, StockLocation
from saleschannels import selectors as channel_selectors
from saleschannels.api.admin.serializers import AdminSalesChannelSerializer
from saleschannels.exceptions import SalesChannelNotFound
from saleschannels.scope import require_unrestricted, restrict, staff_scope

InventoryItemEnvelope = envelope(
    "AdminInventoryItemResponse", InventoryItemSerializer, key="inventory_item"
)
SalesChannelEnvelope = envelope(
    "AdminSalesChannelStockLocationResponse", AdminSalesChannelSerializer, key="sales_channel"
)
VariantInventoryEnvelope = envelope(
    "AdminVariantInventoryResponse", VariantInventorySerializer, key="variant"
)


# ---- SALES CHANNEL ↔ STOCK LOCATION ----


@extend_schema_view(
    post=operation(
        "Sell from a stock location in a sales channel (duplicate: no-op)",
        errors=(400, 401, 404),
        request=ChannelStockLocationInputSerializer,
        answer=SalesChannelEnvelope,
    ),
    delete=operation(
        "Stop selling from a stock location in a sales channel (no link: no-op)",
        errors=(400, 401, 404),
        request=ChannelStockLocationRemoveInputSerializer,
        answer=DeleteResponseSerializer,
    ),
)
class SalesChannelStockLocationsView(FeatureFlagRequiredMixin, APIView):
    """`POST|DELETE /admin/sales-channels/{id}/stock-locations {location_id}` (Medusa §4.8, §4.9).

    Unlike Medusa: a duplicate link is a no-op, an unknown channel is a 404 on DELETE too, and
    `priority` (lower sells first) is accepted on POST.
    """

    required_feature_flag = flags.SALES_CHANNELS
    schema = DeleteWithBodyAutoSchema()

    def _channel_in_scope(self, request: Request, channel_id: str) -> None:
        if not staff_scope(request.user).includes(channel_id):
            raise SalesChannelNotFound(channel_id)

    def post(self, request: Request, channel_id: str) -> Response:
        self._channel_in_scope(request, channel_id)
        payload = validated_input(ChannelStockLocationInputSerializer, request.data)
        services.sales_channel_location_add(channel_id=channel_id, **payload)
        channel = channel_selectors.sales_channel_get(
            channel_id=channel_id, scope=staff_scope(request.user)
        )
        data = AdminSalesChannelSerializer(channel, context={"relations": set()}).data
        return Response({"sales_channel": data})

    def delete(self, request: Request, channel_id: str) -> Response:
        self._channel_in_scope(request, channel_id)
        payload = validated_input(ChannelStockLocationRemoveInputSerializer, request.data)
        services.sales_channel_location_remove(
            channel_id=channel_id, location_id=payload["location_id"]
        )
        # As Medusa: the id is the channel's.
        return Response({"id": channel_id, "object": "stock-location", "deleted": True})


# ---- STOCK LOCATIONS ----

LOCATION_RELATIONS = ("address", "sales_channels")


@contract_schema(
    list=operation("List stock locations", errors=(400, 401, 404)),
    retrieve=operation("Get a stock location", errors=(400, 401, 404)),
    create=operation("Create a stock location", errors=(400, 401)),
    partial_update=operation("Update a stock location", errors=(400, 401, 404)),
    destroy=operation(
        "Delete a stock location (soft; its channel links are removed)", errors=(400, 401, 404)
    ),
)
class StockLocationViewSet(ContractModelViewSet):
    envelope_singular, envelope_plural, delete_object_name = (
        "stock_location",
        "stock_locations",
        "stock_location",
    )
    default_limit = 20
    serializer_class = StockLocationSerializer
    create_input_serializer_class = StockLocationCreateInputSerializer
    update_input_serializer_class = StockLocationUpdateInputSerializer
    not_found_error = StockLocationNotFound
    filterset_class = StockLocationFilter
    default_relations = ("address",)
    allowed_relations = LOCATION_RELATIONS
    allowed_fields = tuple(
        name for name in StockLocationSerializer.Meta.fields if name not in LOCATION_RELATIONS
    )
    # Locations are shared by every channel: a user scoped to channels only reads them.
    unrestricted_actions = {
        "create": "create stock locations",
        "partial_update": "change stock locations",
        "destroy": "delete stock locations",
    }

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        if self.action in self.unrestricted_actions:
            require_unrestricted(staff_scope(request.user), self.unrestricted_actions[self.action])

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return selectors.stock_location_qs().none()
        channel_ids = None
        if self.action == "list":
            channel_ids = view_query(self.request, self).arrays.get("sales_channel_id")
        return selectors.stock_location_list(
            sales_channel_ids=channel_ids,
            scope=staff_scope(self.request.user),
            relations=self.resolved_relations(),
        )

    def paginate_queryset(self, queryset: QuerySet) -> list | None:
        page = super().paginate_queryset(queryset)
        if page is not None and "sales_channels" in self.resolved_relations():
            selectors.location_channels_attach(page)
        return page

    def get_detail_object(self, pk: str) -> StockLocation:
        location = super().get_detail_object(pk)
        if "sales_channels" in self.resolved_relations():
            selectors.location_channels_attach([location])
        return location

    def perform_create(self, data: dict[str, Any]) -> StockLocation:
        return services.stock_location_create(**data)

    def perform_update(self, target: str, data: dict[str, Any]) -> None:
        services.stock_location_update(location_id=target, changes=data)

    def perform_destroy(self, pk: str) -> None:
        services.stock_location_delete(location_id=pk)


# ---- INVENTORY ITEMS AND LEVELS ----


def _items_with_levels(request: Request) -> QuerySet[InventoryItem]:
    """Items of the products in the user's channel scope, with their levels at live locations."""
    levels = InventoryLevel.objects.filter(location__deleted_at__isnull=True).order_by(
        "created_at", "id"
    )
    return restrict(InventoryItem.objects.all(), staff_scope(request.user)).prefetch_related(
        Prefetch("levels", queryset=levels, to_attr="loaded_levels")
    )


def _item_in_scope(request: Request, item_id: str) -> None:
    if not restrict(InventoryItem.objects.filter(pk=item_id), staff_scope(request.user)).exists():
        raise InventoryItemNotFound(item_id)


def _item_response(request: Request, item_id: str) -> Response:
    item = _items_with_levels(request).filter(pk=item_id).first()
    if item is None:
        raise InventoryItemNotFound(item_id)
    return Response({"inventory_item": InventoryItemSerializer(item).data})


LOCATION_PARAMETER = OpenApiParameter(
    "location_id", str, OpenApiParameter.PATH, description="The stock location id (`sloc_…`)."
)


@contract_schema(
    InventoryItemEnvelope,
    list=operation(
        "List inventory items (one per variant with managed inventory)", errors=(400, 401)
    ),
    retrieve=operation("Get an inventory item with its location levels", errors=(401, 404)),
)
class InventoryItemViewSet(EnvelopeMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    envelope_singular, envelope_plural = "inventory_item", "inventory_items"
    default_limit = 20
    serializer_class = InventoryItemSerializer
    filterset_class = InventoryItemFilter

    def get_queryset(self) -> QuerySet[InventoryItem]:
        if getattr(self, "swagger_fake_view", False):
            return InventoryItem.objects.none()
        return _items_with_levels(self.request).order_by("-created_at", "-id")

    def retrieve(self, request: Request, pk: str) -> Response:
        return _item_response(request, pk)


class InventoryItemLocationLevelsView(APIView):
    """`GET|POST /admin/inventory-items/{id}/location-levels`."""

    @operation(
        "List an inventory item's location levels", errors=(401, 404), answer=InventoryItemEnvelope
    )
    def get(self, request: Request, item_id: str) -> Response:
        return _item_response(request, item_id)

    @operation(
        "Stock an inventory item at a location",
        errors=(400, 401, 404),
        request=InventoryLevelCreateInputSerializer,
        answer=InventoryItemEnvelope,
    )
    def post(self, request: Request, item_id: str) -> Response:
        _item_in_scope(request, item_id)
        payload = validated_input(InventoryLevelCreateInputSerializer, request.data)
        services.inventory_level_create(item_id=item_id, **payload)
        return _item_response(request, item_id)


@extend_schema_view(
    post=operation(
        "Set an item's stocked or incoming quantity at a location",
        errors=(400, 401, 404),
        operation_id="admin_inventory_items_location_level_update",
        request=InventoryLevelUpdateInputSerializer,
        answer=InventoryItemEnvelope,
    ),
    delete=operation(
        "Remove an item's level at a location (refused while stock is reserved there)",
        errors=(400, 401, 404),
        operation_id="admin_inventory_items_location_level_delete",
        request=None,
        answer=DeleteResponseSerializer,
    ),
)
@extend_schema(parameters=[LOCATION_PARAMETER])
class InventoryItemLocationLevelView(APIView):
    """`POST|DELETE /admin/inventory-items/{id}/location-levels/{location_id}`."""

    schema = DeleteWithBodyAutoSchema()

    def post(self, request: Request, item_id: str, location_id: str) -> Response:
        _item_in_scope(request, item_id)
        payload = validated_input(InventoryLevelUpdateInputSerializer, request.data)
        services.inventory_level_update(item_id=item_id, location_id=location_id, **payload)
        return _item_response(request, item_id)

    def delete(self, request: Request, item_id: str, location_id: str) -> Response:
        _item_in_scope(request, item_id)
        services.inventory_level_delete(item_id=item_id, location_id=location_id)
        return Response({"id": location_id, "object": "inventory-level", "deleted": True})


class VariantInventoryView(APIView):
    """`GET /admin/variants/{id}/inventory` (Medusa §5.10)."""

    @operation(
        "A variant's inventory items and what each sales channel can sell of it",
        errors=(401, 404),
        answer=VariantInventoryEnvelope,
    )
    def get(self, request: Request, variant_id: str) -> Response:
        scope = staff_scope(request.user)
        if not restrict(ProductVariant.objects.filter(pk=variant_id), scope).exists():
            raise VariantNotFound(variant_id)
        items = list(
            _items_with_levels(request).filter(variant_id=variant_id).order_by("created_at")
        )
        availability: list[dict[str, Any]] = []
        if flags.sales_channels_enabled():
            availability = selectors.variant_sales_channel_availability(
                variant_id=variant_id, scope=scope
            )
        data = {"id": variant_id, "inventory": items, "sales_channel_availability": availability}
        return Response({"variant": VariantInventorySerializer(data).data})
