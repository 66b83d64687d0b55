"""The fast renderer (commerce.api.rendering) gives DRF's own output, byte for byte.

Whole API responses over a generated catalogue (products with options, variants, prices and
collections in several channels; orders with items, addresses, regions) are rendered twice:
with the fast path, and with every serializer going through DRF's Serializer.to_representation.
"""

import pytest

from catalog.models import Product
from commerce.api import rendering, sql_json
from commerce.models import Region
from orders.models import Order
from saleschannels.models import SalesChannel
from tests.helpers import generated_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(default_channel):
    generated_catalogue(products=40, channels=3, variants=3, orders=30)
    channel = SalesChannel.objects.exclude(pk=default_channel.pk).order_by("created_at").first()
    return {
        "channel": channel.pk,
        "region": Region.objects.order_by("created_at").first().pk,
        "order": Order.objects.order_by("created_at").first().pk,
        "product": Product.objects.filter(status="published").order_by("created_at").first().pk,
    }


PATHS = [
    "/api/store/products?sales_channel_id[]={channel}&limit=20",
    "/api/store/products?sales_channel_id[]={channel}&limit=5&offset=3&region_id={region}",
    "/api/store/products?sales_channel_id[]={channel}&limit=5&currency_code=eur"
    "&expand=variants,variants.prices,options,collection,sales_channels",
    "/api/store/products?sales_channel_id[]={channel}&limit=5&fields=title,handle",
    "/api/store/products/{product}?region_id={region}",
    "/api/store/variants?limit=10&sales_channel_id={channel}",
    "/api/store/regions",
    "/api/admin/products?sales_channel_id[]={channel}&limit=20",
    "/api/admin/products/{product}",
    "/api/admin/orders?sales_channel_id[]={channel}&limit=50",
    "/api/admin/orders?limit=5&expand=items,region&fields=email",
    "/api/admin/orders/{order}",
    "/api/admin/sales-channels?limit=50",
    "/api/admin/regions",
]


@pytest.mark.parametrize("path", PATHS)
def test_responses_are_drfs_byte_for_byte(admin_api_client, catalogue, monkeypatch, path):
    url = path.format(**catalogue)

    fast = admin_api_client.get(url)
    monkeypatch.setattr(rendering, "FAST_RENDERING", False)
    slow = admin_api_client.get(url)

    assert fast.status_code == 200, fast.content[:300]
    assert slow.status_code == 200
    assert fast.content == slow.content
    assert len(fast.content) > 100


def test_every_renderer_shape_was_generated(admin_api_client, catalogue, monkeypatch):
    # given: a response of every nested kind (columns, method fields, nested lists and objects),
    # rendered by serializers built for it (no tree kept from an earlier render: `serialize`)
    # (in Python: on PostgreSQL a store page's JSON is built by the database, commerce.api.sql_json)
    monkeypatch.setattr(sql_json, "SQL_JSON", False)
    rendering._RENDERERS_BY_SHAPE.clear()
    rendering._TREES.__dict__.clear()
    admin_api_client.get(PATHS[9].format(**catalogue))
    admin_api_client.get(PATHS[0].format(**catalogue))

    # then: the shapes rendered were compiled, not left to DRF
    models = {key[0].Meta.model.__name__ for key in rendering._RENDERERS_BY_SHAPE}
    assert {"Order", "OrderItem", "ProductVariant", "Product", "Region", "Price"} <= models
