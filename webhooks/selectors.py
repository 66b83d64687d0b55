"""Reads of webhooks and their delivery log."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from commerce.lookups import first_or_raise
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, restrict
from webhooks.exceptions import WebhookNotFound
from webhooks.models import WebhookDelivery, WebhookDeliveryAttempt, WebhookSubscription


def webhook_list(*, scope: ChannelScope = EVERY_CHANNEL) -> QuerySet[WebhookSubscription]:
    """Subscriptions `scope` may see: for a scoped user, those naming only channels of theirs."""
    return restrict(WebhookSubscription.objects.all(), scope)


def webhook_get(*, webhook_id: str, scope: ChannelScope = EVERY_CHANNEL) -> WebhookSubscription:
    return first_or_raise(
        webhook_list(scope=scope).filter(pk=webhook_id), WebhookNotFound(webhook_id)
    )


def webhook_delivery_list(
    *, webhook_id: str, scope: ChannelScope = EVERY_CHANNEL
) -> QuerySet[WebhookDelivery]:
    """Return a subscription's deliveries with their event type and every attempt (one query each).

    Deliveries follow their subscription's scope.
    """
    return (
        restrict(WebhookDelivery.objects.all(), scope)
        .filter(subscription_id=webhook_id)
        .select_related("event")
        .defer("event__data")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookDeliveryAttempt.objects.order_by("number"))
        )
    )
