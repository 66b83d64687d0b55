"""Reads of webhooks and their delivery log."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from webhooks.exceptions import WebhookNotFound
from webhooks.models import WebhookDelivery, WebhookDeliveryAttempt, WebhookSubscription


def webhook_list() -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.all()


def webhook_get(*, webhook_id: str) -> WebhookSubscription:
    subscription = WebhookSubscription.objects.filter(pk=webhook_id).first()
    if subscription is None:
        raise WebhookNotFound(webhook_id)
    return subscription


def webhook_delivery_list(*, webhook_id: str) -> QuerySet[WebhookDelivery]:
    """Return a subscription's deliveries with their event type and every attempt (one query each)."""
    return (
        WebhookDelivery.objects.filter(subscription_id=webhook_id)
        .select_related("event")
        .defer("event__data")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookDeliveryAttempt.objects.order_by("number"))
        )
    )
