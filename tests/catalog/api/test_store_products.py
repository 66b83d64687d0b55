from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Price, Product, ProductStatus
from catalog.services import (
    PriceInput,
    VariantInput,
    collection_create,
    product_create,
    variant_delete,
)
from saleschannels.services import publishable_api_key_revoke
from tests.catalog.factories import ProductFactory
from tests.commerce.factories import RegionFactory
from tests.helpers import BODY_ERRORS, COUNTS_KEPT, JSON_BUILT, MISSES, channel_json, ms
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/store/products"
KEY = "HTTP_X_PUBLISHABLE_API_KEY"
OUTSIDE_KEY = (
    "Provided sales channel id param: {} is not associated with the Publishable API Key "
    "passed in the header of the request."
)


def _shirt(
    channels=(),
    *,
    title="Medusa T-Shirt",
    handle=None,
    sizes=("S", "M"),
    status=ProductStatus.PUBLISHED,
    **kwargs,
):
    """A published product with a Size option and one variant per size, priced in EUR and USD."""
    handle = handle or title.lower().replace(" ", "-")
    return product_create(
        title=title,
        handle=handle,
        status=status,
        options=["Size"],
        variants=[
            VariantInput(
                title=size,
                sku=f"{handle}-{size}",
                inventory_quantity=100,
                option_values=[size],
                prices=[PriceInput("eur", 1950), PriceInput("usd", 2200)],
            )
            for size in sizes
        ],
        sales_channel_ids=[channel.pk for channel in channels],
        **kwargs,
    )


def _value_json(value):
    return {
        "id": value.pk,
        "created_at": ms(value.created_at),
        "updated_at": ms(value.updated_at),
        "deleted_at": None,
        "value": value.value,
        "option_id": value.option_id,
        "variant_id": value.variant_id,
        "metadata": None,
    }


def _price_json(price):
    return {
        "id": price.pk,
        "created_at": ms(price.created_at),
        "updated_at": ms(price.updated_at),
        "currency_code": price.currency_code,
        "amount": price.amount,
        "min_quantity": None,
        "max_quantity": None,
        "region_id": price.region_id,
        "variant_id": price.variant_id,
    }


NO_CALCULATED_PRICE = {
    "original_price": None,
    "calculated_price": None,
    "calculated_price_type": None,
    "original_price_incl_tax": None,
    "calculated_price_incl_tax": None,
    "original_tax": None,
    "calculated_tax": None,
    "tax_rates": None,
}


# Medusa's weight, dimensions and customs columns, all unset.
NO_PHYSICAL = dict.fromkeys(
    ("weight", "length", "height", "width", "hs_code", "origin_country", "mid_code", "material")
)


def _variant_json(variant, prices=None, calculated=None):
    prices = (
        prices
        if prices is not None
        else list(variant.prices.order_by("currency_code", "region_id", "created_at", "id"))
    )
    return {
        "id": variant.pk,
        "created_at": ms(variant.created_at),
        "updated_at": ms(variant.updated_at),
        "deleted_at": None,
        "title": variant.title,
        "product_id": variant.product_id,
        "sku": variant.sku,
        "barcode": None,
        "ean": None,
        "upc": None,
        "variant_rank": variant.variant_rank,
        "inventory_quantity": variant.inventory_quantity,
        "allow_backorder": False,
        "manage_inventory": True,
        "metadata": None,
        **NO_PHYSICAL,
        "options": [_value_json(v) for v in variant.options.order_by("created_at", "id")],
        "prices": [_price_json(p) for p in prices],
        **(calculated or NO_CALCULATED_PRICE),
    }


def _product_json(product):
    option = product.options.get()
    return {
        "id": product.pk,
        "created_at": ms(product.created_at),
        "updated_at": ms(product.updated_at),
        "deleted_at": None,
        "title": product.title,
        "subtitle": None,
        "description": product.description,
        "handle": product.handle,
        "is_giftcard": False,
        "status": "published",
        "thumbnail": None,
        "discountable": True,
        "external_id": None,
        "metadata": None,
        "collection_id": None,
        "type_id": None,
        **NO_PHYSICAL,
        "collection": None,
        "type": None,
        "images": [],
        "tags": [],
        "options": [
            {
                "id": option.pk,
                "created_at": ms(option.created_at),
                "updated_at": ms(option.updated_at),
                "deleted_at": None,
                "title": "Size",
                "product_id": product.pk,
                "metadata": None,
                "values": [_value_json(v) for v in option.values.order_by("created_at", "id")],
            }
        ],
        "variants": [_variant_json(v) for v in product.variants.order_by("variant_rank")],
    }


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["products"]]


