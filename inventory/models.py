"""Stock locations, inventory items and levels, channel↔location links and reservations.

Medusa v1's inventory and stock-location modules (v1.8+), in one app between `catalog` and
`carts`. A variant with managed inventory has one inventory item; the item has one level per
location. What a channel can sell is `inventory.selectors.channel_available_quantity`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from commerce.models import BaseModel, SoftDeleteModel, address_field, unique
from saleschannels import scope


class StockLocation(SoftDeleteModel):
    """A warehouse (or shop, or drop-shipper) that holds stock. Soft-deleted, as in Medusa."""

    id_prefix = "sloc"
    # A scoped staff user sees the locations their channels sell from.
    channel_scope_rule = scope.ScopeRule.any("channel_links")

    name = models.CharField(max_length=255)
    address = address_field()

    class Meta:
        permissions = [
            ("manage_saleschannel_locations", "Can link stock locations to sales channels"),
        ]

    def __str__(self) -> str:
        return self.name


class SalesChannelLocation(BaseModel):
    """A channel sells from a location. `priority`: lower first at completion (our extension).

    Unique per (channel, location): a duplicate link is a no-op, where Medusa stores two rows.
    Links are hard-deleted, as Medusa's DELETE does.
    """

    id_prefix = "scloc"
    channel_scope_rule = scope.ScopeRule.fk("sales_channel_id")

    sales_channel = models.ForeignKey(
        "saleschannels.SalesChannel", on_delete=models.CASCADE, related_name="location_links"
    )
    location = models.ForeignKey(
        StockLocation, on_delete=models.CASCADE, related_name="channel_links"
    )
    priority = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [unique("sales_channel", "location", name="channel_location_unique")]
        indexes = [models.Index(fields=["location"], name="channel_location_location_idx")]

    def __str__(self) -> str:
        return f"{self.sales_channel_id} ← {self.location_id}"


class InventoryItem(SoftDeleteModel):
    """The stock-keeping side of a variant (Medusa's `inventory_item`, one per managed variant)."""

    id_prefix = "iitem"
    channel_scope_rule = scope.ScopeRule.via("variant")  # follows its variant's product

    variant = models.OneToOneField(
        "catalog.ProductVariant", on_delete=models.CASCADE, related_name="inventory_item"
    )
    sku = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract)
    requires_shipping = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.sku or self.pk


class InventoryLevel(BaseModel):
    """How much of an item a location holds. Available there: stocked - reserved."""

    id_prefix = "ilev"

    inventory_item = models.ForeignKey(
        InventoryItem, on_delete=models.CASCADE, related_name="levels"
    )
    location = models.ForeignKey(StockLocation, on_delete=models.CASCADE, related_name="levels")
    stocked_quantity = models.IntegerField(default=0)
    reserved_quantity = models.IntegerField(default=0)
    incoming_quantity = models.IntegerField(default=0)

    class Meta:
        constraints = [
            unique("inventory_item", "location", name="inventory_level_item_location_unique"),
            models.CheckConstraint(
                condition=Q(stocked_quantity__gte=0)
                & Q(reserved_quantity__gte=0)
                & Q(incoming_quantity__gte=0),
                name="inventory_level_quantities_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["location"], name="inventory_level_location_idx")]

    def __str__(self) -> str:
        return f"{self.inventory_item_id} @ {self.location_id}"

    @property
    def available_quantity(self) -> int:
        """Stocked less reserved: what the location can still sell of the item."""
        # The same rule in SQL: inventory.selectors.LEVEL_AVAILABLE.
        return self.stocked_quantity - self.reserved_quantity


class ReservationItem(BaseModel):
    """Stock held for one order line at one location (a line split over locations has several)."""

    id_prefix = "resitem"

    order_item = models.ForeignKey(
        "orders.OrderItem", on_delete=models.CASCADE, related_name="reservations"
    )
    inventory_item = models.ForeignKey(
        InventoryItem, on_delete=models.PROTECT, related_name="reservations"
    )
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="reservations"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["inventory_item"], name="reservation_item_idx"),
            models.Index(fields=["location"], name="reservation_location_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.inventory_item_id} @ {self.location_id}"
