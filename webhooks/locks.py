"""Row locks on webhook subscriptions and deliveries, each locked alone by its own edits."""

from __future__ import annotations

from django.db.models import QuerySet

from webhooks.models import WebhookDelivery, WebhookSubscription


def subscriptions_qs_for_update() -> QuerySet[WebhookSubscription]:
    """Return subscriptions locked FOR UPDATE."""
    return WebhookSubscription.objects.select_for_update()


def deliveries_qs_for_update() -> QuerySet[WebhookDelivery]:
    """Return deliveries locked FOR UPDATE (a redelivery request)."""
    return WebhookDelivery.objects.select_for_update()
