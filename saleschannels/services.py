"""Writes on sales channels, their products and publishable keys. Each public function is one transaction.

Lock order, everywhere: the store row first, then channel rows. Disabling or deleting a channel and
changing the store's default both take the store lock, so they cannot interleave.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from commerce import flags
from commerce import services as commerce_services
from commerce.events import Event, EventType, emit
from commerce.locks import store_qs_for_update
from commerce.lookups import existing_ids, first_or_raise
from commerce.services import store_get_or_create, store_update
from commerce.updates import UNSET as _UNSET
from commerce.updates import changes_apply
from saleschannels import signals
from saleschannels.exceptions import (
    DefaultSalesChannelMustBeEnabled,
    DefaultSalesChannelNotDeletable,
    DefaultSalesChannelNotDisableable,
    PublishableApiKeyAlreadyRevoked,
    PublishableApiKeyNotFound,
    SalesChannelNotFound,
    SalesChannelsDoNotExist,
    SalesChannelsFeatureDisabled,
)
from saleschannels.locks import (
    any_channels_qs_for_update,
    channels_qs_for_update,
    keys_qs_for_update,
    live_channel_for_update,
)
from saleschannels.models import (
    PublishableApiKey,
    PublishableApiKeySalesChannel,
    SalesChannel,
    StaffChannelScope,
)
from saleschannels.scope import (
    EVERY_CHANNEL,
    require_unrestricted,
    staff_scope,
    staff_scope_forget,
)

if TYPE_CHECKING:
    from commerce.models import Store, User

logger = logging.getLogger(__name__)

DEFAULT_CHANNEL_NAME = "Default Sales Channel"
DEFAULT_CHANNEL_DESCRIPTION = "Created by Medusa"
MAX_BATCH_IDS = 20_000


def _require_feature() -> None:
    if not flags.sales_channels_enabled():
        raise SalesChannelsFeatureDisabled()


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _channel_data(channel: SalesChannel) -> dict[str, Any]:
    return {
        "id": channel.pk,
        "name": channel.name,
        "description": channel.description,
        "is_disabled": channel.is_disabled,
        "metadata": channel.metadata,
    }


def _event(
    event_type: EventType,
    signal: Any,
    row: SalesChannel | PublishableApiKey,
    data: dict[str, Any],
    channel_ids: list[str],
) -> Event:
    """Return the outbox event of a channel's or a key's change, with the legacy signal (`id`)."""
    return Event(
        type=event_type,
        data=data,
        sales_channel_ids=channel_ids,
        signal=signal,
        sender=type(row),
        signal_payload={"id": row.pk},
    )


def _channel_event(event_type: EventType, signal: Any, channel: SalesChannel) -> Event:
    return _event(event_type, signal, channel, _channel_data(channel), [channel.pk])


def _key_event(
    event_type: EventType, signal: Any, key: PublishableApiKey, channel_ids: list[str]
) -> Event:
    return _event(event_type, signal, key, _key_data(key, channel_ids), channel_ids)


def _key_channel_ids(key: PublishableApiKey) -> list[str]:
    return list(
        PublishableApiKeySalesChannel.objects.filter(publishable_key=key)
        .order_by("sales_channel_id")
        .values_list("sales_channel_id", flat=True)
    )


def _key_data(key: PublishableApiKey, channel_ids: list[str]) -> dict[str, Any]:
    return {
        "id": key.pk,
        "title": key.title,
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
        "sales_channel_ids": channel_ids,
    }


def _locked_store() -> Store:
    store_get_or_create()
    return store_qs_for_update().get()


# ---- DEFAULT CHANNEL ----


@transaction.atomic
def ensure_default_sales_channel() -> SalesChannel | None:
    """Make sure the store exists and has a live, enabled default channel; return it.

    Idempotent. Repairs a store whose default was deleted (creates a new one) or disabled
    (re-enables it). Does nothing and returns None when the sales channels feature is off.
    """
    if not flags.sales_channels_enabled():
        store_get_or_create()
        return None
    store = _locked_store()
    channel = None
    if store.default_sales_channel_id:
        channel = any_channels_qs_for_update().filter(pk=store.default_sales_channel_id).first()
    if channel is not None and channel.deleted_at is None:
        if channel.is_disabled:
            logger.warning("Default sales channel %s was disabled; enabling it again", channel.pk)
            channel.is_disabled = False
            channel.save(update_fields=["is_disabled", "updated_at"])
        return channel
    channel = SalesChannel.objects.create(
        name=DEFAULT_CHANNEL_NAME, description=DEFAULT_CHANNEL_DESCRIPTION, is_disabled=False
    )
    store.default_sales_channel = channel
    store.save(update_fields=["default_sales_channel", "updated_at"])
    emit(_channel_event(EventType.SALES_CHANNEL_CREATED, signals.sales_channel_created, channel))
    return channel


@transaction.atomic
def store_default_sales_channel_set(*, channel_id: str) -> Store:
    """Make a live, enabled channel the store's default."""
    _require_feature()
    store = _locked_store()
    channel = live_channel_for_update(channel_id)
    if channel.is_disabled:
        raise DefaultSalesChannelMustBeEnabled(channel.name)
    store.default_sales_channel = channel
    store.save(update_fields=["default_sales_channel", "updated_at"])
    return store


