"""`cart_id` on store product and variant reads: prices for the cart's region, as Medusa v1."""

from decimal import Decimal

import pytest

from catalog.models import Price
from tests.carts.factories import CartFactory
from tests.catalog.api.test_store_products import _shirt
from tests.commerce.factories import RegionFactory
from tests.helpers import COUNTS_KEPT, MISSES
from tests.render_cache import render_cache_cold

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/store/products"
VARIANTS = "/api/store/variants"
PRICE_KEYS = (
    "original_price",
    "calculated_price",
    "calculated_price_type",
    "calculated_price_incl_tax",
    "calculated_tax",
)


@pytest.fixture
def shop(default_channel):
    """A shirt priced 1950 EUR / 2200 USD, with a US-only price of 2100 USD on its small size."""
    eu = RegionFactory(name="EU", currency_code="eur", tax_rate=Decimal("25"), countries=["de"])
    us = RegionFactory(name="US", currency_code="usd", countries=["us"])
    shirt = _shirt([default_channel], sizes=("S",))
    small = shirt.variants.get()
    Price.objects.create(variant=small, currency_code="usd", amount=2100, region=us)
    return {"eu": eu, "us": us, "shirt": shirt, "small": small, "us_cart": CartFactory(region=us)}


def _prices(variant):
    return {key: variant[key] for key in PRICE_KEYS}


US_PRICES = {
    "original_price": 2100,
    "calculated_price": 2100,
    "calculated_price_type": "default",
    "calculated_price_incl_tax": 2100,
    "calculated_tax": 0,
}


def test_product_list_prices_for_the_carts_region_over_region_id_and_currency(api_client, shop):
    # The cart is in the US: its region's own price in USD, whatever region_id/currency_code say.
    query = f"cart_id={shop['us_cart'].pk}&region_id={shop['eu'].pk}&currency_code=eur"
    response = api_client.get(f"{PRODUCTS}?{query}")
    assert response.status_code == 200
    variant = response.json()["products"][0]["variants"][0]
    assert _prices(variant) == US_PRICES
    assert {p["currency_code"] for p in variant["prices"]} == {"usd"}


def test_product_retrieve_prices_for_the_cart(api_client, shop):
    response = api_client.get(f"{PRODUCTS}/{shop['shirt'].pk}?cart_id={shop['us_cart'].pk}")
    assert response.status_code == 200
    assert _prices(response.json()["product"]["variants"][0]) == US_PRICES


def test_variant_list_and_retrieve_price_for_the_cart(api_client, shop):
    eu_cart = CartFactory(region=shop["eu"])
    listed = api_client.get(f"{VARIANTS}?ids={shop['small'].pk}&cart_id={eu_cart.pk}")
    retrieved = api_client.get(f"{VARIANTS}/{shop['small'].pk}?cart_id={eu_cart.pk}")
    eu_prices = {
        "original_price": 1950,
        "calculated_price": 1950,
        "calculated_price_type": "default",
        "calculated_price_incl_tax": 2438,
        "calculated_tax": 488,
    }
    assert _prices(listed.json()["variants"][0]) == eu_prices
    assert _prices(retrieved.json()["variant"]) == eu_prices


def test_the_price_a_cart_read_shows_is_the_price_the_cart_charges(api_client, shop):
    cart = shop["us_cart"]
    shown = api_client.get(f"{VARIANTS}/{shop['small'].pk}?cart_id={cart.pk}").json()["variant"]
    response = api_client.post(
        f"/api/store/carts/{cart.pk}/line-items",
        {"variant_id": shop["small"].pk, "quantity": 1},
    )
    assert response.status_code == 200
    assert response.json()["cart"]["items"][0]["unit_price"] == shown["calculated_price"] == 2100


def test_without_a_selection_the_price_type_is_null(api_client, shop):
    variant = api_client.get(f"{PRODUCTS}/{shop['shirt'].pk}").json()["product"]["variants"][0]
    assert (variant["calculated_price"], variant["calculated_price_type"]) == (None, None)


@pytest.mark.parametrize(
    "url",
    [
        f"{PRODUCTS}?cart_id=cart_nope",
        f"{VARIANTS}?cart_id=cart_nope",
    ],
)
def test_an_unknown_cart_is_a_404(api_client, shop, url):
    response = api_client.get(url)
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Cart with id: cart_nope was not found",
    }


def test_an_unknown_cart_on_a_retrieve_is_a_404(api_client, shop):
    for url in (
        f"{PRODUCTS}/{shop['shirt'].pk}?cart_id=cart_nope",
        f"{VARIANTS}/{shop['small'].pk}?cart_id=cart_nope",
    ):
        response = api_client.get(url)
        assert response.status_code == 404
        assert response.json()["message"] == "Cart with id: cart_nope was not found"


def test_cart_id_costs_what_region_id_costs(api_client, shop, django_assert_num_queries):
    # The cart with its region is one query, as the region is for region_id (as pinned in
    # test_store_products.py: channel, region, the kept count (else the listings version, the
    # count and the next scheduled listing: COUNTS_KEPT), page, its misses (MISSES: their JSON
    # built by PostgreSQL, else their rows, options, variants, values, prices, images, tags).
    queries = (4 if COUNTS_KEPT else 6) + MISSES
    with django_assert_num_queries(queries):
        api_client.get(f"{PRODUCTS}?cart_id={shop['us_cart'].pk}")
    render_cache_cold()  # the same prices, so the same fragments: cold again
    with django_assert_num_queries(queries):
        api_client.get(f"{PRODUCTS}?region_id={shop['us'].pk}")
