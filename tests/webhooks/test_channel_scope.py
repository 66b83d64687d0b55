"""Staff scoped to channels see and make only webhooks naming channels of theirs.

The clerk of `scope_shop_create` is scoped to channel A. A subscription is in their scope when
its `sales_channel_ids` is not empty (empty: every channel) and all of them are theirs; its
deliveries follow it. API and Django admin alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from commerce.models import OutboxEvent
from tests.security.permissions_helpers import token_client
from tests.security.scope_shop import ScopeShop, scope_shop_create
from tests.security.shop import fingerprint
from tests.webhooks.factories import webhook
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db

HOOKS = "/api/admin/webhooks"
ADMIN_HOOKS = "/admin/webhooks/webhooksubscription/"
ADMIN_DELIVERIES = "/admin/webhooks/webhookdelivery/"
OUTSIDE = {
    "type": "not_allowed",
    "message": "You may only use the sales channels you are scoped to",
}
EVERY = {
    "type": "not_allowed",
    "message": "A user scoped to sales channels cannot subscribe to every sales channel; name yours",
}


@dataclass(frozen=True)
class Hooks:
    a: WebhookSubscription
    b: WebhookSubscription
    ab: WebhookSubscription
    every: WebhookSubscription
    delivery_a: WebhookDelivery
    delivery_b: WebhookDelivery


@pytest.fixture
def shop() -> ScopeShop:
    return scope_shop_create()


@pytest.fixture
def hooks(shop) -> Hooks:
    url = "https://example.com/hook"
    a = webhook(url, sales_channel_ids=[shop.a.pk])
    b = webhook(url, sales_channel_ids=[shop.b.pk])
    event = OutboxEvent.objects.order_by("created_at").last()

    def failed(hook):
        return WebhookDelivery.objects.create(
            event=event, subscription=hook, status=DeliveryStatus.FAILED, attempts=1, max_attempts=1
        )

    return Hooks(
        a=a,
        b=b,
        ab=webhook(url, sales_channel_ids=[shop.a.pk, shop.b.pk]),
        every=webhook(url),
        delivery_a=failed(a),
        delivery_b=failed(b),
    )


@pytest.fixture
def clerk(shop) -> APIClient:
    return token_client(shop.clerk)


def test_the_list_holds_only_webhooks_naming_only_the_scopes_channels(hooks, clerk):
    response = clerk.get(HOOKS)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["webhooks"]] == [hooks.a.pk]
    assert response.json()["count"] == 1


@pytest.mark.parametrize("name", ["b", "ab", "every"])
def test_a_webhook_outside_the_scope_is_a_404_for_every_route(hooks, clerk, name):
    hook = getattr(hooks, name)
    message = {"type": "not_found", "message": f"Webhook with id: {hook.pk} was not found"}
    before = fingerprint()
    assert clerk.get(f"{HOOKS}/{hook.pk}").json() == message
    assert clerk.get(f"{HOOKS}/{hook.pk}/deliveries").json() == message
    response = clerk.post(f"{HOOKS}/{hook.pk}", {"description": "X"}, format="json")
    assert (response.status_code, response.json()) == (404, message)
    response = clerk.delete(f"{HOOKS}/{hook.pk}")
    assert (response.status_code, response.json()) == (404, message)
    assert fingerprint() == before


def test_a_delivery_follows_its_subscription(hooks, clerk):
    before = fingerprint()
    response = clerk.post(f"{HOOKS}/{hooks.b.pk}/deliveries/{hooks.delivery_b.pk}/retry")
    assert response.status_code == 404
    assert response.json()["message"] == (
        f"Webhook delivery with id: {hooks.delivery_b.pk} was not found"
    )
    assert fingerprint() == before
    listed = clerk.get(f"{HOOKS}/{hooks.a.pk}/deliveries").json()["deliveries"]
    assert [row["id"] for row in listed] == [hooks.delivery_a.pk]


def test_in_the_scope_the_webhook_can_be_read_changed_and_deleted(shop, hooks, clerk):
    assert clerk.get(f"{HOOKS}/{hooks.a.pk}").status_code == 200
    response = clerk.post(f"{HOOKS}/{hooks.a.pk}", {"description": "ERP"}, format="json")
    assert (response.status_code, response.json()["webhook"]["description"]) == (200, "ERP")
    assert clerk.delete(f"{HOOKS}/{hooks.a.pk}").status_code == 200
    assert not WebhookSubscription.objects.filter(pk=hooks.a.pk).exists()


@pytest.mark.parametrize(
    ("channels", "error"),
    [([], EVERY), (None, EVERY), (["{b}"], OUTSIDE), (["{a}", "{b}"], OUTSIDE)],
)
def test_a_scoped_user_creates_only_webhooks_for_their_channels(shop, clerk, channels, error):
    body = {"url": "https://example.com/new", "events": ["order.placed"]}
    if channels is not None:
        body["sales_channel_ids"] = [c.format(a=shop.a.pk, b=shop.b.pk) for c in channels]
    before = fingerprint()
    response = clerk.post(HOOKS, body, format="json")
    assert (response.status_code, response.json()) == (403, error)
    assert fingerprint() == before

    body["sales_channel_ids"] = [shop.a.pk]
    response = clerk.post(HOOKS, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["webhook"]["sales_channel_ids"] == [shop.a.pk]


@pytest.mark.parametrize(("channels", "error"), [([], EVERY), (["{b}"], OUTSIDE)])
def test_a_scoped_user_cannot_widen_a_webhook_beyond_their_channels(
    shop, hooks, clerk, channels, error
):
    ids = [c.format(a=shop.a.pk, b=shop.b.pk) for c in channels]
    before = fingerprint()
    response = clerk.post(f"{HOOKS}/{hooks.a.pk}", {"sales_channel_ids": ids}, format="json")
    assert (response.status_code, response.json()) == (403, error)
    assert fingerprint() == before


# ---- THE DJANGO ADMIN ----


def test_the_django_admin_shows_only_the_scope(shop, hooks, client):
    client.force_login(shop.clerk)
    page = client.get(ADMIN_HOOKS)
    assert [h.pk for h in page.context["cl"].result_list] == [hooks.a.pk]
    for hook in (hooks.b, hooks.ab, hooks.every):
        assert client.get(f"{ADMIN_HOOKS}{hook.pk}/change/").status_code == 404
    deliveries = client.get(ADMIN_DELIVERIES)
    assert [d.pk for d in deliveries.context["cl"].result_list] == [hooks.delivery_a.pk]
    assert "example.com/hook" in deliveries.content.decode()
    assert client.get(f"{ADMIN_DELIVERIES}{hooks.delivery_b.pk}/change/").status_code == 404
    # the subscription filter offers only the scope's subscriptions (it shows from two on)
    a2 = webhook("https://example.com/a2", sales_channel_ids=[shop.a.pk])
    WebhookDelivery.objects.create(
        event=hooks.delivery_a.event, subscription=a2, status=DeliveryStatus.FAILED, max_attempts=1
    )
    deliveries = client.get(ADMIN_DELIVERIES)
    spec = next(
        spec
        for spec in deliveries.context["cl"].filter_specs
        if getattr(spec, "field_path", "") == "subscription"
    )
    assert {pk for pk, _ in spec.lookup_choices} == {hooks.a.pk, a2.pk}

    before = fingerprint()
    response = client.post(
        ADMIN_DELIVERIES,
        {"action": "resend_selected", "_selected_action": [hooks.delivery_b.pk]},
    )
    assert response.status_code == 302  # nothing selected within the scope
    assert client.post(f"{ADMIN_HOOKS}{hooks.b.pk}/delete/", {"post": "yes"}).status_code == 404
    assert fingerprint() == before


def test_the_django_admin_offers_only_the_scopes_channels_and_needs_one(shop, client):
    client.force_login(shop.clerk)
    form = client.get(f"{ADMIN_HOOKS}add/").context["adminform"].form
    assert list(form.fields["channels"].queryset) == [shop.a]
    assert form.fields["channels"].required is True

    before = fingerprint()
    body = {"url": "https://example.com/new", "events": ["order.placed"], "is_active": "on"}
    response = client.post(f"{ADMIN_HOOKS}add/", body)
    assert response.status_code == 200  # the form again, with its errors
    assert response.context["adminform"].form.errors["channels"] == ["This field is required."]
    response = client.post(f"{ADMIN_HOOKS}add/", {**body, "channels": [shop.b.pk]})
    assert response.status_code == 200
    assert "channels" in response.context["adminform"].form.errors
    assert fingerprint() == before

    response = client.post(f"{ADMIN_HOOKS}add/", {**body, "channels": [shop.a.pk]})
    assert response.status_code == 302
    assert WebhookSubscription.objects.get(url="https://example.com/new").sales_channel_ids == [
        shop.a.pk
    ]