# ---- CHANNELS ----


@transaction.atomic
def sales_channel_create(
    *,
    name: str,
    description: str | None = None,
    is_disabled: bool = False,
    metadata: dict[str, Any] | None = None,
    created_by: User | None = None,
) -> SalesChannel:
    """Create a channel. Names need not be unique (as in Medusa).

    A channel created by a user scoped to channels joins their scope (their own scope row).
    """
    _require_feature()
    channel = SalesChannel.objects.create(
        name=name, description=description, is_disabled=is_disabled, metadata=metadata
    )
    if created_by is not None and staff_scope(created_by).restricted:
        row, _ = StaffChannelScope.objects.get_or_create(user=created_by)
        row.sales_channels.add(channel)
        staff_scope_forget(created_by)
    emit(_channel_event(EventType.SALES_CHANNEL_CREATED, signals.sales_channel_created, channel))
    return channel


@transaction.atomic
def sales_channel_update(
    *,
    channel_id: str,
    name: str = _UNSET,
    description: str | None = _UNSET,
    is_disabled: bool = _UNSET,
    metadata: dict[str, Any] | None = _UNSET,
) -> SalesChannel:
    """Update the given fields. The store's default channel cannot be disabled (design §5)."""
    _require_feature()
    if is_disabled is True:
        store = _locked_store()
    channel = live_channel_for_update(channel_id)
    if is_disabled is True and store.default_sales_channel_id == channel.pk:
        raise DefaultSalesChannelNotDisableable()
    changes_apply(
        channel,
        {
            "name": name,
            "description": description,
            "is_disabled": is_disabled,
            "metadata": metadata,
        },
    )
    signals.sales_channel_rendered_changed.send(sender=SalesChannel, id=channel.pk)
    emit(_channel_event(EventType.SALES_CHANNEL_UPDATED, signals.sales_channel_updated, channel))
    return channel


@transaction.atomic
def sales_channel_delete(*, channel_id: str) -> None:
    """Soft-delete a channel. Deleting a missing or already deleted channel succeeds (idempotent).

    The default channel cannot be deleted. Product links, key links, carts and orders are kept.
    """
    _require_feature()
    store = _locked_store()
    channel = channels_qs_for_update().filter(pk=channel_id).first()
    if channel is None:
        return
    if store.default_sales_channel_id == channel.pk:
        raise DefaultSalesChannelNotDeletable()
    channel.deleted_at = timezone.now()
    channel.save(update_fields=["deleted_at", "updated_at"])
    signals.sales_channel_rendered_changed.send(sender=SalesChannel, id=channel.pk)
    emit(_channel_event(EventType.SALES_CHANNEL_DELETED, signals.sales_channel_deleted, channel))


