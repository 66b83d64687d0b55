"""Writes on stock locations, channel links, inventory items and levels, and reservations.

Each public function is one transaction (the reservation steps run inside a completion's).
Locks follow inventory.locks (docs/reliability.md, "Lock order").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from catalog.models import Product, ProductVariant
from catalog.versions import touch_products
from commerce.events import Event, EventType, emit
from commerce.lookups import first_or_raise
from commerce.services import address_save
from inventory.exceptions import (
    ChannelHasNoStockLocation,
    InsufficientInventory,
    InventoryLevelExists,
    InventoryLevelNotFound,
    ReservedAboveStocked,
    StockLocationNotFound,
)
from inventory.locks import (
    channel_links_for_delete,
    channel_locations_hold,
    levels_qs_for_update,
    locations_qs_for_update,
)
from inventory.models import (
    InventoryItem,
    InventoryLevel,
    ReservationItem,
    SalesChannelLocation,
    StockLocation,
)
from inventory.selectors import (
    inventory_item_get,
    location_channel_ids,
    stock_locations_exist,
    variants_available,
)
from saleschannels.locks import live_channel_for_update
from saleschannels.models import SalesChannel


def _stock_shown_changed(levels: QuerySet[InventoryLevel] | None) -> None:
    """Bump the versions of the products these levels stock (every product: None).

    What the store shows as a variant's quantity changed for them; the render cache keys on the
    version (catalog.versions). The last lock of the transaction: call it just before `emit`.
    """
    if levels is None:
        touch_products(Product.all_objects.all(), listings=False)
    else:
        touch_products(
            levels.values_list("inventory_item__variant__product_id", flat=True), listings=False
        )


def _location_event(type_: EventType, location_id: str) -> Event:
    return Event(
        type=type_,
        data={"id": location_id},
        sales_channel_ids=location_channel_ids(location_id=location_id),
    )


# ---- STOCK LOCATIONS ----


@transaction.atomic
def stock_location_create(
    *, name: str, address: Mapping[str, Any] | None = None, metadata: dict | None = None
) -> StockLocation:
    first = not stock_locations_exist()
    location = StockLocation.objects.create(
        name=name,
        address=address_save(data=dict(address) if address else None, current=None),
        metadata=metadata,
    )
    if first:  # from now on stock is in levels, no longer the variants' own quantity
        _stock_shown_changed(None)
    emit(Event(type=EventType.STOCK_LOCATION_CREATED, data={"id": location.pk}))
    return location


def _location_for_update(location_id: str) -> StockLocation:
    return first_or_raise(
        locations_qs_for_update().select_related("address").filter(pk=location_id),
        StockLocationNotFound(location_id),
    )


@transaction.atomic
def stock_location_update(*, location_id: str, changes: Mapping[str, Any]) -> StockLocation:
    """Rename, re-address or re-tag a location (`name`, `address`, `metadata`)."""
    location = _location_for_update(location_id)
    if "name" in changes:
        location.name = changes["name"]
    if "metadata" in changes:
        location.metadata = changes["metadata"]
    if "address" in changes:
        data = changes["address"]
        location.address = address_save(
            data=dict(data) if data is not None else None, current=location.address
        )
    location.save()
    emit(_location_event(EventType.STOCK_LOCATION_UPDATED, location.pk))
    return location


@transaction.atomic
def stock_location_delete(*, location_id: str) -> None:
    """Soft-delete a location and hard-delete its channel links, as Medusa does.

    Its levels stay (with the location gone they count nowhere); reservations already made
    there stay too (they belong to orders placed).
    """
    location = _location_for_update(location_id)
    event = _location_event(EventType.STOCK_LOCATION_DELETED, location.pk)
    links = channel_links_for_delete(channel_ids=None, location_id=location.pk)
    SalesChannelLocation.objects.filter(pk__in=links).delete()
    location.deleted_at = timezone.now()
    location.save(update_fields=["deleted_at", "updated_at"])
    # The last one gone: the variants' own quantities count again, for every product.
    _stock_shown_changed(
        None if not stock_locations_exist() else InventoryLevel.objects.filter(location=location)
    )
    emit(event)


# ---- CHANNEL ↔ LOCATION ----


@transaction.atomic
def sales_channel_location_add(
    *, channel_id: str, location_id: str, priority: int | None = None
) -> SalesChannelLocation:
    """Link a location to a channel; a duplicate link is a no-op (its priority changes if given).

    `priority`: lower sells first at completion (default 0; ties by location id).
    """
    channel = live_channel_for_update(channel_id)
    location = first_or_raise(
        StockLocation.objects.filter(pk=location_id), StockLocationNotFound(location_id)
    )
    link, created = SalesChannelLocation.objects.get_or_create(
        sales_channel=channel, location=location, defaults={"priority": priority or 0}
    )
    if not created and priority is not None and link.priority != priority:
        link.priority = priority
        link.save(update_fields=["priority", "updated_at"])
    if created:
        _stock_shown_changed(InventoryLevel.objects.filter(location=location))
        emit(
            Event(
                type=EventType.SALES_CHANNEL_LOCATION_ADDED,
                data={"id": channel.pk, "location_id": location.pk},
                sales_channel_ids=[channel.pk],
            )
        )
    return link


@transaction.atomic
def sales_channel_location_remove(*, channel_id: str, location_id: str) -> None:
    """Unlink a location from a channel (hard delete). Unknown channel: 404; no link: a no-op.

    Waits for completions reserving through the link (they hold it FOR KEY SHARE).
    """
    channel = live_channel_for_update(channel_id)
    links = channel_links_for_delete(channel_ids=[channel.pk], location_id=location_id)
    if links:
        SalesChannelLocation.objects.filter(pk__in=links).delete()
        _stock_shown_changed(InventoryLevel.objects.filter(location_id=location_id))
        emit(
            Event(
                type=EventType.SALES_CHANNEL_LOCATION_REMOVED,
                data={"id": channel.pk, "location_id": location_id},
                sales_channel_ids=[channel.pk],
            )
        )


# ---- INVENTORY ITEMS AND LEVELS ----


def inventory_items_create(*, variants: Iterable[ProductVariant]) -> list[InventoryItem]:
    """Give each variant with managed inventory its inventory item (one INSERT), as Medusa v1 does."""
    rows = [
        InventoryItem(variant_id=variant.pk, sku=variant.sku)
        for variant in variants
        if variant.manage_inventory
    ]
    return InventoryItem.objects.bulk_create(rows)


@transaction.atomic
def inventory_item_for_variant(*, variant_id: str) -> InventoryItem:
    """Return the variant's inventory item, creating it if the variant has none yet."""
    variant = ProductVariant.objects.filter(pk=variant_id).first()
    if variant is None:
        from catalog.exceptions import VariantNotFound

        raise VariantNotFound(variant_id)
    item, _ = InventoryItem.objects.get_or_create(variant=variant, defaults={"sku": variant.sku})
    return item


