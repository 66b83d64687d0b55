"""Property: what a scoped user can list and open equals an independent computation of the scope.

Random channels, products (in random channel sets), orders and carts (in a random channel or
none, of a random customer or none), customers, publishable keys and webhooks (random channel
sets) and user scopes (none, or a random channel set); the expected visibility is computed here
from the generated data alone, not with the app's code.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carts.models import Cart
from commerce.models import User
from commerce.services import user_create
from saleschannels.services import staff_scope_set
from tests.catalog.factories import ProductFactory
from tests.commerce.factories import RegionFactory
from tests.customers.factories import CustomerFactory
from tests.orders.factories import OrderFactory
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory
from tests.security.permissions_helpers import token_client
from webhooks.services import webhook_create

pytestmark = pytest.mark.django_db

CHANNELS = 3
CUSTOMERS = 3
channel_or_none = st.one_of(st.none(), st.integers(0, CHANNELS - 1))
customer_or_none = st.one_of(st.none(), st.integers(0, CUSTOMERS - 1))
subsets = st.sets(st.integers(0, CHANNELS - 1), max_size=CHANNELS)
world = st.fixed_dictionaries(
    {
        "products": st.lists(subsets, max_size=6),
        "orders": st.lists(st.tuples(channel_or_none, customer_or_none), max_size=6),
        "carts": st.lists(st.tuples(channel_or_none, customer_or_none), max_size=4),
        "keys": st.lists(subsets, max_size=4),
        "webhooks": st.lists(subsets, max_size=4),
        "scopes": st.lists(st.one_of(st.none(), subsets), min_size=1, max_size=3),
    }
)


def _listed(client, path: str, key: str) -> set[str]:
    response = client.get(f"{path}?limit=1000")
    assert response.status_code == 200
    body = response.json()
    ids = {row["id"] for row in body[key]}
    assert body["count"] == len(ids)
    return ids


def _opened(client, path: str, ids: set[str]) -> set[str]:
    opened = set()
    for object_id in ids:
        status = client.get(f"{path}/{object_id}").status_code
        assert status in (200, 404)
        if status == 200:
            opened.add(object_id)
    return opened


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=world)
def test_scoped_users_list_and_open_exactly_their_scope(data):
    with transaction.atomic():
        channels = [SalesChannelFactory() for _ in range(CHANNELS)]
        region = RegionFactory()
        products = {
            ProductFactory(sales_channels=[channels[i] for i in chosen]).pk: chosen
            for chosen in data["products"]
        }
        customers = [CustomerFactory() for _ in range(CUSTOMERS)]

        def channel(i):
            return None if i is None else channels[i]

        def customer(c):
            return None if c is None else customers[c]

        orders = {
            OrderFactory(region=region, sales_channel=channel(i), customer=customer(c)).pk: i
            for i, c in data["orders"]
        }
        for i, c in data["carts"]:
            Cart.objects.create(region=region, sales_channel=channel(i), customer=customer(c))
        hooks = {
            webhook_create(
                url="https://example.com/h",
                events=["order.placed"],
                sales_channel_ids=[channels[i].pk for i in chosen],
            ).pk: chosen
            for chosen in data["webhooks"]
        }
        keys = {
            PublishableApiKeyFactory(sales_channels=[channels[i] for i in chosen]).pk: chosen
            for chosen in data["keys"]
        }
        all_channels = {c.pk for c in channels}

        for n, scope in enumerate(data["scopes"]):
            user = user_create(email=f"u{n}@example.com", password="a-long-password", role="admin")
            if scope is not None:
                staff_scope_set(user_id=user.pk, sales_channel_ids=[channels[i].pk for i in scope])
            client = token_client(User.objects.get(pk=user.pk))

            # the independent computation
            mine = set(range(CHANNELS)) if scope is None else scope
            want_channels = {channels[i].pk for i in mine}
            want_products = {
                pk for pk, chosen in products.items() if scope is None or chosen & mine
            }
            want_orders = {pk for pk, i in orders.items() if scope is None or i in mine}
            want_keys = {pk for pk, chosen in keys.items() if scope is None or chosen <= mine}
            shopped_in = {  # customer index -> channel indexes of their orders and carts
                c: {i for i, who in data["orders"] + data["carts"] if who == c and i is not None}
                for c in range(CUSTOMERS)
            }
            want_customers = {
                customers[c].pk for c in range(CUSTOMERS) if scope is None or shopped_in[c] & mine
            }
            want_hooks = {
                pk for pk, chosen in hooks.items() if scope is None or (chosen and chosen <= mine)
            }

            listed_channels = _listed(client, "/api/admin/sales-channels", "sales_channels")
            assert listed_channels & all_channels == want_channels
            assert _opened(client, "/api/admin/sales-channels", all_channels) == want_channels
            assert _listed(client, "/api/admin/products", "products") & set(products) == (
                want_products
            )
            assert _opened(client, "/api/admin/products", set(products)) == want_products
            assert _listed(client, "/api/admin/orders", "orders") == want_orders
            assert _opened(client, "/api/admin/orders", set(orders)) == want_orders
            listed_keys = _listed(client, "/api/admin/publishable-api-keys", "publishable_api_keys")
            assert listed_keys == want_keys
            assert _opened(client, "/api/admin/publishable-api-keys", set(keys)) == want_keys
            all_customers = {c.pk for c in customers}
            assert _listed(client, "/api/admin/customers", "customers") == want_customers
            assert _opened(client, "/api/admin/customers", all_customers) == want_customers
            assert _listed(client, "/api/admin/webhooks", "webhooks") == want_hooks
            assert _opened(client, "/api/admin/webhooks", set(hooks)) == want_hooks
        transaction.set_rollback(True)