def _existing_channel_ids(channel_ids: list[str]) -> list[str]:
    return existing_ids(SalesChannel.objects.all(), channel_ids, SalesChannelsDoNotExist)


# ---- PUBLISHABLE API KEYS ----


def _key_for_update(key_id: str) -> PublishableApiKey:
    return first_or_raise(keys_qs_for_update().filter(pk=key_id), PublishableApiKeyNotFound(key_id))


@transaction.atomic
def publishable_api_key_create(
    *, title: str, created_by: User | None = None, sales_channel_ids: Iterable[str] = ()
) -> PublishableApiKey:
    """Create a key, optionally linked to channels (which must exist)."""
    ids = _unique(sales_channel_ids)
    if ids:
        _existing_channel_ids(ids)
    key = PublishableApiKey.objects.create(title=title, created_by=created_by)
    if ids:
        PublishableApiKeySalesChannel.objects.bulk_create(
            [
                PublishableApiKeySalesChannel(publishable_key=key, sales_channel_id=cid)
                for cid in ids
            ]
        )
    emit(
        _key_event(
            EventType.PUBLISHABLE_API_KEY_CREATED, signals.publishable_api_key_created, key, ids
        )
    )
    return key


@transaction.atomic
def publishable_api_key_update(*, key_id: str, title: str | None = None) -> PublishableApiKey:
    """Rename a key."""
    key = _key_for_update(key_id)
    if title is not None:
        key.title = title
    key.save(update_fields=["title", "updated_at"])
    return key


@transaction.atomic
def publishable_api_key_revoke(*, key_id: str, revoked_by: User | None = None) -> PublishableApiKey:
    """Revoke a key; storefronts using it are refused from then on. Revoking twice is refused."""
    key = _key_for_update(key_id)
    if key.revoked_at is not None:
        raise PublishableApiKeyAlreadyRevoked()
    key.revoked_at = timezone.now()
    key.revoked_by = revoked_by
    key.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    channel_ids = _key_channel_ids(key)
    emit(
        _key_event(
            EventType.PUBLISHABLE_API_KEY_REVOKED,
            signals.publishable_api_key_revoked,
            key,
            channel_ids,
        )
    )
    return key


@transaction.atomic
def publishable_api_key_delete(*, key_id: str) -> None:
    """Delete a key for good (hard delete, as in Medusa), with its channel links."""
    key = _key_for_update(key_id)
    key.delete()


@transaction.atomic
def publishable_api_key_sales_channels_add(
    *, key_id: str, sales_channel_ids: Iterable[str]
) -> PublishableApiKey:
    """Link channels to a key. Idempotent; unknown channels are refused, listed (Medusa accepts them)."""
    key = _key_for_update(key_id)
    ids = _existing_channel_ids(_unique(sales_channel_ids))
    PublishableApiKeySalesChannel.objects.bulk_create(
        [PublishableApiKeySalesChannel(publishable_key=key, sales_channel_id=cid) for cid in ids],
        ignore_conflicts=True,
    )
    key.save(update_fields=["updated_at"])
    _key_channels_updated(key, added=ids, removed=[])
    return key


@transaction.atomic
def publishable_api_key_sales_channels_remove(
    *, key_id: str, sales_channel_ids: Iterable[str]
) -> PublishableApiKey:
    """Unlink channels from a key. Unlinking a channel that is not linked is a no-op."""
    key = _key_for_update(key_id)
    ids = _unique(sales_channel_ids)
    PublishableApiKeySalesChannel.objects.filter(
        publishable_key=key, sales_channel_id__in=ids
    ).delete()
    key.save(update_fields=["updated_at"])
    _key_channels_updated(key, added=[], removed=ids)
    return key


def _key_channels_updated(key: PublishableApiKey, *, added: list[str], removed: list[str]) -> None:
    """Emit `publishable_api_key.channels_updated` with the channels asked for (no extra read)."""
    emit(
        Event(
            type=EventType.PUBLISHABLE_API_KEY_CHANNELS_UPDATED,
            data={
                "id": key.pk,
                "title": key.title,
                "added_sales_channel_ids": added,
                "removed_sales_channel_ids": removed,
            },
            sales_channel_ids=[*added, *removed],
        )
    )


