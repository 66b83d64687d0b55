"""Property-based: a store product listing shows exactly what an independent model says it may.

Hypothesis generates channels (some disabled, some deleted), products (published or not, some
deleted, in any channels), the store's default channel and publishable keys (with no, one or
several channels, some revoked). Every listing call is then compared with `visible()` below, a
plain-Python reading of design §1 and §5 that shares no code with the app:

- a product is listed when it is published, not deleted, and in one of the request's channels;
- the request's channels: the `sales_channel_id` param, else the key's live channels, else the
  store's default channel (no live default: no channel limit); a disabled channel still lists;
- a key that is unknown or revoked, or that has no live channel, is a 400 (design §5), and a
  param naming a channel outside the key's live channels is a 400 that names them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from catalog.models import ProductStatus
from commerce.models import Store
from saleschannels.exceptions import (
    PublishableApiKeyInvalid,
    PublishableApiKeyWithoutChannels,
    SalesChannelOutsideKeyScope,
)
from saleschannels.selectors import default_sales_channel_get
from tests.catalog.factories import ProductFactory
from tests.render_cache import render_cache_cold
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db

MAX_CHANNELS = 4  # besides the default channel made by the migrations
UNKNOWN_CHANNEL = "sc_00000000000000000000000000"


@dataclass(frozen=True)
class ChannelSpec:
    is_disabled: bool
    is_deleted: bool


@dataclass(frozen=True)
class ProductSpec:
    status: str
    is_deleted: bool
    channels: frozenset[int]  # indexes into World.channels (0 is the migrations' default)


@dataclass(frozen=True)
class KeySpec:
    channels: frozenset[int]
    is_revoked: bool


@dataclass(frozen=True)
class World:
    channels: tuple[ChannelSpec, ...]
    default: int  # index of the store's default channel
    default_is_gone: bool  # the default channel row was soft-deleted behind the services' back
    products: tuple[ProductSpec, ...]
    keys: tuple[KeySpec, ...]
    params: tuple[tuple[int, ...], ...]  # sales_channel_id[] values to ask for (-1: unknown id)


@st.composite
def worlds(draw) -> World:
    extra = draw(
        st.lists(st.builds(ChannelSpec, st.booleans(), st.booleans()), max_size=MAX_CHANNELS)
    )
    channels = (ChannelSpec(is_disabled=False, is_deleted=False), *extra)
    indexes = st.integers(0, len(channels) - 1)
    # The store's default must be live and enabled (a service rule); sometimes it is a new one.
    eligible = [i for i, c in enumerate(channels) if not (c.is_disabled or c.is_deleted)]
    default = draw(st.sampled_from(eligible))
    products = draw(
        st.lists(
            st.builds(
                ProductSpec,
                st.sampled_from(
                    [ProductStatus.PUBLISHED, ProductStatus.PUBLISHED, ProductStatus.DRAFT]
                ),
                st.booleans(),
                st.frozensets(indexes, max_size=3),
            ),
            max_size=7,
        )
    )
    keys = draw(
        st.lists(st.builds(KeySpec, st.frozensets(indexes, max_size=3), st.booleans()), max_size=3)
    )
    params = draw(
        st.lists(
            st.lists(st.integers(-1, len(channels) - 1), min_size=1, max_size=3, unique=True).map(
                tuple
            ),
            max_size=2,
        )
    )
    return World(
        channels=channels,
        default=default,
        default_is_gone=draw(st.booleans()) and draw(st.booleans()),  # about one world in four
        products=tuple(products),
        keys=tuple(keys),
        params=tuple(params),
    )


# ---- THE INDEPENDENT MODEL ----


def _live(world: World) -> set[int]:
    live = {i for i, c in enumerate(world.channels) if not c.is_deleted}
    if world.default_is_gone:
        live.discard(world.default)
    return live


def visible(world: World, channels: set[int] | None) -> set[int]:
    """Indexes of the products a listing limited to `channels` (None: no limit) shows."""
    live = _live(world)
    return {
        i
        for i, p in enumerate(world.products)
        if p.status == ProductStatus.PUBLISHED
        and not p.is_deleted
        and (channels is None or p.channels & channels & live)
    }


def default_scope(world: World) -> set[int] | None:
    return None if world.default_is_gone else {world.default}


# ---- BUILDING THE WORLD IN THE DATABASE ----


@dataclass
class Built:
    channel_ids: list[str]
    product_ids: list[str]
    key_ids: list[str]

    def channel_id(self, index: int) -> str:
        return UNKNOWN_CHANNEL if index == -1 else self.channel_ids[index]


def build(world: World) -> Built:
    # Each example's writes are rolled back, listings version included: a fresh render cache,
    # so no example reads a count another example cached under the same version.
    render_cache_cold()
    now = timezone.now()
    channels = [default_sales_channel_get()]
    channels += [
        SalesChannelFactory(is_disabled=c.is_disabled, deleted_at=now if c.is_deleted else None)
        for c in world.channels[1:]
    ]
    Store.objects.filter(singleton=True).update(default_sales_channel=channels[world.default])
    products = [
        ProductFactory(
            status=p.status,
            deleted_at=now if p.is_deleted else None,
            sales_channels=[channels[i] for i in sorted(p.channels)],
        )
        for p in world.products
    ]
    keys = [
        PublishableApiKeyFactory(
            revoked_at=now if k.is_revoked else None,
            sales_channels=[channels[i] for i in sorted(k.channels)],
        )
        for k in world.keys
    ]
    if world.default_is_gone:
        type(channels[0]).all_objects.filter(pk=channels[world.default].pk).update(deleted_at=now)
    return Built(
        channel_ids=[c.pk for c in channels],
        product_ids=[p.pk for p in products],
        key_ids=[k.pk for k in keys],
    )


# ---- THE CALLS ----


def _list(params: tuple[int, ...] | None, built: Built, key: str | None = None):
    query = {"limit": "1000"}
    if params:
        query["sales_channel_id[]"] = [built.channel_id(i) for i in params]
    headers = {"HTTP_X_PUBLISHABLE_API_KEY": key} if key else {}
    return APIClient().get("/api/store/products", query, **headers)


def _assert_lists(response, expected: set[int], built: Built, call: str) -> None:
    assert response.status_code == 200, (call, response.json())
    body = response.json()
    assert {p["id"] for p in body["products"]} == {built.product_ids[i] for i in expected}, call
    assert body["count"] == len(expected), call


def _assert_refused(response, error, call: str) -> None:
    assert response.status_code == 400, (call, response.json())
    expected = {"type": error.type, "message": error.message}
    if getattr(error, "errors", None):
        expected["errors"] = error.errors
    assert response.json() == expected, call


def check(world: World, built: Built) -> None:
    live = _live(world)

    # no key, no param: the default channel
    _assert_lists(_list(None, built), visible(world, default_scope(world)), built, "plain")

    # no key, a param: exactly the asked channels (deleted or unknown ones list nothing)
    for params in world.params:
        asked = {i for i in params if i != -1}
        _assert_lists(_list(params, built), visible(world, asked), built, f"param {params}")

    for k, (spec, key_id) in enumerate(zip(world.keys, built.key_ids, strict=True)):
        key_channels = spec.channels & live
        call = f"key {k}"
        if spec.is_revoked:
            _assert_refused(_list(None, built, key_id), PublishableApiKeyInvalid(), call)
            continue
        if not key_channels:
            _assert_refused(_list(None, built, key_id), PublishableApiKeyWithoutChannels(), call)
            continue
        _assert_lists(_list(None, built, key_id), visible(world, key_channels), built, call)

        # key and param: the param must stay within the key's live channels
        for params in world.params:
            outside = [built.channel_id(i) for i in params if i == -1 or i not in key_channels]
            response = _list(params, built, key_id)
            if outside:
                _assert_refused(response, SalesChannelOutsideKeyScope(outside), f"{call} {params}")
            else:
                _assert_lists(response, visible(world, set(params)), built, f"{call} {params}")

    # a key nobody issued
    _assert_refused(
        _list(None, built, "pk_00000000000000000000000000"), PublishableApiKeyInvalid(), "unknown"
    )


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_store_listings_show_exactly_what_the_caller_may_see(world):
    # Each generated world lives in a savepoint that is rolled back: the next starts clean.
    with transaction.atomic():
        check(world, build(world))
        transaction.set_rollback(True)
