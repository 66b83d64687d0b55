"""Channel scope of a store request: the publishable key header and the `sales_channel_id` param.

Medusa v1 reads `x-publishable-api-key` only on `/store/products`, `/store/variants` and
`POST /store/carts`; the other store routes ignore it (spec §6.2), and so do we.
"""

from __future__ import annotations

from collections.abc import Sequence

from rest_framework.request import Request

from commerce import flags
from saleschannels.exceptions import PublishableApiKeyInvalid, SalesChannelOutsideKeyScope
from saleschannels.selectors import (
    KeyScope,
    default_sales_channel_id,
    publishable_key_scope_resolve,
)

PUBLISHABLE_KEY_HEADER = "x-publishable-api-key"
_UNRESOLVED = object()


def request_key_scope(request: Request) -> KeyScope | None:
    """Return the scope of the request's publishable key, or None when there is no key.

    Unknown or revoked keys and keys without channels are refused by
    `publishable_key_scope_resolve` (design §5). With the sales channels feature off a key has
    nothing to scope, so it is ignored. Resolved once per request.
    """
    cached = getattr(request, "_publishable_key_scope", _UNRESOLVED)
    if cached is not _UNRESOLVED:
        return cached  # type: ignore[return-value]  # what an earlier call cached
    scope = None
    raw = (request.headers.get(PUBLISHABLE_KEY_HEADER) or "").strip()
    if raw and flags.sales_channels_enabled():
        if "\x00" in raw:  # never a key; PostgreSQL cannot compare such text
            raise PublishableApiKeyInvalid()
        scope = publishable_key_scope_resolve(key_id=raw)
    request._publishable_key_scope = scope  # type: ignore[attr-defined]  # cached on the request
    return scope


def sales_channel_param_check(*, requested: Sequence[str], scope: KeyScope | None) -> None:
    """Refuse requested channel ids outside the key's scope, naming them (as Medusa 1.20 does)."""
    if scope is None:
        return
    outside = [channel_id for channel_id in requested if channel_id not in scope.sales_channel_ids]
    if outside:
        raise SalesChannelOutsideKeyScope(outside)


def store_channel_ids(request: Request, *, requested: Sequence[str] | None) -> list[str] | None:
    """Return the channels a store catalogue read is limited to, or None for no limit.

    - feature off: no limit;
    - with a key: the requested ids (which must be within the key's channels), else all the
      key's channels;
    - without a key: the requested ids, else the store's default channel (Medusa injects it);
      no default channel at all → no limit, as in Medusa.
    """
    if not flags.sales_channels_enabled():
        return None
    wanted = list(dict.fromkeys(requested or ()))
    scope = request_key_scope(request)
    if scope is not None:
        if wanted:
            sales_channel_param_check(requested=wanted, scope=scope)
            return wanted
        return list(scope.sales_channel_ids)
    if wanted:
        return wanted
    default_id = default_sales_channel_id()
    return [default_id] if default_id else None
