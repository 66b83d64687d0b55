"""Domain events: one `emit` writes the outbox row and queues the in-process signal.

Services call `emit` inside their transaction (the services are the one door for writes), so
an event exists exactly when its change was committed:

- the row goes into `commerce.OutboxEvent` in the same transaction (nothing on rollback);
- the legacy Django signal (docs/events.md), if any, is sent after commit, as before;
- `event_committed` is sent after commit with the new ids; the `webhooks` app listens to it to
  hand the events to its workers (and a periodic sweep finds any it missed).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal

from commerce.models import OutboxEvent

# Sent after commit with `event_ids` (a list of `evt_…` ids), sender OutboxEvent.
event_committed = Signal()


class EventType(models.TextChoices):
    """Every event type the outbox carries (the one list: webhooks validate against it)."""

    SALES_CHANNEL_CREATED = "sales_channel.created"
    SALES_CHANNEL_UPDATED = "sales_channel.updated"
    SALES_CHANNEL_DELETED = "sales_channel.deleted"
    SALES_CHANNEL_PRODUCTS_ADDED = "sales_channel.products_added"
    SALES_CHANNEL_PRODUCTS_REMOVED = "sales_channel.products_removed"
    PRODUCT_CREATED = "product.created"
    PRODUCT_UPDATED = "product.updated"
    PRODUCT_DELETED = "product.deleted"
    PRODUCT_CHANNEL_LISTING_UPDATED = "product.channel_listing_updated"
    ORDER_PLACED = "order.placed"
    CART_COMPLETED = "cart.completed"
    PUBLISHABLE_API_KEY_CREATED = "publishable_api_key.created"
    PUBLISHABLE_API_KEY_REVOKED = "publishable_api_key.revoked"
    PUBLISHABLE_API_KEY_CHANNELS_UPDATED = "publishable_api_key.channels_updated"
    STOCK_LOCATION_CREATED = "stock_location.created"
    STOCK_LOCATION_UPDATED = "stock_location.updated"
    STOCK_LOCATION_DELETED = "stock_location.deleted"
    SALES_CHANNEL_LOCATION_ADDED = "sales_channel.location_added"
    SALES_CHANNEL_LOCATION_REMOVED = "sales_channel.location_removed"
    INVENTORY_LEVEL_UPDATED = "inventory_level.updated"


@dataclass(frozen=True)
class Event:
    """One event to emit. `signal`/`sender`/`signal_payload`: the Django signal to send too."""

    type: EventType
    data: Mapping[str, Any]
    sales_channel_ids: Sequence[str] = ()
    signal: Signal | None = None
    sender: builtins.type | None = None
    signal_payload: Mapping[str, Any] = field(default_factory=dict)


def send_on_commit(signal: Signal, sender: type | None, **payload: Any) -> None:
    """Queue `signal.send(sender, **payload)` for after commit, so receivers never see rolled-back work."""
    transaction.on_commit(partial(signal.send, sender=sender, **payload))


def emit(*events: Event) -> list[str]:
    """Write the events to the outbox (one INSERT, whatever their number); return their ids.

    Call it inside the service's transaction. Signals and `event_committed` go out after commit.
    """
    if not events:
        return []
    rows = OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                type=str(event.type),
                data=dict(event.data),
                sales_channel_ids=list(dict.fromkeys(event.sales_channel_ids)),
            )
            for event in events
        ]
    )
    for event in events:
        if event.signal is not None:
            send_on_commit(event.signal, event.sender, **event.signal_payload)
    ids = [row.pk for row in rows]
    transaction.on_commit(partial(event_committed.send, sender=OutboxEvent, event_ids=ids))
    return ids
