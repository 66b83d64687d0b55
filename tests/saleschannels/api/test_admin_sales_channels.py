import pytest
from django.urls import reverse

from saleschannels.models import SalesChannel
from tests.helpers import ms
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/admin/sales-channels"


def _detail(channel_id):
    return f"/api/admin/sales-channels/{channel_id}"


def _json(channel):
    return {
        "id": channel.pk,
        "created_at": ms(channel.created_at),
        "updated_at": ms(channel.updated_at),
        "deleted_at": None,
        "name": channel.name,
        "description": channel.description,
        "is_disabled": channel.is_disabled,
        "metadata": channel.metadata,
    }


def test_routes_are_named_for_reverse():
    assert reverse("admin-api:sales-channel-list") == LIST_URL
    assert reverse("admin-api:sales-channel-detail", args=["sc_1"]) == _detail("sc_1")


def test_list_is_the_medusa_envelope_newest_first(admin_api_client, default_channel):
    newer = SalesChannelFactory()
    response = admin_api_client.get(LIST_URL)
    assert response.status_code == 200
    assert response.json() == {
        "sales_channels": [_json(newer), _json(default_channel)],
        "count": 2,
        "offset": 0,
        "limit": 20,
    }


def test_list_query_count_does_not_grow(admin_api_client, django_assert_num_queries):
    SalesChannelFactory.create_batch(3)
    # 1 auth session/user is forced; 1 = COUNT(*); 2 = the page; 3 = their stock-location links
    with django_assert_num_queries(3):
        small = admin_api_client.get(LIST_URL + "?limit=2&expand=locations")
    SalesChannelFactory.create_batch(30)
    with django_assert_num_queries(3):
        big = admin_api_client.get(LIST_URL + "?limit=30&expand=locations")
    assert (len(small.json()["sales_channels"]), len(big.json()["sales_channels"])) == (2, 30)


def test_list_filters(admin_api_client, default_channel):
    wholesale = SalesChannelFactory(name="Wholesale", description="B2B storefront")
    outlet = SalesChannelFactory(name="Outlet", description="closed", is_disabled=True)

    def ids(query):
        response = admin_api_client.get(LIST_URL + query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["sales_channels"]]

    assert ids("?q=WHOLE") == [wholesale.pk]
    assert ids("?q=b2b") == [wholesale.pk]
    assert ids("?name=Outlet") == [outlet.pk]
    assert ids(f"?id={wholesale.pk}") == [wholesale.pk]
    assert ids("?order=name") == [default_channel.pk, outlet.pk, wholesale.pk]
    assert ids("?order=-name&limit=1&offset=1") == [outlet.pk]
    assert ids("?created_at[gt]=2000-01-01T00:00:00Z&q=closed") == [outlet.pk]


def test_deleted_at_filter_includes_deleted_channels(admin_api_client, default_channel):
    gone = SalesChannelFactory(deleted_at="2026-01-02T00:00:00Z")
    response = admin_api_client.get(LIST_URL + "?deleted_at[gt]=2026-01-01")
    assert [row["id"] for row in response.json()["sales_channels"]] == [gone.pk]


def test_fields_and_q_together(admin_api_client, default_channel):
    response = admin_api_client.get(LIST_URL + "?q=default&fields=name")
    assert response.json()["sales_channels"] == [
        {
            "id": default_channel.pk,
            "created_at": ms(default_channel.created_at),
            "name": "Default Sales Channel",
        }
    ]


