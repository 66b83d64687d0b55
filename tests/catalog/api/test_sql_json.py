"""Store product JSON built by PostgreSQL (commerce.api.sql_json) is the serializers', byte for byte.

Every response is asked for twice, the render cache cold each time: with the JSON built by the
database, and rendered in Python from the loaded rows. The catalogue has what the compiler
must print exactly: nulls, stored JSON of every kind, text that JSON escapes, soft-deleted
relations, media paths joined to the host and the ones only Python may print, regional and
tiered prices and taxes that round half up, per-channel stock, several channels.
"""

import json
from decimal import Decimal

import orjson
import pytest
from django.db import connection
from rest_framework.test import APIClient

from catalog.models import Price, Product, ProductCollection, ProductStatus, ProductVariant
from catalog.services import (
    PriceInput,
    TagInput,
    VariantInput,
    category_create,
    collection_create,
    product_create,
    variant_delete,
)
from commerce.api import sql_json
from commerce.services import user_create
from inventory.models import InventoryItem
from inventory.services import (
    inventory_level_create,
    sales_channel_location_add,
    stock_location_create,
)
from saleschannels.services import sales_channel_delete, staff_scope_set
from tests.commerce.factories import RegionFactory
from tests.helpers import generated_catalogue
from tests.render_cache import render_cache_cold
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL builds the JSON"
)

LIST_URL = "/api/store/products"
ODD_TEXT = 'quote " backslash \\ newline \n tab \t bell \x07 del \x7f é 日本 🛒 \u2028 </script>'
METADATA = {
    "nested": {"list": [1, 2.5, None, True, "x"], "empty": {}},
    "float": 1.5,
    "tiny": 1e-07,
    "big": 12345678901234567890.0,
    "negative": -3,
    "text": ODD_TEXT,
    ODD_TEXT: "key",
}

# Stored JSON SQL prints itself (no float, no integer near 64 bits): separators inside strings.
COMPACT_METADATA = {
    "a, b": "c: d",
    "n": [1, -2, 123456789012345678, {"x": 'y, z\\", "e": ""', "e": ""}],
    "u": "日本, 🛒: ok",
    "t": True,
    "f": None,
    "": {},
}
# The same without a null: PostgreSQL compacts it another way (json_strip_nulls).
NO_NULL_METADATA = {key: value for key, value in COMPACT_METADATA.items() if value is not None}


def _variant(product_handle: str, title: str, *, values: list[str], prices=()) -> VariantInput:
    return VariantInput(
        title=title,
        sku=f"{product_handle}-{title}",
        inventory_quantity=5,
        option_values=values,
        prices=prices,
        metadata={"title": title} if title.startswith("M") else None,
    )


@pytest.fixture
def shop(default_channel):
    generated_catalogue(products=12, channels=2, variants=3, orders=0)
    web = SalesChannelFactory(name="Web", metadata=METADATA)  # a float: sent to Python
    closed = SalesChannelFactory(name="Closed")
    taxed = RegionFactory(currency_code="eur", tax_rate=Decimal("12.5"))
    untaxed = RegionFactory(currency_code="usd", tax_rate=Decimal("0"))
    summer = collection_create(title="Summer", metadata=METADATA)
    active = category_create(name="Shown", is_active=True)
    hidden = category_create(name="Hidden", is_active=True, is_internal=True)
    handle = "odd"
    odd = product_create(
        title=ODD_TEXT,
        handle=handle,
        subtitle="",
        description=ODD_TEXT,
        status=ProductStatus.PUBLISHED,
        thumbnail="/media/products/a b.png",  # a space: Python quotes it
        collection_id=summer.pk,
        metadata=METADATA,
        options=["Size", "Colour"],
        variants=[
            _variant(
                handle,
                "S",
                values=["S", "Red"],
                prices=[PriceInput("eur", 10), PriceInput("eur", 9, region_id=taxed.pk)],
            ),
            _variant(handle, "M", values=["M", "Red"], prices=[PriceInput("usd", 2201)]),
            _variant(handle, "L", values=["L", "Blue"], prices=[PriceInput("eur", 30)]),
        ],
        sales_channel_ids=[default_channel.pk, web.pk, closed.pk],
        images=[
            "/media/products/one.png",
            "https://cdn.example.com/two.png",
            "//cdn.example.com/three.png",
            "/media/./four.png",
            "/media/ünï.png",
        ],
        tags=[TagInput(value="b-tag"), TagInput(value="a-tag")],
        type=TagInput(value="Shirts"),
        category_ids=[active.pk, hidden.pk],
        physical={"weight": 200, "material": "Linen", "origin_country": "fr"},
    )
    variants = list(odd.variants.order_by("variant_rank", "created_at", "id"))
    variant_delete(variant_id=variants[2].pk)  # its option values leave the options' values
    Price.objects.create(variant=variants[0], currency_code="eur", amount=1, min_quantity=10)
    plain = product_create(
        title="Plain",
        status=ProductStatus.PUBLISHED,
        thumbnail="https://cdn.example.com/plain.png",
        sales_channel_ids=[default_channel.pk],
    )
    product_create(
        title="Half",
        status=ProductStatus.PUBLISHED,
        metadata=COMPACT_METADATA,
        variants=[VariantInput(title="One", sku="half-1", prices=[PriceInput("eur", 4)])],
        sales_channel_ids=[default_channel.pk],
    )
    product_create(
        title="Quarter",
        status=ProductStatus.PUBLISHED,
        metadata=NO_NULL_METADATA,
        sales_channel_ids=[default_channel.pk],
    )
    gone = collection_create(title="Gone")
    Product.objects.filter(pk=plain.pk).update(collection_id=gone.pk)
    ProductCollection.objects.filter(pk=gone.pk).update(deleted_at=odd.created_at)  # id kept
    sales_channel_delete(channel_id=closed.pk)  # its link stays; no page shows it
    house = stock_location_create(name="House")
    sales_channel_location_add(channel_id=default_channel.pk, location_id=house.pk)
    for n, item in enumerate(InventoryItem.objects.filter(variant__product=odd)):
        inventory_level_create(item_id=item.pk, location_id=house.pk, stocked_quantity=n + 3)
    key = PublishableApiKeyFactory(sales_channels=[web, default_channel])
    return {
        "web": web.pk,
        "default": default_channel.pk,
        "taxed": taxed.pk,
        "untaxed": untaxed.pk,
        "collection": summer.pk,
        "key": key.pk,
        "generated": [
            c.pk
            for c in SalesChannelFactory._meta.model.objects.exclude(
                pk__in=[web.pk, default_channel.pk]
            )
        ],
    }


