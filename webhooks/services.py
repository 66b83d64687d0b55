"""Writes on webhooks: subscriptions (one transaction each) and the delivery engine.

The engine's steps are plain functions the workers call (Celery tasks, the local thread, or
the caller's thread in tests; see `webhooks.dispatch`):

- `events_fan_out`: one delivery row per (event, subscription that wants it); marks the events
  dispatched. Idempotent.
- `delivery_attempt`: claim a due delivery (a lease), POST it, record the attempt, then
  succeed, schedule a retry with backoff and jitter, or fail.
- `sweep`: the periodic safety net: fan out events nobody dispatched, and hand over due
  deliveries nobody is attempting (a worker died, the broker lost a message); it also prunes
  events past `OUTBOX_RETENTION_DAYS` (`outbox_purge`).
"""

from __future__ import annotations

import json
import logging
import random
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from commerce.events import EventType
from commerce.locks import outbox_events_qs_for_update
from commerce.lookups import first_or_raise
from commerce.models import OutboxEvent
from commerce.updates import UNSET as _UNSET
from commerce.updates import changes_apply
from saleschannels.exceptions import SalesChannelsDoNotExist
from saleschannels.models import SalesChannel
from saleschannels.scope import (
    EVERY_CHANNEL,
    ChannelScope,
    require_channels_in_scope,
    require_unrestricted,
    restrict,
    scoped_or_raise,
)
from webhooks import dispatch, transport
from webhooks.exceptions import (
    DeliveryInProgress,
    UnknownEventTypes,
    WebhookDeliveryNotFound,
    WebhookNotFound,
    WebhookUrlRefused,
)
from webhooks.locks import deliveries_qs_for_update, subscriptions_qs_for_update
from webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookDeliveryAttempt,
    WebhookSubscription,
)

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500
INTERRUPTED = "No outcome: the attempt was cut off (its worker stopped); attempted again"


# ---- SUBSCRIPTIONS ----


def _url_checked(url: str) -> str:
    # Where private addresses are refused the host must resolve, to public addresses only (it
    # is checked again at each delivery: DNS answers change). Elsewhere the form is enough.
    try:
        transport.url_check(url, resolve=not settings.WEBHOOKS_ALLOW_PRIVATE_URLS)
    except transport.UrlRefused as error:
        raise WebhookUrlRefused(str(error)) from error
    return url


def _events_checked(events: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(events))
    unknown = [name for name in wanted if name not in EventType.values]
    if unknown:
        raise UnknownEventTypes(unknown, list(EventType.values))
    return wanted


