"""The product screens of the Django admin: channels column and filter, bulk channel actions,
and the product page (channels, variants, prices), all written through `catalog.services`."""

import pytest
from django.contrib import messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.exceptions import VariantOptionsMismatch
from catalog.models import Price, Product, ProductSalesChannel, ProductVariant
from catalog.services import product_create
from commerce.admin_base import REFUSED_FORM_ERROR
from tests.catalog.factories import PriceFactory, ProductFactory, ProductVariantFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/catalog/product/"
ADD_URL = LIST_URL + "add/"


def _change_url(product):
    return f"{LIST_URL}{product.pk}/change/"


def _messages(response):
    """The messages shown on the page (requests with messages are sent with follow=True)."""
    return [(m.level, m.message) for m in response.context["messages"]]


def _channel_ids(product):
    return set(
        ProductSalesChannel.objects.filter(product=product).values_list(
            "sales_channel_id", flat=True
        )
    )


def _bulk_products(count, prefix="Bulk"):
    return Product.objects.bulk_create(
        [
            Product(title=f"{prefix} {n:04d}", handle=f"{prefix.lower()}-{n:04d}")
            for n in range(count)
        ]
    )


# ---- list ----


def test_list_shows_channels_per_product(admin_client):
    web = SalesChannelFactory(name="Web")
    app = SalesChannelFactory(name="App")
    both = ProductFactory(title="Both", sales_channels=[web, app])
    ProductFactory(title="None")

    response = admin_client.get(LIST_URL)

    rows = [(p.title, [c.name for c in p.channel_list]) for p in response.context["cl"].result_list]
    assert rows == [("None", []), ("Both", ["App", "Web"])]
    assert both.pk in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries):
    web, app = SalesChannelFactory.create_batch(2)

    # 1 session, 2 user, 3 channel filter choices, 4 COUNT(*) of the filtered list (no second,
    # unfiltered COUNT: show_full_result_count is off), 5 the page, 6 the page's channels
    ProductFactory.create_batch(3, sales_channels=[web, app])
    with django_assert_num_queries(6):
        small = admin_client.get(LIST_URL)
    ProductFactory.create_batch(47, sales_channels=[web, app])
    with django_assert_num_queries(6):
        big = admin_client.get(LIST_URL)
    assert (len(small.context["cl"].result_list), len(big.context["cl"].result_list)) == (3, 50)


def test_filter_by_sales_channel_and_by_none(admin_client):
    web = SalesChannelFactory(name="Web")
    gone = SalesChannelFactory(name="Gone", deleted_at=timezone.now())
    in_web = ProductFactory(title="In web", sales_channels=[web])
    only_gone = ProductFactory(title="Only in a deleted channel", sales_channels=[gone])
    nowhere = ProductFactory(title="Nowhere")

    def titles(query):
        return {p.title for p in admin_client.get(LIST_URL + query).context["cl"].result_list}

    assert titles(f"?sales_channel={web.pk}") == {in_web.title}
    assert titles("?sales_channel=none") == {only_gone.title, nowhere.title}


def test_search_by_title_handle_and_id(admin_client):
    shirt = ProductFactory(title="Blue shirt", handle="blue-shirt")
    ProductFactory(title="Mug", handle="mug")

    def titles(query):
        return [p.title for p in admin_client.get(LIST_URL + query).context["cl"].result_list]

    assert titles("?q=shirt") == ["Blue shirt"]
    assert titles("?q=blue-sh") == ["Blue shirt"]
    assert titles(f"?q={shirt.pk}") == ["Blue shirt"]


# ---- bulk actions ----


def _action(client, action, products=(), *, query="", follow=False, **extra):
    data = {"action": action, "index": 0, "_selected_action": [p.pk for p in products], **extra}
    return client.post(LIST_URL + query, data, follow=follow)


def test_add_action_shows_the_channel_chooser(admin_client, default_channel):
    web = SalesChannelFactory(name="Web")
    products = ProductFactory.create_batch(2)

    response = _action(admin_client, "add_to_sales_channels", products)

    assert response.status_code == 200
    assert response.template_name == "admin/catalog/product/sales_channels_action.html"
    html = response.content.decode()
    assert "Add <strong>2 products</strong>" in html
    for product in products:
        assert f'<input type="hidden" name="_selected_action" value="{product.pk}">' in html
    assert f'value="{web.pk}"' in html
    assert ProductSalesChannel.objects.filter(sales_channel=web).exists() is False