def _level_event(level: InventoryLevel) -> Event:
    return Event(
        type=EventType.INVENTORY_LEVEL_UPDATED,
        data={
            "id": level.pk,
            "inventory_item_id": level.inventory_item_id,
            "location_id": level.location_id,
            "stocked_quantity": level.stocked_quantity,
            "reserved_quantity": level.reserved_quantity,
            "incoming_quantity": level.incoming_quantity,
        },
        sales_channel_ids=location_channel_ids(location_id=level.location_id),
    )


def _check_quantities(stocked: int, incoming: int) -> None:
    from commerce.exceptions import InvalidData

    if stocked < 0:
        raise InvalidData("stocked_quantity must not be less than 0")
    if incoming < 0:
        raise InvalidData("incoming_quantity must not be less than 0")


@transaction.atomic
def inventory_level_create(
    *, item_id: str, location_id: str, stocked_quantity: int = 0, incoming_quantity: int = 0
) -> InventoryLevel:
    """Stock an item at a location (one level per item and location)."""
    item = inventory_item_get(item_id=item_id)
    if not StockLocation.objects.filter(pk=location_id).exists():
        raise StockLocationNotFound(location_id)
    _check_quantities(stocked_quantity, incoming_quantity)
    if InventoryLevel.objects.filter(inventory_item=item, location_id=location_id).exists():
        raise InventoryLevelExists(item.pk, location_id)
    level = InventoryLevel.objects.create(
        inventory_item=item,
        location_id=location_id,
        stocked_quantity=stocked_quantity,
        incoming_quantity=incoming_quantity,
    )
    _stock_shown_changed(InventoryLevel.objects.filter(pk=level.pk))
    emit(_level_event(level))
    return level


@transaction.atomic
def inventory_level_update(
    *,
    item_id: str,
    location_id: str,
    stocked_quantity: int | None = None,
    incoming_quantity: int | None = None,
) -> InventoryLevel:
    """Set a level's stocked and/or incoming quantity; never below what is reserved there."""
    level = (
        levels_qs_for_update().filter(inventory_item_id=item_id, location_id=location_id).first()
    )
    if level is None:
        raise InventoryLevelNotFound(item_id, location_id)
    stocked = level.stocked_quantity if stocked_quantity is None else stocked_quantity
    incoming = level.incoming_quantity if incoming_quantity is None else incoming_quantity
    _check_quantities(stocked, incoming)
    if stocked < level.reserved_quantity:
        raise ReservedAboveStocked(level.reserved_quantity)
    level.stocked_quantity, level.incoming_quantity = stocked, incoming
    level.save(update_fields=["stocked_quantity", "incoming_quantity", "updated_at"])
    _stock_shown_changed(InventoryLevel.objects.filter(pk=level.pk))
    emit(_level_event(level))
    return level


