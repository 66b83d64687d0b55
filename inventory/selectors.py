"""Reads on stock. `available_quantity` is THE availability formula; everything else uses it.

What a channel can sell of a variant is the sum, over the channel's **distinct** live
locations, of `stocked - reserved` at each (`LEVEL_AVAILABLE`). The locations are a set (an
`IN` over the channel's links, never a join), so a location shared by two channels counts once
per channel and never twice within one. While no live stock location exists at all, the
variant's own `inventory_quantity` is what it has (shops from before locations keep working);
a variant without managed inventory shows its own quantity too, as in Medusa.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from catalog.models import ProductVariant
from commerce.lookups import first_or_raise
from inventory.exceptions import InventoryItemNotFound, StockLocationNotFound
from inventory.models import InventoryItem, InventoryLevel, SalesChannelLocation, StockLocation
from saleschannels.exceptions import SalesChannelNotFound
from saleschannels.models import SalesChannel
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, restrict

# Available at one location. The per-location side of the formula (completion allocates by it).
LEVEL_AVAILABLE = F("stocked_quantity") - F("reserved_quantity")


def _ids(channel_ids: Collection[str]) -> Collection[str]:
    """Keep a subquery of ids a subquery (`sales_channel_id__in=`); copy anything else."""
    return channel_ids if isinstance(channel_ids, QuerySet) else list(channel_ids)


def channel_location_ids(channel_ids: Collection[str] | None) -> QuerySet:
    """Return the live locations the channels sell from, as ids to filter by (None: all)."""
    locations = StockLocation.objects.all()
    if channel_ids is not None:
        locations = locations.filter(
            Exists(
                SalesChannelLocation.objects.filter(
                    location_id=OuterRef("pk"), sales_channel_id__in=_ids(channel_ids)
                )
            )
        )
    return locations.values("pk")


def any_stock_location() -> Exists:
    """Return whether some live stock location exists (before, variants count their own)."""
    return Exists(StockLocation.objects.all())


def available_quantity(channel_ids: Collection[str] | None, variant_ref: str = "pk") -> Expression:
    """Return THE formula: what the channels can sell of the variant `variant_ref` points at.

    An expression to annotate on variants (`variant_ref` names the variant's id in the outer
    query). See the module docstring.
    """
    per_variant = (
        InventoryLevel.objects.filter(
            inventory_item__variant_id=OuterRef(variant_ref),
            inventory_item__deleted_at__isnull=True,
            location_id__in=channel_location_ids(channel_ids),
        )
        .order_by()
        .values("inventory_item__variant_id")
        .annotate(total=Sum(LEVEL_AVAILABLE))
        .values("total")
    )
    return Case(
        When(manage_inventory=False, then=F("inventory_quantity")),
        When(~any_stock_location(), then=F("inventory_quantity")),
        default=Coalesce(Subquery(per_variant), Value(0)),
        output_field=IntegerField(),
    )


def variants_available(
    *, variant_ids: Collection[str], channel_ids: Collection[str] | None
) -> dict[str, int]:
    """Return `available_quantity` of each variant (one query)."""
    return dict(
        ProductVariant.all_objects.filter(pk__in=list(variant_ids))
        .annotate(available=available_quantity(channel_ids))
        .values_list("pk", "available")
    )


def stock_locations_exist() -> bool:
    return StockLocation.objects.exists()


def location_channel_ids(*, location_id: str) -> list[str]:
    """Return the ids of the channels linked to the stock location (those its events concern)."""
    return list(
        SalesChannelLocation.objects.filter(location_id=location_id).values_list(
            "sales_channel_id", flat=True
        )
    )


def channel_has_stock_location(*, channel_id: str) -> bool:
    """Whether the channel sells from any live stock location (the diagnosis's `no_stock_location`).

    True while no stock location exists at all: then variants count their own stock, and no
    channel lacks a location.
    """
    if not stock_locations_exist():
        return True
    return SalesChannelLocation.objects.filter(
        sales_channel_id=channel_id, location__deleted_at__isnull=True
    ).exists()


def channels_without_stock_location(channel_ids: Collection[str]) -> set[str]:
    """Return those channels that sell from no live stock location while some location exists.

    The set `channel_has_stock_location` says False for, for several channels: one query (two
    when none of them has a location). Registered as `catalog.hooks.unlocated_channels`.
    """
    wanted = set(channel_ids)
    located = set(
        SalesChannelLocation.objects.filter(
            sales_channel_id__in=sorted(wanted), location__deleted_at__isnull=True
        ).values_list("sales_channel_id", flat=True)
    )
    if not located and not stock_locations_exist():
        return set()
    return wanted - located


def product_channel_availability(*, product_id: str, channel_id: str) -> dict[str, int]:
    """Return what the channel can sell of each live variant of the product (one query)."""
    return dict(
        ProductVariant.objects.filter(product_id=product_id)
        .annotate(available=available_quantity([channel_id]))
        .values_list("pk", "available")
    )


def variant_sales_channel_availability(
    *, variant_id: str, scope: ChannelScope = EVERY_CHANNEL, limit: int = 20
) -> list[dict[str, object]]:
    """Return Medusa's `sales_channel_availability` of a variant: the first 20 live channels.

    Only the channels in `scope`. A channel with no location gets 0 (once locations exist;
    before, the variant's own stock). One query for the channels, one for the quantities.
    """
    channels = list(
        restrict(SalesChannel.objects.all(), scope).order_by("created_at", "id")[:limit]
    )
    names = [f"channel_{index}" for index in range(len(channels))]
    row = (
        ProductVariant.all_objects.filter(pk=variant_id)
        .annotate(
            **{
                name: available_quantity([channel.pk])
                for name, channel in zip(names, channels, strict=True)
            }
        )
        .values_list(*names)
        .first()
        if channels
        else None
    )
    quantities = dict(enumerate(row or ()))
    return [
        {
            "channel_name": channel.name,
            "channel_id": channel.pk,
            "available_quantity": quantities.get(index, 0),
        }
        for index, channel in enumerate(channels)
    ]


def stock_location_get(*, location_id: str) -> StockLocation:
    return first_or_raise(
        StockLocation.objects.select_related("address").filter(pk=location_id),
        StockLocationNotFound(location_id),
    )


def stock_location_qs() -> QuerySet[StockLocation]:
    return StockLocation.objects.select_related("address")


def inventory_item_get(*, item_id: str) -> InventoryItem:
    return first_or_raise(
        InventoryItem.objects.select_related("variant").filter(pk=item_id),
        InventoryItemNotFound(item_id),
    )


def inventory_items_of_variant(*, variant_id: str) -> list[InventoryItem]:
    return list(InventoryItem.objects.filter(variant_id=variant_id).order_by("created_at", "id"))


def levels_of_item(*, item_id: str) -> QuerySet[InventoryLevel]:
    return InventoryLevel.objects.filter(inventory_item_id=item_id).order_by("created_at", "id")


def stock_location_list(
    *, sales_channel_ids: Collection[str] | None, scope: ChannelScope, relations: Collection[str]
) -> QuerySet[StockLocation]:
    """Live locations, newest first; `sales_channel_ids`: linked to any of them (Medusa §5.7).

    None of the given ids a live channel (in the user's scope) → SalesChannelNotFound with them
    all, as Medusa. `relations`: `address` (joined), `sales_channels` (one query per page, the
    user's channels only).
    """
    locations = restrict(StockLocation.objects.all(), scope)
    if sales_channel_ids is not None:
        ids = list(dict.fromkeys(sales_channel_ids))
        live = restrict(SalesChannel.objects.filter(pk__in=ids), scope)
        if not live.exists():
            raise SalesChannelNotFound(", ".join(ids))
        locations = locations.filter(
            Exists(
                SalesChannelLocation.objects.filter(
                    location_id=OuterRef("pk"), sales_channel_id__in=ids
                )
            )
        )
    if "address" in relations:
        locations = locations.select_related("address")
    if "sales_channels" in relations:
        channels = restrict(SalesChannel.objects.all(), scope).order_by("created_at", "id")
        locations = locations.prefetch_related(
            Prefetch(
                "channel_links__sales_channel",
                queryset=channels,
            )
        )
    return locations.order_by("-created_at", "-id")


def location_channels_attach(locations: Iterable[StockLocation]) -> None:
    """Give each location `loaded_sales_channels` from its prefetched links (first 20, as Medusa)."""
    for location in locations:
        links = location.channel_links.all()
        channels = [link.sales_channel for link in links if link.sales_channel is not None]
        channels.sort(key=lambda channel: (channel.created_at, channel.id))
        location.loaded_sales_channels = channels[:20]  # type: ignore[attr-defined]  # read by the serializer


def channel_locations(*, channel_id: str) -> list[SalesChannelLocation]:
    """Return a channel's live location links, best first (priority, then location id)."""
    return list(
        SalesChannelLocation.objects.filter(
            sales_channel_id=channel_id, location__deleted_at__isnull=True
        )
        .select_related("location")
        .order_by("priority", "location_id")
    )
