"""The webhook screens of the Django admin: subscriptions through the services, the deliveries
log with every attempt, and resending."""

import pytest
from django.contrib import messages

from saleschannels import services as channel_services
from tests.saleschannels.factories import SalesChannelFactory
from tests.webhooks.factories import webhook
from webhooks.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db

HOOKS_URL = "/admin/webhooks/webhooksubscription/"
DELIVERIES_URL = "/admin/webhooks/webhookdelivery/"


def _messages(response):
    return [(m.level, m.message) for m in response.context["messages"]]


def test_add_subscribes_through_the_service_and_shows_the_secret_once(admin_client, receiver):
    channel = SalesChannelFactory()
    response = admin_client.post(
        HOOKS_URL + "add/",
        {
            "url": receiver.url,
            "events": ["sales_channel.created", "order.placed"],
            "channels": [channel.pk],
            "description": "ERP",
            "is_active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    hook = WebhookSubscription.objects.get()
    assert (hook.url, hook.events, hook.sales_channel_ids) == (
        receiver.url,
        ["sales_channel.created", "order.placed"],
        [channel.pk],
    )
    level, text = _messages(response)[0]
    assert level == messages.WARNING
    assert hook.secret in text
    change = admin_client.get(f"{HOOKS_URL}{hook.pk}/change/")
    assert hook.secret not in change.content.decode()


def test_add_refused_by_the_service_saves_nothing(admin_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    response = admin_client.post(
        HOOKS_URL + "add/",
        {"url": "http://127.0.0.1:9000/x", "events": ["order.placed"], "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert WebhookSubscription.objects.exists() is False
    assert any("resolves to a private address" in text for _, text in _messages(response))


def test_deliveries_log_and_resend(admin_client, receiver, django_capture_on_commit_callbacks):
    hook = webhook(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.sales_channel_create(name="Logged")
    delivery = WebhookDelivery.objects.get()

    listing = admin_client.get(DELIVERIES_URL + f"?subscription__id__exact={hook.pk}")
    assert listing.status_code == 200
    assert "sales_channel.created" in listing.content.decode()
    detail = admin_client.get(f"{DELIVERIES_URL}{delivery.pk}/change/").content.decode()
    assert "Logged" in detail  # the body sent
    assert "attempt" in detail.lower()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            DELIVERIES_URL,
            {"action": "resend_selected", "_selected_action": [delivery.pk]},
            follow=True,
        )
    assert _messages(response) == [(messages.SUCCESS, "Resending 1 delivery.")]
    assert len(receiver.wait_for(2)) == 2
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert list(delivery.attempt_log.values_list("number", "response_status")) == [
        (1, 200),
        (2, 200),
    ]
