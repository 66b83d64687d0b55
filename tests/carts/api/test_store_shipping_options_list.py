"""`GET /store/shipping-options` (Medusa v1's list form, beside the cart form)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.services import product_delete
from tests.carts.api.store_helpers import shipping_option_json, shop
from tests.commerce.factories import RegionFactory, ShippingOptionFactory

pytestmark = pytest.mark.django_db

URL = "/api/store/shipping-options"


@pytest.fixture
def s(default_channel):
    return shop(default_channel, tax_rate=Decimal("25"))


@pytest.fixture
def options(s):
    """The shop's outbound option, plus a return, an admin-only one and another region's."""
    us = RegionFactory(name="US", currency_code="usd", countries=["us"])
    return {
        "eu": s.shipping,
        "eu_return": ShippingOptionFactory(name="Return", region=s.eu, amount=500, is_return=True),
        "eu_admin": ShippingOptionFactory(name="Admin", region=s.eu, admin_only=True),
        "us": ShippingOptionFactory(name="US", region=us, amount=700),
    }


def _row(option, tax):
    return {
        **shipping_option_json(option),
        "is_return": option.is_return,
        "price_incl_tax": option.amount + tax,
        "tax_amount": tax,
    }


def test_route_is_named_for_reverse():
    assert reverse("store-api:shipping-option-list") == URL


def test_a_regions_options_with_its_tax_never_admin_only(api_client, s, options):
    response = api_client.get(URL, {"region_id": s.eu.pk})
    assert response.status_code == 200
    assert response.json() == {
        "shipping_options": [_row(options["eu_return"], 125), _row(options["eu"], 250)]
    }


def test_without_a_region_every_regions_options_each_with_its_own_tax(api_client, s, options):
    rows = api_client.get(URL).json()["shipping_options"]
    assert [(row["name"], row["tax_amount"]) for row in rows] == [
        ("Return", 125),
        ("US", 0),
        ("PostFake Standard", 250),
    ]


@pytest.mark.parametrize(
    ("value", "names"), [("true", ["Return"]), ("false", ["PostFake Standard"])]
)
def test_is_return(api_client, s, options, value, names):
    rows = api_client.get(URL, {"region_id": s.eu.pk, "is_return": value}).json()
    assert [row["name"] for row in rows["shipping_options"]] == names


def test_product_ids_of_live_products_keep_the_options(api_client, s, options):
    query = {"region_id": s.eu.pk, "is_return": "false", "product_ids": s.shirt.pk}
    rows = api_client.get(URL, query).json()["shipping_options"]
    assert [row["id"] for row in rows] == [s.shipping.pk]


def test_product_ids_of_no_live_product_list_nothing(api_client, s, options):
    product_delete(product_id=s.mug.product_id)
    query = {"product_ids": f"prod_nope,{s.mug.product_id}"}
    assert api_client.get(URL, query).json() == {"shipping_options": []}


def test_an_unknown_region_lists_nothing(api_client, options):
    assert api_client.get(URL, {"region_id": "reg_nope"}).json() == {"shipping_options": []}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"is_return": "maybe"}, "is_return must be a boolean string"),
        ({"cart_id": "cart_1"}, "property cart_id should not exist"),
    ],
)
def test_bad_query_is_a_400(api_client, options, query, message):
    response = api_client.get(URL, query)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_query_count_does_not_grow_with_options(api_client, s, options, django_assert_num_queries):
    ShippingOptionFactory.create_batch(5, region=s.eu)
    # 1 = the options with their regions
    with django_assert_num_queries(1):
        response = api_client.get(URL, {"region_id": s.eu.pk})
    assert len(response.json()["shipping_options"]) == 7
    # + 1 = whether any of the products is live
    with django_assert_num_queries(2):
        api_client.get(URL, {"product_ids": s.shirt.pk})
