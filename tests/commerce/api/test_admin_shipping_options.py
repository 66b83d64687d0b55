import pytest
from django.urls import reverse
from django.utils import timezone

from commerce.countries import country_json
from commerce.models import ShippingOption
from tests.commerce.factories import RegionFactory, ShippingOptionFactory
from tests.helpers import ms

pytestmark = pytest.mark.django_db

LIST_URL = "/api/admin/shipping-options"


def _detail(option_id):
    return f"{LIST_URL}/{option_id}"


def _region_json(region):
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
        "payment_providers": [{"id": "manual", "is_installed": True}],
    }


def _json(option, *, with_region=True):
    body = {
        "id": option.pk,
        "created_at": ms(option.created_at),
        "updated_at": ms(option.updated_at),
        "deleted_at": None,
        "name": option.name,
        "region_id": option.region_id,
        "provider_id": "manual",
        "price_type": "flat_rate",
        "amount": option.amount,
        "is_return": option.is_return,
        "admin_only": option.admin_only,
        "data": option.data,
        "metadata": option.metadata,
    }
    if with_region:
        body["region"] = _region_json(option.region)
    return body


def test_routes_are_named_for_reverse():
    assert reverse("admin-api:shipping-option-list") == LIST_URL
    assert reverse("admin-api:shipping-option-detail", args=["so_1"]) == _detail("so_1")


def test_list_is_the_envelope_newest_first_with_the_region(admin_api_client):
    older = ShippingOptionFactory(name="PostFake Standard", data={"id": "manual-fulfillment"})
    newer = ShippingOptionFactory(name="PostFake Express", amount=2500)
    response = admin_api_client.get(LIST_URL)
    assert response.status_code == 200
    assert response.json() == {
        "shipping_options": [_json(newer), _json(older)],
        "count": 2,
        "offset": 0,
        "limit": 50,
    }


def test_list_query_count_does_not_grow(admin_api_client, django_assert_num_queries):
    ShippingOptionFactory.create_batch(3)
    # 1 = COUNT(*); 2 = the page joined to its regions; 3 = the regions' payment providers
    with django_assert_num_queries(3):
        small = admin_api_client.get(LIST_URL + "?limit=2")
    ShippingOptionFactory.create_batch(30)
    with django_assert_num_queries(3):
        big = admin_api_client.get(LIST_URL + "?limit=30")
    assert (len(small.json()["shipping_options"]), len(big.json()["shipping_options"])) == (2, 30)


def test_list_without_region(admin_api_client, django_assert_num_queries):
    option = ShippingOptionFactory()
    # 1 = COUNT(*); 2 = the page
    with django_assert_num_queries(2):
        response = admin_api_client.get(LIST_URL + "?expand=")
    assert response.json()["shipping_options"] == [_json(option, with_region=False)]


def test_list_filters(admin_api_client):
    eu, na = RegionFactory(name="EU"), RegionFactory(name="NA")
    standard = ShippingOptionFactory(region=eu, name="Standard")
    returns = ShippingOptionFactory(region=eu, name="Returns", is_return=True)
    internal = ShippingOptionFactory(region=na, name="Internal", admin_only=True)
    ShippingOptionFactory(region=na, name="Gone", deleted_at=timezone.now())

    def ids(query):
        response = admin_api_client.get(LIST_URL + query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["shipping_options"]]

    assert ids(f"?region_id={eu.pk}") == [returns.pk, standard.pk]
    assert ids(f"?region_id[]={na.pk}") == [internal.pk]
    assert ids(f"?region_id[0]={na.pk}&region_id[1]={eu.pk}&order=name") == [
        internal.pk,
        returns.pk,
        standard.pk,
    ]
    assert ids(f"?region_id={eu.pk},{na.pk}&is_return=false&admin_only=false") == [standard.pk]
    assert ids("?is_return=true") == [returns.pk]
    assert ids("?admin_only=true") == [internal.pk]
    assert ids("?q=STAND") == [standard.pk]
    assert ids("?region_id[]=reg_nope") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?is_return=yes", "is_return must be a boolean value"),
        ("?region_id[x]=1", "region_id must be an array"),
        ("?expand=profile", "Relations [profile] are not valid"),
        (
            "?order=price",
            "order field price is not valid; use one of created_at, updated_at, name, amount, id",
        ),
        ("?deleted_at[gt]=2000-01-01", "property deleted_at[gt] should not exist"),
    ],
)
def test_bad_list_query_is_a_400(admin_api_client, query, message):
    response = admin_api_client.get(LIST_URL + query)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_retrieve(admin_api_client):
    option = ShippingOptionFactory(metadata={"carrier": "postfake"})
    response = admin_api_client.get(_detail(option.pk))
    assert response.status_code == 200
    assert response.json() == {"shipping_option": _json(option)}


