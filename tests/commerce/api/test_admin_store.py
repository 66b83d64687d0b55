"""`/api/admin/store`. The view lives in saleschannels (it calls the default-channel service)."""

import pytest
from django.urls import reverse

from commerce.models import Store
from saleschannels.exceptions import DefaultSalesChannelMustBeEnabled
from tests.helpers import channel_json, ms
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db

URL = "/api/admin/store"
USD = {"code": "usd", "symbol": "$", "symbol_native": "$", "name": "US Dollar"}
EUR = {"code": "eur", "symbol": "€", "symbol_native": "€", "name": "Euro"}


def _json(store, *, currencies, default_currency, channel):
    return {
        "id": store.pk,
        "created_at": ms(store.created_at),
        "updated_at": ms(store.updated_at),
        "name": store.name,
        "default_currency_code": store.default_currency_code,
        "default_currency": default_currency,
        "currencies": currencies,
        "swap_link_template": None,
        "payment_link_template": None,
        "invite_link_template": None,
        "default_sales_channel_id": channel.pk,
        "default_sales_channel": channel_json(channel),
        "metadata": store.metadata,
    }


def test_route_is_named_for_reverse():
    assert reverse("admin-api:store") == URL


def test_get_answers_the_store_with_its_default_channel(
    admin_api_client, default_channel, django_assert_num_queries
):
    store = Store.objects.get()
    # 1 = the store joined to its default channel; 2 = its currencies
    with django_assert_num_queries(2):
        response = admin_api_client.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "store": _json(store, currencies=[USD], default_currency=USD, channel=default_channel)
    }
    assert response.json()["store"]["name"] == "Medusa Store"


def test_get_with_the_channels_flag_off_has_no_default_channel(
    admin_api_client, flags_off, default_channel
):
    flags_off("sales_channels")
    response = admin_api_client.get(URL)
    assert response.status_code == 200
    store = response.json()["store"]
    assert "default_sales_channel_id" not in store
    assert "default_sales_channel" not in store
    assert store["currencies"] == [USD]


def test_update_name_currencies_and_default_currency(admin_api_client, default_channel):
    response = admin_api_client.post(
        URL,
        {
            "name": "Acme",
            "currencies": ["usd", "EUR"],
            "default_currency_code": "eur",
            "metadata": {"vat": "DE123"},
        },
    )
    assert response.status_code == 200
    store = Store.objects.get()
    assert (store.name, store.default_currency_code, store.metadata) == (
        "Acme",
        "eur",
        {"vat": "DE123"},
    )
    assert sorted(store.currencies.values_list("code", flat=True)) == ["eur", "usd"]
    assert response.json() == {
        "store": _json(store, currencies=[EUR, USD], default_currency=EUR, channel=default_channel)
    }


def test_update_default_sales_channel(admin_api_client, default_channel):
    wholesale = SalesChannelFactory(name="Wholesale")

    response = admin_api_client.post(URL, {"default_sales_channel_id": wholesale.pk})

    assert response.status_code == 200
    store = Store.objects.get()
    assert store.default_sales_channel_id == wholesale.pk
    assert response.json() == {
        "store": _json(store, currencies=[USD], default_currency=USD, channel=wholesale)
    }
    # the old default is an ordinary channel now; the new one is protected
    assert (
        admin_api_client.delete(f"/api/admin/sales-channels/{default_channel.pk}").status_code
        == 200
    )
    assert admin_api_client.delete(f"/api/admin/sales-channels/{wholesale.pk}").status_code == 400


def test_disabled_default_channel_is_refused_and_nothing_changes(admin_api_client, default_channel):
    outlet = SalesChannelFactory(name="Outlet", is_disabled=True)

    response = admin_api_client.post(
        URL, {"name": "Renamed", "default_sales_channel_id": outlet.pk}
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": DefaultSalesChannelMustBeEnabled("Outlet").message,
    }
    assert response.json()["message"] == (
        'The default sales channel must be enabled; "Outlet" is disabled'
    )
    store = Store.objects.get()
    assert (store.name, store.default_sales_channel_id) == ("Medusa Store", default_channel.pk)


def test_a_refused_currency_change_keeps_the_new_default_channel_out(
    admin_api_client, default_channel
):
    wholesale = SalesChannelFactory()
    response = admin_api_client.post(
        URL, {"default_sales_channel_id": wholesale.pk, "currencies": ["xyz"]}
    )
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": "Currencies xyz do not exist"}
    assert Store.objects.get().default_sales_channel_id == default_channel.pk


def test_unknown_or_deleted_default_channel_is_404(admin_api_client, default_channel):
    gone = SalesChannelFactory()
    admin_api_client.delete(f"/api/admin/sales-channels/{gone.pk}")
    for channel_id in ("sc_nope", gone.pk):
        response = admin_api_client.post(URL, {"default_sales_channel_id": channel_id})
        assert response.status_code == 404
        assert response.json() == {
            "type": "not_found",
            "message": f"Sales channel with id: {channel_id} was not found",
        }
    assert Store.objects.get().default_sales_channel_id == default_channel.pk


def test_default_channel_property_is_refused_with_the_flag_off(
    admin_api_client, flags_off, default_channel
):
    flags_off("sales_channels")
    response = admin_api_client.post(
        URL, {"name": "Acme", "default_sales_channel_id": default_channel.pk}
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "property default_sales_channel_id should not exist",
    }
    assert Store.objects.get().name == "Medusa Store"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"currencies": ["usd", "xyz"]}, "Currencies xyz do not exist"),
        ({"default_currency_code": "eur"}, "Store does not have currency: eur"),
        (
            {"currencies": ["eur"]},
            "You are not allowed to remove default currency from store currencies without replacing it as well",
        ),
        ({"currencies": "usd"}, "currencies must be an array"),
        ({"currencies": ["usd", 1]}, "each value in currencies must be a string"),
        ({"name": 5}, "name must be a string"),
        ({"default_sales_channel_id": None}, "default_sales_channel_id must be a string"),
        ({"swap_link_template": "x"}, "property swap_link_template should not exist"),
    ],
)
def test_bad_updates_are_400_and_change_nothing(admin_api_client, default_channel, body, message):
    response = admin_api_client.post(URL, body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    store = Store.objects.get()
    assert (store.name, store.default_currency_code) == ("Medusa Store", "usd")
    assert list(store.currencies.values_list("code", flat=True)) == ["usd"]