def _brief(product):
    return {"id": product.pk, "created_at": ms(product.created_at), "title": product.title}


# ---- LIST: CHANNEL SCOPE ----


def test_routes_are_named_for_reverse():
    assert reverse("store-api:product-list") == LIST_URL
    assert reverse("store-api:product-detail", args=["prod_1"]) == f"{LIST_URL}/prod_1"


def test_list_without_param_or_key_is_the_default_channel_with_medusas_shape(
    api_client, default_channel
):
    # given: Medusa lists only the t-shirt in Wholesale; plus products the default channel must
    # not show
    wholesale = SalesChannelFactory(name="Wholesale")
    shirt = _shirt([default_channel], description="Reimagine the feeling of a classic T-shirt.")
    _shirt([wholesale], title="Wholesale only")
    _shirt([default_channel], title="Draft", status=ProductStatus.DRAFT)
    ProductFactory(title="No channel")

    # when
    response = api_client.get(LIST_URL)

    # then
    assert response.status_code == 200
    assert response.json() == {
        "products": [_product_json(shirt)],
        "count": 1,
        "offset": 0,
        "limit": 100,
    }


@pytest.mark.parametrize(
    "query",
    [
        "sales_channel_id[]={}",
        "sales_channel_id[0]={}",  # what medusa-js sends (Medusa: 200)
        "sales_channel_id={}",  # design §5: a plain value is a one-element array (Medusa: 400)
        "sales_channel_id=sc_unknown,{}",
    ],
)
def test_channel_param_in_every_array_form(api_client, default_channel, query):
    wholesale = SalesChannelFactory(name="Wholesale")
    shirt = _shirt([default_channel, wholesale])
    _shirt([default_channel], title="Sweatshirt")
    response = api_client.get(f"{LIST_URL}?{query.format(wholesale.pk)}&fields=id,title&expand=")
    assert response.json() == {"products": [_brief(shirt)], "count": 1, "offset": 0, "limit": 100}


def test_several_channels_are_ored_and_each_product_counted_once(api_client, default_channel):
    web, app = SalesChannelFactory(), SalesChannelFactory()
    both = _shirt([web, app], title="Both")
    only_app = _shirt([app], title="App only")
    _shirt([default_channel], title="Default only")
    response = api_client.get(
        f"{LIST_URL}?sales_channel_id[]={web.pk}&sales_channel_id[]={app.pk}&fields=id,title&expand="
    )
    assert response.json() == {
        "products": [_brief(only_app), _brief(both)],
        "count": 2,
        "offset": 0,
        "limit": 100,
    }


@pytest.mark.parametrize("kind", ["unknown", "deleted", "disabled and empty"])
def test_unknown_deleted_or_empty_channel_lists_nothing(api_client, default_channel, kind):
    # Medusa answers 200 with an empty list for an unknown, a deleted or a disabled channel (the
    # disabled one is not filtered out: it had no products)
    channel = SalesChannelFactory(is_disabled=kind == "disabled and empty")
    if kind == "deleted":
        _shirt([channel, default_channel])
        channel.deleted_at = channel.created_at
        channel.save(update_fields=["deleted_at"])
    channel_id = "sc_doesnotexist" if kind == "unknown" else channel.pk
    response = api_client.get(f"{LIST_URL}?sales_channel_id[]={channel_id}&fields=id,title&expand=")
    assert response.status_code == 200
    assert response.json() == {"products": [], "count": 0, "offset": 0, "limit": 100}


def test_fields_keep_id_and_created_at(api_client, default_channel):
    # Medusa returns `created_at` (the default sort key) with `fields=id,title,handle`
    mug = _shirt([default_channel], title="Medusa Coffee Mug", handle="coffee-mug")
    response = api_client.get(f"{LIST_URL}?fields=id,title,handle&expand=")
    assert response.json()["products"] == [
        {
            "id": mug.pk,
            "created_at": ms(mug.created_at),
            "title": "Medusa Coffee Mug",
            "handle": "coffee-mug",
        }
    ]


def test_unscoped_list_has_no_sales_channels(api_client, default_channel):
    _shirt([default_channel])
    assert "sales_channels" not in api_client.get(LIST_URL).json()["products"][0]


