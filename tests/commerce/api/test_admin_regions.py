from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commerce.countries import country_json
from commerce.models import PaymentProvider, Region, ShippingOption
from tests.commerce.factories import RegionFactory, ShippingOptionFactory
from tests.helpers import ms

pytestmark = pytest.mark.django_db

LIST_URL = "/api/admin/regions"


def _detail(region_id):
    return f"{LIST_URL}/{region_id}"


def _json(region, *, tax_rate=0, providers=("manual",)):
    return {
        "id": region.pk,
        "created_at": ms(region.created_at),
        "updated_at": ms(region.updated_at),
        "deleted_at": None,
        "name": region.name,
        "currency_code": region.currency_code,
        "tax_rate": tax_rate,
        "tax_code": region.tax_code,
        "automatic_taxes": region.automatic_taxes,
        "includes_tax": region.includes_tax,
        "metadata": region.metadata,
        "countries": [country_json(code, region.pk) for code in region.countries],
        "payment_providers": [{"id": pid, "is_installed": True} for pid in providers],
    }


def test_routes_are_named_for_reverse():
    assert reverse("admin-api:region-list") == LIST_URL
    assert reverse("admin-api:region-detail", args=["reg_1"]) == _detail("reg_1")


def test_list_is_the_envelope_newest_first_with_limit_50(admin_api_client):
    older = RegionFactory(name="EU", currency_code="eur", countries=["fr", "it"])
    newer = RegionFactory(name="NA", countries=["us", "ca"])
    response = admin_api_client.get(LIST_URL)
    assert response.status_code == 200
    assert response.json() == {
        "regions": [_json(newer), _json(older)],
        "count": 2,
        "offset": 0,
        "limit": 50,
    }


def test_list_query_count_does_not_grow(admin_api_client, django_assert_num_queries):
    PaymentProvider.objects.create(id="stripe")
    providers = list(PaymentProvider.objects.all())
    RegionFactory.create_batch(3, payment_providers=providers)
    # 1 = COUNT(*); 2 = the page; 3 = payment providers of the page
    with django_assert_num_queries(3):
        small = admin_api_client.get(LIST_URL + "?limit=2")
    RegionFactory.create_batch(30, payment_providers=providers)
    with django_assert_num_queries(3):
        big = admin_api_client.get(LIST_URL + "?limit=30")
    assert (len(small.json()["regions"]), len(big.json()["regions"])) == (2, 30)
    assert big.json()["regions"][0]["payment_providers"] == [
        {"id": "manual", "is_installed": True},
        {"id": "stripe", "is_installed": True},
    ]


def test_list_without_relations_skips_the_prefetch(admin_api_client, django_assert_num_queries):
    region = RegionFactory(name="EU")
    # 1 = COUNT(*); 2 = the page (no providers asked for)
    with django_assert_num_queries(2):
        response = admin_api_client.get(LIST_URL + "?expand=&fields=name")
    assert response.json()["regions"] == [
        {"id": region.pk, "created_at": ms(region.created_at), "name": "EU"}
    ]


def test_list_filters(admin_api_client):
    eu = RegionFactory(name="Europe", currency_code="eur")
    na = RegionFactory(name="North America")
    gone = RegionFactory(name="Gone", deleted_at=timezone.now())

    def ids(query):
        response = admin_api_client.get(LIST_URL + query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["regions"]]

    assert ids("?q=europe") == [eu.pk]
    assert ids("?q=EUR") == [eu.pk]
    assert ids("?order=name") == [eu.pk, na.pk]
    assert ids("?order=-name&limit=1&offset=1") == [eu.pk]
    assert ids("?created_at[gt]=2000-01-01T00:00:00Z&q=north") == [na.pk]
    assert ids("?deleted_at[gt]=2000-01-01") == [gone.pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?foo=1", "property foo should not exist"),
        (
            "?order=tax_rate",
            "order field tax_rate is not valid; use one of created_at, updated_at, name, currency_code, id",
        ),
        ("?expand=shipping_options", "Relations [shipping_options] are not valid"),
        ("?fields=secret", "Fields [secret] are not valid"),
        ("?limit=x", "limit must be a non-negative integer"),
        (
            "?updated_at[gt]=soon",
            "updated_at[gt] must be a valid ISO 8601 date or a Unix timestamp",
        ),
    ],
)
def test_bad_list_query_is_a_400(admin_api_client, query, message):
    response = admin_api_client.get(LIST_URL + query)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_retrieve(admin_api_client):
    region = RegionFactory(
        name="EU", currency_code="eur", tax_rate=Decimal("12.50"), countries=["de"]
    )
    response = admin_api_client.get(_detail(region.pk))
    assert response.status_code == 200
    assert response.json() == {"region": _json(region, tax_rate=12.5)}


def test_retrieve_unknown_or_deleted_is_404(admin_api_client):
    gone = RegionFactory(deleted_at=timezone.now())
    for region_id in ("reg_nope", gone.pk):
        response = admin_api_client.get(_detail(region_id))
        assert response.status_code == 404
        assert response.json() == {
            "type": "not_found",
            "message": f"Region with id: {region_id} was not found",
        }


