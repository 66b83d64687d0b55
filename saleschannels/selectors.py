"""Reads for sales channels and publishable keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from commerce import flags
from commerce import selectors as commerce_selectors
from commerce.models import Store
from commerce.reusable_sql import ReusableQuery
from saleschannels.exceptions import (
    PublishableApiKeyInvalid,
    PublishableApiKeyNotFound,
    PublishableApiKeyWithoutChannels,
    SalesChannelNotFound,
)
from saleschannels.models import PublishableApiKey, SalesChannel
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, restrict, scoped_or_raise


def sales_channel_get(*, channel_id: str, scope: ChannelScope = EVERY_CHANNEL) -> SalesChannel:
    """Return a live sales channel (in the scope) or raise `SalesChannelNotFound`."""
    return scoped_or_raise(
        SalesChannel.objects.all(), scope, channel_id, SalesChannelNotFound(channel_id)
    )


def sales_channel_list(
    *, scope: ChannelScope = EVERY_CHANNEL, with_deleted: bool = False
) -> QuerySet[SalesChannel]:
    """Return the channels of the scope (live ones, unless `with_deleted`), newest first."""
    channels = SalesChannel.all_objects.all() if with_deleted else SalesChannel.objects.all()
    return restrict(channels, scope).order_by("-created_at", "-id")


# Read on every store catalogue request without a key: written once (`ReusableQuery`).
_default_channel_query = ReusableQuery(
    lambda: Store.objects.filter(
        singleton=True, default_sales_channel__deleted_at__isnull=True
    ).values_list("default_sales_channel_id")[:1]
)


def default_sales_channel_id() -> str | None:
    """Return the id of the store's default channel if it is live, else None (one query)."""
    rows = _default_channel_query.rows()
    return rows[0][0] if rows else None


def default_sales_channel_id_query() -> QuerySet:
    """Return the id of the store's live default channel as a subquery (no query of its own)."""
    return Store.objects.filter(
        singleton=True, default_sales_channel__deleted_at__isnull=True
    ).values("default_sales_channel_id")


def default_sales_channel_get() -> SalesChannel | None:
    """Return the store's live default channel, or None when there is none."""
    channel_id = default_sales_channel_id()
    if channel_id is None:
        return None
    return SalesChannel.objects.filter(pk=channel_id).first()


def publishable_api_key_get(
    *, key_id: str, scope: ChannelScope = EVERY_CHANNEL
) -> PublishableApiKey:
    """Return a publishable key (revoked or not, in the scope) or raise `PublishableApiKeyNotFound`."""
    return scoped_or_raise(
        PublishableApiKey.objects.all(), scope, key_id, PublishableApiKeyNotFound(key_id)
    )


def publishable_api_key_sales_channels(*, key_id: str) -> QuerySet[SalesChannel]:
    """Return the live channels linked to a key, newest first."""
    return SalesChannel.objects.filter(key_links__publishable_key_id=key_id).order_by(
        "-created_at", "-id"
    )


@dataclass(frozen=True)
class KeyScope:
    """What a storefront request may see: the channel ids of its publishable key."""

    key_id: str
    sales_channel_ids: tuple[str, ...]


def _key_channel_rows(key_id: str) -> QuerySet[PublishableApiKey, tuple[str, datetime | None]]:
    # The key if it is not revoked, once per linked channel (once with None without a link).
    return (
        PublishableApiKey.objects.filter(pk=key_id, revoked_at__isnull=True)
        .order_by("channel_links__sales_channel_id")
        .values_list("channel_links__sales_channel_id", "channel_links__sales_channel__deleted_at")
    )


# Read on every store request with a key: one statement, written once (`ReusableQuery`).
_key_channels_query = ReusableQuery(_key_channel_rows)


def publishable_key_scope_resolve(*, key_id: str) -> KeyScope | None:
    """Return the scope of the key sent in `x-publishable-api-key` (one query).

    Design §5 departs from Medusa here: an unknown or revoked key, and a key without any live
    channel, are refused instead of silently widening the request to every channel. Returns None
    when publishable keys are switched off by their feature flag.
    """
    if not flags.publishable_api_keys_enabled():
        return None
    rows = _key_channels_query.rows(key_id)
    if not rows:
        raise PublishableApiKeyInvalid()
    channel_ids = tuple(
        channel_id for channel_id, deleted_at in rows if channel_id and not deleted_at
    )
    if not channel_ids:
        raise PublishableApiKeyWithoutChannels()
    return KeyScope(key_id=key_id, sales_channel_ids=channel_ids)


def publishable_api_key_list(*, scope: ChannelScope = EVERY_CHANNEL) -> QuerySet[PublishableApiKey]:
    """Return the publishable keys of the scope (revoked ones too), newest first."""
    return restrict(PublishableApiKey.objects.all(), scope).order_by("-created_at", "-id")


def staff_user_qs_for_admin() -> QuerySet:
    """Staff users with their groups and channel scopes (for `role` and `sales_channel_ids`)."""
    return commerce_selectors.user_qs_for_admin().prefetch_related(
        "channel_scope__sales_channels", "groups__channel_scope__sales_channels"
    )


def user_sales_channel_ids(user: Any) -> list[str] | None:
    """Return the channel ids a user is scoped to (theirs and their groups'), None for all.

    Reads prefetched relations when there are (`staff_user_qs_for_admin`).
    """
    if user.is_superuser:
        return None
    rows = []
    for owner in (user, *user.groups.all()):
        try:
            rows.append(owner.channel_scope)
        except ObjectDoesNotExist:
            continue
    if not rows:
        return None
    return sorted({channel.pk for row in rows for channel in row.sales_channels.all()})
