"""Row locks on sales channels, in the one lock order of docs/reliability.md ("Lock order")."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from commerce.locks import values_locked
from commerce.lookups import first_or_raise
from saleschannels.exceptions import SalesChannelNotFound
from saleschannels.models import PublishableApiKey, SalesChannel


def channels_qs_for_update() -> QuerySet[SalesChannel]:
    """Return live channels locked FOR NO KEY UPDATE (see `live_channel_for_update`)."""
    return SalesChannel.objects.select_for_update(of=("self",), no_key=True)


def any_channels_qs_for_update() -> QuerySet[SalesChannel]:
    """Return channels, deleted ones too, locked FOR NO KEY UPDATE (the store's default)."""
    return SalesChannel.all_objects.select_for_update(no_key=True)


def keys_qs_for_update() -> QuerySet[PublishableApiKey]:
    """Return publishable API keys locked FOR UPDATE (a key's own edits; after its channels)."""
    return PublishableApiKey.objects.select_for_update()


def live_channel_for_update(channel_id: str) -> SalesChannel:
    """Lock a live channel FOR NO KEY UPDATE, or raise SalesChannelNotFound.

    Serialises the edits of one channel (its fields, its products in a batch), so overlapping
    writes end in the state of the last one to commit. NO KEY: the foreign-key checks of links
    saved meanwhile by other writers (a product saved with its channels) take FOR KEY SHARE on
    the channel at their commit, which FOR UPDATE would block while this writer waits on their
    uncommitted link.
    """
    return first_or_raise(
        channels_qs_for_update().filter(pk=channel_id), SalesChannelNotFound(channel_id)
    )


def live_channels_shared() -> None:
    """Hold every live channel FOR SHARE, in pk order, until commit (PostgreSQL; SQLite has none).

    Taken by a change of a product's status or deletion, which its channel links copy
    (`catalog.models.ProductStateField`), before the product's own lock. Every writer that links
    an existing product to a channel holds that channel FOR NO KEY UPDATE (a batch, the bulk
    action, a listing) or the product itself (a product saved with its channels), so the change
    waits for those writers to commit and then sees their links, and a writer that comes later
    waits for the change and copies its outcome. Shared: changes of different products, and
    checkouts, do not wait on each other.
    """
    if connection.vendor == "postgresql":  # values_locked would still read them on SQLite
        values_locked(SalesChannel.objects.order_by("pk").values_list("pk", flat=True), "SHARE")