def test_retrieve_unknown_or_deleted_is_404(admin_api_client):
    gone = ShippingOptionFactory(deleted_at=timezone.now())
    for option_id in ("so_nope", gone.pk):
        response = admin_api_client.get(_detail(option_id))
        assert response.status_code == 404
        assert response.json() == {
            "type": "not_found",
            "message": f"Shipping option with id: {option_id} was not found",
        }


def test_create_answers_200_with_the_option(admin_api_client):
    region = RegionFactory()
    response = admin_api_client.post(
        LIST_URL,
        {
            "name": "PostFake Standard",
            "region_id": region.pk,
            "provider_id": "manual",
            "price_type": "flat_rate",
            "amount": 1000,
            "data": {"id": "manual-fulfillment"},
            "admin_only": False,
            "is_return": False,
        },
    )
    assert response.status_code == 200
    option = ShippingOption.objects.get()
    assert (option.region_id, option.amount, option.provider_id) == (region.pk, 1000, "manual")
    assert response.json() == {"shipping_option": _json(option)}


def test_create_unknown_region_is_404_and_writes_nothing(admin_api_client):
    response = admin_api_client.post(
        LIST_URL, {"name": "X", "region_id": "reg_nope", "amount": 100}
    )
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Region with id: reg_nope was not found",
    }
    assert ShippingOption.all_objects.exists() is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"region_id": "reg_x", "amount": 1}, "name must be a string"),
        ({"name": "X", "amount": 1}, "region_id must be a string"),
        ({"name": "X", "region_id": "reg_x"}, "amount must be an integer number"),
        ({"name": "X", "region_id": "reg_x", "amount": 9.5}, "amount must be an integer number"),
        ({"name": "X", "region_id": "reg_x", "amount": "100"}, "amount must be an integer number"),
        ({"name": "X", "region_id": "reg_x", "amount": -1}, "amount must not be less than 0"),
        (
            {"name": "X", "region_id": "reg_x", "amount": 1, "provider_id": "fedex"},
            "provider_id must be one of the following values: manual",
        ),
        (
            {"name": "X", "region_id": "reg_x", "amount": 1, "price_type": "calculated"},
            "price_type must be one of the following values: flat_rate",
        ),
        (
            {"name": "X", "region_id": "reg_x", "amount": 1, "data": []},
            "data must be an object",
        ),
        (
            {"name": "X", "region_id": "reg_x", "amount": 1, "profile_id": "sp_1"},
            "property profile_id should not exist",
        ),
    ],
)
def test_create_rejects_bad_bodies_and_writes_nothing(admin_api_client, body, message):
    response = admin_api_client.post(LIST_URL, body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert ShippingOption.all_objects.exists() is False


def test_update(admin_api_client):
    option = ShippingOptionFactory(name="Standard", amount=1000)
    response = admin_api_client.post(
        _detail(option.pk),
        {"name": "Standard (2 days)", "amount": 1250, "admin_only": True, "metadata": {"a": 1}},
    )
    assert response.status_code == 200
    option.refresh_from_db()
    assert (option.name, option.amount, option.admin_only, option.metadata) == (
        "Standard (2 days)",
        1250,
        True,
        {"a": 1},
    )
    assert response.json() == {"shipping_option": _json(option)}


def test_update_unknown_is_404(admin_api_client):
    response = admin_api_client.post(_detail("so_nope"), {"amount": 1})
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Shipping option with id: so_nope was not found",
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"amount": -5}, "amount must not be less than 0"),
        ({"amount": 2**64}, "amount must not be greater than 9007199254740991"),
        ({"region_id": "reg_other"}, "property region_id should not exist"),
        ({"is_return": True}, "property is_return should not exist"),
        ({"admin_only": "no"}, "admin_only must be a boolean value"),
    ],
)
def test_update_rejects_bad_bodies_and_changes_nothing(admin_api_client, body, message):
    option = ShippingOptionFactory(amount=1000)
    response = admin_api_client.post(_detail(option.pk), body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    option.refresh_from_db()
    assert (option.amount, option.admin_only, option.is_return) == (1000, False, False)


def test_delete_is_soft_and_idempotent(admin_api_client):
    option = ShippingOptionFactory()
    for _ in range(2):
        response = admin_api_client.delete(_detail(option.pk))
        assert response.status_code == 200
        assert response.json() == {"id": option.pk, "object": "shipping-option", "deleted": True}
    assert ShippingOption.all_objects.get(pk=option.pk).deleted_at is not None
    assert admin_api_client.get(_detail(option.pk)).status_code == 404
