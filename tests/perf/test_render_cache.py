"""The store and admin product lists' render cache (commerce.api.fragments): what a warm page costs, what
a write costs the next reader, and that a cache outage costs rendering, never an error.

The cold counts are those pinned in tests/catalog/api/test_store_products.py; every test starts
cold (the autouse `render_cache_cold` fixture).
"""

import logging
import re
from datetime import timedelta
from types import SimpleNamespace

import orjson
import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from catalog.services import ListingInput, product_update, variant_update
from catalog.services import product_channel_listings_set as listings_set
from commerce.api.fragments import CACHE_ALIAS, rendered_rows
from tests.catalog.api.test_store_products import KEY, LIST_URL, _shirt
from tests.commerce.factories import RegionFactory
from tests.helpers import COUNTS_KEPT, JSON_BUILT, MISSES
from tests.saleschannels.factories import PublishableApiKeyFactory
from tests.security.permissions_helpers import token_client
from tests.security.scope_shop import scope_shop_create

pytestmark = pytest.mark.django_db

DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def _caches(render: dict) -> dict:
    return {**settings.CACHES, CACHE_ALIAS: render}


def _uncached(api_client, path: str, **headers) -> bytes:
    with override_settings(CACHES=_caches(DUMMY)):
        return api_client.get(path, **headers).content


def test_a_warm_page_costs_its_ids_and_versions_and_the_count(
    api_client, default_channel, django_assert_num_queries
):
    eu = RegionFactory(currency_code="eur")
    for n in range(5):
        _shirt([default_channel], title=f"P{n}", sizes=("S", "M", "L"))
    path = f"{LIST_URL}?region_id={eu.pk}"
    # cold: 1 = default channel id; 2 = region; 3 = the kept count (else the listings version,
    # COUNT(*) and the next scheduled listing: COUNTS_KEPT); then the page's ids and versions;
    # the misses (MISSES: their JSON built by PostgreSQL, else their rows; images, tags, options,
    # variants, option values, prices)
    with django_assert_num_queries((4 if COUNTS_KEPT else 6) + MISSES):
        cold = api_client.get(path)
    # warm: default channel, region, the kept count (else the listings version, the count from
    # the cache), the page; every product's JSON comes from the cache
    with django_assert_num_queries(4):
        warm = api_client.get(path)
    assert warm.content == cold.content == _uncached(api_client, path)
    assert len(warm.json()["products"]) == 5


def test_a_written_product_alone_is_rendered_again(
    api_client, default_channel, django_assert_num_queries
):
    products = [_shirt([default_channel], title=f"P{n}") for n in range(3)]
    api_client.get(LIST_URL)
    variant = products[1].variants.order_by("created_at", "id").first()

    variant_update(variant_id=variant.pk, inventory_quantity=7)

    # 1-3 as warm (default channel, listings version, page: a stock write leaves the count
    # cached); then the one product whose version moved, as cold (MISSES: its JSON built by
    # PostgreSQL, else its row, images, tags, options, variants, option values, prices)
    with django_assert_num_queries(3 + MISSES):
        response = api_client.get(LIST_URL)
    assert response.content == _uncached(api_client, LIST_URL)
    shown = {
        v["id"]: v["inventory_quantity"] for p in response.json()["products"] for v in p["variants"]
    }
    assert shown[variant.pk] == 7


def test_a_warm_key_scoped_page(api_client, default_channel, django_assert_num_queries):
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    for n in range(3):
        _shirt([default_channel], title=f"P{n}")
    # cold, as test_store_products.py (the misses with their channels)
    with django_assert_num_queries((3 if COUNTS_KEPT else 5) + (1 if JSON_BUILT else 8)):
        cold = api_client.get(LIST_URL, **{KEY: key.pk})
    # 1 = the key with its channels; 2 = the kept count (else the listings version, the count
    # from the cache); 3 = the page with its versions
    with django_assert_num_queries(3):
        warm = api_client.get(LIST_URL, **{KEY: key.pk})
    assert warm.content == cold.content == _uncached(api_client, LIST_URL, **{KEY: key.pk})


