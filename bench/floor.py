"""The floor: the bare SQL a perfect implementation of a list endpoint needs, timed with psycopg.

Each floor is the sequence of statements that fetches exactly what the endpoint's contract
needs (the page, its exact count, and the children it renders) with no framework around it:
one connection, statements sent one after the other, every row fetched. The endpoint is then
reported as a ratio to it, which is the overhead of everything that is not the database
(Django, DRF, JSON, HTTP, gunicorn), since both pay the same database work.

psycopg's automatic server-side prepared statements are switched off so that the floor, like
Django, has PostgreSQL parse and plan each statement; that is part of the database's cost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

PRODUCT_COLUMNS = (
    "p.id, p.created_at, p.updated_at, p.metadata, p.deleted_at, p.title, p.subtitle, "
    "p.description, p.handle, p.is_giftcard, p.status, p.thumbnail, p.discountable, "
    "p.external_id, p.collection_id, p.type_id, p.weight, p.length, p.height, p.width, "
    "p.hs_code, p.origin_country, p.mid_code, p.material"
)
TYPE_COLUMNS = "t.id, t.created_at, t.updated_at, t.metadata, t.deleted_at, t.value"
IMAGE_COLUMNS = "id, created_at, updated_at, metadata, deleted_at, product_id, url, rank"
TAG_COLUMNS = "t.id, t.created_at, t.updated_at, t.metadata, t.deleted_at, t.value"
VARIANT_COLUMNS = (
    "id, created_at, updated_at, metadata, deleted_at, product_id, title, sku, barcode, ean, "
    "upc, inventory_quantity, allow_backorder, manage_inventory, variant_rank"
)
PRICE_COLUMNS = (
    "id, created_at, updated_at, metadata, variant_id, currency_code, amount, region_id, "
    "min_quantity, max_quantity"
)
ORDER_COLUMNS = (
    "id, created_at, updated_at, metadata, display_id, status, fulfillment_status, "
    "payment_status, email, region_id, currency_code, tax_rate, sales_channel_id, cart_id, "
    "shipping_address_id, billing_address_id, shipping_option_name, subtotal, shipping_total, "
    "tax_total, total, idempotency_key, canceled_at"
)
ITEM_COLUMNS = (
    "id, created_at, updated_at, metadata, order_id, variant_id, product_id, title, "
    "variant_title, sku, thumbnail, unit_price, quantity"
)

# The exact count from the links' side: the channels' links that copy a published, live
# product (the links carry their product's state), from their index alone. One channel: no
# DISTINCT needed.
_COUNT_FROM_LINKS = """
    SELECT count(*) FROM catalog_productsaleschannel l
    JOIN saleschannels_saleschannel c ON c.id = l.sales_channel_id
    WHERE l.sales_channel_id = ANY(%(channels)s) AND c.deleted_at IS NULL
      AND l.product_published AND NOT l.product_deleted
"""
# The page: the channel's links in the list's order (the links carry their product's
# created_at, indexed by channel), skipping unlisted products, then those products' rows.
_PAGE_FROM_LINKS = f"""
    SELECT {PRODUCT_COLUMNS}, {TYPE_COLUMNS} FROM catalog_product p
    LEFT JOIN catalog_producttype t ON t.id = p.type_id
    WHERE p.id IN (
        SELECT l.product_id FROM catalog_productsaleschannel l
        WHERE l.sales_channel_id = %(channel)s AND l.product_published AND NOT l.product_deleted
        ORDER BY l.product_created_at DESC, l.product_id DESC LIMIT %(limit)s OFFSET %(offset)s
    )
    ORDER BY p.created_at DESC, p.id DESC
