"""The diagnosis tells the truth: a property test through the real HTTP API (issue 19).

Hypothesis draws a product (status, variants, prices, stock), its listings in three channels
(one disabled), and a moment on a fixed clock. Then, for every channel, the availability
endpoint's `listed` must be exactly "the store list shows it", `reachable` exactly "retrieve
answers 200", and `purchasable` exactly "a cart add succeeds", each asked the way a storefront
of that channel asks (its publishable key).
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from catalog.models import Price, ProductSalesChannel, ProductVariant
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.commerce.factories import RegionFactory, StaffUserFactory
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db

KEY = "HTTP_X_PUBLISHABLE_API_KEY"
NOW = datetime(2026, 12, 3, 9, 0, 0, tzinfo=UTC)

# A time relative to NOW: none, past, this very second, future.
moments = st.sampled_from([None, -3600, 0, 1, 86400])
listing = st.fixed_dictionaries(
    {
        "linked": st.booleans(),
        "is_published": st.booleans(),
        "published_at": moments,
        "visible_in_listings": st.booleans(),
        "available_for_purchase_at": moments,
    }
)
variant = st.fixed_dictionaries(
    {
        "currency": st.sampled_from([None, "usd", "eur"]),
        "quantity": st.sampled_from([0, 1, 5]),
        "manage_inventory": st.booleans(),
        "allow_backorder": st.booleans(),
    }
)
case = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["published", "published", "draft"]),
        "variants": st.lists(variant, max_size=3),
        "listings": st.lists(listing, min_size=3, max_size=3),
    }
)


def _at(offset):
    return None if offset is None else NOW + timedelta(seconds=offset)


def _world():
    """Three channels, each with a key of its own (the third disabled), and a US region.

    The diagnosis is asked for the region: prices in other currencies do not count.
    """
    channels = [
        SalesChannelFactory(name="Web"),
        SalesChannelFactory(name="B2B"),
        SalesChannelFactory(name="Outlet", is_disabled=True),
    ]
    keys = [PublishableApiKeyFactory(sales_channels=[c]) for c in channels]
    return channels, keys, RegionFactory(name="US", currency_code="usd")


def _draw_product(data, channels):
    product = ProductFactory(status=data["status"])
    for drawn in data["variants"]:
        made = ProductVariantFactory(
            product=product,
            price=False,
            inventory_quantity=drawn["quantity"],
            manage_inventory=drawn["manage_inventory"],
            allow_backorder=drawn["allow_backorder"],
        )
        if drawn["currency"]:
            Price.objects.create(variant=made, currency_code=drawn["currency"], amount=500)
    for channel, drawn in zip(channels, data["listings"], strict=True):
        if drawn["linked"]:
            ProductSalesChannel.objects.create(
                product=product,
                sales_channel=channel,
                is_published=drawn["is_published"],
                published_at=_at(drawn["published_at"]),
                visible_in_listings=drawn["visible_in_listings"],
                available_for_purchase_at=_at(drawn["available_for_purchase_at"]),
            )
    return product


def _cart_add_succeeds(client, product, key, region):
    response = client.post("/api/store/carts", {"region_id": region.pk}, **{KEY: key.pk})
    if response.status_code != 200:  # a disabled channel takes no cart
        return False
    cart_id = response.json()["cart"]["id"]
    for made in ProductVariant.objects.filter(product=product):
        added = client.post(
            f"/api/store/carts/{cart_id}/line-items",
            {"variant_id": made.pk, "quantity": 1},
            **{KEY: key.pk},
        )
        assert added.status_code in (200, 400), added.content
        if added.status_code == 200:
            return True
    return False


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=case)
def test_the_diagnosis_says_what_the_store_does(data):
    # Each example gets channels, keys and a region of its own (earlier ones stay, unseen).
    channels, keys, region = _world()
    product = _draw_product(data, channels)
    admin = APIClient()
    admin.force_authenticate(user=StaffUserFactory())
    store = APIClient()

    with time_machine.travel(NOW, tick=False):
        response = admin.get(
            f"/api/admin/products/{product.pk}/availability", {"region_id": region.pk}
        )
        assert response.status_code == 200
        verdicts = {row["sales_channel_id"]: row for row in response.json()["availability"]}
        for channel, key in zip(channels, keys, strict=True):
            verdict = verdicts[channel.pk]
            listed = store.get("/api/store/products", **{KEY: key.pk}).json()["products"]
            reached = store.get(f"/api/store/products/{product.pk}", **{KEY: key.pk})
            purchasable = _cart_add_succeeds(store, product, key, region)
            told = (verdict["listed"], verdict["reachable"], verdict["purchasable"])
            seen = (
                [p["id"] for p in listed] == [product.pk],
                reached.status_code == 200,
                purchasable,
            )
            assert told == seen, (channel.name, verdict["reasons"], data)
            # every false verdict is explained by at least one reason
            if False in told:
                assert verdict["reasons"], verdict