def test_shapes_do_not_share_fragments(api_client, default_channel):
    _shirt([default_channel], title="P0")
    eu, us = RegionFactory(currency_code="eur"), RegionFactory(currency_code="usd")
    paths = [
        LIST_URL,
        f"{LIST_URL}?region_id={eu.pk}",
        f"{LIST_URL}?region_id={us.pk}",
        f"{LIST_URL}?fields=title",
        f"{LIST_URL}?expand=variants",
        f"{LIST_URL}?expand=variants,sales_channels",
    ]
    first = [api_client.get(path).content for path in paths]
    assert len(set(first)) == len(paths)
    assert [api_client.get(path).content for path in paths] == first
    assert api_client.get(LIST_URL, HTTP_HOST="127.0.0.1").content == _uncached(
        api_client, LIST_URL, HTTP_HOST="127.0.0.1"
    )


# Connection refused at once, and a host that never answers (TEST-NET-1: the connect times out).
OUTAGES = {
    "refused": "redis://127.0.0.1:1/0?socket_connect_timeout=0.2&socket_timeout=0.2",
    "unreachable": "redis://192.0.2.1:6379/0?socket_connect_timeout=0.2&socket_timeout=0.2",
}


@pytest.mark.parametrize("url", OUTAGES.values(), ids=OUTAGES.keys())
def test_a_cache_outage_renders_the_page_and_logs_it(api_client, default_channel, caplog, url):
    import environ

    _shirt([default_channel], title="P0")
    expected = _uncached(api_client, LIST_URL)
    with (
        override_settings(CACHES=_caches(environ.Env.cache_url_config(url))),
        caplog.at_level(logging.WARNING, logger="commerce.api.fragments"),
    ):
        responses = [api_client.get(LIST_URL) for _ in range(2)]
    assert [r.status_code for r in responses] == [200, 200]
    assert [r.content for r in responses] == [expected, expected]
    assert "render cache unavailable (get); rendering" in caplog.text


def test_on_a_real_redis_a_page_is_warm_across_cache_clients(
    api_client, default_channel, django_assert_num_queries
):
    # The machine's Redis, on the database the run's Celery uses (db 7 for i23, 15 by default):
    # what two gunicorn instances sharing CACHE_URL do, two cache clients on one Redis.
    import secrets

    import environ

    url = settings.CELERY_BROKER_URL
    render = {**environ.Env.cache_url_config(url), "KEY_PREFIX": secrets.token_hex(6)}
    _shirt([default_channel], title="P0")
    with override_settings(CACHES=_caches(render)):
        cold = api_client.get(LIST_URL)
    # a new client, nothing in process memory: default channel, listings version, page with
    # versions (the count and the fragments from Redis)
    with override_settings(CACHES=_caches(render)), django_assert_num_queries(3):
        warm = api_client.get(LIST_URL)
    assert warm.content == cold.content == _uncached(api_client, LIST_URL)


def test_a_head_request_leaves_no_fragment_a_get_would_read(api_client, default_channel):
    _shirt([default_channel], title="P0")
    assert api_client.head(LIST_URL).status_code == 200
    assert api_client.get(LIST_URL).content == _uncached(api_client, LIST_URL)


# ---- the admin product list (the same fragments, its own shapes) ----

ADMIN_LIST_URL = "/api/admin/products"


def test_a_warm_admin_page_costs_its_count_and_its_rows(
    admin_api_client, default_channel, django_assert_num_queries
):
    for n in range(4):
        _shirt([default_channel], title=f"P{n}", sizes=("S", "M"))
    path = f"{ADMIN_LIST_URL}?sales_channel_id[]={default_channel.pk}&limit=3"
    # cold: as pinned in test_admin_products.py: the count, the page, the misses (JSON_BUILT:
    # their JSON built by PostgreSQL, else their rows and 8 relations); and the listings version
    # first where the count is cached (COUNTS_KEPT)
    with django_assert_num_queries((2 if COUNTS_KEPT else 3) + (1 if JSON_BUILT else 9)):
        cold = admin_api_client.get(path)
    # warm: 1 = the kept count (else the listings version, the count from the cache); 2 = the
    # page's ids and versions
    with django_assert_num_queries(2):
        warm = admin_api_client.get(path)
    assert warm.content == cold.content == _uncached(admin_api_client, path)
    assert len(warm.json()["products"]) == 3