def test_expand_sales_channels_lists_every_live_channel_of_the_product(api_client, default_channel):
    web = SalesChannelFactory()
    gone = SalesChannelFactory()
    shirt = _shirt([default_channel, web, gone])
    gone.deleted_at = gone.created_at
    gone.save(update_fields=["deleted_at"])
    response = api_client.get(f"{LIST_URL}?fields=id,title&expand=sales_channels")
    assert response.json()["products"] == [
        {**_brief(shirt), "sales_channels": [channel_json(default_channel), channel_json(web)]}
    ]


# ---- LIST: PUBLISHABLE KEY ----


def test_key_scopes_the_list_and_adds_sales_channels(api_client, default_channel):
    # Medusa scopes the list to the key's channel and renders each product with all its (live)
    # channels
    wholesale = SalesChannelFactory(name="Wholesale")
    key = PublishableApiKeyFactory(sales_channels=[wholesale])
    shirt = _shirt([default_channel, wholesale])
    _shirt([default_channel], title="Sweatshirt")
    response = api_client.get(f"{LIST_URL}?fields=id,title&expand=", **{KEY: key.pk})
    assert response.status_code == 200
    assert response.json() == {
        "products": [
            {
                **_brief(shirt),
                "sales_channels": [channel_json(default_channel), channel_json(wholesale)],
            }
        ],
        "count": 1,
        "offset": 0,
        "limit": 100,
    }


def test_key_with_a_param_inside_its_scope_narrows_the_list(api_client, default_channel):
    web, app = SalesChannelFactory(), SalesChannelFactory()
    key = PublishableApiKeyFactory(sales_channels=[web, app])
    in_web = _shirt([web], title="Web")
    _shirt([app], title="App")
    response = api_client.get(f"{LIST_URL}?sales_channel_id[]={web.pk}", **{KEY: key.pk})
    assert _ids(response) == [in_web.pk]
    assert _ids(api_client.get(LIST_URL, **{KEY: key.pk})) == [
        p.pk for p in Product.objects.filter(title__in=["Web", "App"]).order_by("-created_at")
    ]


def test_key_with_a_param_outside_its_scope_is_a_400_naming_it(api_client, default_channel):
    # Medusa: 400 `Provided sales channel id param: <id> is not associated with the Publishable
    # API Key passed in the header of the request.`; here with every outsider named
    wholesale = SalesChannelFactory()
    key = PublishableApiKeyFactory(sales_channels=[wholesale])
    response = api_client.get(
        f"{LIST_URL}?sales_channel_id[]={default_channel.pk}&sales_channel_id[]=sc_x&fields=id,title&expand=",
        **{KEY: key.pk},
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": BODY_ERRORS,
        "errors": [OUTSIDE_KEY.format(f"{default_channel.pk},sc_x")],
    }


