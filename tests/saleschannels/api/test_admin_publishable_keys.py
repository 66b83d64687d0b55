import math

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from commerce.services import api_token_create
from saleschannels.exceptions import SalesChannelsDoNotExist
from saleschannels.models import PublishableApiKey, PublishableApiKeySalesChannel, SalesChannel
from tests.helpers import channel_json, ms
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/admin/publishable-api-keys"
NOT_FOUND = {"type": "not_found", "message": "Not Found"}


def _detail(key_id):
    return f"{LIST_URL}/{key_id}"


def _channels(key_id):
    return f"{LIST_URL}/{key_id}/sales-channels"


def _batch(key_id):
    return f"{LIST_URL}/{key_id}/sales-channels/batch"


def _json(key):
    return {
        "id": key.pk,
        "created_at": ms(key.created_at),
        "updated_at": ms(key.updated_at),
        "created_by": key.created_by_id,
        "revoked_by": key.revoked_by_id,
        "revoked_at": key.revoked_at and ms(key.revoked_at),
        "title": key.title,
    }


def _linked(key):
    return set(
        PublishableApiKeySalesChannel.objects.filter(publishable_key=key).values_list(
            "sales_channel_id", flat=True
        )
    )


def test_routes_are_named_for_reverse():
    assert reverse("admin-api:publishable-api-key-list") == LIST_URL
    assert reverse("admin-api:publishable-api-key-detail", args=["pk_1"]) == _detail("pk_1")
    assert reverse("admin-api:publishable-api-key-revoke", args=["pk_1"]) == (
        _detail("pk_1") + "/revoke"
    )
    assert reverse(
        "admin-api:publishable-api-key-sales-channel-list", kwargs={"key_id": "pk_1"}
    ) == _channels("pk_1")
    assert reverse(
        "admin-api:publishable-api-key-sales-channel-batch", kwargs={"key_id": "pk_1"}
    ) == _batch("pk_1")


# ---- LIST ----


def test_list_is_the_envelope_newest_first(admin_api_client, admin_user):
    # Medusa lists keys newest first in its list envelope (a seeded key has no creator here:
    # null, where Medusa's seed writes "")
    seeded = PublishableApiKeyFactory(title="Default storefront key")
    newer = PublishableApiKeyFactory(title="Wholesale key", created_by=admin_user)
    response = admin_api_client.get(LIST_URL)
    assert response.status_code == 200
    assert response.json() == {
        "publishable_api_keys": [_json(newer), _json(seeded)],
        "count": 2,
        "offset": 0,
        "limit": 20,
    }


def test_list_query_count_does_not_grow(admin_api_client, admin_user, django_assert_num_queries):
    PublishableApiKeyFactory.create_batch(3, created_by=admin_user, revoked_by=admin_user)
    # 1 = COUNT(*); 2 = the page (created_by/revoked_by are ids, no joins)
    with django_assert_num_queries(2):
        small = admin_api_client.get(LIST_URL + "?limit=2")
    PublishableApiKeyFactory.create_batch(30, created_by=admin_user)
    with django_assert_num_queries(2):
        big = admin_api_client.get(LIST_URL + "?limit=30")
    assert (len(small.json()["publishable_api_keys"]), len(big.json()["publishable_api_keys"])) == (
        2,
        30,
    )


def test_list_filters(admin_api_client, admin_user):
    web = PublishableApiKeyFactory(title="Web shop")
    app = PublishableApiKeyFactory(title="Mobile app")
    old = PublishableApiKeyFactory(
        title="Old web", revoked_at=timezone.now(), revoked_by=admin_user
    )

    def ids(query):
        response = admin_api_client.get(LIST_URL + query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["publishable_api_keys"]]

    assert ids("?q=WEB") == [old.pk, web.pk]
    assert ids("?order=title") == [app.pk, old.pk, web.pk]
    assert ids("?order=-title&limit=1&offset=1") == [old.pk]
    assert ids("?revoked_at[gt]=2000-01-01") == [old.pk]
    assert ids("?created_at[gt]=2000-01-01T00:00:00Z&q=app") == [app.pk]
    assert ids("?created_at[lt]=2000-01-01") == []


