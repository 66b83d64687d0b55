"""Row locks on stock, in the one lock order of docs/reliability.md ("Lock order").

After the catalogue's locks (catalog.locks: cart → variants → product↔channel links) a
completion takes:

    channel↔location links (location order, FOR KEY SHARE) → inventory levels (pk order,
    FOR NO KEY UPDATE)

- the links a completion reserves through are held FOR KEY SHARE until it commits: an unlink
  (a DELETE, which locks the row FOR UPDATE first, in location order) waits for it, and a
  completion that waited on an unlink sees the link gone, so no reservation is made at a
  location the channel no longer sells from;
- the levels are locked FOR NO KEY UPDATE before their reserved quantity is read, so two
  completions sharing a location (two channels, one warehouse) reserve one after the other and
  never more than is stocked. An admin writing a level takes the same lock.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection
from django.db.models import QuerySet

from commerce.locks import values_locked
from inventory.models import InventoryLevel, SalesChannelLocation, StockLocation


def locations_qs_for_update() -> QuerySet[StockLocation]:
    """Return live stock locations locked FOR NO KEY UPDATE (a location's own edits)."""
    return StockLocation.objects.select_for_update(of=("self",), no_key=True)


def channel_locations_hold(*, channel_ids: Collection[str] | None) -> list[str]:
    """Return the live locations the channels sell from, best first, and hold their links.

    Best first: lowest link `priority`, then location id. The links are locked FOR KEY SHARE in
    location order (PostgreSQL; SQLite has no row locks). Without channels (the flag off) every
    live location counts, in id order, and no link is held.
    """
    if channel_ids is None:
        return list(StockLocation.objects.order_by("pk").values_list("pk", flat=True))
    queryset = (
        SalesChannelLocation.objects.filter(
            sales_channel_id__in=list(channel_ids), location__deleted_at__isnull=True
        )
        .order_by("location_id", "sales_channel_id")
        .values_list("location_id", "priority")
    )
    if connection.vendor == "postgresql":
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            table = SalesChannelLocation._meta.db_table
            cursor.execute(f"{sql} FOR KEY SHARE OF {table}", params)
            rows = cursor.fetchall()
    else:
        rows = list(queryset)
    best: dict[str, int] = {}
    for location_id, priority in rows:
        best[location_id] = min(priority, best.get(location_id, priority))
    return sorted(best, key=lambda location_id: (best[location_id], location_id))


def channel_links_for_delete(*, channel_ids: Collection[str] | None, location_id: str) -> list:
    """Lock a location's links (to these channels; to all for None) FOR UPDATE; return their pks."""
    queryset = SalesChannelLocation.objects.filter(location_id=location_id)
    if channel_ids is not None:
        queryset = queryset.filter(sales_channel_id__in=list(channel_ids))
    return values_locked(
        queryset.order_by("location_id", "sales_channel_id").values_list("pk", flat=True), "UPDATE"
    )


def levels_qs_for_update() -> QuerySet[InventoryLevel]:
    """Return inventory levels locked FOR NO KEY UPDATE, in pk order."""
    return InventoryLevel.objects.select_for_update(of=("self",), no_key=True).order_by("pk")