@pytest.mark.parametrize("kind", ["unknown", "revoked"])
def test_unknown_or_revoked_key_is_refused(api_client, default_channel, kind):
    # design §5: Medusa silently ignores such a key (200, unscoped); we refuse it
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    if kind == "revoked":
        publishable_api_key_revoke(key_id=key.pk)
    response = api_client.get(LIST_URL, **{KEY: "pk_doesnotexist" if kind == "unknown" else key.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": "A valid publishable key is required to proceed with the request",
    }


def test_key_without_channels_is_refused(api_client, default_channel):
    response = api_client.get(LIST_URL, **{KEY: PublishableApiKeyFactory().pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": "Publishable key needs to have a sales channel configured",
    }


# ---- LIST: FILTERS, PAGING, PRICES ----


def test_filters(api_client, default_channel):
    summer = collection_create(title="Summer")
    shirt = _shirt([default_channel], collection_id=summer.pk)
    mug = _shirt([default_channel], title="Coffee Mug", handle="mug", description="Ceramic")

    def ids(query):
        return _ids(api_client.get(f"{LIST_URL}?{query}"))

    assert ids("q=ceramic") == [mug.pk]
    assert ids("q=T-SHIRT") == [shirt.pk]
    assert ids("handle=mug") == [mug.pk]
    assert ids(f"id[]={shirt.pk}") == [shirt.pk]
    assert ids(f"id={shirt.pk},{mug.pk}") == [mug.pk, shirt.pk]
    assert ids(f"collection_id[]={summer.pk}") == [shirt.pk]
    assert ids("order=created_at") == [shirt.pk, mug.pk]
    assert ids("limit=1&offset=1") == [shirt.pk]


def test_collection_is_expanded(api_client, default_channel):
    summer = collection_create(title="Summer")
    _shirt([default_channel], collection_id=summer.pk)
    response = api_client.get(f"{LIST_URL}?fields=id&expand=collection")
    assert response.json()["products"][0]["collection"] == {
        "id": summer.pk,
        "created_at": ms(summer.created_at),
        "updated_at": ms(summer.updated_at),
        "deleted_at": None,
        "title": "Summer",
        "handle": "summer",
        "metadata": None,
    }


def test_region_selects_prices_and_computes_the_calculated_price_with_tax(
    api_client, default_channel
):
    # given: a region with 25% tax; one variant has a price of its own in that region
    eu = RegionFactory(currency_code="eur", tax_rate=Decimal("25"))
    shirt = _shirt([default_channel])
    small, medium = shirt.variants.order_by("variant_rank")
    regional = Price.objects.create(variant=medium, currency_code="eur", amount=1800, region=eu)

    # when
    response = api_client.get(f"{LIST_URL}?region_id={eu.pk}&fields=id&expand=variants")

    # then
    variants = response.json()["products"][0]["variants"]
    tax = [{"rate": 25, "name": "default", "code": "default"}]
    assert variants == [
        _variant_json(
            small,
            prices=list(small.prices.filter(currency_code="eur")),
            calculated={
                "original_price": 1950,
                "calculated_price": 1950,
                "calculated_price_type": "default",
                "original_price_incl_tax": 2438,
                "calculated_price_incl_tax": 2438,
                "original_tax": 488,
                "calculated_tax": 488,
                "tax_rates": tax,
            },
        ),
        _variant_json(
            medium,
            prices=[*medium.prices.filter(currency_code="eur", region__isnull=True), regional],
            calculated={
                "original_price": 1800,
                "calculated_price": 1800,
                "calculated_price_type": "default",
                "original_price_incl_tax": 2250,
                "calculated_price_incl_tax": 2250,
                "original_tax": 450,
                "calculated_tax": 450,
                "tax_rates": tax,
            },
        ),
    ]


def test_currency_selects_prices_without_tax(api_client, default_channel):
    _shirt([default_channel], sizes=("S",))
    response = api_client.get(f"{LIST_URL}?currency_code=USD&fields=id&expand=variants")
    variant = response.json()["products"][0]["variants"][0]
    assert [p["amount"] for p in variant["prices"]] == [2200]
    assert {k: variant[k] for k in NO_CALCULATED_PRICE} == {
        **NO_CALCULATED_PRICE,
        "original_price": 2200,
        "calculated_price": 2200,
        "calculated_price_type": "default",
    }


def test_variant_without_a_price_in_the_region_has_null_prices(api_client, default_channel):
    gbp = RegionFactory(currency_code="gbp")
    _shirt([default_channel], sizes=("S",))
    response = api_client.get(f"{LIST_URL}?region_id={gbp.pk}&fields=id&expand=variants")
    variant = response.json()["products"][0]["variants"][0]
    assert variant["prices"] == []
    assert {k: variant[k] for k in NO_CALCULATED_PRICE} == NO_CALCULATED_PRICE


def test_unknown_region_is_a_404(api_client, default_channel):
    response = api_client.get(f"{LIST_URL}?region_id=reg_nope")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Region with id: reg_nope was not found",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo=1", "property foo should not exist"),
        ("expand=profiles", "Relations [profiles] are not valid"),
        ("fields=profile_id", "Fields [profile_id] are not valid"),
        ("sales_channel_id[a]=x", "sales_channel_id must be an array"),
        ("limit=x", "limit must be a non-negative integer"),
        (
            "order=price",
            "order field price is not valid; use one of created_at, updated_at, title, handle, id",
        ),
    ],
)
def test_bad_query_is_a_clear_400(api_client, default_channel, query, message):
    response = api_client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_list_query_count_is_fixed_in_page_size_and_variants(
    api_client, default_channel, django_assert_num_queries
):
    eu = RegionFactory(currency_code="eur")
    _shirt([default_channel], title="P0", sizes=("S",))
    # 1 = default channel id; 2 = region; 3 = the channel's kept count (where the counts are not
    # kept, COUNTS_KEPT: 3 = the listings version, 4 = COUNT(*) and 5 = the next scheduled
    # listing; the count is cached under the version until then; the new shirts bump it); then
    # the page's ids and versions; the render cache's misses (MISSES: their JSON built by
    # PostgreSQL, else their rows, with their collection and type; images; tags; options;
    # variants; their option values (the options' values too); prices)
    queries = (4 if COUNTS_KEPT else 6) + MISSES
    with django_assert_num_queries(queries):
        small = api_client.get(f"{LIST_URL}?region_id={eu.pk}")
    for n in range(1, 8):
        _shirt([default_channel], title=f"P{n}", sizes=("XS", "S", "M", "L", "XL"))
    with django_assert_num_queries(queries):
        big = api_client.get(f"{LIST_URL}?region_id={eu.pk}&limit=8")
    assert (len(small.json()["products"]), len(big.json()["products"])) == (1, 8)
    assert sum(len(p["variants"]) for p in big.json()["products"]) == 36


