"""Row locks on the shared kernel's rows, in the one lock order of docs/reliability.md ("Lock order").

The store row comes before any channel row. Regions, shipping options and staff users are
locked alone by their own edits; outbox events only by the fan-out.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from commerce.models import OutboxEvent, Region, ShippingOption, Store, User


def store_qs_for_update() -> QuerySet[Store]:
    """Return the store row locked for update (lock it before any channel row)."""
    return Store.objects.select_for_update(no_key=True).filter(singleton=True)


def regions_qs_for_update() -> QuerySet[Region]:
    """Return live regions locked FOR NO KEY UPDATE (carts and prices keep pointing at them)."""
    return Region.objects.select_for_update(no_key=True)


def shipping_options_qs_for_update() -> QuerySet[ShippingOption]:
    """Return live shipping options locked FOR NO KEY UPDATE."""
    return ShippingOption.objects.select_for_update(no_key=True)


def users_qs_for_update() -> QuerySet[User]:
    """Return users locked FOR UPDATE (a staff user's edit)."""
    return User.objects.select_for_update()


def outbox_events_qs_for_update() -> QuerySet[OutboxEvent]:
    """Return outbox events locked FOR UPDATE: one fan-out at a time hands an event over."""
    return OutboxEvent.objects.select_for_update()


def values_locked(queryset: QuerySet, strength: str, *, flat: bool = True) -> list:
    """Run a values_list queryset with `FOR <strength>` appended; return its values (rows if several).

    PostgreSQL only (SQLite has no row locks). Django's select_for_update has no FOR KEY SHARE.
    The rows are locked in the queryset's ORDER BY order: PostgreSQL locks each row as the
    sorted output reaches it.
    """
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} FOR {strength}", params)
        rows = cursor.fetchall()
    return [row[0] for row in rows] if flat else [tuple(row) for row in rows]
