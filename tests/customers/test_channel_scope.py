"""Staff scoped to channels see the customers who shop there: API and Django admin alike.

The clerk of `scope_shop_create` is scoped to channel A. A customer is in their scope when they
have at least one order or cart in A (`Customer.channel_scope_rule`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from carts.models import Cart
from customers.models import Customer
from tests.commerce.factories import StaffUserFactory
from tests.customers.factories import CustomerFactory
from tests.orders.factories import OrderFactory
from tests.security.permissions_helpers import token_client
from tests.security.scope_shop import ScopeShop, scope_shop_create
from tests.security.shop import fingerprint

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/admin/customers"
ADMIN = "/admin/customers/customer/"


@dataclass(frozen=True)
class People:
    ordered_a: Customer  # an order in A
    cart_a: Customer  # only a cart in A
    ordered_b: Customer  # an order in B
    both: Customer  # an order in A and one in B
    nothing: Customer  # no order, no cart


@pytest.fixture
def shop() -> ScopeShop:
    return scope_shop_create()


@pytest.fixture
def people(shop) -> People:
    people = People(
        *(CustomerFactory(email=f"{n}@example.com") for n in ("oa", "ca", "ob", "ab", "no"))
    )
    OrderFactory(region=shop.region, sales_channel=shop.a, customer=people.ordered_a)
    Cart.objects.create(region=shop.region, sales_channel=shop.a, customer=people.cart_a)
    OrderFactory(region=shop.region, sales_channel=shop.b, customer=people.ordered_b)
    Cart.objects.create(region=shop.region, sales_channel=shop.b, customer=people.ordered_b)
    OrderFactory(region=shop.region, sales_channel=shop.a, customer=people.both, total=700)
    OrderFactory(region=shop.region, sales_channel=shop.b, customer=people.both, total=900)
    return people


@pytest.fixture
def clerk(shop) -> APIClient:
    return token_client(shop.clerk)


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["customers"])


def test_the_list_and_its_count_hold_only_customers_who_shop_in_the_scope(people, clerk):
    response = clerk.get(CUSTOMERS)
    expected = sorted([people.ordered_a.pk, people.cart_a.pk, people.both.pk])
    assert _ids(response) == expected
    assert response.json()["count"] == 3
    # a search does not widen it
    assert _ids(clerk.get(f"{CUSTOMERS}?q=ob@")) == []


def test_an_unrestricted_user_sees_every_customer(people):
    root = token_client(StaffUserFactory(email="root@example.com"))
    assert len(_ids(root.get(CUSTOMERS))) == 5


@pytest.mark.parametrize("who", ["ordered_b", "nothing"])
def test_a_customer_outside_the_scope_is_a_404_and_cannot_be_changed(people, clerk, who):
    customer = getattr(people, who)
    message = f"Customer with id: {customer.pk} was not found"
    response = clerk.get(f"{CUSTOMERS}/{customer.pk}")
    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "message": message}
    before = fingerprint()
    response = clerk.post(f"{CUSTOMERS}/{customer.pk}", {"first_name": "X"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "message": message}
    assert fingerprint() == before


def test_a_customer_in_the_scope_can_be_opened_and_changed(people, clerk):
    for customer in (people.ordered_a, people.cart_a, people.both):
        assert clerk.get(f"{CUSTOMERS}/{customer.pk}").status_code == 200
    response = clerk.post(f"{CUSTOMERS}/{people.cart_a.pk}", {"first_name": "Ada"}, format="json")
    assert response.status_code == 200
    assert response.json()["customer"]["first_name"] == "Ada"


def test_expanded_orders_hold_only_the_scope(shop, people, clerk):
    response = clerk.get(f"{CUSTOMERS}/{people.both.pk}?expand=orders")
    assert response.status_code == 200
    orders = response.json()["customer"]["orders"]
    assert [order["sales_channel_id"] for order in orders] == [shop.a.pk]
    listed = clerk.get(f"{CUSTOMERS}?expand=orders&q=ab@").json()["customers"]
    assert [o["sales_channel_id"] for o in listed[0]["orders"]] == [shop.a.pk]


def test_a_scoped_user_may_create_a_customer_but_then_not_list_it(people, clerk):
    # Accounts are shared by every channel: creating one is allowed; it has no order or cart
    # yet, so it is not in the scope until it shops in one of the user's channels.
    response = clerk.post(
        CUSTOMERS,
        {"email": "new@example.com", "first_name": "N", "last_name": "E", "password": "secret123"},
        format="json",
    )
    assert response.status_code == 200, response.content
    created = response.json()["customer"]["id"]
    assert response.json()["customer"]["email"] == "new@example.com"
    assert created not in _ids(clerk.get(CUSTOMERS))
    assert clerk.get(f"{CUSTOMERS}/{created}").status_code == 404


# ---- THE DJANGO ADMIN ----


def test_the_django_admin_lists_and_opens_only_the_scope(shop, people, client):
    client.force_login(shop.clerk)
    page = client.get(ADMIN)
    assert page.status_code == 200
    listed = sorted(c.pk for c in page.context["cl"].result_list)
    assert listed == sorted([people.ordered_a.pk, people.cart_a.pk, people.both.pk])
    assert page.context["cl"].result_count == 3
    assert client.get(f"{ADMIN}{people.ordered_b.pk}/change/").status_code == 404
    assert client.get(f"{ADMIN}{people.nothing.pk}/change/").status_code == 404
    before = fingerprint()
    response = client.post(
        f"{ADMIN}{people.ordered_b.pk}/change/", {"email": "x@example.com", "first_name": "X"}
    )
    assert response.status_code == 404
    assert client.post(f"{ADMIN}{people.ordered_b.pk}/delete/", {"post": "yes"}).status_code == 404
    assert fingerprint() == before


def test_the_orders_panel_shows_only_the_scopes_channels(shop, people, client):
    client.force_login(shop.clerk)
    html = client.get(f"{ADMIN}{people.both.pk}/change/").content.decode()
    assert "Web A: 1 order(s), 7.00 USD" in html
    assert "B2B B" not in html
    client.force_login(StaffUserFactory(email="root@example.com", is_superuser=True))
    html = client.get(f"{ADMIN}{people.both.pk}/change/").content.decode()
    assert "Web A: 1 order(s), 7.00 USD" in html
    assert "B2B B: 1 order(s), 9.00 USD" in html
