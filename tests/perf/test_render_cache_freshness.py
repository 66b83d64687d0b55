"""Property-based: a store or admin product list served from the render cache is never stale.

Hypothesis interleaves random writes through the services (every kind that changes what a
product's JSON shows or which products a list holds: the product, its status, channels, images,
variants, prices, stock, collection, categories, a channel's name, a batch removal, a deletion,
a listing, a stock location linked or unlinked, a location's stock level, a new product, a
channel's deletion) with reads of several list shapes (store: default channel, one channel,
every relation expanded, a region's prices, a field list; admin: its defaults, one channel with
every relation, a field list). Every read is sent twice: once as the API serves it (the render
cache warm with whatever earlier reads left in it, fragments and counts) and once with the cache
switched off (Django's DummyCache); the two answers must be the same bytes.

The render cache is the test settings' (`TEST_RENDER_CACHE_URL`: local memory by default, the
machine's Redis in CI), so this runs on both, and on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from catalog import services
from catalog.models import ProductStatus, ProductVariant
from catalog.services import PriceInput, VariantInput
from commerce.api.fragments import CACHE_ALIAS
from commerce.exceptions import CommerceError
from inventory import services as stock
from inventory.models import InventoryLevel
from saleschannels import services as channel_services
from saleschannels.selectors import default_sales_channel_get
from tests.commerce.factories import RegionFactory, StaffUserFactory
from tests.render_cache import render_cache_cold

pytestmark = pytest.mark.django_db

PRODUCTS = 4
NAMES = st.sampled_from(["Alpha", "Beta", "Gamma", "Café", "Δelta"])
INDEX = st.integers(0, PRODUCTS - 1)

WRITES = st.one_of(
    st.tuples(st.just("title"), INDEX, NAMES),
    st.tuples(st.just("status"), INDEX, st.sampled_from([ProductStatus.PUBLISHED, "draft"])),
    st.tuples(st.just("channels"), INDEX, st.sets(st.integers(0, 2))),
    st.tuples(st.just("images"), INDEX, st.integers(0, 2)),
    st.tuples(st.just("stock"), INDEX, st.integers(0, 50)),
    st.tuples(st.just("price"), INDEX, st.integers(1, 9999)),
    st.tuples(st.just("variant_add"), INDEX, NAMES),
    st.tuples(st.just("variant_delete"), INDEX),
    st.tuples(st.just("collection_add"), INDEX),
    st.tuples(st.just("collection_title"), NAMES),
    st.tuples(st.just("category_add"), INDEX),
    st.tuples(st.just("category_name"), NAMES),
    st.tuples(st.just("channel_name"), NAMES),
    st.tuples(st.just("batch_remove"), INDEX),
    st.tuples(st.just("delete"), INDEX),
    st.tuples(st.just("listing"), INDEX, st.booleans()),
    st.tuples(st.just("location_link"), st.booleans()),
    st.tuples(st.just("level"), INDEX, st.integers(0, 50)),
    st.tuples(st.just("create"), st.sets(st.integers(0, 2))),
    st.tuples(st.just("channel_delete"), st.integers(1, 2)),
)
READS = st.tuples(st.just("read"), st.integers(0, 7))
# Each step a write, then a read; a read is sometimes doubled (a warm hit on an unchanged page).
STEPS = st.lists(st.one_of(st.tuples(WRITES, READS), st.tuples(READS, READS)), max_size=8)


def _world():
    default = default_sales_channel_get()
    ch1 = channel_services.sales_channel_create(name="One")
    ch2 = channel_services.sales_channel_create(name="Two")
    region = RegionFactory(currency_code="usd", tax_rate=10)
    collection = services.collection_create(title="Summer")
    category = services.category_create(name="Shirts", is_active=True, is_internal=False)
    products = [
        services.product_create(
            title=f"Product {n}",
            status=ProductStatus.PUBLISHED,
            options=["Size"],
            variants=[
                VariantInput(
                    title=size,
                    inventory_quantity=10,
                    prices=[PriceInput("usd", 1000 + n)],
                    option_values=[size],
                )
                for size in ("S", "M")
            ],
            sales_channel_ids=[default.pk, ch1.pk],
        )
        for n in range(PRODUCTS)
    ]
    return {
        "channels": [default, ch1, ch2],
        "region": region,
        "collection": collection,
        "category": category,
        "products": products,
    }


def _paths(w) -> list[str]:
    ch1, region = w["channels"][1].pk, w["region"].pk
    return [
        "/api/store/products",
        f"/api/store/products?sales_channel_id[]={ch1}&limit=3",
        f"/api/store/products?sales_channel_id[]={ch1}"
        "&expand=variants,variants.prices,options,categories,sales_channels,collection,images",
        f"/api/store/products?region_id={region}&limit=2&offset=1",
        "/api/store/products?fields=title,handle&expand=variants",
        "/api/admin/products",
        f"/api/admin/products?sales_channel_id[]={ch1}&expand=variants,variants.prices,"
        "variants.options,options,options.values,categories,sales_channels,channel_listings,"
        "collection,images,tags,type",
        "/api/admin/products?fields=title,status&expand=variants&limit=3",
    ]


class _Reader:
    """Reads the store as a shopper and the admin API as a staff user."""

    def __init__(self) -> None:
        self.shopper, self.staff = APIClient(), APIClient()
        self.staff.force_authenticate(user=StaffUserFactory())

    def get(self, path: str):
        return (self.staff if path.startswith("/api/admin/") else self.shopper).get(path)


def _write(w, step) -> None:
    kind, *args = step
    products, channels = w["products"], w["channels"]
    product = products[args[0]] if args and isinstance(args[0], int) and kind != "status" else None
    if kind == "status":
        product = products[args[0]]
    live_variants = (
        list(ProductVariant.objects.filter(product=product).order_by("created_at", "id"))
        if product is not None
        else []
    )
    try:
        if kind == "title":
            services.product_update(product_id=product.pk, title=args[1])
        elif kind == "status":
            services.product_update(product_id=product.pk, status=args[1])
        elif kind == "channels":
            services.product_update(
                product_id=product.pk, sales_channel_ids=[channels[i].pk for i in sorted(args[1])]
            )
        elif kind == "images":
            urls = [f"https://img.example/{product.pk}/{i}.png" for i in range(args[1])]
            services.product_update(product_id=product.pk, images=urls)
        elif kind == "stock" and live_variants:
            services.variant_update(variant_id=live_variants[0].pk, inventory_quantity=args[1])
        elif kind == "price" and live_variants:
            services.variant_update(
                variant_id=live_variants[-1].pk, prices=[PriceInput("usd", args[1])]
            )
        elif kind == "variant_add":
            services.variant_create(
                product_id=product.pk,
                variant=VariantInput(
                    title=args[1], prices=[PriceInput("usd", 5)], option_values=["L"]
                ),
            )
        elif kind == "variant_delete" and live_variants:
            services.variant_delete(variant_id=live_variants[-1].pk)
        elif kind == "collection_add":
            services.collection_products_add(
                collection_id=w["collection"].pk, product_ids=[product.pk]
            )
        elif kind == "collection_title":
            services.collection_update(collection_id=w["collection"].pk, title=args[0])
        elif kind == "category_add":
            services.category_products_add(category_id=w["category"].pk, product_ids=[product.pk])
        elif kind == "category_name":
            services.category_update(category_id=w["category"].pk, name=args[0])
        elif kind == "channel_name":
            channel_services.sales_channel_update(channel_id=channels[1].pk, name=args[0])
        elif kind == "batch_remove":
            services.sales_channel_products_remove(
                channel_id=channels[1].pk, product_ids=[product.pk]
            )
        elif kind == "delete":
            services.product_delete(product_id=product.pk)
        elif kind == "listing":  # per-channel listings (issue 19): in the list query, not the JSON
            services.product_channel_listings_set(
                product_id=product.pk,
                listings=[
                    services.ListingInput(product.pk, channels[2].pk, {"is_published": args[1]})
                ],
            )
        elif kind == "location_link":  # the channel sells from the depot, or no longer
            depot = _depot(w)
            if args[0]:
                stock.sales_channel_location_add(channel_id=channels[1].pk, location_id=depot)
            else:
                stock.sales_channel_location_remove(channel_id=channels[1].pk, location_id=depot)
        elif kind == "create":  # a new product, listed in the channels named
            services.product_create(
                title="New",
                status=ProductStatus.PUBLISHED,
                sales_channel_ids=[channels[i].pk for i in sorted(args[0])],
            )
        elif kind == "channel_delete":  # a channel's products leave its lists and counts
            channel_services.sales_channel_delete(channel_id=channels[args[0]].pk)
        elif kind == "level" and live_variants:  # the depot's stock of one variant
            depot = _depot(w)
            item = stock.inventory_item_for_variant(variant_id=live_variants[0].pk)
            if InventoryLevel.objects.filter(inventory_item=item, location_id=depot).exists():
                stock.inventory_level_update(
                    item_id=item.pk, location_id=depot, stocked_quantity=args[1]
                )
            else:
                stock.inventory_level_create(
                    item_id=item.pk, location_id=depot, stocked_quantity=args[1]
                )
    except CommerceError:  # a refused write (e.g. on a deleted product) changes nothing
        pass


def _depot(w) -> str:
    """The one stock location (issue 20), made on first use: stock moves from variants to levels."""
    if "depot" not in w:
        w["depot"] = stock.stock_location_create(name="Depot").pk
    return w["depot"]


def _uncached_get(client: _Reader, path: str) -> bytes:
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        CACHE_ALIAS: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    with override_settings(CACHES=caches):
        return client.get(path).content


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_every_cached_list_is_byte_for_byte_the_uncached_one(steps):
    client = _Reader()
    # Each example is rolled back, listings version included: a fresh cache, so no example
    # reads a count an earlier one cached under the same version (its channels' ids aside,
    # the default channel is the same in every example).
    render_cache_cold()
    with transaction.atomic():
        w = _world()
        paths = _paths(w)
        for path in paths:  # fill the cache with the first versions
            client.get(path)
        for step in (step for pair in steps for step in pair):
            if step[0] == "read":
                path = paths[step[1]]
                cached = client.get(path)
                assert cached.status_code == 200
                assert cached.content == _uncached_get(client, path), (path, steps)
            else:
                _write(w, step)
        for path in paths:  # and after the last write, every shape
            assert client.get(path).content == _uncached_get(client, path), (path, steps)
        transaction.set_rollback(True)


# One of each write kind, so that every kind is checked on every run (the property test above
# draws them at random).
EACH_WRITE = [
    ("title", 0, "Beta"),
    ("status", 0, "draft"),
    ("channels", 0, {1, 2}),
    ("images", 0, 2),
    ("stock", 0, 3),
    ("price", 0, 77),
    ("variant_add", 0, "Gamma"),
    ("variant_delete", 0),
    ("collection_add", 1),
    ("collection_title", "Winter"),
    ("category_add", 1),
    ("category_name", "Tees"),
    ("channel_name", "Renamed"),
    ("batch_remove", 0),
    ("delete", 0),
    ("listing", 0, False),
    ("location_link", True),
    ("level", 0, 7),
    ("create", {0, 1}),
    ("channel_delete", 1),
]


@pytest.mark.parametrize("step", EACH_WRITE, ids=[step[0] for step in EACH_WRITE])
def test_each_kind_of_write_is_seen_at_once_by_every_shape(step):
    # given: every list shape rendered and cached, with the product in the collection and the
    # category already (so renaming those shows on it)
    client = _Reader()
    w = _world()
    _write(w, ("collection_add", 0))
    _write(w, ("category_add", 0))
    paths = _paths(w)
    before = {path: client.get(path).content for path in paths}

    # when
    _write(w, step)

    # then: each shape answers what an uncached read answers, and the write showed somewhere
    after = {path: client.get(path).content for path in paths}
    for path in paths:
        assert after[path] == _uncached_get(client, path), path
    assert after != before
