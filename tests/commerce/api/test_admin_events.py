"""Lifecycle events (docs/events.md) sent by admin API actions, only once the transaction commits."""

import pytest

from commerce.models import OutboxEvent
from saleschannels import signals
from saleschannels.models import PublishableApiKey, SalesChannel
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db

EVENTS = [
    signals.sales_channel_created,
    signals.sales_channel_updated,
    signals.sales_channel_deleted,
    signals.publishable_api_key_created,
    signals.publishable_api_key_revoked,
]


@pytest.fixture
def received():
    """Every event sent during the test, as `(event name, sender, payload)`."""
    events = []

    def receiver(sender, signal, **payload):
        events.append((signals.EVENT_NAMES[signal], sender, payload))

    for signal in EVENTS:
        signal.connect(receiver, dispatch_uid="test-admin-events")
    yield events
    for signal in EVENTS:
        signal.disconnect(dispatch_uid="test-admin-events")


def test_channel_create_update_delete_fire_after_commit(
    admin_api_client, received, django_capture_on_commit_callbacks
):
    # given: nothing is sent while the transaction is open
    with django_capture_on_commit_callbacks() as pending:
        response = admin_api_client.post("/api/admin/sales-channels", {"name": "Wholesale"})
    channel_id = response.json()["sales_channel"]["id"]
    assert received == []
    assert len(pending) == 2  # the signal, and the outbox's hand-over to the webhooks

    # when: the commit happens
    for callback in pending:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        admin_api_client.post(f"/api/admin/sales-channels/{channel_id}", {"name": "B2B"})
    with django_capture_on_commit_callbacks(execute=True):
        admin_api_client.delete(f"/api/admin/sales-channels/{channel_id}")

    # then
    assert received == [
        ("sales_channel.created", SalesChannel, {"id": channel_id}),
        ("sales_channel.updated", SalesChannel, {"id": channel_id}),
        ("sales_channel.deleted", SalesChannel, {"id": channel_id}),
    ]


def test_key_created_and_revoked_fire_after_commit(
    admin_api_client, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as pending:
        response = admin_api_client.post("/api/admin/publishable-api-keys", {"title": "Web"})
    key_id = response.json()["publishable_api_key"]["id"]
    assert received == []

    for callback in pending:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        admin_api_client.post(f"/api/admin/publishable-api-keys/{key_id}/revoke")

    assert received == [
        ("publishable_api_key.created", PublishableApiKey, {"id": key_id}),
        ("publishable_api_key.revoked", PublishableApiKey, {"id": key_id}),
    ]


def test_refused_or_idempotent_actions_fire_nothing(
    admin_api_client, received, default_channel, django_capture_on_commit_callbacks
):
    revoked = PublishableApiKeyFactory()
    admin_api_client.post(f"/api/admin/publishable-api-keys/{revoked.pk}/revoke")
    received.clear()
    with django_capture_on_commit_callbacks(execute=True) as pending:
        admin_api_client.post("/api/admin/sales-channels", {"name": 5})
        admin_api_client.post(
            f"/api/admin/sales-channels/{default_channel.pk}", {"is_disabled": True}
        )
        admin_api_client.delete(f"/api/admin/sales-channels/{default_channel.pk}")
        admin_api_client.delete("/api/admin/sales-channels/sc_nope")  # idempotent no-op
        admin_api_client.post("/api/admin/publishable-api-keys", {})
        admin_api_client.post(f"/api/admin/publishable-api-keys/{revoked.pk}/revoke")
    assert pending == []
    assert received == []


def test_other_key_and_channel_writes_fire_nothing(
    admin_api_client, received, django_capture_on_commit_callbacks
):
    key = PublishableApiKeyFactory()
    channel = SalesChannelFactory()
    with django_capture_on_commit_callbacks(execute=True) as pending:
        admin_api_client.post(f"/api/admin/publishable-api-keys/{key.pk}", {"title": "New"})
        admin_api_client.post(
            f"/api/admin/publishable-api-keys/{key.pk}/sales-channels/batch",
            {"sales_channel_ids": [{"id": channel.pk}]},
        )
        admin_api_client.delete(f"/api/admin/publishable-api-keys/{key.pk}")
    assert received == []
    # No signal, but linking channels is an outbox event (for webhooks): one hand-over
    assert len(pending) == 1
    events = OutboxEvent.objects.filter(type__startswith="publishable_api_key")
    assert list(events.values_list("type", "data__id")) == [
        ("publishable_api_key.channels_updated", key.pk)
    ]