def test_list_fields(admin_api_client):
    key = PublishableApiKeyFactory(title="Web shop")
    response = admin_api_client.get(LIST_URL + "?fields=title")
    assert response.json()["publishable_api_keys"] == [
        {"id": key.pk, "created_at": ms(key.created_at), "title": "Web shop"}
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?foo=1", "property foo should not exist"),
        (
            "?order=created_by",
            "order field created_by is not valid; use one of created_at, updated_at, revoked_at, title, id",
        ),
        ("?expand=sales_channels", "Relations [sales_channels] are not valid"),
        ("?fields=token", "Fields [token] are not valid"),
        (
            "?revoked_at[gt]=later",
            "revoked_at[gt] must be a valid ISO 8601 date or a Unix timestamp",
        ),
        ("?deleted_at[gt]=2000-01-01", "property deleted_at[gt] should not exist"),
    ],
)
def test_bad_list_query_is_a_400(admin_api_client, query, message):
    response = admin_api_client.get(LIST_URL + query)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


# ---- RETRIEVE / CREATE / UPDATE / DELETE ----


def test_retrieve(admin_api_client):
    key = PublishableApiKeyFactory()
    response = admin_api_client.get(_detail(key.pk))
    assert response.status_code == 200
    assert response.json() == {"publishable_api_key": _json(key)}


def test_retrieve_unknown_is_404(admin_api_client):
    response = admin_api_client.get(_detail("pk_nope"))
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Publishable key with id: pk_nope was not found",
    }


def test_create_records_the_signed_in_user(admin_api_client, admin_user):
    # Medusa answers 200 with the key, created_by the signed-in user
    response = admin_api_client.post(LIST_URL, {"title": "Wholesale key"})
    assert response.status_code == 200
    key = PublishableApiKey.objects.get()
    assert (key.title, key.created_by_id, key.revoked_at) == ("Wholesale key", admin_user.pk, None)
    assert response.json() == {"publishable_api_key": _json(key)}
    assert response.json()["publishable_api_key"]["created_by"] == admin_user.pk
    assert _linked(key) == set()


def test_create_with_an_api_token_records_the_token_owner(api_client, admin_user):
    issued = api_token_create(user=admin_user)
    response = api_client.post(LIST_URL, {"title": "CI key"}, HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)
    assert response.status_code == 200
    assert PublishableApiKey.objects.get().created_by_id == admin_user.pk


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "title must be a string"),
        ({"title": None}, "title must be a string"),
        ({"title": 3}, "title must be a string"),
        ({"title": "X", "sales_channel_ids": []}, "property sales_channel_ids should not exist"),
        ({"title": "X" * 256}, "title must be shorter than or equal to 255 characters"),
    ],
)
def test_create_rejects_bad_bodies_and_writes_nothing(admin_api_client, body, message):
    response = admin_api_client.post(LIST_URL, body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert PublishableApiKey.objects.exists() is False


def test_update_renames(admin_api_client):
    key = PublishableApiKeyFactory(title="Old")
    response = admin_api_client.post(_detail(key.pk), {"title": "New"})
    assert response.status_code == 200
    key.refresh_from_db()
    assert key.title == "New"
    assert response.json() == {"publishable_api_key": _json(key)}


def test_update_unknown_is_404(admin_api_client):
    response = admin_api_client.post(_detail("pk_nope"), {"title": "New"})
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Publishable key with id: pk_nope was not found",
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": 1}, "title must be a string"),
        ({"revoked_at": "2026-01-01"}, "property revoked_at should not exist"),
    ],
)
def test_update_rejects_bad_bodies_and_changes_nothing(admin_api_client, body, message):
    key = PublishableApiKeyFactory(title="Old")
    response = admin_api_client.post(_detail(key.pk), body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    key.refresh_from_db()
    assert (key.title, key.revoked_at) == ("Old", None)


def test_delete_is_hard_and_takes_the_links(admin_api_client, default_channel):
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    response = admin_api_client.delete(_detail(key.pk))
    assert response.status_code == 200
    assert response.json() == {"id": key.pk, "object": "publishable_api_key", "deleted": True}
    assert PublishableApiKey.objects.filter(pk=key.pk).exists() is False
    assert PublishableApiKeySalesChannel.objects.exists() is False
    assert SalesChannel.objects.filter(pk=default_channel.pk).exists()


def test_delete_unknown_is_404_so_a_second_delete_is_404(admin_api_client):
    key = PublishableApiKeyFactory()
    assert admin_api_client.delete(_detail(key.pk)).status_code == 200
    response = admin_api_client.delete(_detail(key.pk))
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": f"Publishable key with id: {key.pk} was not found",
    }