def test_key_scoped_list_query_count_is_fixed(
    api_client, default_channel, django_assert_num_queries
):
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    _shirt([default_channel], title="P0", sizes=("S",))
    # 1 = the key with its channels; 2 = the kept count (where not kept, COUNTS_KEPT: the
    # listings version, COUNT(*) and the next scheduled listing, a cold count); the page's ids
    # and versions; the misses (JSON_BUILT: their JSON built by PostgreSQL, else their rows;
    # images, tags; options; variants, their option values (the options' values too) and
    # prices; the channels)
    queries = (3 if COUNTS_KEPT else 5) + (1 if JSON_BUILT else 8)
    with django_assert_num_queries(queries):
        api_client.get(LIST_URL, **{KEY: key.pk})
    for n in range(1, 6):
        _shirt([default_channel, SalesChannelFactory()], title=f"P{n}", sizes=("S", "M", "L"))
    with django_assert_num_queries(queries):
        response = api_client.get(LIST_URL, **{KEY: key.pk})
    assert response.json()["count"] == 6


# ---- LIST: FEATURE FLAG OFF ----


def test_with_sales_channels_off_the_list_is_not_filtered(api_client, flags_off, default_channel):
    in_default = _shirt([default_channel])
    elsewhere = ProductFactory(title="No channel")
    flags_off("sales_channels")
    assert _ids(api_client.get(LIST_URL + "?fields=id")) == [elsewhere.pk, in_default.pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sales_channel_id[]=sc_1", "property sales_channel_id should not exist"),
        ("expand=sales_channels", "Relations [sales_channels] are not valid"),
    ],
)
def test_with_sales_channels_off_channel_params_are_refused(
    api_client, flags_off, default_channel, query, message
):
    flags_off("sales_channels")
    response = api_client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


# ---- DETAIL ----


def test_retrieve_is_the_full_product(api_client, default_channel):
    shirt = _shirt([default_channel])
    response = api_client.get(f"{LIST_URL}/{shirt.pk}")
    assert response.status_code == 200
    assert response.json() == {"product": _product_json(shirt)}


def test_retrieve_ignores_channels_without_a_key(api_client, default_channel):
    # Medusa returns the product even outside `sales_channel_id` without a key; only id and
    # title (no created_at on a detail)
    wholesale = SalesChannelFactory()
    sweatshirt = _shirt([default_channel], title="Medusa Sweatshirt")
    response = api_client.get(
        f"{LIST_URL}/{sweatshirt.pk}?sales_channel_id={wholesale.pk}&fields=id,title&expand="
    )
    assert response.status_code == 200
    assert response.json() == {"product": {"id": sweatshirt.pk, "title": "Medusa Sweatshirt"}}


@pytest.mark.parametrize("kind", ["unknown", "draft", "deleted"])
def test_retrieve_unknown_draft_or_deleted_is_404(api_client, default_channel, kind):
    product = _shirt(
        [default_channel], status=ProductStatus.DRAFT if kind == "draft" else "published"
    )
    if kind == "deleted":
        product.deleted_at = product.created_at
        product.save(update_fields=["deleted_at"])
    product_id = "prod_nope" if kind == "unknown" else product.pk
    response = api_client.get(f"{LIST_URL}/{product_id}")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": f"Product with id: {product_id} was not found",
    }


