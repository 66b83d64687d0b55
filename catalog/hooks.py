"""What the layers above the catalogue plug into it (the catalogue cannot import them).

- `variants_created`: sent inside the creating transaction, with `variants` (the new
  `ProductVariant` rows), by the one place variants are created (`catalog.services`). The
  `inventory` app gives each variant with managed inventory its inventory item there.
- the store's available quantity: the `inventory` app registers its formula
  (`inventory.selectors.available_quantity`) with `available_quantity_register`; the store
  selectors annotate it on the variants they load as `STORE_AVAILABLE`, so the store JSON's
  `inventory_quantity` is what the request's channel can sell. Unregistered (the app not
  installed): the variant's own `inventory_quantity`.
- the channels without a stock location: the `inventory` app registers
  `inventory.selectors.channels_without_stock_location` with `unlocated_channels_register`;
  the availability diagnosis (`catalog.availability`) says `no_stock_location` for them.
  Unregistered: none.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.db.models import Expression, F
from django.dispatch import Signal

variants_created = Signal()

STORE_AVAILABLE = "store_available_quantity"

_available_quantity: Callable[[Collection[str] | None], Expression] | None = None


def available_quantity_register(formula: Callable[[Collection[str] | None], Expression]) -> None:
    global _available_quantity
    _available_quantity = formula


_unlocated_channels: Callable[[Collection[str]], set[str]] | None = None


def unlocated_channels_register(finder: Callable[[Collection[str]], set[str]]) -> None:
    global _unlocated_channels
    _unlocated_channels = finder


def unlocated_channels(channel_ids: Collection[str]) -> set[str]:
    """Return those channels that sell from no stock location while some location exists."""
    if _unlocated_channels is None or not channel_ids:
        return set()
    return _unlocated_channels(channel_ids)


def available_quantity(channel_ids: Collection[str] | None) -> Expression | F:
    """Return what the channels can sell of a variant, as an expression on variants."""
    if _available_quantity is None:
        return F("inventory_quantity")
    return _available_quantity(channel_ids)


def store_available_annotation(channel_ids: Collection[str] | None) -> dict[str, Any]:
    """Return the annotation for store variants: `{STORE_AVAILABLE: expression}`, or {} without a formula."""
    if _available_quantity is None:
        return {}
    return {STORE_AVAILABLE: _available_quantity(channel_ids)}


def store_inventory_quantity(variant: Any) -> int:
    """Return what the store JSON shows as a variant's `inventory_quantity`."""
    return getattr(variant, STORE_AVAILABLE, variant.inventory_quantity)