PATHS = [
    "{list}",
    "{list}?limit=3&offset=1",
    "{list}?region_id={taxed}",
    "{list}?region_id={untaxed}",
    "{list}?currency_code=EUR",
    "{list}?sales_channel_id[]={web}&sales_channel_id[]={default}",
    "{list}?sales_channel_id[]={generated0}&limit=5",
    "{list}?sales_channel_id[]={generated0}&sales_channel_id[]={generated1}&region_id={taxed}",
    "{list}?expand=variants,variants.prices,options,images,tags,type,categories,collection,"
    "sales_channels",
    "{list}?expand=options",
    "{list}?expand=images,tags&fields=title,thumbnail,metadata",
    "{list}?fields=id",
    "{list}?collection_id[]={collection}&region_id={taxed}",
    "{list}?q=quote",
    "{list}?is_giftcard=false&order=title",
]


def _both(api_client, path: str, **headers) -> tuple[bytes, bytes]:
    render_cache_cold()
    built = api_client.get(path, **headers)
    sql_json.SQL_JSON = False
    try:
        render_cache_cold()
        rendered = api_client.get(path, **headers)
    finally:
        sql_json.SQL_JSON = True
    assert built.status_code == rendered.status_code == 200, built.content[:300]
    return built.content, rendered.content


def _format(path: str, shop) -> str:
    generated = {f"generated{n}": pk for n, pk in enumerate(shop["generated"])}
    return path.format(list=LIST_URL, **generated, **shop)


@postgresql
@pytest.mark.parametrize("path", PATHS)
def test_a_store_page_built_by_postgresql_is_the_serializers_byte_for_byte(api_client, shop, path):
    sql_json._SHAPES.clear()
    built, rendered = _both(api_client, _format(path, shop))

    assert built == rendered
    assert len(built) > 60
    assert sql_json._SHAPES  # compiled...
    assert all(sql_json._SHAPES.values())  # ...and built, not rendered in Python


ADMIN_PATHS = [
    "/api/admin/products",
    "/api/admin/products?sales_channel_id[]={default}&limit=5",
    "/api/admin/products?expand=variants,variants.prices,variants.options,options,"
    "options.values,images,tags,type,categories,collection,sales_channels,channel_listings",
    "/api/admin/products?expand=options&fields=title,metadata",
    "/api/admin/products?q=quote&expand=channel_listings,images",
]


@postgresql
@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_an_admin_page_built_by_postgresql_is_the_serializers_byte_for_byte(
    admin_api_client, shop, path
):
    sql_json._SHAPES.clear()
    built, rendered = _both(admin_api_client, _format(path, shop))

    assert built == rendered
    assert sql_json._SHAPES
    assert all(sql_json._SHAPES.values())


@postgresql
def test_a_scoped_staff_members_page_shows_their_channels_alike(shop):
    user = user_create(email="web@example.com", password="a-long-password", role="member")
    staff_scope_set(user_id=user.pk, sales_channel_ids=[shop["web"]])
    client = APIClient()
    client.force_authenticate(user=user)
    path = "/api/admin/products?q=quote&expand=sales_channels,channel_listings"
    sql_json._SHAPES.clear()
    built, rendered = _both(client, path)

    assert built == rendered
    assert all(sql_json._SHAPES.values())
    [product] = json.loads(built)["products"]
    assert [channel["id"] for channel in product["sales_channels"]] == [shop["web"]]


