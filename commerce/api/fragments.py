"""Rendered fragments of list rows, cached under (kind, row id, row version, shape): never stale.

Key-based expiration: a row's key carries its version, which every write that changes what the
row's JSON shows bumps in the same transaction (products: `catalog.versions.touch_products`).
A reader that sees the new rows sees the new version, so it asks for a key no older reader ever
wrote; fragments of old versions are never read again and age out of the cache. Nothing is ever
invalidated, so there is no race between a write and a cache fill.

The shape is everything else the JSON depends on (the request's fields, relations, prices,
channels, host), hashed, plus a digest of the code that renders (`CODE_DIGEST`: the apps' API
layers, selectors and models), so a deploy that changes the output never reads the fragments of
the code before it. (A deploy that changes the output from elsewhere, or a change of settings
that shows in the JSON such as MEDIA_URL, must flush the render cache or point RENDER_CACHE_URL
at another Redis database.)

The cache is Django's `render` cache (settings: RENDER_CACHE_URL, else CACHE_URL; Redis in
production, local memory in `make run` and the tests). A cache that fails (Redis down or
unreachable) costs the rendering it would have saved, never an error: the failure is logged
and the page is rendered from the database.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

from commerce.api.renderers import encoded_fragment

logger = logging.getLogger(__name__)

CACHE_ALIAS = "render"
TIMEOUT_SECONDS = 24 * 3600  # an unread version's fragment: evicted by LRU or after a day


def _code_digest() -> str:
    """Digest of the sources that decide a row's JSON: every app's API layer, selectors, models."""
    digest = hashlib.sha1(usedforsecurity=False)
    base = Path(settings.BASE_DIR)
    sources = {*base.glob("*/api/**/*.py"), *base.glob("*/selectors.py"), *base.glob("*/models.py")}
    for path in sorted(sources):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_DIGEST = _code_digest()


def shape_key(*parts: Any) -> str:
    """Return a short, stable key for the parts of a request that change a row's JSON."""
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:20]


def context_shape(kind: str, request: Any, context: dict[str, Any], *parts: Any) -> str:
    """Return the shape of a list's rows: everything besides a row's own data its JSON shows.

    The fields and relations the serializer renders with, as they are in its `context` (a
    HEAD's context has no relations: its fragments must not be a GET's), the list's own `parts`
    (prices, channels, a staff scope), and the host (media URLs are absolute on it).
    """
    fields, relations = context.get("fields"), context.get("relations")
    return shape_key(
        kind,
        None if fields is None else sorted(fields),
        None if relations is None else sorted(relations),
        *parts,
        request.build_absolute_uri("/"),
    )


def _cache_read(read: Callable[[BaseCache], Any], empty: Any, instead: str) -> tuple[Any, Any]:
    """Return `read(cache)` and the cache; on any cache failure, `empty` and None (logged)."""
    cache = caches[CACHE_ALIAS]
    try:
        return read(cache), cache
    except Exception:  # noqa: BLE001  (any cache failure: do the work instead)
        logger.warning("render cache unavailable (get); %s", instead, exc_info=True)
        return empty, None


def _cache_write(cache: BaseCache | None, write: Callable[[BaseCache], Any], done: str) -> None:
    """Run `write(cache)` unless the read failed; a failure is logged, never raised."""
    if cache is None:
        return
    try:
        write(cache)
    except Exception:  # noqa: BLE001
        logger.warning("render cache unavailable (set); %s", done, exc_info=True)


def rendered_rows(
    rows: Sequence[Any],
    *,
    kind: str,
    shape: str,
    version: Callable[[Any], int],
    render: Callable[[list[Any]], list[Any]],
) -> list[Any]:
    """Return each row's rendered JSON, from the cache where present; render only the misses.

    One `get_many` for the page, then `render(misses)` (which loads what they need and renders
    them, in order; None for a row gone since the page was read, which the page leaves out),
    then one `set_many` of what was rendered. A row is kept as the JSON bytes the response
    renderer writes for it (`encoded_fragment`) and comes back as an `orjson.Fragment`, which
    the renderer writes verbatim: a hit is neither unpickled into dicts nor encoded again. (A
    row orjson cannot encode as DRF would is kept as it is.)
    """
    if not rows:
        return []
    keys = [f"{kind}:{CODE_DIGEST}:{row.pk}:{version(row)}:{shape}" for row in rows]
    found, cache = _cache_read(lambda cache: cache.get_many(keys), {}, "rendering")
    missing = [i for i, key in enumerate(keys) if key not in found]
    missing_set = set(missing)
    fresh: dict[int, Any] = {}
    if missing:
        for i, row in zip(missing, render([rows[i] for i in missing]), strict=True):
            if row is not None:
                encoded = encoded_fragment(row)
                fresh[i] = row if encoded is None else encoded
        _cache_write(
            cache,
            lambda cache: cache.set_many(
                {keys[i]: value for i, value in fresh.items()}, timeout=TIMEOUT_SECONDS
            ),
            "page rendered",
        )
    out = []
    for i, key in enumerate(keys):
        value = fresh.get(i) if i in missing_set else found[key]
        if value is not None:
            out.append(orjson.Fragment(value) if isinstance(value, bytes) else value)
    return out


def cached_value(
    *,
    key: str,
    version: int,
    at: datetime,
    compute: Callable[[], Any],
    changes_next: Callable[[], datetime | None] = lambda: None,
) -> Any:
    """Return what `compute()` returns for a list (its count, a page's ids), cached by version.

    Key-based like the fragments: `key` names the list and the value (its channels; the count,
    or the offset and limit of a page) and `version` is what every write that may change the
    value bumps in its transaction (the listings version, `catalog.versions.touch_listings`). A
    value that time can change keeps only until `changes_next()` (asked on a miss, after
    computing): a reader at or past it computes again, so a scheduled listing shows at its
    second. A cache that fails costs the computing.
    """
    full_key = f"list:{CODE_DIGEST}:{key}:{version}"
    found, cache = _cache_read(lambda cache: cache.get(full_key), None, "computing")
    if found is not None:
        value, computed_at, until = found
        if computed_at <= at and (until is None or at < until):
            return value
    value = compute()
    entry = (value, at, changes_next())
    _cache_write(
        cache, lambda cache: cache.set(full_key, entry, timeout=TIMEOUT_SECONDS), "computed"
    )
    return value