# ---- STORE SETTINGS ----


@transaction.atomic
def store_settings_update(
    *,
    default_sales_channel_id: str | None = None,
    name: str | None = None,
    currencies: list[str] | None = None,
    default_currency_code: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Store:
    """Update the store and, in the same transaction, its default channel (None: unchanged).

    The store row is locked before the channel row (see the lock order above); a refused part
    rolls the whole update back.
    """
    if default_sales_channel_id is not None:
        store_default_sales_channel_set(channel_id=default_sales_channel_id)
    return store_update(
        name=name,
        currencies=currencies,
        default_currency_code=default_currency_code,
        metadata=metadata,
    )


# ---- STAFF CHANNEL SCOPES AND THE USERS THAT HAVE THEM ----


def _scope_channels(sales_channel_ids: Iterable[str]) -> list[str]:
    return existing_ids(
        SalesChannel.objects.all(),
        sales_channel_ids,
        lambda missing: SalesChannelNotFound(missing[0]),
    )


def _scope_write(*, user: User | None = None, group: Any = None, ids: list[str] | None) -> None:
    owner: dict[str, Any] = {"user": user} if user is not None else {"group": group}
    if ids is None:
        StaffChannelScope.objects.filter(**owner).delete()
    else:
        row, _ = StaffChannelScope.objects.get_or_create(**owner)
        row.sales_channels.set(ids)  # type: ignore[arg-type]  # ids: Django takes primary keys
    if user is not None:
        staff_scope_forget(user)


@transaction.atomic
def staff_scope_set(
    *, user_id: str, sales_channel_ids: Iterable[str] | None, actor: User | None = None
) -> None:
    """Restrict a staff user to channels (None: every channel again; []: none).

    A user who is scoped themselves cannot change anyone's scope (403).
    """
    if actor is not None:
        require_unrestricted(staff_scope(actor), "change users' sales channel scopes")
    user = commerce_services.user_get(user_id=user_id)
    ids = None if sales_channel_ids is None else _scope_channels(sales_channel_ids)
    _scope_write(user=user, ids=ids)


@transaction.atomic
def group_scope_set(*, group_id: int, sales_channel_ids: Iterable[str] | None) -> None:
    """Restrict every member of a group to channels (None: no restriction from this group)."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(pk=group_id)
    ids = None if sales_channel_ids is None else _scope_channels(sales_channel_ids)
    _scope_write(group=group, ids=ids)


@transaction.atomic
def staff_user_create(
    *, actor: User | None = None, sales_channel_ids: Any = _UNSET, **fields: Any
) -> User:
    """Create a staff user (commerce.services.user_create) with a channel scope.

    `sales_channel_ids`: omitted or None, every channel. A user scoped themselves cannot choose
    a scope: the users they create get their own channels.
    """
    user = commerce_services.user_create(actor=actor, **fields)
    actor_scope = staff_scope(actor) if actor is not None else EVERY_CHANNEL
    if actor_scope.restricted:
        if sales_channel_ids is not _UNSET:
            require_unrestricted(actor_scope, "change users' sales channel scopes")
        _scope_write(user=user, ids=sorted(actor_scope.channel_ids or ()))
    elif sales_channel_ids is not _UNSET and sales_channel_ids is not None:
        _scope_write(user=user, ids=_scope_channels(sales_channel_ids))
    return user


@transaction.atomic
def staff_user_update(
    *, user_id: str, actor: User | None = None, sales_channel_ids: Any = _UNSET, **changes: Any
) -> User:
    """Update a staff user (commerce.services.user_update) and, when given, their channel scope."""
    user = commerce_services.user_update(user_id=user_id, actor=actor, **changes)
    if sales_channel_ids is not _UNSET:
        staff_scope_set(user_id=user.pk, sales_channel_ids=sales_channel_ids, actor=actor)
    return user
