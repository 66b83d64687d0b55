import pytest
from django.urls import reverse

from catalog.models import ProductStatus
from tests.carts.api.store_helpers import (
    KEY,
    product,
    product_summary_json,
    variant_summary_json,
)
from tests.commerce.factories import RegionFactory
from tests.helpers import BODY_ERRORS, ms
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db

VARIANTS = "/api/store/variants"


def _price_json(price):
    return {
        "id": price.pk,
        "created_at": ms(price.created_at),
        "updated_at": ms(price.updated_at),
        "currency_code": price.currency_code,
        "amount": price.amount,
        "min_quantity": None,
        "max_quantity": None,
        "region_id": None,
        "variant_id": price.variant_id,
    }


def _variant_json(variant):
    value = variant.options.get()
    return {
        **variant_summary_json(variant),
        "options": [
            {
                "id": value.pk,
                "created_at": ms(value.created_at),
                "updated_at": ms(value.updated_at),
                "deleted_at": None,
                "value": value.value,
                "option_id": value.option_id,
                "variant_id": variant.pk,
                "metadata": None,
            }
        ],
        "prices": [_price_json(p) for p in variant.prices.order_by("currency_code")],
        "original_price": None,
        "calculated_price": None,
        "calculated_price_type": None,
        "original_price_incl_tax": None,
        "calculated_price_incl_tax": None,
        "original_tax": None,
        "calculated_tax": None,
        "tax_rates": None,
    }


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["variants"]]


def test_routes_are_named_for_reverse():
    assert reverse("store-api:variant-list") == VARIANTS
    assert reverse("store-api:variant-detail", args=["variant_1"]) == f"{VARIANTS}/variant_1"


def test_list_is_medusas_bare_envelope_of_the_default_channel(api_client, default_channel):
    shirt = product("Shirt", [default_channel]).variants.get()
    product("Elsewhere", [SalesChannelFactory()])
    product("Draft", [default_channel]).__class__.objects.filter(title="Draft").update(
        status=ProductStatus.DRAFT
    )
    response = api_client.get(VARIANTS)
    assert response.status_code == 200
    assert response.json() == {"variants": [_variant_json(shirt)]}


def test_list_by_ids_and_channel(api_client, default_channel):
    web = SalesChannelFactory()
    a = product("A", [default_channel, web]).variants.get()
    b = product("B", [web]).variants.get()
    product("C", [default_channel])
    assert _ids(api_client.get(f"{VARIANTS}?ids={a.pk},{b.pk}")) == [a.pk]
    assert _ids(api_client.get(f"{VARIANTS}?ids={a.pk},{b.pk}&sales_channel_id={web.pk}")) == [
        b.pk,
        a.pk,
    ]
    assert _ids(api_client.get(f"{VARIANTS}?sales_channel_id={web.pk}&limit=1&offset=1")) == [a.pk]


def test_list_with_a_key_is_the_keys_channels(api_client, default_channel):
    web = SalesChannelFactory()
    key = PublishableApiKeyFactory(sales_channels=[web])
    in_web = product("Web", [web]).variants.get()
    product("Default", [default_channel])
    assert _ids(api_client.get(VARIANTS, **{KEY: key.pk})) == [in_web.pk]
    response = api_client.get(f"{VARIANTS}?sales_channel_id={default_channel.pk}", **{KEY: key.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": BODY_ERRORS,
        "errors": [
            f"Provided sales channel id param: {default_channel.pk} is not associated with the "
            "Publishable API Key passed in the header of the request."
        ],
    }


def test_list_with_an_unknown_key_is_refused(api_client, default_channel):
    response = api_client.get(VARIANTS, **{KEY: "pk_nope"})
    assert response.status_code == 400
    assert response.json()["type"] == "not_allowed"


def test_list_prices_for_a_region_and_expands_the_product(api_client, default_channel):
    eu = RegionFactory(currency_code="eur")
    shirt = product("Shirt", [default_channel]).variants.get()
    response = api_client.get(f"{VARIANTS}?region_id={eu.pk}&expand=product")
    assert response.json() == {
        "variants": [
            {
                **variant_summary_json(shirt),
                "product": product_summary_json(shirt.product),
                "original_price": 1950,
                "calculated_price": 1950,
                "calculated_price_type": "default",
                "original_price_incl_tax": 1950,
                "calculated_price_incl_tax": 1950,
                "original_tax": 0,
                "calculated_tax": 0,
                "tax_rates": [{"rate": 0, "name": "default", "code": "default"}],
            }
        ]
    }


def test_list_query_count_does_not_grow(api_client, default_channel, django_assert_num_queries):
    product("P0", [default_channel])
    # 1 = default channel id; 2 = the page; 3 = option values; 4 = prices
    with django_assert_num_queries(4):
        small = api_client.get(VARIANTS)
    for n in range(1, 6):
        product(f"P{n}", [default_channel], sizes=("S", "M", "L"))
    with django_assert_num_queries(4):
        big = api_client.get(VARIANTS)
    assert (len(small.json()["variants"]), len(big.json()["variants"])) == (1, 16)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo=1", "property foo should not exist"),
        ("expand=inventory", "Relations [inventory] are not valid"),
        ("limit=-1", "limit must be a non-negative integer"),
    ],
)
def test_list_bad_query_is_a_400(api_client, default_channel, query, message):
    response = api_client.get(f"{VARIANTS}?{query}")
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_list_with_sales_channels_off(api_client, flags_off, default_channel):
    elsewhere = product("Elsewhere", [SalesChannelFactory()]).variants.get()
    flags_off("sales_channels")
    assert _ids(api_client.get(VARIANTS)) == [elsewhere.pk]
    response = api_client.get(f"{VARIANTS}?sales_channel_id=sc_1")
    assert response.json() == {
        "type": "invalid_data",
        "message": "property sales_channel_id should not exist",
    }


def test_retrieve(api_client, default_channel):
    shirt = product("Shirt", [SalesChannelFactory()]).variants.get()
    # without a key the channel does not restrict a detail read (as for products)
    response = api_client.get(f"{VARIANTS}/{shirt.pk}")
    assert response.status_code == 200
    assert response.json() == {"variant": _variant_json(shirt)}


def test_retrieve_unknown_is_404(api_client):
    response = api_client.get(f"{VARIANTS}/variant_nope")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Variant with id: variant_nope was not found",
    }


def test_retrieve_outside_the_keys_channels_is_a_400(api_client, default_channel):
    key = PublishableApiKeyFactory(sales_channels=[SalesChannelFactory()])
    shirt = product("Shirt", [default_channel]).variants.get()
    response = api_client.get(f"{VARIANTS}/{shirt.pk}", **{KEY: key.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": BODY_ERRORS,
        "errors": [
            f"Variant with id: {shirt.pk} is not associated with sales channels defined by the "
            "Publishable API Key passed in the header of the request."
        ],
    }


def test_retrieve_inside_the_keys_channels(api_client, default_channel):
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    shirt = product("Shirt", [default_channel]).variants.get()
    assert api_client.get(f"{VARIANTS}/{shirt.pk}", **{KEY: key.pk}).status_code == 200