def test_create_answers_200_with_the_region(admin_api_client):
    response = admin_api_client.post(
        LIST_URL,
        {
            "name": "EU",
            "currency_code": "EUR",
            "tax_rate": 19.5,
            "tax_code": "VAT",
            "countries": ["DE", "fr"],
            "includes_tax": True,
            "automatic_taxes": False,
            "metadata": {"team": "emea"},
        },
    )
    assert response.status_code == 200
    region = Region.objects.get(name="EU")
    assert (region.currency_code, region.tax_rate, region.countries) == (
        "eur",
        Decimal("19.50"),
        ["de", "fr"],
    )
    assert (region.includes_tax, region.automatic_taxes) == (True, False)
    assert response.json() == {"region": _json(region, tax_rate=19.5)}


def test_create_with_minimal_body_gets_defaults(admin_api_client):
    response = admin_api_client.post(LIST_URL, {"name": "NA", "currency_code": "usd"})
    assert response.status_code == 200
    region = Region.objects.get(name="NA")
    assert response.json() == {"region": _json(region, tax_rate=0)}
    assert response.json()["region"]["countries"] == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"currency_code": "usd"}, "name must be a string"),
        ({"name": "EU"}, "currency_code must be a string"),
        ({"name": "EU", "currency_code": "xyz"}, "Currency with code: xyz was not found"),
        (
            {"name": "EU", "currency_code": "eur", "payment_providers": ["stripe"]},
            "Payment providers stripe do not exist",
        ),
        (
            {"name": "EU", "currency_code": "eur", "tax_rate": "12"},
            "tax_rate must be a number conforming to the specified constraints",
        ),
        (
            {"name": "EU", "currency_code": "eur", "tax_rate": 101},
            "tax_rate must not be greater than 100",
        ),
        (
            {"name": "EU", "currency_code": "eur", "tax_rate": -1},
            "tax_rate must not be less than 0",
        ),
        (
            {"name": "EU", "currency_code": "eur", "tax_rate": 12.345},
            "tax_rate must have at most 2 decimal places",
        ),
        ({"name": "EU", "currency_code": "eur", "countries": "de"}, "countries must be an array"),
        (
            {"name": "EU", "currency_code": "eur", "countries": ["de", 5]},
            "each value in countries must be a string",
        ),
        (
            {"name": "EU", "currency_code": "eur", "countries": ["deu"]},
            "each value in countries must be shorter than or equal to 2 characters",
        ),
        (
            {"name": "EU", "currency_code": "eur", "countries": [" "]},
            "each value in countries should not be empty",
        ),
        (
            {"name": "EU", "currency_code": "eur", "payment_providers": [None]},
            "each value in payment_providers must be a string",
        ),
        (
            {"name": "EU", "currency_code": "eur", "fulfillment_providers": ["manual"]},
            "property fulfillment_providers should not exist",
        ),
    ],
)
def test_create_rejects_bad_bodies_and_writes_nothing(admin_api_client, body, message):
    response = admin_api_client.post(LIST_URL, body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert Region.all_objects.exists() is False


def test_update(admin_api_client):
    region = RegionFactory(name="EU", currency_code="eur", countries=["de"])
    PaymentProvider.objects.create(id="stripe")
    response = admin_api_client.post(
        _detail(region.pk),
        {"name": "Europe", "tax_rate": 7, "countries": ["AT"], "payment_providers": ["stripe"]},
    )
    assert response.status_code == 200
    region.refresh_from_db()
    assert (region.name, region.tax_rate, region.countries) == ("Europe", Decimal("7.00"), ["at"])
    assert response.json() == {"region": _json(region, tax_rate=7, providers=("stripe",))}


def test_update_unknown_is_404(admin_api_client):
    response = admin_api_client.post(_detail("reg_nope"), {"name": "X"})
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Region with id: reg_nope was not found",
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"currency_code": "xyz"}, "Currency with code: xyz was not found"),
        ({"name": 1}, "name must be a string"),
        ({"id": "reg_other"}, "property id should not exist"),
        ({"tax_rate": True}, "tax_rate must be a number conforming to the specified constraints"),
    ],
)
def test_update_rejects_bad_bodies_and_changes_nothing(admin_api_client, body, message):
    region = RegionFactory(name="EU", currency_code="eur")
    response = admin_api_client.post(_detail(region.pk), body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    region.refresh_from_db()
    assert (region.name, region.currency_code, region.tax_rate) == ("EU", "eur", 0)


def test_delete_is_soft_takes_the_shipping_options_and_is_idempotent(admin_api_client):
    region = RegionFactory()
    option = ShippingOptionFactory(region=region)
    for _ in range(2):
        response = admin_api_client.delete(_detail(region.pk))
        assert response.status_code == 200
        assert response.json() == {"id": region.pk, "object": "region", "deleted": True}
    assert Region.all_objects.get(pk=region.pk).deleted_at is not None
    assert ShippingOption.all_objects.get(pk=option.pk).deleted_at is not None
    assert admin_api_client.get(_detail(region.pk)).status_code == 404


def test_create_with_a_country_iso_does_not_know_is_404_and_writes_nothing(admin_api_client):
    response = admin_api_client.post(
        LIST_URL, {"name": "EU", "currency_code": "eur", "countries": ["de", "XX"]}
    )
    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "message": "Country with iso_2 XX not found"}
    assert Region.all_objects.exists() is False


def test_update_with_a_country_iso_does_not_know_is_404_and_changes_nothing(admin_api_client):
    region = RegionFactory(name="EU", currency_code="eur", countries=["de"])
    response = admin_api_client.post(_detail(region.pk), {"name": "X", "countries": ["zz"]})
    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "message": "Country with iso_2 zz not found"}
    region.refresh_from_db()
    assert (region.name, region.countries) == ("EU", ["de"])