# ---- REVOKE ----


def test_revoke_records_who_and_when(admin_api_client, admin_user):
    key = PublishableApiKeyFactory()
    response = admin_api_client.post(_detail(key.pk) + "/revoke")
    assert response.status_code == 200
    key.refresh_from_db()
    assert key.revoked_by_id == admin_user.pk
    assert key.revoked_at is not None
    assert response.json() == {"publishable_api_key": _json(key)}


def test_revoke_twice_is_refused_and_keeps_the_first_revocation(admin_api_client):
    key = PublishableApiKeyFactory()
    admin_api_client.post(_detail(key.pk) + "/revoke", {})
    key.refresh_from_db()
    first = key.revoked_at

    response = admin_api_client.post(_detail(key.pk) + "/revoke", {})

    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": "PublishableApiKey has already been revoked.",
    }
    key.refresh_from_db()
    assert key.revoked_at == first


def test_revoke_unknown_is_404(admin_api_client):
    response = admin_api_client.post(_detail("pk_nope") + "/revoke")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Publishable key with id: pk_nope was not found",
    }


def test_revoke_takes_no_properties(admin_api_client):
    key = PublishableApiKeyFactory()
    response = admin_api_client.post(_detail(key.pk) + "/revoke", {"reason": "leaked"})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "property reason should not exist",
    }
    key.refresh_from_db()
    assert key.revoked_at is None


# ---- CHANNELS OF A KEY ----


def test_channels_of_a_key_are_listed_without_count(admin_api_client, default_channel):
    # Medusa answers `{sales_channels: [...]}`, without count, offset or limit
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    response = admin_api_client.get(_channels(key.pk))
    assert response.status_code == 200
    assert response.json() == {"sales_channels": [channel_json(default_channel)]}


def test_channels_of_a_key_filter_and_leave_out_deleted_ones(admin_api_client, default_channel):
    wholesale = SalesChannelFactory(name="Wholesale", description="B2B")
    gone = SalesChannelFactory(name="Gone wholesale", deleted_at=timezone.now())
    SalesChannelFactory(name="Not linked wholesale")
    key = PublishableApiKeyFactory(sales_channels=[default_channel, wholesale, gone])

    def ids(query=""):
        response = admin_api_client.get(_channels(key.pk) + query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["sales_channels"]]

    assert ids() == [wholesale.pk, default_channel.pk]
    assert ids("?q=WHOLE") == [wholesale.pk]
    assert ids("?q=b2b") == [wholesale.pk]
    assert ids("?order=name") == [default_channel.pk, wholesale.pk]