@postgresql
def test_each_host_gets_its_own_media_urls(api_client, shop, settings):
    settings.ALLOWED_HOSTS = ["testserver", "shop.example.com"]
    path = f"{LIST_URL}?q=quote&expand=images"
    for host in ("testserver", "shop.example.com", "testserver"):
        built, rendered = _both(api_client, path, HTTP_HOST=host)
        assert built == rendered
        assert f"http://{host}/media/products/one.png".encode() in built


@postgresql
def test_a_key_scoped_page_shows_the_channels_alike(api_client, shop):
    built, rendered = _both(api_client, LIST_URL, HTTP_X_PUBLISHABLE_API_KEY=shop["key"])

    assert built == rendered
    assert b'"sales_channels":[' in built


@postgresql
def test_media_paths_only_python_prints_are_sent_to_it(api_client, shop):
    built, rendered = _both(api_client, f"{LIST_URL}?q=quote&expand=images")

    assert built == rendered
    assert b"http://testserver/media/products/a%20b.png" in built  # quoted by Python
    assert b'"http://testserver/media/products/one.png"' in built  # joined by SQL
    assert b'"//cdn.example.com/three.png"' in built
    assert b"http://testserver/media/four.png" in built  # the dot segment resolved by Python
    assert sql_json._DEFERRED.encode() not in built


@postgresql
@pytest.mark.parametrize(
    ("title", "metadata"), [("Half", COMPACT_METADATA), ("Quarter", NO_NULL_METADATA)]
)
def test_stored_json_without_floats_is_printed_by_postgresql(api_client, shop, title, metadata):
    # with a null (compacted by a regular expression) and without (by json_strip_nulls)
    sql_json._SHAPES.clear()
    built, rendered = _both(api_client, f"{LIST_URL}?q={title}")

    assert built == rendered
    assert json.loads(built)["products"][0]["metadata"] == metadata
    # the row is the statement's text, written as it is (no value sent to Python)
    (shape,) = sql_json._SHAPES.values()
    product = Product.objects.get(title=title)
    assert isinstance(shape.render([product.pk], {})[product.pk], orjson.Fragment)


@postgresql
def test_stored_json_orjson_cannot_read_falls_back_to_python(api_client, shop):
    Product.objects.filter(title="Plain").update(metadata={"huge": 2**70})
    built, rendered = _both(api_client, f"{LIST_URL}?q=Plain")

    assert built == rendered
    assert str(2**70).encode() in built


@postgresql
def test_a_shape_with_a_field_without_a_twin_is_rendered_in_python(monkeypatch):
    from catalog.api.store.serializers import ProductSerializer

    compiling = sql_json.Compiling({"fields": None, "relations": set()}, {})
    serializer = ProductSerializer(context=compiling.context)
    monkeypatch.delattr(type(serializer.fields["thumbnail"]), "sql_json")

    with pytest.raises(sql_json.Unsupported):
        sql_json.object_json(serializer, Product.objects.all(), compiling)


@postgresql
def test_a_variant_with_no_price_in_the_selection_shows_null_prices(api_client, shop):
    odd = Product.objects.get(handle="odd")
    medium = ProductVariant.objects.get(product=odd, title="M")  # usd only
    built, rendered = _both(api_client, f"{LIST_URL}?q=quote&region_id={shop['taxed']}")

    assert built == rendered
    variant = next(
        v for p in json.loads(built)["products"] for v in p["variants"] if v["id"] == medium.pk
    )
    assert (variant["calculated_price"], variant["tax_rates"]) == (None, None)


@postgresql
def test_taxes_round_half_up_as_in_python(api_client, shop):
    # the regional price of 9 beats the general 10 (and the tiered 1) in the taxed region; 12.5 %
    # of 9 is 1.125: 1
    built, _ = _both(api_client, f"{LIST_URL}?q=quote&region_id={shop['taxed']}")

    small = next(
        v for p in json.loads(built)["products"] for v in p["variants"] if v["title"] == "S"
    )
    assert (small["calculated_price"], small["calculated_tax"]) == (9, 1)
    assert small["calculated_price_incl_tax"] == 10
    assert small["tax_rates"] == [{"rate": 12.5, "name": "default", "code": "default"}]
    # 12.5 % of 4 is 0.5: 1, half up
    built, rendered = _both(api_client, f"{LIST_URL}?q=Half&region_id={shop['taxed']}")
    assert built == rendered
    half = json.loads(built)["products"][0]["variants"][0]
    assert (half["calculated_price"], half["calculated_tax"]) == (4, 1)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite: rendered in Python")
def test_sqlite_renders_in_python(default_channel):
    def build():
        raise AssertionError("nothing is compiled on SQLite")

    assert sql_json.compiled(("any",), build, using="default") is None
