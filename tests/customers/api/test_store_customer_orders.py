"""`GET /store/customers/me/orders`: the customer's own orders, in the request's channels only."""

import pytest

from tests.carts.api.store_helpers import CARTS, order_json, ready_cart, shop
from tests.customers.api.helpers import bearer
from tests.customers.factories import PASSWORD, CustomerFactory
from tests.helpers import UNAUTHORIZED
from tests.saleschannels.factories import PublishableApiKeyFactory

pytestmark = pytest.mark.django_db

ORDERS = "/api/store/customers/me/orders"


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


def _place(client, s, *, channel, items, headers):
    client.credentials(**headers)
    cart = ready_cart(client, s, channel=channel, items=items)
    response = client.post(f"{CARTS}/{cart.pk}/complete")
    assert response.status_code == 200, response.json()
    client.credentials()
    cart.refresh_from_db()
    return cart.order


@pytest.fixture
def placed(api_client, s):
    """Ada: two web orders and one wholesale order; Bob: one web order; a guest one web order."""
    ada = CustomerFactory(email="ada@example.com")
    CustomerFactory(email="bob@example.com")
    ada_h = bearer(api_client, "ada@example.com", PASSWORD)
    bob_h = bearer(api_client, "bob@example.com", PASSWORD)
    web1 = _place(api_client, s, channel=None, items=[(s.mug, 1)], headers=ada_h)
    web2 = _place(api_client, s, channel=None, items=[(s.sweatshirt, 1)], headers=ada_h)
    b2b = _place(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 2)], headers=ada_h)
    bobs = _place(api_client, s, channel=None, items=[(s.mug, 3)], headers=bob_h)
    guest = _place(api_client, s, channel=None, items=[(s.mug, 1)], headers={})
    return {
        "ada": ada,
        "ada_h": ada_h,
        "bob_h": bob_h,
        "web": [web2, web1],
        "b2b": b2b,
        "bobs": bobs,
        "guest": guest,
    }


def test_the_default_storefront_lists_the_customers_web_orders(api_client, placed):
    response = api_client.get(ORDERS, **placed["ada_h"])
    assert response.status_code == 200
    assert response.json() == {
        "orders": [order_json(o) for o in placed["web"]],
        "count": 2,
        "offset": 0,
        "limit": 10,
    }


def test_the_b2b_key_lists_only_b2b_orders(api_client, s, placed):
    key = PublishableApiKeyFactory(sales_channels=[s.wholesale])
    response = api_client.get(ORDERS, HTTP_X_PUBLISHABLE_API_KEY=key.pk, **placed["ada_h"])
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["orders"]] == [placed["b2b"].pk]
    assert response.json()["count"] == 1


def test_sales_channel_id_scopes_like_a_key(api_client, s, placed):
    response = api_client.get(f"{ORDERS}?sales_channel_id[]={s.wholesale.pk}", **placed["ada_h"])
    assert [o["id"] for o in response.json()["orders"]] == [placed["b2b"].pk]
    both = f"{ORDERS}?sales_channel_id[]={s.wholesale.pk}&sales_channel_id[]={s.default.pk}"
    assert api_client.get(both, **placed["ada_h"]).json()["count"] == 3


def test_a_key_refuses_channels_outside_it(api_client, s, placed):
    key = PublishableApiKeyFactory(sales_channels=[s.wholesale])
    response = api_client.get(
        f"{ORDERS}?sales_channel_id[]={s.default.pk}",
        HTTP_X_PUBLISHABLE_API_KEY=key.pk,
        **placed["ada_h"],
    )
    assert response.status_code == 400
    assert response.json()["type"] == "invalid_data"


def test_a_customer_never_sees_another_customers_or_the_guests_orders(api_client, placed):
    response = api_client.get(ORDERS, **placed["bob_h"])
    assert [o["id"] for o in response.json()["orders"]] == [placed["bobs"].pk]
    ids = {o["id"] for o in api_client.get(ORDERS, **placed["ada_h"]).json()["orders"]}
    assert placed["bobs"].pk not in ids
    assert placed["guest"].pk not in ids


def test_limit_offset_and_filters(api_client, placed):
    page = api_client.get(f"{ORDERS}?limit=1&offset=1", **placed["ada_h"]).json()
    assert [o["id"] for o in page["orders"]] == [placed["web"][1].pk]
    assert (page["count"], page["offset"], page["limit"]) == (2, 1, 1)
    first = placed["web"][1]
    by_display = api_client.get(f"{ORDERS}?display_id={first.display_id}", **placed["ada_h"])
    assert [o["id"] for o in by_display.json()["orders"]] == [first.pk]
    by_status = api_client.get(f"{ORDERS}?status[]=canceled", **placed["ada_h"])
    assert by_status.json()["count"] == 0
    bad = api_client.get(f"{ORDERS}?status[]=nope", **placed["ada_h"])
    assert bad.status_code == 400
    assert api_client.get(f"{ORDERS}?foo=1", **placed["ada_h"]).json()["message"] == (
        "property foo should not exist"
    )


def test_anonymous_is_a_401(api_client):
    response = api_client.get(ORDERS, HTTP_AUTHORIZATION="")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_query_count_does_not_grow_with_the_page(api_client, placed, django_assert_num_queries):
    # customer, count, page, items, shipping methods, payments (channel scope: the default
    # channel id)
    with django_assert_num_queries(7):
        response = api_client.get(f"{ORDERS}?limit=1", **placed["ada_h"])
    assert len(response.json()["orders"]) == 1
    with django_assert_num_queries(7):
        response = api_client.get(ORDERS, **placed["ada_h"])
    assert len(response.json()["orders"]) == 2