def test_channels_of_an_unknown_key_is_an_empty_list(admin_api_client):
    # as in Medusa: the key id is not checked here
    response = admin_api_client.get(_channels("pk_nope"))
    assert response.status_code == 200
    assert response.json() == {"sales_channels": []}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?name=x", "property name should not exist"),
        ("?expand=products", "Relations [products] are not valid"),
    ],
)
def test_channels_of_a_key_bad_query_is_a_400(admin_api_client, query, message):
    response = admin_api_client.get(_channels("pk_1") + query)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_channels_of_a_key_query_count_does_not_grow(admin_api_client, django_assert_num_queries):
    key = PublishableApiKeyFactory(sales_channels=SalesChannelFactory.create_batch(2))
    # 1 = the key's channels (one join)
    with django_assert_num_queries(1):
        small = admin_api_client.get(_channels(key.pk))
    PublishableApiKeySalesChannel.objects.bulk_create(
        [
            PublishableApiKeySalesChannel(publishable_key=key, sales_channel=channel)
            for channel in SalesChannelFactory.create_batch(30)
        ]
    )
    with django_assert_num_queries(2):  # + their stock-location links (expand=locations)
        big = admin_api_client.get(_channels(key.pk) + "?expand=locations")
    assert (len(small.json()["sales_channels"]), len(big.json()["sales_channels"])) == (2, 32)


# ---- BATCH ----


def test_batch_add_links_channels_and_answers_the_key(admin_api_client):
    # Medusa answers a channel batch add with 200 and the key
    key = PublishableApiKeyFactory(title="Wholesale key")
    wholesale = SalesChannelFactory(name="Wholesale")
    response = admin_api_client.post(_batch(key.pk), {"sales_channel_ids": [{"id": wholesale.pk}]})
    assert response.status_code == 200
    key.refresh_from_db()
    assert response.json() == {"publishable_api_key": _json(key)}
    assert _linked(key) == {wholesale.pk}


def test_batch_add_is_idempotent(admin_api_client, default_channel):
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    for _ in range(2):
        response = admin_api_client.post(
            _batch(key.pk),
            {"sales_channel_ids": [{"id": default_channel.pk}, {"id": default_channel.pk}]},
        )
        assert response.status_code == 200
    assert _linked(key) == {default_channel.pk}


def test_batch_add_with_an_empty_list_is_200(admin_api_client):
    key = PublishableApiKeyFactory()
    response = admin_api_client.post(_batch(key.pk), {"sales_channel_ids": []})
    assert response.status_code == 200
    assert _linked(key) == set()


def test_batch_add_refuses_unknown_and_deleted_channels_and_links_nothing(
    admin_api_client, default_channel
):
    # design differs from Medusa here: unknown channel ids are listed, not silently linked
    key = PublishableApiKeyFactory()
    gone = SalesChannelFactory(deleted_at=timezone.now())
    response = admin_api_client.post(
        _batch(key.pk),
        {"sales_channel_ids": [{"id": default_channel.pk}, {"id": "sc_nope"}, {"id": gone.pk}]},
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": SalesChannelsDoNotExist.message,
        "errors": [f"Sales Channels sc_nope, {gone.pk} do not exist"],
    }
    assert _linked(key) == set()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "sales_channel_ids must be an array"),
        ({"sales_channel_ids": "sc_1"}, "sales_channel_ids must be an array"),
        (
            {"sales_channel_ids": ["sc_1"]},
            "each value in nested property sales_channel_ids must be either object or array",
        ),
        ({"sales_channel_ids": [{"id": 1}]}, "id must be a string"),
        ({"sales_channel_ids": [], "title": "x"}, "property title should not exist"),
    ],
)
@pytest.mark.parametrize("method", ["post", "delete"])
def test_batch_rejects_bad_bodies(admin_api_client, default_channel, method, body, message):
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    response = getattr(admin_api_client, method)(_batch(key.pk), body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert _linked(key) == {default_channel.pk}


@pytest.mark.parametrize("method", ["post", "delete"])
def test_batch_on_an_unknown_key_is_404(admin_api_client, default_channel, method):
    response = getattr(admin_api_client, method)(
        _batch("pk_nope"), {"sales_channel_ids": [{"id": default_channel.pk}]}
    )
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Publishable key with id: pk_nope was not found",
    }
    assert PublishableApiKeySalesChannel.objects.exists() is False


