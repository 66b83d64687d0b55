"""Helpers every test suite shares: Medusa's wire formats and the service steps of a checkout.

Suite-specific data lives next to its suite, each built through the factories and services:
the store shop and its expected JSON (tests/carts/api/store_helpers.py), the security shops
(tests/security/shop.py, scope_shop.py), the reliability shop (tests/reliability/shop.py) and
the browser/screenshot shop (tests/browser/shop.py). Who is refused on which admin route is
tested once, for every route and method, in tests/security/test_access.py.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.core.management import call_command
from django.db import connection

from carts.services import (
    cart_payment_session_select,
    cart_payment_sessions_create,
    cart_shipping_method_add,
)

# PostgreSQL keeps each channel's product counts (catalog.models.ChannelProductCount): a list of
# one channel reads its count in one statement. SQLite counts the links, and the list keeps that
# count in the render cache under the listings version until the next scheduled listing: on a
# miss, those two statements more.
COUNTS_KEPT = connection.vendor == "postgresql"

# PostgreSQL builds the JSON of a store page's render cache misses in one statement
# (commerce.api.sql_json); SQLite reads their rows, then each relation (images, tags, options,
# variants, their option values, prices: a statement each), and renders them in Python.
JSON_BUILT = connection.vendor == "postgresql"
# The statements of a store page's misses with the default relations.
MISSES = 1 if JSON_BUILT else 7

UNAUTHORIZED = {"type": "unauthorized", "message": "Unauthorized"}
BODY_ERRORS = "Provided request body contains errors. Please check the data and retry the request"


def ms(value: datetime | None) -> str | None:
    """Return a timestamp as Medusa writes it: UTC, milliseconds, `Z` (`None` stays `None`)."""
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def channel_json(channel: Any) -> dict[str, Any] | None:
    """Return a sales channel as the admin and store APIs render it (`None` stays `None`)."""
    if channel is None:
        return None
    return {
        "id": channel.pk,
        "created_at": ms(channel.created_at),
        "updated_at": ms(channel.updated_at),
        "deleted_at": None,
        "name": channel.name,
        "description": channel.description,
        "is_disabled": channel.is_disabled,
        "metadata": channel.metadata,
    }


def pay(cart_id: str) -> None:
    """Open the cart's payment sessions and select the manual provider (through the services)."""
    cart_payment_sessions_create(cart_id=cart_id)
    cart_payment_session_select(cart_id=cart_id, provider_id="manual")


def checkout_ready(cart_id: str, *, option_id: str) -> None:
    """Add the shipping option to the cart and pay: what completion needs after the items."""
    cart_shipping_method_add(cart_id=cart_id, option_id=option_id)
    pay(cart_id)


def generated_catalogue(*, products: int, channels: int, variants: int, orders: int) -> None:
    """Fill the test database with `manage.py generate_catalog` (the benchmark's data shape), quietly."""
    call_command(
        "generate_catalog",
        *("--products", str(products), "--channels", str(channels)),
        *("--variants", str(variants), "--orders", str(orders)),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