def test_add_action_applies_to_the_chosen_channels(admin_client):
    web, app, other = SalesChannelFactory.create_batch(3)
    products = ProductFactory.create_batch(3, sales_channels=[web])
    untouched = ProductFactory()

    response = _action(
        admin_client,
        "add_to_sales_channels",
        products,
        apply="1",
        sales_channels=[web.pk, app.pk],
        follow=True,
    )

    assert response.redirect_chain == [(LIST_URL, 302)]
    names = ", ".join(c.name for c in sorted([web, app], key=lambda c: (c.name, c.pk)))
    assert _messages(response) == [(messages.SUCCESS, f"Added 3 products to {names}.")]
    for product in products:
        assert _channel_ids(product) == {web.pk, app.pk}
    assert _channel_ids(untouched) == set()
    assert ProductSalesChannel.objects.filter(sales_channel=other).exists() is False


def test_remove_action(admin_client):
    web, app = SalesChannelFactory.create_batch(2)
    products = ProductFactory.create_batch(2, sales_channels=[web, app])

    response = _action(
        admin_client,
        "remove_from_sales_channels",
        products[:1],
        apply="1",
        sales_channels=[web.pk],
        follow=True,
    )

    assert _messages(response) == [(messages.SUCCESS, f"Removed 1 product from {web.name}.")]
    assert (_channel_ids(products[0]), _channel_ids(products[1])) == ({app.pk}, {web.pk, app.pk})


def test_choosing_no_channel_shows_the_chooser_again(admin_client):
    products = ProductFactory.create_batch(2)
    response = _action(admin_client, "add_to_sales_channels", products, apply="1")
    assert response.status_code == 200
    assert "Choose at least one sales channel." in response.content.decode()
    assert ProductSalesChannel.objects.exists() is False


def test_select_across_applies_to_every_product_matching_the_filters(admin_client):
    # given: 60 "Shirt" products (more than one page) and some mugs
    web = SalesChannelFactory(name="Web")
    shirts = _bulk_products(60, prefix="Shirt")
    _bulk_products(5, prefix="Mug")
    page_one = shirts[:2]  # what the browser sends along with select_across: the ticked rows

    # when
    chooser = _action(
        admin_client, "add_to_sales_channels", page_one, query="?q=shirt", select_across="1"
    )
    response = _action(
        admin_client,
        "add_to_sales_channels",
        page_one,
        query="?q=shirt",
        select_across="1",
        apply="1",
        sales_channels=[web.pk],
        follow=True,
    )

    # then
    assert "Add <strong>60 products</strong>" in chooser.content.decode()
    assert _messages(response) == [(messages.SUCCESS, "Added 60 products to Web.")]
    linked = set(
        ProductSalesChannel.objects.filter(sales_channel=web).values_list("product_id", flat=True)
    )
    assert linked == {p.pk for p in shirts}


def _apply_queries(client, action, prefix, channels):
    """Apply `action` to every product titled `prefix …` ("select all" across pages)."""
    ticked = list(
        Product.objects.filter(title__startswith=prefix).order_by("-created_at", "-id")[:2]
    )
    with CaptureQueriesContext(connection) as queries:
        response = _action(
            client,
            action,
            ticked,
            query=f"?q={prefix}",
            select_across="1",
            apply="1",
            sales_channels=[c.pk for c in channels],
        )
    assert response.status_code == 302
    return len(queries)


def test_bulk_add_runs_in_a_constant_number_of_queries(admin_client):
    # given
    channels = SalesChannelFactory.create_batch(2)
    _bulk_products(10, prefix="Few")
    _bulk_products(1000, prefix="Many")

    # when
    small = _apply_queries(admin_client, "add_to_sales_channels", "Few", channels)
    big = _apply_queries(admin_client, "add_to_sales_channels", "Many", channels)

    # then: the same statements for 10 and for 1,000 products — session, user, the
    # changelist's filter choices and COUNT, the chosen channels, the selected ids, and in the
    # service one existence check, one lock per channel and one INSERT … SELECT per channel,
    # the ids in one JSON parameter (plus savepoints).
    assert small == big
    assert ProductSalesChannel.objects.count() == 2020


