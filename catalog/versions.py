"""Product versions: the one function every write that changes a product's store JSON calls.

The store's product lists cache each product's rendered JSON under (product, version, shape)
(`catalog.api.store.fragments`). A fragment is never stale because its key changes in the same
transaction as what it shows: `touch_products(ids)` bumps the versions of those products, and
a reader sees either the old rows and the old version or the new rows and the new version.
Nothing is ever deleted from the cache; old versions' fragments age out.

Who calls it (docs/deployment.md, "Render cache"): every catalogue service that writes a
product, its variants, prices, options, option values, images, tags, type, categories,
collection or channel links; the services that rename or delete a collection, category, tag,
type or sales channel (for the products they show on); and order completion, for the products
whose stock it counts down. Call it last in the transaction, once: it locks version rows in
product order, after every other lock of the lock order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import F, QuerySet

from catalog.models import ListingsVersion, Product, ProductSalesChannel, ProductVersion
from commerce.reusable_sql import ReusableQuery, json_ids_sql


def touch_products(product_ids: Iterable[str] | QuerySet, *, listings: bool = True) -> None:
    """Bump the version of each of these products: ids, or a queryset of products or of their ids.

    ONE statement whatever the number of products (an upsert from a JSON array or from the
    queryset's own SQL), in product id order, so two transactions touching overlapping products
    lock their version rows in the same order and never deadlock on them. Products never
    touched have no row yet (version 0): the first touch inserts version 1.

    `listings`: the write may change which products a channel lists (a link, a listing, a
    product's status or deletion, a channel's deletion), so the channels' cached counts must
    not be read again: the listings version is bumped too, after the products' (`touch_listings`).
    False only for writes that cannot (stock, prices, variants, images, collections,
    categories): a forgotten False costs the counts' cache a refill, never a stale count.
    """
    _touch(product_ids)
    if listings:
        touch_listings()


def touch_listings() -> None:
    """Bump the listings version (`ListingsVersion`): the channels' product counts change key.

    One row, locked last in its transaction (after every product version): concurrent writes
    that change listings queue on it for the rest of their transaction, and never deadlock.
    """
    table = connection.ops.quote_name(ListingsVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, version) VALUES (1, 1) "  # noqa: S608  (our table name)
            f"ON CONFLICT (id) DO UPDATE SET version = {table}.version + 1"
        )


def listings_version() -> int:
    """Return the listings version (0 before the first write that may change listings).

    Read by every store and admin list a channel narrows, warm or cold, so its SQL is written
    once (`ReusableQuery`): 0.70 -> 0.33 ms a read in process on the benchmark's data.
    """
    rows = _listings_version_query.rows()
    return rows[0][0] if rows else 0


_listings_version_query = ReusableQuery(
    lambda: ListingsVersion.objects.filter(pk=1).values_list("version")[:1]
)


def _touch(product_ids: Iterable[str] | QuerySet) -> None:
    table = connection.ops.quote_name(ProductVersion._meta.db_table)
    if isinstance(product_ids, QuerySet):
        column = "pk" if product_ids.model is Product else product_ids.query.values_select[0]
        selected = product_ids.order_by().values(touched_id=F(column))
        inner, params = selected.query.sql_with_params()
    else:
        ids = sorted({str(pk) for pk in product_ids if pk})
        if not ids:
            return
        inner = f"SELECT value AS touched_id FROM ({json_ids_sql()}) AS j"  # noqa: S608
        params = (json.dumps(ids),)
    # `WHERE true`: SQLite's grammar needs it between a SELECT and its ON CONFLICT.
    sql = (
        f"INSERT INTO {table} (product_id, version) "  # noqa: S608  (our table name, ORM SQL)
        f"SELECT DISTINCT ids.touched_id, 1 FROM ({inner}) AS ids WHERE true ORDER BY 1 "
        f"ON CONFLICT (product_id) DO UPDATE SET version = {table}.version + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def product_versions(product_ids: Iterable[str]) -> dict[str, int]:
    """Return the versions of these products (0 for a product never touched)."""
    ids = list(product_ids)
    found = dict(
        ProductVersion.objects.filter(product_id__in=ids).values_list("product_id", "version")
    )
    return {pk: found.get(pk, 0) for pk in ids}


def touch_channel_products(sender: object = None, *, id: str, **kwargs: object) -> None:
    """Bump the products linked to a channel whose row changed (they show it in `sales_channels`).

    Connected to `saleschannels.signals.sales_channel_rendered_changed`, which the channel
    services send inside their transaction.
    """
    touch_products(
        ProductSalesChannel.objects.filter(sales_channel_id=id).values_list("product_id", flat=True)
    )
