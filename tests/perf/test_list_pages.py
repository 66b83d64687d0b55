"""The store product list's pages and counts (issue 7).

Deep pages (offset 200 and more, on PostgreSQL) read the page's ids and the count in one pass
over the matching rows (commerce.api.pagination); channel lists without other filters count
from the links' side (catalog.selectors.product_count_in_channels). Rows, counts and query
counts must be exactly those of the plain way.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import Product, ProductSalesChannel, ProductStatus
from catalog.selectors import StoreReading, product_count_in_channels, product_qs_for_store
from catalog.services import product_delete
from commerce.api.pagination import SINGLE_PASS_MIN_OFFSET
from tests.carts.api.store_helpers import product
from tests.catalog.factories import products_across_channels
from tests.helpers import COUNTS_KEPT, MISSES

pytestmark = pytest.mark.django_db

LIST_URL = "/api/store/products"
TOTAL = SINGLE_PASS_MIN_OFFSET + 10


@pytest.fixture
def catalogue(default_channel):
    """TOTAL published products of the default channel, oldest first, and a few drafts.

    The three newest and the three oldest have an option, a variant and prices, so a page of
    either end runs the same prefetch queries.
    """
    start = timezone.now() - timedelta(days=1)
    rows = Product.objects.bulk_create(
        Product(
            title=f"Bulk {n:03d}",
            handle=f"bulk-{n:03d}",
            status=ProductStatus.PUBLISHED,
            created_at=start + timedelta(seconds=n),
        )
        for n in range(3, TOTAL - 3)
    )
    drafts = Product.objects.bulk_create(
        Product(title=f"Draft {n}", handle=f"draft-{n}", status=ProductStatus.DRAFT)
        for n in range(3)
    )
    ProductSalesChannel.objects.bulk_create(
        ProductSalesChannel(product=row, sales_channel=default_channel) for row in rows + drafts
    )
    for n in (0, 1, 2, TOTAL - 3, TOTAL - 2, TOTAL - 1):
        made = product(f"Full {n:03d}", [default_channel])
        # A product's created_at never changes outside tests; its links carry a copy.
        created = start + timedelta(seconds=n)
        Product.objects.filter(pk=made.pk).update(created_at=created)
        ProductSalesChannel.objects.filter(product=made).update(product_created_at=created)
    return list(
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )


def test_a_deep_page_costs_a_fixed_number_of_queries_as_the_first(
    api_client, catalogue, django_assert_num_queries
):
    # 1 = the default channel; then, where the counts are kept (COUNTS_KEPT), 2 = the kept count,
    # 3 = the listings version (for the deep page's cached ids); the first page: its ids and
    # versions; the deep page: its ids and versions, read by walking the channel's links in
    # order (their ids cached then), and the next scheduled listing (how long they keep).
    # Where the counts are not kept: 2 = the listings version; the first page: 3-4 = the count
    # (from the links) and the next scheduled listing (both cached then), 5 = the page's ids
    # and versions; the deep page: 3 = its ids and versions by the walk, 4 = the next scheduled
    # listing. Then the render cache's misses (MISSES: their JSON built by PostgreSQL, else their
    # rows with their collection and type; images, tags; options; variants, their option values
    # (the options' values too) and prices)
    with django_assert_num_queries((3 if COUNTS_KEPT else 5) + MISSES) as shallow:
        first = api_client.get(f"{LIST_URL}?limit=3")
    with django_assert_num_queries((5 if COUNTS_KEPT else 4) + MISSES) as captured:
        deep = api_client.get(f"{LIST_URL}?limit=3&offset={TOTAL - 3}")
    page_sql = captured.captured_queries[3 if COUNTS_KEPT else 2]["sql"]
    assert "product_created_at" in page_sql
    assert "WITH m AS MATERIALIZED" not in page_sql
    assert "product_created_at" not in shallow.captured_queries[2 if COUNTS_KEPT else 4]["sql"]
    assert [p["id"] for p in first.json()["products"]] == catalogue[:3]
    assert [p["id"] for p in deep.json()["products"]] == catalogue[-3:]
    assert (first.json()["count"], deep.json()["count"]) == (TOTAL, TOTAL)
    assert [len(p["variants"]) for p in deep.json()["products"]] == [1, 1, 1]


@pytest.mark.parametrize(
    ("offset", "limit"), [(0, 3), (0, 20), (1, 7), (SINGLE_PASS_MIN_OFFSET - 3, 10), (TOTAL - 2, 5)]
)
def test_a_shallow_page_of_a_channel_is_the_slice_of_the_whole_list(
    api_client, catalogue, default_channel, offset, limit
):
    # A channel alone, newest first: the page's ids and versions are read on SQL written once
    # per (offset, limit) (`catalog.selectors._listed_page_query`); twice, the second time from
    # that SQL, with the channel named and not.
    for path in (
        f"{LIST_URL}?limit={limit}&offset={offset}&expand=",
        f"{LIST_URL}?sales_channel_id[]={default_channel.pk}&offset={offset}&limit={limit}",
    ):
        for _ in range(2):
            response = api_client.get(path)
            assert response.status_code == 200
            assert [p["id"] for p in response.json()["products"]] == catalogue[
                offset : offset + limit
            ]
            assert response.json()["count"] == TOTAL


def test_a_warm_deep_page_costs_the_first_pages_queries_and_its_ids_key(
    api_client, catalogue, django_assert_num_queries
):
    # Warm (every product's JSON in the render cache, the deep page's ids too): 1 = the default
    # channel; 2 = the kept count, and for the deep page 3 = the listings version its cached ids
    # are kept under (where the counts are kept the deep page reads it alone: one query more) (where the counts are not kept: 2 = the listings version, the count from
    # the cache); last, the page's rows and versions. No relation is loaded, and no link
    # walked, for a page served from the cache.
    paths = [f"{LIST_URL}?limit=3", f"{LIST_URL}?limit=3&offset={TOTAL - 3}"]
    cold = [api_client.get(path).content for path in paths]
    for path, expected, queries in zip(paths, cold, (3, 4 if COUNTS_KEPT else 3), strict=True):
        with django_assert_num_queries(queries):
            assert api_client.get(path).content == expected


@pytest.mark.parametrize("order", ["-created_at", "created_at", "title", "-title", "handle", "id"])
def test_a_deep_page_is_the_slice_of_the_whole_list(
    api_client, catalogue, order, django_assert_num_queries
):
    offset = SINGLE_PASS_MIN_OFFSET + 1
    expected = list(
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .order_by(order, "-id" if order.startswith("-") else "id")
        .values_list("pk", flat=True)[offset : offset + 4]
    )
    # Other orders than the default read their ids and count in one pass on PostgreSQL (1 = the
    # default channel, 2 = the ids and the count, 3 = the ids and versions), or count the
    # products and read the page elsewhere: the same number. The default order walks the
    # channel's links: 1 = the default channel, 2 = the listings version, 3-4 = the count and
    # the next scheduled listing (cold), 5 = the page's ids and versions, read by walking the
    # links (their ids cached then); where the counts are kept (COUNTS_KEPT), 2 = the kept
    # count, 3 = the listings version, 4 = the walk, 5 = the next scheduled listing: the same
    # number. Last, the rows of the render cache's misses.
    walked = order == "-created_at"
    with django_assert_num_queries(6 if walked else 4) as captured:
        response = api_client.get(f"{LIST_URL}?limit=4&offset={offset}&order={order}&expand=")
    single_pass = "WITH m AS MATERIALIZED" in captured.captured_queries[1]["sql"]
    assert single_pass is (connection.vendor == "postgresql" and not walked)
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["products"]] == expected
    assert (response.json()["count"], response.json()["offset"]) == (TOTAL, offset)


@pytest.mark.parametrize("offset", [TOTAL, TOTAL + 100, 10**30])  # 10**30: past SQL's bigint
def test_a_page_past_the_end_is_empty_with_the_exact_count(
    api_client, catalogue, offset, django_assert_num_queries
):
    # 1 = the default channel; 2 = the kept count (where not kept, COUNTS_KEPT: the listings
    # version, the count and the next scheduled listing); and no ids
    with django_assert_num_queries(2 if COUNTS_KEPT else 4):
        response = api_client.get(f"{LIST_URL}?limit=5&offset={offset}")
    assert response.status_code == 200
    assert response.json() == {"products": [], "count": TOTAL, "offset": offset, "limit": 5}


def test_a_deep_page_keeps_the_filters(api_client, catalogue):
    response = api_client.get(f"{LIST_URL}?limit=50&offset={SINGLE_PASS_MIN_OFFSET}&q=Full")
    assert response.json() == {
        "products": [],
        "count": 6,
        "offset": SINGLE_PASS_MIN_OFFSET,
        "limit": 50,
    }


@pytest.fixture
def two_channels(default_channel):
    return products_across_channels()


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("web",), 5),
        (("app",), 6),
        (("web", "app"), 9),
        (("web", "app", "gone"), 9),
        (("gone",), 0),
    ],
)
def test_the_channel_count_is_the_list_count(api_client, two_channels, names, expected):
    ids = [two_channels[name].pk for name in names]
    query = "&".join(f"sales_channel_id[]={channel_id}" for channel_id in ids)
    # given: the selector's count, the queryset's count and the API's count
    counted = product_count_in_channels(channel_ids=ids)
    reading = StoreReading(channel_ids=ids, relations=set(), prices=None)
    listed = product_qs_for_store(reading=reading).count()
    response = api_client.get(f"{LIST_URL}?{query}&limit=50&expand=")
    # then: all the same, and the page has them all
    assert (counted, listed, response.json()["count"]) == (expected, expected, expected)
    assert len(response.json()["products"]) == expected


def test_a_filtered_list_counts_with_its_filter(api_client, two_channels):
    web = two_channels["web"]
    first = Product.objects.filter(channel_links__sales_channel=web).order_by("created_at").first()
    response = api_client.get(f"{LIST_URL}?sales_channel_id={web.pk}&id[]={first.pk}")
    assert (response.json()["count"], len(response.json()["products"])) == (1, 1)


def test_a_deep_page_breaks_created_at_ties_by_id_like_the_first(api_client, default_channel):
    same = timezone.now() - timedelta(hours=1)
    rows = Product.objects.bulk_create(
        Product(
            title=f"Tie {n:03d}",
            handle=f"tie-{n:03d}",
            status=ProductStatus.PUBLISHED,
            created_at=same,
        )
        for n in range(SINGLE_PASS_MIN_OFFSET + 20)
    )
    ProductSalesChannel.objects.bulk_create(
        ProductSalesChannel(product=row, sales_channel=default_channel) for row in rows
    )
    expected = sorted((row.pk for row in rows), reverse=True)  # created_at equal: id DESC
    offset = SINGLE_PASS_MIN_OFFSET + 5
    deep = api_client.get(f"{LIST_URL}?limit=10&offset={offset}&expand=")
    assert deep.status_code == 200
    assert [p["id"] for p in deep.json()["products"]] == expected[offset : offset + 10]
    assert deep.json()["count"] == len(rows)


def test_a_deep_page_skips_unlisted_products_of_the_channel(api_client, catalogue):
    hidden = catalogue[SINGLE_PASS_MIN_OFFSET + 1]
    product_delete(product_id=hidden)
    offset = SINGLE_PASS_MIN_OFFSET
    deep = api_client.get(f"{LIST_URL}?limit=5&offset={offset}&expand=")
    listed = [pk for pk in catalogue if pk != hidden]
    assert [p["id"] for p in deep.json()["products"]] == listed[offset : offset + 5]
    assert deep.json()["count"] == TOTAL - 1


def test_a_cached_deep_page_moves_at_once_with_a_write_that_changes_the_listing(
    api_client, catalogue
):
    # given: a deep page read, so its ids and the count are cached
    offset = SINGLE_PASS_MIN_OFFSET
    path = f"{LIST_URL}?limit=5&offset={offset}&expand="
    before = api_client.get(path).json()
    assert [p["id"] for p in before["products"]] == catalogue[offset : offset + 5]

    # when: the newest product leaves the list (every later page moves up by one)
    product_delete(product_id=catalogue[0])

    # then
    after = api_client.get(path).json()
    assert [p["id"] for p in after["products"]] == catalogue[offset + 1 : offset + 6]
    assert after["count"] == TOTAL - 1