def test_expand_locations_is_an_empty_list(admin_api_client, default_channel):
    response = admin_api_client.get(LIST_URL + "?expand=locations")
    assert response.json()["sales_channels"][0]["locations"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?foo=1", "property foo should not exist"),
        (
            "?order=nope",
            "order field nope is not valid; use one of created_at, updated_at, name, description, is_disabled, id",
        ),
        ("?expand=products", "Relations [products] are not valid"),
        ("?fields=secret", "Fields [secret] are not valid"),
        ("?limit=-1", "limit must be a non-negative integer"),
        ("?limit=100000", "limit must not be greater than 1000"),
        (
            "?created_at[gt]=yesterday",
            "created_at[gt] must be a valid ISO 8601 date or a Unix timestamp",
        ),
        (
            "?created_at[between]=1",
            "created_at[between]: use created_at[lt], created_at[gt], created_at[lte] or created_at[gte]",
        ),
    ],
)
def test_bad_query_is_a_clear_400(admin_api_client, query, message):
    response = admin_api_client.get(LIST_URL + query)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_retrieve(admin_api_client, default_channel):
    response = admin_api_client.get(_detail(default_channel.pk))
    assert response.status_code == 200
    assert response.json() == {"sales_channel": _json(default_channel)}


def test_retrieve_unknown_is_404(admin_api_client):
    response = admin_api_client.get(_detail("sc_nope"))
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Sales channel with id: sc_nope was not found",
    }


def test_create_answers_200_with_the_channel(admin_api_client):
    response = admin_api_client.post(
        LIST_URL,
        {"name": "Wholesale", "description": "B2B storefront", "metadata": {"tier": "gold"}},
    )
    assert response.status_code == 200
    channel = SalesChannel.objects.get(name="Wholesale")
    assert response.json() == {"sales_channel": _json(channel)}
    assert channel.metadata == {"tier": "gold"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"description": "no name"}, "name must be a string"),
        ({"name": 5}, "name must be a string"),
        ({"name": "X", "foo": 1}, "property foo should not exist"),
        ({"name": "X", "is_disabled": "yes"}, "is_disabled must be a boolean value"),
        ({"name": "X", "metadata": "x"}, "metadata must be an object"),
    ],
)
def test_create_rejects_bad_bodies_and_writes_nothing(admin_api_client, body, message):
    before = SalesChannel.all_objects.count()
    response = admin_api_client.post(LIST_URL, body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert SalesChannel.all_objects.count() == before


def test_malformed_json_is_a_400(admin_api_client):
    response = admin_api_client.post(LIST_URL, "{bad", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["type"] == "invalid_data"
    assert response.json()["message"].startswith("Malformed request body: JSON parse error")


def test_update(admin_api_client):
    channel = SalesChannelFactory(name="Wholesale", description="B2B")
    response = admin_api_client.post(
        _detail(channel.pk), {"description": "B2B (updated)", "is_disabled": True}
    )
    assert response.status_code == 200
    channel.refresh_from_db()
    assert (channel.description, channel.is_disabled) == ("B2B (updated)", True)
    assert response.json() == {"sales_channel": _json(channel)}


def test_disabling_the_default_is_refused(admin_api_client, default_channel):
    response = admin_api_client.post(_detail(default_channel.pk), {"is_disabled": True})
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": "You cannot disable the default sales channel",
    }
    default_channel.refresh_from_db()
    assert default_channel.is_disabled is False


def test_delete_default_is_refused(admin_api_client, default_channel):
    response = admin_api_client.delete(_detail(default_channel.pk))
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": "You cannot delete the default sales channel",
    }
    assert SalesChannel.objects.filter(pk=default_channel.pk).exists()


def test_delete_is_soft_and_idempotent(admin_api_client):
    channel = SalesChannelFactory()
    for _ in range(2):
        response = admin_api_client.delete(_detail(channel.pk))
        assert response.status_code == 200
        assert response.json() == {"id": channel.pk, "object": "sales-channel", "deleted": True}
    assert SalesChannel.all_objects.get(pk=channel.pk).deleted_at is not None
    assert admin_api_client.get(_detail(channel.pk)).status_code == 404


def test_routes_are_404_with_the_flag_off(admin_api_client, flags_off, default_channel):
    flags_off("sales_channels")
    response = admin_api_client.get(LIST_URL)
    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "message": "Not Found"}
    assert admin_api_client.post(LIST_URL, {"name": "X"}).status_code == 404
    assert SalesChannel.objects.count() == 1
