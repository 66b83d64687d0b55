"""The region a store price read takes from a cart (`cart_id`), without the catalogue importing carts.

Medusa v1 prices store products and variants for a cart's region and currency when the read
names a cart (`?cart_id=`); the cart's region wins over `region_id` and `currency_code`. Carts
sit above the catalogue in the layers (`commerce <- saleschannels <- catalog <- carts`), so
the catalogue may not read a cart. Instead the carts app, at start-up (`CartsConfig.ready`),
registers the one function that answers "which region is this cart in"; the store views ask
through `cart_region_get`. Nothing else is registered here, and the catalogue never learns what
a cart is.
"""

from __future__ import annotations

from collections.abc import Callable

from commerce.exceptions import PropertyShouldNotExist
from commerce.models import Region

CartRegionResolver = Callable[[str], Region]

_cart_region_resolver: CartRegionResolver | None = None


def cart_region_resolver_register(resolver: CartRegionResolver) -> None:
    """Set the function that returns a cart's region, or raises the cart's not-found error."""
    global _cart_region_resolver
    _cart_region_resolver = resolver


def cart_region_get(*, cart_id: str) -> Region:
    """Return the region of a cart, to price a store read with (`cart_id` param)."""
    if _cart_region_resolver is None:  # the carts app is not installed: there are no carts
        raise PropertyShouldNotExist("cart_id")
    return _cart_region_resolver(cart_id)
