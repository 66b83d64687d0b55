"""Admin API: /api/admin/webhooks and their deliveries."""

import pytest

from saleschannels import services as channel_services
from tests.saleschannels.factories import SalesChannelFactory
from tests.webhooks.factories import webhook
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db

URL = "/api/admin/webhooks"
HOOK = "https://hooks.example.com/commerce"


def _one_delivery(receiver, django_capture_on_commit_callbacks, **kwargs):
    hook = webhook(receiver.url, **kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.sales_channel_create(name="Marketplace")
    return hook, WebhookDelivery.objects.get(subscription=hook)


def test_create_shows_the_secret_once(admin_api_client, receiver):
    channel = SalesChannelFactory()
    response = admin_api_client.post(
        URL,
        {
            "url": receiver.url,
            "events": ["sales_channel.created", "order.placed"],
            "sales_channel_ids": [channel.pk],
            "description": "ERP",
        },
    )
    assert response.status_code == 200
    body = response.json()["webhook"]
    hook = WebhookSubscription.objects.get()
    assert body == {
        "id": hook.pk,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "url": receiver.url,
        "events": ["sales_channel.created", "order.placed"],
        "sales_channel_ids": [channel.pk],
        "description": "ERP",
        "is_active": True,
        "secret": hook.secret,
    }
    assert hook.secret.startswith("whsec_")
    assert hook.pk.startswith("wh_")

    shown = admin_api_client.get(f"{URL}/{hook.pk}").json()["webhook"]
    listed = admin_api_client.get(URL).json()
    assert "secret" not in shown
    assert listed["count"] == 1
    assert "secret" not in listed["webhooks"][0]
    assert (listed["offset"], listed["limit"]) == (0, 20)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"url": "ftp://example.com/x", "events": ["order.placed"]},
            "url must be an http or https URL",
        ),
        ({"url": "http:///x", "events": ["order.placed"]}, "url must have a host"),
        ({"url": HOOK, "events": []}, "events should not be empty"),
        ({"url": HOOK, "events": ["order.shipped"]}, None),
        ({"url": HOOK, "events": ["order.placed"], "sales_channel_ids": ["sc_nope"]}, None),
        (
            {"url": HOOK, "events": ["order.placed"], "secret": "mine"},
            "property secret should not exist",
        ),
        ({"events": ["order.placed"]}, "url must be a string"),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(admin_api_client, body, message):
    response = admin_api_client.post(URL, body)
    assert response.status_code == 400
    assert response.json()["type"] == "invalid_data"
    if message:
        assert response.json()["message"] == message
    assert WebhookSubscription.objects.exists() is False


def test_unknown_event_and_channel_messages(admin_api_client):
    response = admin_api_client.post(URL, {"url": HOOK, "events": ["order.shipped"]})
    assert response.json()["message"].startswith(
        "events must be one of the following values: sales_channel.created,"
    )
    assert response.json()["message"].endswith("(got order.shipped)")
    response = admin_api_client.post(
        URL, {"url": HOOK, "events": ["order.placed"], "sales_channel_ids": ["sc_nope"]}
    )
    assert response.json()["errors"] == ["Sales Channels sc_nope do not exist"]


def test_private_addresses_are_refused_where_the_setting_says(admin_api_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    for url in (
        "http://127.0.0.1:8000/x",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://[::1]/x",
    ):
        response = admin_api_client.post(URL, {"url": url, "events": ["order.placed"]})
        assert response.status_code == 400, url
        assert "resolves to a private address" in response.json()["message"]
    assert WebhookSubscription.objects.exists() is False


def test_update_and_delete(admin_api_client):
    hook = webhook(HOOK)
    response = admin_api_client.post(
        f"{URL}/{hook.pk}", {"events": ["product.updated"], "is_active": False}
    )
    assert response.status_code == 200
    assert response.json()["webhook"]["events"] == ["product.updated"]
    assert response.json()["webhook"]["is_active"] is False
    assert "secret" not in response.json()["webhook"]

    response = admin_api_client.delete(f"{URL}/{hook.pk}")
    assert response.json() == {"id": hook.pk, "object": "webhook", "deleted": True}
    assert WebhookSubscription.objects.exists() is False
    response = admin_api_client.get(f"{URL}/{hook.pk}")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": f"Webhook with id: {hook.pk} was not found",
    }