def test_a_scoped_user_never_reads_an_unscoped_users_fragments(admin_api_client):
    shop = scope_shop_create()
    clerk = token_client(shop.clerk)
    path = f"{ADMIN_LIST_URL}?expand=sales_channels,channel_listings"
    everyone = admin_api_client.get(path)
    scoped = clerk.get(path)

    def channels(response) -> dict[str, list[str]]:
        return {
            p["title"]: sorted(c["name"] for c in p["sales_channels"])
            for p in response.json()["products"]
        }

    assert channels(everyone)["A and B"] == ["B2B B", "Web A"]
    assert channels(scoped)["A and B"] == ["Web A"]
    assert scoped.content == _uncached(clerk, path)
    assert (
        admin_api_client.get(path).content == everyone.content == _uncached(admin_api_client, path)
    )


# ---- the channels' cached counts (catalog/api/counts.py) ----


def test_a_scheduled_listing_is_counted_at_its_second_with_a_warm_count(
    api_client, default_channel, django_assert_num_queries
):
    # given: two listed products and one whose listing opens at OPENS; the count cached before
    now = timezone.now().replace(microsecond=0)
    opens = now + timedelta(minutes=5)
    for n in range(2):
        _shirt([default_channel], title=f"P{n}")
    later = _shirt([default_channel], title="Later")
    listings_set(
        product_id=later.pk,
        listings=[ListingInput(later.pk, default_channel.pk, {"published_at": opens})],
    )
    with time_machine.travel(now, tick=False):
        assert api_client.get(LIST_URL).json()["count"] == 2

    # when / then: a second before, the cached count (no COUNT query: default channel, listings
    # version, page); at the second, counted again with the product in it
    with (
        time_machine.travel(opens - timedelta(seconds=1), tick=False),
        django_assert_num_queries(3),
    ):
        before = api_client.get(LIST_URL)
    with time_machine.travel(opens, tick=False):
        at = api_client.get(LIST_URL)
        uncached = _uncached(api_client, LIST_URL)
    assert before.json()["count"] == 2
    assert at.json()["count"] == 3
    assert at.content == uncached
    assert at.json()["products"][0]["title"] == "Later"


def test_a_write_that_cannot_change_listings_keeps_the_count_and_one_that_can_does_not(
    api_client, default_channel, django_assert_num_queries
):
    shirts = [_shirt([default_channel], title=f"P{n}") for n in range(3)]
    api_client.get(LIST_URL)
    variant = shirts[0].variants.order_by("created_at", "id").first()

    variant_update(variant_id=variant.pk, inventory_quantity=3)  # stock: listings unchanged
    # default channel, listings version, page, its misses (MISSES)
    with django_assert_num_queries(3 + MISSES):
        assert api_client.get(LIST_URL).json()["count"] == 3

    product_update(product_id=shirts[1].pk, status="draft")  # one product fewer listed
    response = api_client.get(LIST_URL)
    assert response.json()["count"] == 2
    assert response.content == _uncached(api_client, LIST_URL)