def _channels_checked(channel_ids: Iterable[str], scope: ChannelScope) -> list[str]:
    """Known channels; a user scoped to channels must name some, all of them theirs (403)."""
    ids = list(dict.fromkeys(channel_ids))
    if not ids:
        # Empty means every channel, including those outside the scope.
        require_unrestricted(scope, "subscribe to every sales channel; name yours")
    require_channels_in_scope(scope, ids)
    found = set(SalesChannel.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [cid for cid in ids if cid not in found]
    if missing:
        raise SalesChannelsDoNotExist(missing)
    return ids


def _subscription_for_update(
    webhook_id: str, scope: ChannelScope = EVERY_CHANNEL
) -> WebhookSubscription:
    """Lock a subscription the scope may see (404 otherwise: its existence is not revealed)."""
    return scoped_or_raise(
        subscriptions_qs_for_update(), scope, webhook_id, WebhookNotFound(webhook_id)
    )


@transaction.atomic
def webhook_create(
    *,
    url: str,
    events: Iterable[str],
    sales_channel_ids: Iterable[str] = (),
    description: str = "",
    is_active: bool = True,
    scope: ChannelScope = EVERY_CHANNEL,
) -> WebhookSubscription:
    """Subscribe a URL to event types (optionally only for some channels), with a new secret.

    A staff user scoped to channels must restrict it to channels of theirs (403 otherwise).
    """
    channel_ids = _channels_checked(sales_channel_ids, scope)
    return WebhookSubscription.objects.create(
        url=_url_checked(url),
        events=_events_checked(events),
        sales_channel_ids=channel_ids,
        description=description,
        is_active=is_active,
        secret=f"whsec_{secrets.token_urlsafe(32)}",
    )


@transaction.atomic
def webhook_update(
    *,
    webhook_id: str,
    url: str = _UNSET,
    events: Iterable[str] = _UNSET,
    sales_channel_ids: Iterable[str] = _UNSET,
    description: str = _UNSET,
    is_active: bool = _UNSET,
    scope: ChannelScope = EVERY_CHANNEL,
) -> WebhookSubscription:
    """Change the given fields. Deliveries already made keep going to the subscription.

    A scoped user changes only subscriptions in their scope (404) and keeps them there (403).
    """
    subscription = _subscription_for_update(webhook_id, scope)
    changes = {
        "url": url if url is _UNSET else _url_checked(url),
        "events": events if events is _UNSET else _events_checked(events),
        "sales_channel_ids": (
            sales_channel_ids
            if sales_channel_ids is _UNSET
            else _channels_checked(sales_channel_ids, scope)
        ),
        "description": description,
        "is_active": is_active,
    }
    changes_apply(subscription, changes)
    return subscription


@transaction.atomic
def webhook_delete(*, webhook_id: str, scope: ChannelScope = EVERY_CHANNEL) -> None:
    """Delete a subscription with its delivery log. Deleting an unknown id is refused (404)."""
    _subscription_for_update(webhook_id, scope).delete()


@transaction.atomic
def webhook_delivery_retry(
    *, webhook_id: str, delivery_id: str, scope: ChannelScope = EVERY_CHANNEL
) -> WebhookDelivery:
    """Attempt a delivery again now (resend), whatever its status, unless it is in flight.

    A pending delivery waiting for its next retry is simply due now. A succeeded or failed one
    gets one more attempt (its limit becomes its attempts so far + 1).
    """
    delivery = first_or_raise(
        restrict(deliveries_qs_for_update(), scope).filter(
            pk=delivery_id, subscription_id=webhook_id
        ),
        WebhookDeliveryNotFound(delivery_id),
    )
    now = timezone.now()
    if delivery.locked_until is not None and delivery.locked_until > now:
        raise DeliveryInProgress(delivery.pk)
    if delivery.status != DeliveryStatus.PENDING:
        delivery.max_attempts = delivery.attempts + 1
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = now
    delivery.locked_until = None
    delivery.save(
        update_fields=["status", "max_attempts", "next_attempt_at", "locked_until", "updated_at"]
    )
    transaction.on_commit(lambda: dispatch.delivery_schedule(delivery.pk))
    return delivery


# ---- THE DELIVERY ENGINE ----


def events_fan_out(*, event_ids: Iterable[str]) -> list[str]:
    """Create the deliveries of undispatched events and hand them over; return their ids."""
    subscriptions = list(WebhookSubscription.objects.filter(is_active=True).order_by("pk"))
    now = timezone.now()
    with transaction.atomic():
        events = list(
            outbox_events_qs_for_update()
            .filter(pk__in=list(event_ids), dispatched_at__isnull=True)
            .only("pk", "type", "sales_channel_ids")
            .order_by("pk")
        )
        if not events:
            return []
        rows = [
            WebhookDelivery(
                event_id=event.pk,
                subscription=subscription,
                max_attempts=settings.WEBHOOKS_MAX_ATTEMPTS,
                next_attempt_at=now,
            )
            for event in events
            for subscription in subscriptions
            if subscription.wants(event_type=event.type, sales_channel_ids=event.sales_channel_ids)
        ]
        WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        OutboxEvent.objects.filter(pk__in=[event.pk for event in events]).update(
            dispatched_at=now, updated_at=now
        )
    ids = [row.pk for row in rows]
    for delivery_id in ids:
        dispatch.delivery_schedule(delivery_id)
    return ids


def event_body(event: OutboxEvent) -> bytes:
    """Return the JSON body POSTed for an event: `{"id", "type", "created_at", "data"}`."""
    created_at = event.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    document = {"id": event.pk, "type": event.type, "created_at": created_at, "data": event.data}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def retry_delay(attempt: int) -> float:
    """Return the seconds to wait after failed attempt number `attempt` (1-based).

    Exponential (base * 2^(attempt-1), capped), with "equal jitter": half of it fixed, half
    random, so receivers that failed together are not all retried at the same moment.
    """
    base = settings.WEBHOOKS_RETRY_BASE_SECONDS
    delay = min(settings.WEBHOOKS_RETRY_MAX_SECONDS, base * 2 ** (attempt - 1))
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311  (jitter, not a secret)


def _lease() -> timedelta:
    return timedelta(
        seconds=settings.WEBHOOKS_TIMEOUT_SECONDS + settings.WEBHOOKS_LEASE_MARGIN_SECONDS
    )


def _due(now: Any) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) & (
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    )