def test_update_refused_changes_nothing(admin_api_client):
    hook = webhook(HOOK)
    response = admin_api_client.post(f"{URL}/{hook.pk}", {"url": "mailto:x@example.com"})
    assert response.status_code == 400
    hook.refresh_from_db()
    assert hook.url == HOOK


def test_deliveries_list_shows_each_attempt(
    admin_api_client, receiver, django_capture_on_commit_callbacks, django_assert_num_queries
):
    hook, delivery = _one_delivery(receiver, django_capture_on_commit_callbacks)
    # 1 the webhook (404 check); 2 count; 3 the page with its events; 4 the attempts
    with django_assert_num_queries(4):
        response = admin_api_client.get(f"{URL}/{hook.pk}/deliveries")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["offset"], body["limit"]) == (1, 0, 20)
    (row,) = body["deliveries"]
    assert row["id"] == delivery.pk
    assert row["webhook_id"] == hook.pk
    assert row["event_id"] == delivery.event_id
    assert row["event_type"] == "sales_channel.created"
    assert (row["status"], row["attempts"], row["response_code"], row["last_error"]) == (
        "succeeded",
        1,
        200,
        "",
    )
    assert row["delivered_at"] is not None
    assert [(a["number"], a["response_status"]) for a in row["attempt_log"]] == [(1, 200)]


def test_deliveries_list_query_count_does_not_grow(
    admin_api_client, receiver, django_capture_on_commit_callbacks, django_assert_num_queries
):
    hook = webhook(receiver.url)
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            channel_services.sales_channel_create(name=f"C{n}")
    with django_assert_num_queries(4):
        response = admin_api_client.get(f"{URL}/{hook.pk}/deliveries?status=succeeded")
    assert response.json()["count"] == 3


def test_deliveries_of_an_unknown_webhook_are_404(admin_api_client):
    response = admin_api_client.get(f"{URL}/wh_nope/deliveries")
    assert response.status_code == 404
    assert response.json()["message"] == "Webhook with id: wh_nope was not found"


def test_retry_resends(admin_api_client, receiver, django_capture_on_commit_callbacks):
    hook, delivery = _one_delivery(receiver, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api_client.post(f"{URL}/{hook.pk}/deliveries/{delivery.pk}/retry")
    assert response.status_code == 200
    assert response.json()["delivery"]["id"] == delivery.pk
    assert len(receiver.wait_for(2)) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 2)


def test_retry_of_another_webhooks_delivery_is_404(
    admin_api_client, receiver, django_capture_on_commit_callbacks
):
    _hook, delivery = _one_delivery(receiver, django_capture_on_commit_callbacks)
    other = webhook(HOOK)
    response = admin_api_client.post(f"{URL}/{other.pk}/deliveries/{delivery.pk}/retry")
    assert response.status_code == 404
    assert response.json()["message"] == f"Webhook delivery with id: {delivery.pk} was not found"


def test_retry_while_in_flight_is_409(
    admin_api_client, receiver, django_capture_on_commit_callbacks
):
    hook, delivery = _one_delivery(receiver, django_capture_on_commit_callbacks)
    from django.utils import timezone

    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        locked_until=timezone.now() + timezone.timedelta(seconds=60)
    )
    response = admin_api_client.post(f"{URL}/{hook.pk}/deliveries/{delivery.pk}/retry")
    assert response.status_code == 409
    assert response.json()["type"] == "conflict"
    assert len(receiver.received) == 1


def test_unknown_query_params_are_400(admin_api_client):
    hook = webhook(HOOK)
    for path in (URL, f"{URL}/{hook.pk}/deliveries"):
        response = admin_api_client.get(f"{path}?foo=1")
        assert response.status_code == 400
        assert response.json()["type"] == "invalid_data"


def test_deliveries_filter_by_status_refuses_unknown_values(admin_api_client):
    hook = webhook(HOOK)
    response = admin_api_client.get(f"{URL}/{hook.pk}/deliveries?status=lost")
    assert response.status_code == 400
    assert response.json()["type"] == "invalid_data"