"""  # noqa: S608


def store_products_floor(
    cursor: psycopg.Cursor, *, channel_ids: list[str], limit: int, offset: int
) -> int:
    """Page (with its type) + exact count + the page's images, tags, variants and their prices.

    Returns the rows fetched.

    The count from the links' side, then the page from the channel's links read in order: the
    same two statements at any offset.
    """
    if len(channel_ids) != 1:
        raise ValueError("the store floor is written for one channel, as the benchmark asks")
    params = {"channels": channel_ids, "channel": channel_ids[0], "limit": limit, "offset": offset}
    cursor.execute(_COUNT_FROM_LINKS, params)
    rows = cursor.fetchall()
    cursor.execute(_PAGE_FROM_LINKS, params)
    products = cursor.fetchall()
    product_ids = [row[0] for row in products]
    cursor.execute(
        f"SELECT {IMAGE_COLUMNS} FROM catalog_image "  # noqa: S608
        "WHERE product_id = ANY(%s) AND deleted_at IS NULL ORDER BY product_id, rank, id",
        [product_ids],
    )
    images = cursor.fetchall()
    cursor.execute(
        f"SELECT pt.product_id, {TAG_COLUMNS} FROM catalog_product_tags pt "  # noqa: S608
        "JOIN catalog_producttag t ON t.id = pt.producttag_id "
        "WHERE pt.product_id = ANY(%s) AND t.deleted_at IS NULL ORDER BY t.value, t.id",
        [product_ids],
    )
    tags = cursor.fetchall()
    cursor.execute(
        f"SELECT {VARIANT_COLUMNS} FROM catalog_productvariant "  # noqa: S608
        "WHERE product_id = ANY(%s) AND deleted_at IS NULL ORDER BY product_id, variant_rank, id",
        [product_ids],
    )
    variants = cursor.fetchall()
    cursor.execute(
        f"SELECT {PRICE_COLUMNS} FROM catalog_price WHERE variant_id = ANY(%s)",  # noqa: S608
        [[row[0] for row in variants]],
    )
    prices = cursor.fetchall()
    return len(rows) + len(products) + len(images) + len(tags) + len(variants) + len(prices)


def _prefixed(alias: str, columns: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in columns.split(","))


REGION_COLUMNS = (
    "id, created_at, updated_at, metadata, deleted_at, name, currency_code, tax_rate, tax_code, "
    "countries, automatic_taxes, includes_tax"
)
CHANNEL_COLUMNS = "id, created_at, updated_at, metadata, deleted_at, name, description, is_disabled"
ADDRESS_COLUMNS = (
    "id, created_at, updated_at, metadata, first_name, last_name, company, address_1, "
    "address_2, city, country_code, province, postal_code, phone"
)
# The page of orders with the relations the endpoint renders for each (its region, channel and
# addresses), joined; then their items with each item's variant and product, joined.
_ORDERS_PAGE = " ".join(  # constant column lists only
    [
        f"SELECT {_prefixed('o', ORDER_COLUMNS)}, {_prefixed('r', REGION_COLUMNS)},",
        f"{_prefixed('c', CHANNEL_COLUMNS)}, {_prefixed('sa', ADDRESS_COLUMNS)},",
        f"{_prefixed('ba', ADDRESS_COLUMNS)}",
        "FROM orders_order o",
        "JOIN commerce_region r ON r.id = o.region_id",
        "LEFT JOIN saleschannels_saleschannel c ON c.id = o.sales_channel_id",
        "LEFT JOIN commerce_address sa ON sa.id = o.shipping_address_id",
        "LEFT JOIN commerce_address ba ON ba.id = o.billing_address_id",
        "WHERE o.sales_channel_id = ANY(%s)",
        "ORDER BY o.created_at DESC, o.id DESC LIMIT %s OFFSET %s",
    ]
)
_ORDER_ITEMS = " ".join(  # constant column lists only
    [
        f"SELECT {_prefixed('i', ITEM_COLUMNS)}, {_prefixed('v', VARIANT_COLUMNS)},",
        f"{_prefixed('p', PRODUCT_COLUMNS.replace('p.', ''))}",
        "FROM orders_orderitem i",
        "LEFT JOIN catalog_productvariant v ON v.id = i.variant_id",
        "LEFT JOIN catalog_product p ON p.id = v.product_id",
        "WHERE i.order_id = ANY(%s) ORDER BY i.order_id, i.created_at, i.id",
    ]
)


_ORDERS_PAGE_NARROW = (
    f"SELECT {ORDER_COLUMNS} FROM orders_order WHERE sales_channel_id = ANY(%s) "  # noqa: S608
    "ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s"
)
_ORDER_ITEMS_NARROW = (
    f"SELECT {ITEM_COLUMNS} FROM orders_orderitem WHERE order_id = ANY(%s) "  # noqa: S608
    "ORDER BY order_id, created_at, id"
)


def _orders_floor(
    cursor: psycopg.Cursor, channel_ids: list[str], limit: int, offset: int, page: str, items: str
) -> int:
    """Count, the `page` statement, then the `items` statement for its orders; rows fetched."""
    cursor.execute(
        "SELECT count(*) FROM orders_order WHERE sales_channel_id = ANY(%s)", [channel_ids]
    )
    rows = cursor.fetchall()
    cursor.execute(page, [channel_ids, limit, offset])
    orders = cursor.fetchall()
    cursor.execute(items, [[row[0] for row in orders]])
    return len(rows) + len(orders) + len(cursor.fetchall())


def admin_orders_floor(
    cursor: psycopg.Cursor, *, channel_ids: list[str], limit: int, offset: int
) -> int:
    """Page + exact count + what each order renders. Returns the rows fetched.

    The endpoint renders each order's region, channel and addresses and each item's variant
    and product, so the floor fetches them too (joined, the cheapest way to have them).
    """
    return _orders_floor(cursor, channel_ids, limit, offset, _ORDERS_PAGE, _ORDER_ITEMS)


def admin_orders_floor_narrow(
    cursor: psycopg.Cursor, *, channel_ids: list[str], limit: int, offset: int
) -> int:
    """Count, the page of orders, their items: no region, channel, address, variant, product.

    Reported next to the full floor for comparison with earlier runs (which used this one).
    """
    return _orders_floor(
        cursor, channel_ids, limit, offset, _ORDERS_PAGE_NARROW, _ORDER_ITEMS_NARROW
    )


@dataclass(frozen=True)
class FloorResult:
    name: str
    iterations: int
    p50_ms: float
    p95_ms: float
    rows: int

    def summary(self) -> dict[str, Any]:
        return {
            "iterations": self.iterations,
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "rows_fetched": self.rows,
        }


def measure_paired(
    dsn: str,
    name: str,
    floor: Callable[..., int],
    *,
    endpoint: Callable[[], float],
    seconds: float,
    max_iterations: int = 2_000,
    warmup: int = 10,
    **kwargs: Any,
) -> tuple[FloorResult, list[float]]:
    """Alternate one endpoint request (`endpoint()` returns its milliseconds) and one floor run.

    Both then see the machine in the same state, request for request: its speed drifts by a
    third over minutes here, which two measurements taken one after the other would each see
    differently. Returns the floor's result and the endpoint's latencies.
    """
    with (
        psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as connection,
        connection.cursor() as cursor,
    ):
        rows = 0
        for _ in range(warmup):
            rows = floor(cursor, **kwargs)
            endpoint()
        timings: list[float] = []
        requests: list[float] = []
        deadline = time.perf_counter() + seconds
        while len(timings) < max_iterations and time.perf_counter() < deadline:
            requests.append(endpoint())
            started = time.perf_counter()
            floor(cursor, **kwargs)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    result = FloorResult(
        name=name,
        iterations=len(timings),
        p50_ms=timings[(len(timings) - 1) // 2],
        p95_ms=timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        rows=rows,
    )
    return result, sorted(requests)
