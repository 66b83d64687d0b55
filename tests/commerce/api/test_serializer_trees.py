"""Serializer trees kept per thread (`commerce.api.rendering.serialize`) render each request's own JSON.

A tree is built once per thread and shape and given each render's context. What fields read
while rendering (the request's host for media URLs, the price selection) must be the current
render's, a render inside a render of the same shape must not share the tree, and what a
serializer keeps for one render is dropped after it.
"""

import pytest
from django.test import RequestFactory

from carts import selectors as cart_selectors
from carts.api.store.serializers import CartSerializer
from catalog.models import Product
from commerce.api import rendering, sql_json
from commerce.api.rendering import serialize
from commerce.api.serializers import ContextOverlay
from commerce.models import Region
from orders.api.admin.serializers import AdminOrderRegionSerializer
from saleschannels.models import SalesChannel
from tests.carts.api.store_helpers import ready_cart, shop
from tests.helpers import generated_catalogue
from tests.render_cache import render_cache_cold

pytestmark = pytest.mark.django_db

LOCAL = "/media/products/mug.png"
HOSTS = ["shop-a.test", "shop-b.test"]


@pytest.fixture
def cart(api_client, default_channel):
    s = shop(default_channel)
    Product.objects.filter(pk=s.mug.product_id).update(thumbnail=LOCAL)
    made = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 2)])
    return cart_selectors.cart_get_for_store(cart_id=made.pk)


def _request(host):
    return RequestFactory().get("/", HTTP_HOST=host)


def test_a_kept_tree_renders_each_request_as_a_new_serializer_would(cart, settings):
    settings.ALLOWED_HOSTS = ["shop-a.test", "shop-b.test"]
    rendering._TREES.__dict__.clear()
    for host in ("shop-a.test", "shop-b.test", "shop-a.test"):
        context = {"request": _request(host)}

        kept = serialize(CartSerializer, cart, context=context)

        assert kept == CartSerializer(cart, context=context).data
        assert kept["items"][0]["thumbnail"] == f"http://{host}{LOCAL}"
    assert len(rendering._TREES.trees) == 1  # one tree served the three renders


def test_a_kept_tree_lets_go_of_the_request_after_rendering(cart):
    rendering._TREES.__dict__.clear()
    serialize(CartSerializer, cart, context={"request": _request("testserver")})

    (tree,) = rendering._TREES.trees.values()
    assert tree._context == {}
    assert rendering._TREES.busy == set()


def test_a_render_inside_a_render_of_the_same_shape_builds_its_own_tree(cart, monkeypatch):
    seen = []
    render_items = CartSerializer.to_representation

    def nested_render(self, instance):
        if not seen:  # the outer render: render the same cart again, from inside
            seen.append(None)
            seen[0] = serialize(CartSerializer, cart, context={"request": _request("localhost")})
        return render_items(self, instance)

    monkeypatch.setattr(CartSerializer, "to_representation", nested_render)
    rendering._TREES.__dict__.clear()

    outer = serialize(CartSerializer, cart, context={"request": _request("testserver")})

    assert outer["items"][0]["thumbnail"] == f"http://testserver{LOCAL}"
    assert seen[0]["items"][0]["thumbnail"] == f"http://localhost{LOCAL}"
    assert len(rendering._TREES.trees) == 1


def test_what_a_kept_tree_keeps_for_one_render_is_dropped_after_it(default_channel):
    # given: a serializer that renders each region once per render (one page of orders)
    region = Region.objects.get(pk=shop(default_channel).eu.pk)
    context = {"request": _request("testserver")}

    first = serialize(AdminOrderRegionSerializer, region, context=context)
    region.name = "Renamed"
    second = serialize(AdminOrderRegionSerializer, region, context=context)

    assert first["name"] != "Renamed"
    assert second["name"] == "Renamed"  # not the first render's copy
    assert len(rendering._TREES.trees) == 1


def test_without_fast_rendering_every_render_builds_its_serializer(cart, monkeypatch):
    monkeypatch.setattr(rendering, "FAST_RENDERING", False)
    rendering._TREES.__dict__.clear()
    context = {"request": _request("testserver")}

    assert (
        serialize(CartSerializer, cart, context=context)
        == CartSerializer(cart, context=context).data
    )
    assert rendering._TREES.__dict__.get("trees", {}) == {}


def test_a_context_overlay_reads_its_base_live():
    base = {"request": "first", "fields": {"title"}}
    overlay = ContextOverlay(base, fields=None)

    base.clear()
    base.update({"request": "second", "fields": {"handle"}, "relations": set()})

    assert overlay["request"] == "second"
    assert overlay["fields"] is None
    assert dict(overlay) == {"fields": None, "request": "second", "relations": set()}
    assert len(overlay) == 3


@pytest.fixture
def catalogue(default_channel):
    generated_catalogue(products=30, channels=2, variants=2, orders=0)
    return SalesChannel.objects.exclude(pk=default_channel.pk).order_by("created_at").first()


def test_store_pages_of_one_shape_through_one_tree_are_each_their_own(
    api_client, catalogue, monkeypatch, settings
):
    # given: pages of one shape that differ in what their fields read while rendering (prices
    # in another currency, collections, another host), none in the render cache
    settings.ALLOWED_HOSTS = HOSTS
    monkeypatch.setattr(sql_json, "SQL_JSON", False)  # rendered in Python, through the trees
    base = f"/api/store/products?sales_channel_id[]={catalogue.pk}&limit=10"
    urls = [f"{base}&currency_code=eur", f"{base}&currency_code=usd&offset=10", base]
    rendering._TREES.__dict__.clear()

    def pages():
        out = []
        for url in urls:
            for host in HOSTS:
                render_cache_cold()
                out.append(api_client.get(url, HTTP_HOST=host))
        return out

    kept = pages()
    assert len(rendering._TREES.trees) == 1
    monkeypatch.setattr(rendering, "FAST_RENDERING", False)
    built = pages()

    for one, other in zip(kept, built, strict=True):
        assert one.status_code == other.status_code == 200
        assert one.content == other.content
    eur, usd = kept[0].json()["products"], kept[2].json()["products"]
    assert len(eur) == len(usd) == 10
    assert {p["variants"][0]["calculated_price"] is None for p in eur + usd} == {False}
    assert eur[0]["variants"][0]["prices"]
    assert eur[0]["collection"] is not None
