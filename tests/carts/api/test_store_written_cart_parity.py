"""A write's cart is rendered from what the service holds (issue 23), not read again: its bytes
must be exactly those of a GET of the cart right after, whatever the cart holds."""

import pytest

from carts.services import cart_payment_sessions_create, cart_shipping_method_add, cart_update
from saleschannels.services import sales_channel_delete
from tests.carts.api.store_helpers import KEY, product, shop
from tests.commerce.factories import RegionFactory
from tests.saleschannels.factories import PublishableApiKeyFactory

pytestmark = pytest.mark.django_db

CARTS = "/api/store/carts"

# Keys PostgreSQL's jsonb reorders (shorter first), nesting, numbers it prints its own way.
CONTEXT = {
    "zeta_long_key": {"bb": [1.5, 1e-07, 1e16, 10**20, -0.0], "a": None},
    "b": "two",
    "é": True,
    "aa": [{"yy": 1, "x": 2}],
}


@pytest.fixture
def s(default_channel):
    return shop(default_channel, tax_rate=25)


def _same_as_a_read(api_client, response, **headers):
    assert response.status_code == 200, response.content
    cart_id = response.json()["cart"]["id"]
    read = api_client.get(f"{CARTS}/{cart_id}", **headers)
    assert response.content == read.content
    return cart_id


def test_created_carts_render_as_read(api_client, s):
    for body in (
        {},
        {"region_id": s.eu.pk},
        {"region_id": s.eu.pk, "sales_channel_id": s.wholesale.pk, "email": "a@example.com"},
        {"region_id": s.eu.pk, "country_code": "DK", "context": CONTEXT},
        {
            "region_id": s.eu.pk,
            "items": [
                {"variant_id": s.mug.pk, "quantity": 2},
                {"variant_id": s.shirt_m.pk, "quantity": 1},
                {"variant_id": s.mug.pk, "quantity": 3},  # merged into the first line
                {"variant_id": s.sweatshirt.pk, "quantity": 1},
            ],
        },
    ):
        _same_as_a_read(api_client, api_client.post(CARTS, body, format="json"))


def test_created_cart_with_a_key_renders_as_read(api_client, s):
    key = PublishableApiKeyFactory(sales_channels=[s.wholesale])
    response = api_client.post(CARTS, {"region_id": s.eu.pk}, format="json", **{KEY: key.pk})
    _same_as_a_read(api_client, response, **{KEY: key.pk})
    assert response.json()["cart"]["sales_channel_id"] == s.wholesale.pk


def test_added_line_items_render_as_read(api_client, s):
    cart_id = _same_as_a_read(
        api_client,
        api_client.post(
            CARTS, {"region_id": s.eu.pk, "context": CONTEXT, "country_code": "de"}, format="json"
        ),
    )
    cart_update(
        cart_id=cart_id,
        billing_address={"first_name": "Ada", "country_code": "DK", "metadata": CONTEXT},
        metadata={"note": "gift", "a": 1},
    )
    cart_shipping_method_add(cart_id=cart_id, option_id=s.shipping.pk, data={"z": 1, "yy": 2})
    for variant, quantity in ((s.mug, 1), (s.shirt_s, 2), (s.mug, 4), (s.sweatshirt, 1)):
        cart_payment_sessions_create(cart_id=cart_id)  # dropped by each add
        response = api_client.post(
            f"{CARTS}/{cart_id}/line-items",
            {"variant_id": variant.pk, "quantity": quantity},
            format="json",
        )
        _same_as_a_read(api_client, response)
    assert len(response.json()["cart"]["items"]) == 3
    assert response.json()["cart"]["shipping_methods"][0]["data"] == {"z": 1, "yy": 2}


def test_line_item_added_to_a_cart_of_a_deleted_channel_renders_as_read(api_client, s):
    other = RegionFactory(name="Elsewhere", currency_code="eur", countries=["se"])
    extra = product("Extra Mug", [s.default, s.wholesale], eur=500).variants.get()
    body = {"region_id": other.pk, "sales_channel_id": s.wholesale.pk}
    cart_id = _same_as_a_read(api_client, api_client.post(CARTS, body, format="json"))
    api_client.post(f"{CARTS}/{cart_id}/line-items", {"variant_id": extra.pk, "quantity": 1})
    sales_channel_delete(channel_id=s.wholesale.pk)
    response = api_client.post(
        f"{CARTS}/{cart_id}/line-items", {"variant_id": extra.pk, "quantity": 1}, format="json"
    )
    _same_as_a_read(api_client, response)
    assert response.json()["cart"]["sales_channel"] is None  # a deleted channel renders as none
