"""The availability diagnosis (issue 19) counts stock per channel, by its stock locations (issue 20).

Each verdict is checked against what a cart add in that channel does, so the words are true.
"""

from __future__ import annotations

import pytest

from carts.models import Cart
from carts.services import ItemInput, cart_create
from catalog.services import sales_channel_products_add
from inventory.exceptions import ChannelHasNoStockLocation, InsufficientInventory
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.commerce.factories import RegionFactory
from tests.inventory.stock import stock_create
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


def _verdicts(client, product_id: str) -> dict[str, dict]:
    response = client.get(f"/api/admin/products/{product_id}/availability")
    assert response.status_code == 200
    return {row["sales_channel_name"]: row for row in response.json()["availability"]}


def _codes(row: dict) -> list[str]:
    return [reason["code"] for reason in row["reasons"]]


def _add(stock, channel) -> None:
    cart_create(
        region_id=stock.shop.region.pk,
        sales_channel_id=channel.pk,
        items=[ItemInput(variant_id=stock.variant.pk, quantity=1)],
    )


def test_each_channel_is_diagnosed_by_its_own_locations_and_a_cart_add_agrees(admin_api_client):
    # given: Wholesale's own house holds 2, the web shop's locations hold none, and a kiosk
    # sells the product from no location at all (the variant's own 100 no longer counts)
    stock = stock_create(shared=0, web_only=0, b2b_only=2)
    kiosk = SalesChannelFactory(name="Kiosk")
    sales_channel_products_add(channel_id=kiosk.pk, product_ids=[stock.variant.product_id])

    # when
    verdicts = _verdicts(admin_api_client, stock.variant.product_id)

    # then: in words, per channel
    assert verdicts["Wholesale"]["purchasable"] is True
    assert "out_of_stock" not in _codes(verdicts["Wholesale"])
    assert verdicts["Web"]["purchasable"] is False
    assert "out_of_stock" in _codes(verdicts["Web"])
    assert "no_stock_location" not in _codes(verdicts["Web"])
    assert verdicts["Kiosk"]["purchasable"] is False
    assert "no_stock_location" in _codes(verdicts["Kiosk"])
    assert "out_of_stock" not in _codes(verdicts["Kiosk"])
    message = {r["code"]: r["message"] for r in verdicts["Kiosk"]["reasons"]}
    assert message["no_stock_location"] == (
        "Kiosk sells from no stock location: link one to it (its variants with managed "
        "inventory cannot be bought there until then)."
    )

    # and a cart add in each channel does what the diagnosis says, changing nothing when refused
    _add(stock, stock.b2b)
    carts = Cart.objects.count()
    with pytest.raises(InsufficientInventory):
        _add(stock, stock.web)
    with pytest.raises(ChannelHasNoStockLocation):
        _add(stock, kiosk)
    assert Cart.objects.count() == carts


def test_without_any_stock_location_no_channel_lacks_one(admin_api_client):
    # given: no stock location exists: variants count their own quantity, as before issue 20
    RegionFactory(currency_code="usd")
    channel = SalesChannelFactory(name="Pop-up")
    variant = ProductVariantFactory(
        product=ProductFactory(sales_channels=[channel]), inventory_quantity=0
    )

    # when
    verdicts = _verdicts(admin_api_client, variant.product_id)

    # then
    assert _codes(verdicts["Pop-up"]).count("no_stock_location") == 0
    assert "out_of_stock" in _codes(verdicts["Pop-up"])
