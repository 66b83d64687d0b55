"""The inventory app's side of the catalogue's hooks (catalog.hooks), connected at start-up."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from catalog import hooks
from inventory import selectors, services

hooks.available_quantity_register(selectors.available_quantity)
hooks.unlocated_channels_register(selectors.channels_without_stock_location)


@receiver(hooks.variants_created, dispatch_uid="inventory.items_for_new_variants")
def items_for_new_variants(sender: Any, variants: list, **kwargs: Any) -> None:
    services.inventory_items_create(variants=variants)
