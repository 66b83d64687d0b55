"""Two channels sharing one warehouse and owning one each (issue 20), built through the services."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.models import ProductVariant
from inventory.models import StockLocation
from inventory.services import (
    inventory_item_for_variant,
    inventory_level_create,
    sales_channel_location_add,
    stock_location_create,
)
from saleschannels.models import SalesChannel
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.reliability.shop import Shop, shop_create
from tests.saleschannels.factories import SalesChannelFactory


@dataclass(frozen=True)
class Stock:
    shop: Shop
    web: SalesChannel
    b2b: SalesChannel
    shared: StockLocation  # both channels sell from it
    web_house: StockLocation  # only the web shop
    b2b_house: StockLocation  # only B2B
    variant: ProductVariant


def stock_create(
    *, shared: int = 5, web_only: int = 3, b2b_only: int = 2, web_house_first: bool = True
) -> Stock:
    """The web shop sells from its house and the shared one (its house first), B2B likewise.

    The variant (in both channels) keeps its own `inventory_quantity` of 100, which no longer
    counts once locations exist.
    """
    shop = shop_create()
    web, b2b = SalesChannelFactory(name="Web"), SalesChannelFactory(name="Wholesale")
    variant = ProductVariantFactory(
        product=ProductFactory(title="Tent", sales_channels=[web, b2b]), inventory_quantity=100
    )
    shared_house = stock_location_create(name="Shared")
    web_house = stock_location_create(name="Web house")
    b2b_house = stock_location_create(name="B2B house")
    sales_channel_location_add(
        channel_id=web.pk, location_id=web_house.pk, priority=0 if web_house_first else 2
    )
    sales_channel_location_add(channel_id=web.pk, location_id=shared_house.pk, priority=1)
    sales_channel_location_add(channel_id=b2b.pk, location_id=b2b_house.pk, priority=0)
    sales_channel_location_add(channel_id=b2b.pk, location_id=shared_house.pk, priority=1)
    item = inventory_item_for_variant(variant_id=variant.pk)
    for location, quantity in (
        (shared_house, shared),
        (web_house, web_only),
        (b2b_house, b2b_only),
    ):
        inventory_level_create(item_id=item.pk, location_id=location.pk, stocked_quantity=quantity)
    return Stock(shop, web, b2b, shared_house, web_house, b2b_house, variant)
