"""Inventory errors, worded as Medusa words them where it has words."""

from commerce.exceptions import NotAllowed, NotFound


class StockLocationNotFound(NotFound):
    def __init__(self, location_id: str) -> None:
        super().__init__(f"StockLocation with id {location_id} was not found")


class InventoryItemNotFound(NotFound):
    def __init__(self, item_id: str) -> None:
        super().__init__(f"InventoryItem with id {item_id} was not found")


class InventoryLevelNotFound(NotFound):
    def __init__(self, item_id: str, location_id: str) -> None:
        super().__init__(f"Inventory level for item {item_id} and location {location_id} not found")


class InventoryLevelExists(NotAllowed):
    def __init__(self, item_id: str, location_id: str) -> None:
        super().__init__(
            f"Inventory level for item {item_id} at location {location_id} already exists"
        )


class ReservedAboveStocked(NotAllowed):
    def __init__(self, reserved: int) -> None:
        super().__init__(
            f"stocked_quantity must not be less than the {reserved} reserved at this location"
        )


class ChannelHasNoStockLocation(NotAllowed):
    """A managed variant cannot be sold in a channel that has no stock location (issue 20)."""

    def __init__(self, channel_name: str) -> None:
        super().__init__(
            f"Sales channel {channel_name} has no stock location, so it cannot sell products "
            "with managed inventory. Link a stock location to it first."
        )


class InsufficientInventory(NotAllowed):
    def __init__(self, variant_id: str) -> None:
        super().__init__(f"Variant with id: {variant_id} does not have the required inventory")
