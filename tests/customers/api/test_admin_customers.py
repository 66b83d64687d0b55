import pytest

from customers.models import Customer
from customers.services import customer_address_add
from tests.customers.api.helpers import customer_json
from tests.customers.factories import PASSWORD, CustomerFactory, GuestFactory
from tests.helpers import ms
from tests.orders.factories import OrderFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/admin/customers"
ADDRESS = {"address_1": "1 Main St", "city": "Copenhagen", "country_code": "dk"}


def _admin_customer_json(customer):
    data = customer_json(customer)
    data["shipping_addresses"] = [
        {k: v for k, v in a.items() if k != "customer_id"} for a in data["shipping_addresses"]
    ]
    return data


def test_list_with_the_default_relations(admin_api_client):
    ada = CustomerFactory(email="ada@example.com")
    customer_address_add(customer_id=ada.pk, address=ADDRESS)
    guest = GuestFactory(email="guest@example.com")
    response = admin_api_client.get(CUSTOMERS)
    assert response.status_code == 200
    assert response.json() == {
        "customers": [_admin_customer_json(guest), _admin_customer_json(ada)],
        "count": 2,
        "offset": 0,
        "limit": 50,
    }
    assert "password" not in str(response.json())


def test_q_has_account_limit_offset(admin_api_client):
    ada = CustomerFactory(email="ada@example.com", first_name="Ada")
    CustomerFactory(email="bob@example.com", first_name="Bob")
    GuestFactory(email="ada.guest@example.com")
    ids = lambda r: [c["id"] for c in r.json()["customers"]]  # noqa: E731
    assert admin_api_client.get(f"{CUSTOMERS}?q=ADA").json()["count"] == 2
    assert ids(admin_api_client.get(f"{CUSTOMERS}?q=ada&has_account=true")) == [ada.pk]
    page = admin_api_client.get(f"{CUSTOMERS}?limit=1&offset=2&expand=")
    assert (page.json()["count"], page.json()["limit"], page.json()["offset"]) == (3, 1, 2)
    assert ids(page) == [ada.pk]
    assert "shipping_addresses" not in page.json()["customers"][0]


def test_expand_orders_lists_each_customers_orders(admin_api_client, django_assert_num_queries):
    web, b2b = SalesChannelFactory(name="Web"), SalesChannelFactory(name="B2B")
    ada, bob = CustomerFactory(), CustomerFactory()
    first = OrderFactory(customer=ada, sales_channel=web)
    second = OrderFactory(customer=ada, sales_channel=b2b)
    OrderFactory(customer=bob, sales_channel=web)
    # 1 = count; 2 = the page; 3 = their orders
    with django_assert_num_queries(3):
        response = admin_api_client.get(f"{CUSTOMERS}?expand=orders")
    by_id = {c["id"]: c for c in response.json()["customers"]}
    assert [o["id"] for o in by_id[ada.pk]["orders"]] == [second.pk, first.pk]
    assert by_id[ada.pk]["orders"][0]["sales_channel_id"] == b2b.pk
    assert by_id[ada.pk]["orders"][0]["customer_id"] == ada.pk
    assert len(by_id[bob.pk]["orders"]) == 1
    CustomerFactory.create_batch(3)
    with django_assert_num_queries(3):
        admin_api_client.get(f"{CUSTOMERS}?expand=orders")


def test_default_list_query_count_does_not_grow(admin_api_client, django_assert_num_queries):
    for customer in CustomerFactory.create_batch(2):
        customer_address_add(customer_id=customer.pk, address=ADDRESS)
    # 1 = count; 2 = the page with billing addresses; 3 = shipping addresses
    with django_assert_num_queries(3):
        admin_api_client.get(CUSTOMERS)
    for customer in CustomerFactory.create_batch(5):
        customer_address_add(customer_id=customer.pk, address=ADDRESS)
    with django_assert_num_queries(3):
        response = admin_api_client.get(CUSTOMERS)
    assert response.json()["count"] == 7


def test_bad_list_queries_are_400(admin_api_client):
    for query, message in [
        ("?expand=swaps", "Relations [swaps] are not valid"),
        ("?fields=password", "Fields [password] are not valid"),
        ("?foo=1", "property foo should not exist"),
    ]:
        response = admin_api_client.get(CUSTOMERS + query)
        assert response.status_code == 400, query
        assert response.json()["message"] == message


def test_retrieve_and_not_found(admin_api_client):
    ada = CustomerFactory()
    response = admin_api_client.get(f"{CUSTOMERS}/{ada.pk}")
    assert response.json() == {"customer": _admin_customer_json(ada)}
    response = admin_api_client.get(f"{CUSTOMERS}/cus_nope")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Customer with id: cus_nope was not found",
    }


def test_create_and_update(admin_api_client):
    body = {
        "email": "New@Example.com",
        "password": "pw-123456",
        "first_name": "New",
        "last_name": "Customer",
    }
    response = admin_api_client.post(CUSTOMERS, body)
    assert response.status_code == 200, response.json()
    customer = Customer.objects.get()
    assert response.json() == {"customer": _admin_customer_json(customer)}
    assert customer.check_password("pw-123456")
    assert "pw-123456" not in str(response.json())

    again = admin_api_client.post(CUSTOMERS, body)
    assert again.status_code == 422
    assert Customer.objects.count() == 1

    response = admin_api_client.post(
        f"{CUSTOMERS}/{customer.pk}", {"first_name": "Renamed", "metadata": {"tier": "gold"}}
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.first_name, customer.metadata) == ("Renamed", {"tier": "gold"})
    assert response.json()["customer"]["updated_at"] == ms(customer.updated_at)

    bad = admin_api_client.post(f"{CUSTOMERS}/{customer.pk}", {"has_account": False})
    assert bad.status_code == 400
    assert bad.json()["message"] == "property has_account should not exist"


def test_admin_customers_need_staff(api_client):
    ada = CustomerFactory(email="ada@example.com")
    # A customer's own bearer token is no admin credential.
    token = api_client.post(
        "/api/store/auth/token", {"email": "ada@example.com", "password": PASSWORD}
    ).json()["access_token"]
    for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {token}"}):
        assert api_client.get(CUSTOMERS, **headers).status_code == 401
        assert api_client.get(f"{CUSTOMERS}/{ada.pk}", **headers).status_code == 401


def test_admin_orders_expand_customer(admin_api_client):
    ada = CustomerFactory()
    order = OrderFactory(customer=ada)
    guestless = OrderFactory()
    response = admin_api_client.get(f"/api/admin/orders/{order.pk}?expand=customer")
    customer = response.json()["order"]["customer"]
    expected = {
        k: v
        for k, v in customer_json(ada).items()
        if k not in ("shipping_addresses", "billing_address")
    }
    assert customer == expected
    assert response.json()["order"]["customer_id"] == ada.pk
    listed = admin_api_client.get("/api/admin/orders?expand=customer,sales_channel").json()
    by_id = {o["id"]: o for o in listed["orders"]}
    assert by_id[order.pk]["customer"]["id"] == ada.pk
    assert by_id[guestless.pk]["customer"] is None
    default = admin_api_client.get(f"/api/admin/orders/{order.pk}").json()["order"]
    assert "customer" not in default