def test_retrieve_outside_the_keys_channels_is_a_400(api_client, default_channel):
    wholesale = SalesChannelFactory()
    key = PublishableApiKeyFactory(sales_channels=[wholesale])
    sweatshirt = _shirt([default_channel], title="Sweatshirt")
    response = api_client.get(f"{LIST_URL}/{sweatshirt.pk}", **{KEY: key.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": BODY_ERRORS,
        "errors": [
            f"Product with id: {sweatshirt.pk} is not associated with sales channels defined by "
            "the Publishable API Key passed in the header of the request."
        ],
    }


def test_retrieve_inside_the_keys_channels_shows_its_channels(api_client, default_channel):
    wholesale = SalesChannelFactory()
    key = PublishableApiKeyFactory(sales_channels=[wholesale])
    shirt = _shirt([wholesale])
    response = api_client.get(f"{LIST_URL}/{shirt.pk}?fields=id&expand=", **{KEY: key.pk})
    assert response.json() == {
        "product": {"id": shirt.pk, "sales_channels": [channel_json(wholesale)]}
    }


def test_retrieve_with_a_key_and_an_outside_channel_param_is_a_400(api_client, default_channel):
    wholesale = SalesChannelFactory()
    key = PublishableApiKeyFactory(sales_channels=[wholesale])
    shirt = _shirt([wholesale])
    response = api_client.get(
        f"{LIST_URL}/{shirt.pk}?sales_channel_id={default_channel.pk}", **{KEY: key.pk}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [OUTSIDE_KEY.format(default_channel.pk)]


def test_retrieve_unknown_product_with_a_key_is_still_404(api_client, default_channel):
    key = PublishableApiKeyFactory(sales_channels=[default_channel])
    response = api_client.get(f"{LIST_URL}/prod_nope", **{KEY: key.pk})
    assert response.status_code == 404


def test_retrieve_with_region_prices_the_variants(api_client, default_channel):
    eu = RegionFactory(currency_code="eur")
    shirt = _shirt([default_channel], sizes=("S",))
    response = api_client.get(f"{LIST_URL}/{shirt.pk}?region_id={eu.pk}&fields=id&expand=variants")
    variant = response.json()["product"]["variants"][0]
    assert (
        variant["calculated_price"],
        variant["calculated_price_incl_tax"],
        variant["tax_rates"],
    ) == (
        1950,
        1950,
        [{"rate": 0, "name": "default", "code": "default"}],
    )


def test_retrieve_query_count(api_client, default_channel, django_assert_num_queries):
    shirt = _shirt([default_channel], sizes=("S", "M", "L"))
    # 1 = the product with its collection and type; 2-3 = images, tags; 4 = options; 5-7 =
    # variants, their option values (the options' values too) and prices
    with django_assert_num_queries(7):
        assert api_client.get(f"{LIST_URL}/{shirt.pk}").status_code == 200


def test_with_publishable_keys_off_the_header_is_ignored(api_client, flags_off, default_channel):
    flags_off("publishable_api_keys")
    shirt = _shirt([default_channel])
    _shirt([SalesChannelFactory()], title="Elsewhere")
    assert _ids(api_client.get(LIST_URL, **{KEY: "pk_doesnotexist"})) == [shirt.pk]


def test_nested_relation_names_are_accepted(api_client, default_channel):
    shirt = _shirt([default_channel], sizes=("S",))
    response = api_client.get(f"{LIST_URL}?fields=id&expand=variants.prices,options.values")
    assert response.status_code == 200
    product = response.json()["products"][0]
    assert sorted(product) == ["created_at", "id", "options", "variants"]
    assert product["variants"][0]["id"] == shirt.variants.get().pk


def test_options_values_are_the_same_loaded_with_or_without_the_variants(
    api_client, default_channel
):
    """With variants, the options' values come from the variants' values (no query of their own)."""
    product = product_create(
        title="Two Options",
        handle="two-options",
        status=ProductStatus.PUBLISHED,
        options=["Size", "Colour"],
        variants=[
            VariantInput(title=f"{size} {colour}", option_values=[size, colour], prices=[])
            for size in ("S", "M")
            for colour in ("Red", "Blue")
        ],
        sales_channel_ids=[default_channel.pk],
    )
    gone = product.variants.get(title="M Blue")
    variant_delete(variant_id=gone.pk)

    with_variants = api_client.get(f"{LIST_URL}?expand=options,variants")
    options_only = api_client.get(f"{LIST_URL}?expand=options")
    detail = api_client.get(f"{LIST_URL}/{product.pk}")

    assert (with_variants.status_code, options_only.status_code, detail.status_code) == (
        200,
        200,
        200,
    )
    options = with_variants.json()["products"][0]["options"]
    assert options == options_only.json()["products"][0]["options"]
    assert options == detail.json()["product"]["options"]
    assert [[v["value"] for v in option["values"]] for option in options] == [
        ["S", "S", "M"],
        ["Red", "Blue", "Red"],
    ]
    assert all(v["variant_id"] != gone.pk for option in options for v in option["values"])
    assert {v["option_id"] for v in options[0]["values"]} == {options[0]["id"]}