def test_bulk_remove_runs_in_a_constant_number_of_queries(admin_client):
    channels = SalesChannelFactory.create_batch(2)
    products = [*_bulk_products(10, prefix="Few"), *_bulk_products(1000, prefix="Many")]
    ProductSalesChannel.objects.bulk_create(
        [ProductSalesChannel(product=p, sales_channel=c) for p in products for c in channels]
    )

    small = _apply_queries(admin_client, "remove_from_sales_channels", "Few", channels)
    big = _apply_queries(admin_client, "remove_from_sales_channels", "Many", channels)

    assert small == big
    assert ProductSalesChannel.objects.exists() is False


# ---- the product page ----


def _product_form(product=None, **changes):
    data = {
        "title": product.title if product else "",
        "subtitle": "",
        "handle": product.handle if product else "",
        "description": "",
        "status": product.status if product else "draft",
        "thumbnail": "",
        "collection": "",
        "discountable": "on",
        "variants-TOTAL_FORMS": "0",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _variant_rows(variants, start=0):
    data = {}
    for i, v in enumerate(variants, start=start):
        for key, value in v.items():
            data[f"variants-{i}-{key}"] = value
    return data


def test_create_product_with_channels_and_a_variant(admin_client):
    web = SalesChannelFactory(name="Web")
    data = _product_form(title="Blue shirt", channels=[web.pk])
    data.update(
        {"variants-TOTAL_FORMS": "1"}
        | _variant_rows(
            [{"title": "M", "sku": "SHIRT-M", "inventory_quantity": "5", "manage_inventory": "on"}]
        )
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    product = Product.objects.get(title="Blue shirt")
    assert product.handle == "blue-shirt"  # made by the service from the title
    assert _channel_ids(product) == {web.pk}
    assert list(product.variants.values_list("title", "sku", "inventory_quantity")) == [
        ("M", "SHIRT-M", 5)
    ]


def test_create_product_without_channels_goes_to_the_default_channel(admin_client, default_channel):
    response = admin_client.post(ADD_URL, _product_form(title="Mug"))
    assert response.status_code == 302
    assert _channel_ids(Product.objects.get(title="Mug")) == {default_channel.pk}


def test_change_product_replaces_its_channels(admin_client):
    web, app, b2b = SalesChannelFactory.create_batch(3)
    product = ProductFactory(sales_channels=[web, app])

    page = admin_client.get(_change_url(product))
    response = admin_client.post(
        _change_url(product), _product_form(product, title="Renamed", channels=[app.pk, b2b.pk])
    )

    assert set(page.context["adminform"].form.fields["channels"].initial) == {web.pk, app.pk}
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.title == "Renamed"
    assert _channel_ids(product) == {app.pk, b2b.pk}


def test_change_handle_and_keep_it_when_left_empty(admin_client):
    product = ProductFactory(title="Mug", handle="mug")

    renamed = admin_client.post(_change_url(product), _product_form(product, handle="big-mug"))
    product.refresh_from_db()
    after_rename = product.handle
    emptied = admin_client.post(_change_url(product), _product_form(product, handle=""))
    product.refresh_from_db()

    assert (renamed.status_code, emptied.status_code) == (302, 302)
    assert (after_rename, product.handle) == ("big-mug", "big-mug")


def test_handle_taken_by_another_product_is_refused(admin_client):
    ProductFactory(handle="mug")
    product = ProductFactory(title="Cup", handle="cup")

    response = admin_client.post(_change_url(product), _product_form(product, handle="mug"))

    assert response.status_code == 200
    product.refresh_from_db()
    assert product.handle == "cup"


def test_variants_inline_updates_and_deletes_through_the_services(admin_client):
    product = ProductFactory()
    keep = ProductVariantFactory(product=product, title="S", inventory_quantity=1)
    drop = ProductVariantFactory(product=product, title="L")
    data = _product_form(product)
    data.update(
        {"variants-TOTAL_FORMS": "2", "variants-INITIAL_FORMS": "2"}
        | _variant_rows(
            [
                {
                    "id": keep.pk,
                    "product": product.pk,
                    "title": "Small",
                    "sku": keep.sku,
                    "inventory_quantity": "7",
                    "manage_inventory": "on",
                },
                {
                    "id": drop.pk,
                    "product": product.pk,
                    "title": drop.title,
                    "sku": drop.sku,
                    "inventory_quantity": "100",
                    "manage_inventory": "on",
                    "DELETE": "on",
                },
            ]
        )
    )

    response = admin_client.post(_change_url(product), data)

    assert response.status_code == 302
    keep.refresh_from_db()
    assert (keep.title, keep.inventory_quantity) == ("Small", 7)
    assert ProductVariant.all_objects.get(pk=drop.pk).deleted_at is not None
    assert list(product.variants.all()) == [keep]


def test_a_variant_refused_by_the_service_rolls_back_the_whole_save(admin_client):
    # given: a product with an option; a new variant must name a value for it
    product = product_create(
        title="Shirt", options=["Size"], sales_channel_ids=[SalesChannelFactory().pk]
    )
    data = _product_form(product, title="Renamed shirt")
    data.update(
        {"variants-TOTAL_FORMS": "1"}
        | _variant_rows([{"title": "No size", "inventory_quantity": "1", "manage_inventory": "on"}])
    )

    # when
    response = admin_client.post(_change_url(product), data)

    # then: the form comes back, the refusal is shown, and the rename is rolled back too
    assert response.status_code == 200
    message = VariantOptionsMismatch("No size", 1, 0).message
    assert _messages(response) == [(messages.ERROR, message)]
    assert response.context["adminform"].form.non_field_errors() == [REFUSED_FORM_ERROR]
    product.refresh_from_db()
    assert product.title == "Shirt"
    assert product.variants.exists() is False


def test_a_variant_with_option_values_is_created(admin_client):
    product = product_create(
        title="Shirt", options=["Size"], sales_channel_ids=[SalesChannelFactory().pk]
    )
    data = _product_form(product)
    data.update(
        {"variants-TOTAL_FORMS": "1"}
        | _variant_rows(
            [
                {
                    "title": "M",
                    "inventory_quantity": "1",
                    "manage_inventory": "on",
                    "option_values": "M",
                }
            ]
        )
    )
    response = admin_client.post(_change_url(product), data)
    assert response.status_code == 302
    variant = product.variants.get()
    assert list(variant.options.values_list("value", flat=True)) == ["M"]


def test_product_delete_is_soft(admin_client):
    product = ProductFactory(sales_channels=[SalesChannelFactory()])
    ProductVariantFactory(product=product)

    response = admin_client.post(f"{LIST_URL}{product.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert Product.all_objects.get(pk=product.pk).deleted_at is not None
    assert ProductVariant.objects.filter(product_id=product.pk).exists() is False


# ---- variant page: prices ----


VARIANT_URL = "/admin/catalog/productvariant/"


def _price_form(variant, prices, initial=0):
    data = {
        "title": variant.title,
        "sku": variant.sku or "",
        "barcode": "",
        "ean": "",
        "upc": "",
        "inventory_quantity": str(variant.inventory_quantity),
        "manage_inventory": "on",
        "variant_rank": "0",
        "prices-TOTAL_FORMS": str(len(prices)),
        "prices-INITIAL_FORMS": str(initial),
        "prices-MIN_NUM_FORMS": "0",
        "prices-MAX_NUM_FORMS": "1000",
    }
    for i, price in enumerate(prices):
        for key, value in price.items():
            data[f"prices-{i}-{key}"] = value
    return data


def test_variant_page_replaces_prices_through_the_service(admin_client):
    variant = ProductVariantFactory(price=False)
    usd = PriceFactory(variant=variant, currency_code="usd", amount=1000)

    response = admin_client.post(
        f"{VARIANT_URL}{variant.pk}/change/",
        _price_form(
            variant,
            [
                {"id": usd.pk, "variant": variant.pk, "currency_code": "usd", "amount": "1200"},
                {"variant": variant.pk, "currency_code": "eur", "amount": "1100"},
            ],
            initial=1,
        ),
    )

    assert response.status_code == 302
    assert sorted(Price.objects.filter(variant=variant).values_list("currency_code", "amount")) == [
        ("eur", 1100),
        ("usd", 1200),
    ]


def test_variants_cannot_be_added_outside_their_product(admin_client):
    assert admin_client.get(VARIANT_URL + "add/").status_code == 403
