"""Inventory errors, worded as Medusa words them where it has words."""

from commerce.exceptions import NotAllowed, NotFound


class StockLocationNotFound(
    NotFound, template="StockLocation with id {location_id} was not found"
): ...


class InventoryItemNotFound(NotFound, template="InventoryItem with id {item_id} was not found"): ...


class InventoryLevelNotFound(
    NotFound, template="Inventory level for item {item_id} and location {location_id} not found"
): ...


class InventoryLevelExists(
    NotAllowed,
    template="Inventory level for item {item_id} at location {location_id} already exists",
): ...


class ReservedAboveStocked(
    NotAllowed,
    template="stocked_quantity must not be less than the {reserved} reserved at this location",
): ...


class ChannelHasNoStockLocation(
    NotAllowed,
    template="Sales channel {channel_name} has no stock location, so it cannot sell products "
    "with managed inventory. Link a stock location to it first.",
):
    """A managed variant cannot be sold in a channel that has no stock location (issue 20)."""


class InsufficientInventory(
    NotAllowed, template="Variant with id: {variant_id} does not have the required inventory"
): ...
