from decimal import Decimal

import pytest
from django.urls import reverse

from commerce.countries import country_json
from commerce.models import PaymentProvider
from tests.commerce.factories import RegionFactory
from tests.helpers import ms

pytestmark = pytest.mark.django_db

LIST_URL = "/api/store/regions"


def _json(region, providers=("manual",)):
    return {
        "id": region.pk,
        "created_at": ms(region.created_at),
        "updated_at": ms(region.updated_at),
        "deleted_at": None,
        "name": region.name,
        "currency_code": region.currency_code,
        "tax_rate": 0,
        "tax_code": None,
        "automatic_taxes": True,
        "includes_tax": False,
        "metadata": None,
        "countries": [country_json(code, region.pk) for code in region.countries],
        "payment_providers": [{"id": pid, "is_installed": True} for pid in providers],
    }


def test_routes_are_named_for_reverse():
    assert reverse("store-api:region-list") == LIST_URL
    assert reverse("store-api:region-detail", args=["reg_1"]) == f"{LIST_URL}/reg_1"


def test_list_is_the_envelope_oldest_first(api_client):
    eu = RegionFactory(name="EU", currency_code="eur", countries=["dk", "se"])
    na = RegionFactory(name="NA", countries=["us", "ca"])
    response = api_client.get(LIST_URL)
    assert response.status_code == 200
    assert response.json() == {
        "regions": [_json(eu), _json(na)],
        "count": 2,
        "offset": 0,
        "limit": 100,
    }


def test_fields_and_an_empty_expand_give_only_those_columns(api_client):
    eu = RegionFactory(name="EU", currency_code="eur")
    response = api_client.get(LIST_URL + "?fields=id,name,currency_code&expand=")
    assert response.status_code == 200
    assert response.json()["regions"] == [
        {"id": eu.pk, "created_at": ms(eu.created_at), "name": "EU", "currency_code": "eur"}
    ]


def test_tax_rate_is_a_number(api_client):
    RegionFactory(tax_rate=Decimal("12.50"))
    RegionFactory(tax_rate=Decimal("25.00"))
    response = api_client.get(LIST_URL + "?fields=tax_rate&expand=")
    assert [row["tax_rate"] for row in response.json()["regions"]] == [12.5, 25]


def test_deleted_regions_are_hidden(api_client):
    RegionFactory(deleted_at="2026-01-01T00:00:00Z")
    assert api_client.get(LIST_URL).json()["count"] == 0


def test_list_query_count_does_not_grow(api_client, django_assert_num_queries):
    RegionFactory.create_batch(2)
    # 1 = COUNT(*); 2 = the page; 3 = payment providers of the page
    with django_assert_num_queries(3):
        small = api_client.get(LIST_URL + "?limit=1")
    extra = PaymentProvider.objects.create(id="other")
    RegionFactory.create_batch(
        10, payment_providers=[PaymentProvider.objects.get(pk="manual"), extra]
    )
    with django_assert_num_queries(3):
        big = api_client.get(LIST_URL + "?limit=12")
    assert (len(small.json()["regions"]), len(big.json()["regions"])) == (1, 12)


def test_retrieve(api_client):
    region = RegionFactory(countries=["dk"])
    response = api_client.get(f"{LIST_URL}/{region.pk}")
    assert response.status_code == 200
    assert response.json() == {"region": _json(region)}


def test_retrieve_unknown_is_404(api_client):
    response = api_client.get(f"{LIST_URL}/reg_nope")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Region with id: reg_nope was not found",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?foo=1", "property foo should not exist"),
        ("?expand=tax_rates", "Relations [tax_rates] are not valid"),
        ("?fields=secret", "Fields [secret] are not valid"),
    ],
)
def test_bad_query_is_a_400(api_client, query, message):
    response = api_client.get(LIST_URL + query)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_countries_carry_medusas_names_and_codes_from_iso_3166(api_client):
    # Medusa's country columns (as in its cart's region); the id is the ISO numeric code here (no
    # country table)
    region = RegionFactory(name="EU", currency_code="eur", countries=["dk", "gb"])
    countries = api_client.get(f"{LIST_URL}/{region.pk}").json()["region"]["countries"]
    assert countries == [
        {
            "id": 208,
            "iso_2": "dk",
            "iso_3": "dnk",
            "num_code": 208,
            "name": "DENMARK",
            "display_name": "Denmark",
            "region_id": region.pk,
        },
        {
            "id": 826,
            "iso_2": "gb",
            "iso_3": "gbr",
            "num_code": 826,
            "name": "UNITED KINGDOM",
            "display_name": "United Kingdom",
            "region_id": region.pk,
        },
    ]


def test_a_stored_code_iso_does_not_know_keeps_only_its_code(api_client):
    # Regions saved before codes were checked still render (names unknown, never a 500).
    region = RegionFactory(name="Old", countries=["xx"])
    countries = api_client.get(f"{LIST_URL}/{region.pk}").json()["region"]["countries"]
    assert countries == [
        {
            "id": None,
            "iso_2": "xx",
            "iso_3": None,
            "num_code": None,
            "name": None,
            "display_name": None,
            "region_id": region.pk,
        }
    ]
