"""Reads for sales channels and publishable keys."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from commerce import flags
from commerce.models import Store
from saleschannels.exceptions import (
    PublishableApiKeyInvalid,
    PublishableApiKeyNotFound,
    PublishableApiKeyWithoutChannels,
    SalesChannelNotFound,
)
from saleschannels.models import PublishableApiKey, PublishableApiKeySalesChannel, SalesChannel


def sales_channel_get(*, channel_id: str) -> SalesChannel:
    """Return a live sales channel or raise `SalesChannelNotFound`."""
    channel = SalesChannel.objects.filter(pk=channel_id).first()
    if channel is None:
        raise SalesChannelNotFound(channel_id)
    return channel


def sales_channel_list() -> QuerySet[SalesChannel]:
    """Return live channels, newest first."""
    return SalesChannel.objects.order_by("-created_at", "-id")


def default_sales_channel_id() -> str | None:
    """Return the id of the store's default channel if it is live, else None (one query)."""
    return (
        Store.objects.filter(singleton=True, default_sales_channel__deleted_at__isnull=True)
        .values_list("default_sales_channel_id", flat=True)
        .first()
    )


def default_sales_channel_get() -> SalesChannel | None:
    """Return the store's live default channel, or None when there is none."""
    channel_id = default_sales_channel_id()
    if channel_id is None:
        return None
    return SalesChannel.objects.filter(pk=channel_id).first()


def publishable_api_key_get(*, key_id: str) -> PublishableApiKey:
    """Return a publishable key (revoked or not) or raise `PublishableApiKeyNotFound`."""
    key = PublishableApiKey.objects.filter(pk=key_id).first()
    if key is None:
        raise PublishableApiKeyNotFound(key_id)
    return key


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


def publishable_key_scope_resolve(*, key_id: str) -> KeyScope | None:
    """Return the scope of the key sent in `x-publishable-api-key`.

    Design §5 departs from Medusa here: an unknown or revoked key, and a key without any live
    channel, are refused instead of silently widening the request to every channel. Returns None
    when publishable keys are switched off by their feature flag.
    """
    if not flags.publishable_api_keys_enabled():
        return None
    key = (
        PublishableApiKey.objects.filter(pk=key_id, revoked_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    if key is None:
        raise PublishableApiKeyInvalid()
    channel_ids = tuple(
        PublishableApiKeySalesChannel.objects.filter(
            publishable_key_id=key_id, sales_channel__deleted_at__isnull=True
        )
        .order_by("sales_channel_id")
        .values_list("sales_channel_id", flat=True)
    )
    if not channel_ids:
        raise PublishableApiKeyWithoutChannels()
    return KeyScope(key_id=key_id, sales_channel_ids=channel_ids)


def publishable_api_key_list() -> QuerySet[PublishableApiKey]:
    """Return every publishable key (revoked ones too), newest first."""
    return PublishableApiKey.objects.order_by("-created_at", "-id")