@pytest.mark.postgres_only
def test_product_versions_are_stored_for_in_place_updates():
    """catalog.0012: half-full pages (a version bump stays on its page, a HOT update) and the
    primary key as the only index (a bump writes no index entry)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'catalog_productversion'")
        assert cursor.fetchone()[0] == ["fillfactor=50"]
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'catalog_productversion'"
        )
        assert [row[0] for row in cursor.fetchall()] == ["catalog_productversion_pkey"]


@pytest.mark.postgres_only
def test_the_next_scheduled_listing_is_one_probe_of_its_partial_index():
    """catalog.0013: `listed_changes_next` (run on each miss of a channel's cached count) reads
    `product_channel_scheduled_idx`, the links that have a `published_at`, instead of all the
    channel's links; PostgreSQL may use a partial index only where the query implies its
    condition, which this pins. The answer is the first moment still to come."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.listings import listed_changes_next
    from catalog.models import ProductSalesChannel
    from tests.catalog.factories import ProductFactory
    from tests.saleschannels.factories import SalesChannelFactory

    channel = SalesChannelFactory()
    now = timezone.now()
    products = [ProductFactory(sales_channels=[channel]) for _ in range(4)]
    moments = [now - timedelta(days=1), now + timedelta(hours=2), now + timedelta(hours=1), None]
    for product, moment in zip(products, moments, strict=True):
        ProductSalesChannel.objects.filter(product=product).update(published_at=moment)
    hidden = ProductFactory(sales_channels=[channel])  # sooner, but never listed
    ProductSalesChannel.objects.filter(product=hidden).update(
        published_at=now + timedelta(minutes=5), visible_in_listings=False
    )

    with CaptureQueriesContext(connection) as queries:
        assert listed_changes_next([channel.pk], now) == now + timedelta(hours=1)

    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: make the planner choose
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "product_channel_scheduled_idx" in plan, plan


@pytest.mark.postgres_only
def test_linking_products_to_a_channel_probes_each_pair_whatever_the_channel_holds():
    """The insert of `sales_channel_products_add` (and the delete of `_remove`) checks each id
    with one probe by product, planned without the channel's statistics: those said "one link" for a
    channel a job was filling (or had emptied), and each id was compared with every link of the
    channel (10.4 s for 1,000 ids at 96,000 links). Here the link table is analyzed while the
    channel is empty, then the channel fills: the plan still probes per id."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog import services
    from catalog.models import ProductSalesChannel
    from tests.catalog.factories import ProductFactory
    from tests.saleschannels.factories import SalesChannelFactory

    channel, other = SalesChannelFactory(), SalesChannelFactory()
    products = [ProductFactory(sales_channels=[other]) for _ in range(60)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_productsaleschannel")
    services.sales_channel_products_add(
        channel_id=channel.pk, product_ids=[p.pk for p in products[:50]]
    )

    with CaptureQueriesContext(connection) as queries:
        services.sales_channel_products_add(
            channel_id=channel.pk, product_ids=[p.pk for p in products[40:]]
        )
        services.sales_channel_products_remove(
            channel_id=channel.pk, product_ids=[p.pk for p in products[:5]]
        )

    assert ProductSalesChannel.objects.filter(sales_channel=channel).count() == 55
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(
            (
                'INSERT INTO "catalog_productsaleschannel"',
                'DELETE FROM "catalog_productsaleschannel"',
            )
        )
    ]
    assert len(statements) == 2, statements
    plans = []
    for statement in statements:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # few rows: make the planner choose
            cursor.execute("EXPLAIN " + statement)
            plans.append(re.sub(r"[()]|::text", "", "\n".join(row[0] for row in cursor.fetchall())))
    insert, delete = plans
    # Both see the channel as a parameter ($0), never its value: casts and parentheses aside,
    # `((sales_channel_id)::text = $0)`. The insert probes each id by product in the (product,
    # channel) unique index, the channel an expression no index answers (catalog.services
    # `_channel_links_insert`), so never through the channel's own index.
    assert re.search(r"sales_channel_id = \$\d", delete), delete
    assert "Materialize" not in insert, insert
    probe = [line for line in insert.splitlines() if "Index Cond:" in line and "p.id" in line]
    assert probe, insert
    assert probe[0].strip() == "Index Cond: product_id = p.id", insert
    assert "product_sales_channel_unique" in insert, insert
    assert "product_channel_newest_idx" not in insert, insert
    assert re.search(r"sales_channel_id \|\| '' = \$\d", insert), insert


def test_a_row_gone_before_it_is_rendered_is_left_out_and_not_kept():
    # The page's ids and versions are one query, the misses' rows another: a product deleted
    # in between renders as None (catalog.api.store.views), and the page leaves it out.
    rows = [SimpleNamespace(pk="prod_a"), SimpleNamespace(pk="prod_b")]
    asked: list[list[str]] = []

    def page(gone: set[str]) -> list[dict]:
        def render(misses):
            asked.append([row.pk for row in misses])
            return [None if row.pk in gone else {"id": row.pk} for row in misses]

        out = rendered_rows(rows, kind="test", shape="s", version=lambda row: 1, render=render)
        return orjson.loads(orjson.dumps(out))

    assert page(gone={"prod_b"}) == [{"id": "prod_a"}]
    assert page(gone=set()) == [{"id": "prod_a"}, {"id": "prod_b"}]
    assert asked == [["prod_a", "prod_b"], ["prod_b"]]  # the gone row was not kept