def test_batch_remove_unlinks_and_ignores_channels_not_linked(admin_api_client, default_channel):
    wholesale = SalesChannelFactory()
    key = PublishableApiKeyFactory(sales_channels=[default_channel, wholesale])
    response = admin_api_client.delete(
        _batch(key.pk), {"sales_channel_ids": [{"id": wholesale.pk}, {"id": "sc_nope"}]}
    )
    assert response.status_code == 200
    key.refresh_from_db()
    assert response.json() == {"publishable_api_key": _json(key)}
    assert _linked(key) == {default_channel.pk}


def _insert_batches(count):
    """How many INSERT statements Django's bulk_create needs for `count` key links on this database."""
    fields = [
        PublishableApiKeySalesChannel._meta.get_field("publishable_key"),
        PublishableApiKeySalesChannel._meta.get_field("sales_channel"),
    ]
    links = [PublishableApiKeySalesChannel()] * count
    return math.ceil(count / connection.ops.bulk_batch_size(fields, links))


@pytest.mark.parametrize("size", [10, 10_000])
def test_batch_query_count_does_not_grow_with_ids(
    admin_api_client, django_assert_num_queries, size
):
    key = PublishableApiKeyFactory()
    channels = SalesChannel.objects.bulk_create(
        [SalesChannel(name=f"Channel {n}") for n in range(size)]
    )
    body = {"sales_channel_ids": [{"id": channel.pk} for channel in channels]}
    # savepoint + key row lock + channel existence check + INSERT (PostgreSQL takes 10,000 rows
    # in one statement; SQLite's bind-variable cap makes Django split it) + key touch + INSERT
    # of the outbox event (issue 21) + release + re-read of the key
    with django_assert_num_queries(7 + _insert_batches(size)):
        added = admin_api_client.post(_batch(key.pk), body)
    # savepoint + key row lock + DELETE ... IN + key touch + INSERT of the outbox event +
    # release + re-read of the key
    with django_assert_num_queries(7):
        removed = admin_api_client.delete(_batch(key.pk), body)
    assert (added.status_code, removed.status_code) == (200, 200)
    assert _linked(key) == set()


# ---- FLAGS AND AUTH ----


def test_routes_are_404_with_the_keys_flag_off(admin_api_client, flags_off, default_channel):
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    flags_off("publishable_api_keys")
    requests = [
        ("get", LIST_URL, None),
        ("post", LIST_URL, {"title": "X"}),
        ("get", _detail(key.pk), None),
        ("post", _detail(key.pk), {"title": "X"}),
        ("delete", _detail(key.pk), None),
        ("post", _detail(key.pk) + "/revoke", None),
        ("get", _channels(key.pk), None),
        ("post", _batch(key.pk), {"sales_channel_ids": []}),
        ("delete", _batch(key.pk), {"sales_channel_ids": [{"id": default_channel.pk}]}),
    ]
    for method, url, body in requests:
        response = getattr(admin_api_client, method)(url, body)
        assert (method, url, response.status_code, response.json()) == (method, url, 404, NOT_FOUND)
    key.refresh_from_db()
    assert (key.title, key.revoked_at, _linked(key)) == (key.title, None, {default_channel.pk})
    assert PublishableApiKey.objects.count() == 1


def test_key_channel_routes_are_404_with_the_channels_flag_off(admin_api_client, flags_off):
    key = PublishableApiKeyFactory()
    flags_off("sales_channels")
    assert admin_api_client.get(_channels(key.pk)).json() == NOT_FOUND
    response = admin_api_client.post(_batch(key.pk), {"sales_channel_ids": []})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    # the keys themselves still work
    assert admin_api_client.get(_detail(key.pk)).status_code == 200