def delivery_attempt(*, delivery_id: str) -> WebhookDelivery | None:
    """Attempt a due delivery once; return it, or None when it was not due or someone else has it."""
    now = timezone.now()
    locked_until = now + _lease()
    claimed = (
        WebhookDelivery.objects.filter(_due(now), pk=delivery_id)
        .filter(attempts__lt=F("max_attempts"))
        .update(
            locked_until=locked_until,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            updated_at=now,
        )
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("event", "subscription").get(pk=delivery_id)
    # An attempt left open was cut off (its worker died): say so in the log.
    WebhookDeliveryAttempt.objects.filter(delivery=delivery, finished_at__isnull=True).update(
        error=INTERRUPTED, finished_at=now
    )
    attempt = WebhookDeliveryAttempt.objects.create(delivery=delivery, number=delivery.attempts)
    subscription = delivery.subscription
    if not subscription.is_active:
        outcome = transport.Outcome(status=None, error="The webhook is disabled")
        final = True
    else:
        outcome = transport.post(
            url=subscription.url,
            body=event_body(delivery.event),
            secret=subscription.secret,
            headers={
                "X-Webhook-Id": delivery.event_id,
                "X-Webhook-Event": delivery.event.type,
                "X-Webhook-Delivery": delivery.pk,
            },
        )
        final = outcome.succeeded or not outcome.retryable
    finished = timezone.now()
    WebhookDeliveryAttempt.objects.filter(pk=attempt.pk).update(
        response_status=outcome.status, error=outcome.error, finished_at=finished
    )
    changes: dict[str, Any] = {
        "response_status": outcome.status,
        "last_error": outcome.error,
        "locked_until": None,
        "updated_at": finished,
    }
    delay = None
    if outcome.succeeded:
        changes |= {"status": DeliveryStatus.SUCCEEDED, "delivered_at": finished}
        changes["next_attempt_at"] = None
    elif final or delivery.attempts >= delivery.max_attempts:
        changes |= {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
    else:
        delay = retry_delay(delivery.attempts)
        changes["next_attempt_at"] = finished + timedelta(seconds=delay)
    # Only while the lease is ours: a worker that overran it must not overwrite a later attempt.
    recorded = WebhookDelivery.objects.filter(pk=delivery.pk, locked_until=locked_until).update(
        **changes
    )
    if recorded and delay is not None:
        dispatch.delivery_schedule(delivery.pk, delay=delay)
    if not outcome.succeeded:
        logger.warning(
            "Webhook delivery %s attempt %d: %s", delivery.pk, delivery.attempts, outcome.error
        )
    delivery.refresh_from_db()
    return delivery


def sweep() -> dict[str, int]:
    """Fan out events left undispatched and hand over due deliveries nobody is attempting.

    Only rows older than `WEBHOOKS_SWEEP_GRACE_SECONDS` are taken, so the sweep does not race
    the normal hand-over of a change committed a moment ago. Returns what it handed over.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.WEBHOOKS_SWEEP_GRACE_SECONDS)
    event_ids = list(
        OutboxEvent.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    fanned = events_fan_out(event_ids=event_ids) if event_ids else []
    due = list(
        WebhookDelivery.objects.filter(_due(now), next_attempt_at__lte=cutoff)
        .exclude(pk__in=fanned)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for delivery_id in due:
        dispatch.delivery_schedule(delivery_id)
    return {"events": len(event_ids), "deliveries": len(due), "purged": outbox_purge(now=now)}


def outbox_purge(*, now: Any) -> int:
    """Delete events older than `OUTBOX_RETENTION_DAYS` with their finished deliveries.

    An event is kept while it is undispatched or one of its deliveries is still pending. At most
    `SWEEP_BATCH` events a call, so one sweep stays short; the next sweep takes the rest.
    """
    days = settings.OUTBOX_RETENTION_DAYS
    if not days:
        return 0
    pending = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).values("event_id")
    old = list(
        OutboxEvent.objects.filter(
            created_at__lt=now - timedelta(days=days), dispatched_at__isnull=False
        )
        .exclude(pk__in=pending)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if not old:
        return 0
    with transaction.atomic():
        WebhookDeliveryAttempt.objects.filter(delivery__event_id__in=old).delete()
        WebhookDelivery.objects.filter(event_id__in=old).delete()
        OutboxEvent.objects.filter(pk__in=old).delete()
    return len(old)