@transaction.atomic
def inventory_level_delete(*, item_id: str, location_id: str) -> None:
    """Remove a level that holds no reservation."""
    level = (
        levels_qs_for_update().filter(inventory_item_id=item_id, location_id=location_id).first()
    )
    if level is None:
        raise InventoryLevelNotFound(item_id, location_id)
    if level.reserved_quantity:
        raise ReservedAboveStocked(level.reserved_quantity)
    event = _level_event(level)
    _stock_shown_changed(InventoryLevel.objects.filter(pk=level.pk))
    level.delete()
    emit(event)


# ---- AVAILABILITY CHECKS AND RESERVATIONS ----


def _counted(needs: Mapping[ProductVariant, int]) -> dict[ProductVariant, int]:
    """Keep the lines whose stock is counted: managed inventory, no backorder (as Medusa)."""
    return {v: q for v, q in needs.items() if v.manage_inventory and not v.allow_backorder}


def _refuse(variant: ProductVariant, channel_id: str | None) -> None:
    """Raise the right refusal for a variant short of stock in a channel."""
    if channel_id is not None and stock_locations_exist():
        has_location = SalesChannelLocation.objects.filter(
            sales_channel_id=channel_id, location__deleted_at__isnull=True
        ).exists()
        if not has_location:
            channel = SalesChannel.all_objects.get(pk=channel_id)
            raise ChannelHasNoStockLocation(channel.name)
    raise InsufficientInventory(variant.pk)


def stock_check(
    *,
    channel_id: str | None,
    needs: Mapping[ProductVariant, int],
    available: Mapping[str, int] | None = None,
) -> None:
    """Refuse quantities the channel cannot sell (cart add/update; `available_quantity`).

    `available`: the variants' `available_quantity` if the caller loaded it with them;
    otherwise one query. No channel: every live location counts.
    """
    counted = _counted(needs)
    if not counted:
        return
    if available is None:
        available = variants_available(
            variant_ids=[v.pk for v in counted],
            channel_ids=[channel_id] if channel_id else None,
        )
    for variant, quantity in counted.items():
        if available.get(variant.pk, 0) < quantity:
            _refuse(variant, channel_id)


@dataclass(frozen=True)
class Allocation:
    """Part of a line's quantity reserved at one location."""

    variant_id: str
    level: InventoryLevel
    quantity: int


def stock_allocate(
    *,
    channel_id: str | None,
    needs: Mapping[ProductVariant, int],
    locations_exist: bool | None = None,
) -> list[Allocation] | None:
    """Lock and plan where each counted line's stock comes from (a completion's reserve step).

    Returns None while no stock location exists at all: the caller then counts the variants'
    own `inventory_quantity` down, as before locations. Otherwise holds the channel's links,
    locks the variants' levels there (inventory.locks), and takes each line from the channel's
    locations in priority order, splitting it when one is short. Raises InsufficientInventory
    (or ChannelHasNoStockLocation) when the channel cannot sell the quantity; nothing is written.
    `locations_exist`: whether any stock location exists, if the caller already knows.
    """
    if locations_exist is None:
        locations_exist = stock_locations_exist()
    if not locations_exist:
        return None
    counted = _counted(needs)
    if not counted:
        return []
    order = channel_locations_hold(channel_ids=[channel_id] if channel_id else None)
    levels = list(
        levels_qs_for_update()
        .select_related("inventory_item")
        .filter(
            inventory_item__variant_id__in=[v.pk for v in counted],
            inventory_item__deleted_at__isnull=True,
            location_id__in=order,
        )
    )
    rank = {location_id: index for index, location_id in enumerate(order)}
    by_variant: dict[str, list[InventoryLevel]] = {}
    for level in sorted(levels, key=lambda lv: rank[lv.location_id]):
        by_variant.setdefault(level.inventory_item.variant_id, []).append(level)
    plan: list[Allocation] = []
    for variant, quantity in counted.items():
        remaining = quantity
        for level in by_variant.get(variant.pk, []):
            take = min(remaining, level.stocked_quantity - level.reserved_quantity)
            if take > 0:
                plan.append(Allocation(variant.pk, level, take))
                remaining -= take
            if remaining == 0:
                break
        if remaining:
            _refuse(variant, channel_id)
    return plan


def stock_reserve(
    *, plan: Collection[Allocation], order_item_ids: Mapping[str, str]
) -> list[ReservationItem]:
    """Write a planned allocation: one reservation per (line, location), levels counted up.

    `order_item_ids`: the order item of each variant. Two writes, whatever the plan's size.
    """
    levels: dict[str, InventoryLevel] = {}
    for part in plan:
        part.level.reserved_quantity += part.quantity
        levels[part.level.pk] = part.level
    InventoryLevel.objects.bulk_update(levels.values(), ["reserved_quantity"])
    return ReservationItem.objects.bulk_create(
        [
            ReservationItem(
                order_item_id=order_item_ids[part.variant_id],
                inventory_item_id=part.level.inventory_item_id,
                location_id=part.level.location_id,
                quantity=part.quantity,
            )
            for part in plan
        ]
    )
