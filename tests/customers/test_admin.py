"""The customer screens of the Django admin: writes through the services, orders per channel."""

import pytest
from django.contrib.admin.utils import quote

from customers.models import Customer
from tests.customers.factories import CustomerFactory, GuestFactory
from tests.orders.factories import OrderFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/customers/customer/"


def test_list_and_search(admin_client):
    CustomerFactory(email="ada@example.com")
    GuestFactory(email="guest@example.com")
    response = admin_client.get(f"{LIST_URL}?has_account__exact=0")
    assert response.status_code == 200
    assert [c.email for c in response.context["cl"].result_list] == ["guest@example.com"]
    response = admin_client.get(f"{LIST_URL}?q=ada")
    assert [c.email for c in response.context["cl"].result_list] == ["ada@example.com"]


def test_change_page_shows_orders_per_channel_and_no_password(admin_client):
    web, b2b = SalesChannelFactory(name="Web Shop"), SalesChannelFactory(name="B2B Portal")
    ada = CustomerFactory()
    OrderFactory.create_batch(2, customer=ada, sales_channel=web, total=1250)
    OrderFactory(customer=ada, sales_channel=b2b, total=99900)
    OrderFactory(sales_channel=b2b, total=5)  # someone else's
    response = admin_client.get(f"{LIST_URL}{ada.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "B2B Portal: 1 order(s), 999.00 USD" in html
    assert "Web Shop: 2 order(s), 25.00 USD" in html
    assert ada.password not in html


def test_add_creates_an_account_through_the_service(admin_client):
    GuestFactory(email="ada@example.com")  # a guest of that email does not stand in the way
    response = admin_client.post(
        f"{LIST_URL}add/",
        {"email": "Ada@Example.com", "new_password": "pw-123456", "first_name": "Ada"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    account = Customer.objects.get(has_account=True)
    assert account.email == "ada@example.com"
    assert account.check_password("pw-123456")


def test_add_an_existing_account_is_refused_and_saves_nothing(admin_client):
    CustomerFactory(email="ada@example.com")
    response = admin_client.post(
        f"{LIST_URL}add/", {"email": "ada@example.com", "new_password": "pw-123456"}
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert Customer.objects.count() == 1


def test_change_keeps_the_password_unless_a_new_one_is_given(admin_client):
    ada = CustomerFactory(email="ada@example.com")
    old_hash = ada.password
    url = f"{LIST_URL}{ada.pk}/change/"
    body = {"email": "ada@example.com", "first_name": "Augusta", "last_name": "", "phone": ""}
    assert admin_client.post(url, body).status_code == 302
    ada.refresh_from_db()
    assert (ada.first_name, ada.password) == ("Augusta", old_hash)
    assert admin_client.post(url, {**body, "new_password": "changed-1"}).status_code == 302
    ada.refresh_from_db()
    assert ada.check_password("changed-1")


def test_delete_is_soft(admin_client):
    ada = CustomerFactory()
    order = OrderFactory(customer=ada)
    response = admin_client.post(f"{LIST_URL}{ada.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Customer.objects.filter(pk=ada.pk).exists()
    assert Customer.all_objects.get(pk=ada.pk).deleted_at is not None
    order.refresh_from_db()
    assert order.customer_id == ada.pk


def test_order_page_shows_its_customer(admin_client):
    ada = CustomerFactory(email="ada@example.com")
    order = OrderFactory(customer=ada)
    html = admin_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert f"/admin/customers/customer/{quote(ada.pk)}/change/" in html
