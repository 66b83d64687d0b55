"""The sales-channel, publishable-key and store screens of the Django admin.

Every write goes through `saleschannels.services`, so the admin refuses what the API refuses.
"""

from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.utils import timezone

from catalog.models import ProductSalesChannel
from commerce.admin_base import REFUSED_FORM_ERROR
from commerce.models import Store
from orders.models import OrderStatus
from saleschannels.exceptions import (
    DefaultSalesChannelNotDeletable,
    DefaultSalesChannelNotDisableable,
    PublishableApiKeyAlreadyRevoked,
)
from saleschannels.models import PublishableApiKey, SalesChannel
from saleschannels.selectors import publishable_key_scope_resolve
from tests.catalog.factories import ProductFactory
from tests.orders.factories import OrderFactory
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/saleschannels/saleschannel/"
ADD_URL = LIST_URL + "add/"
KEYS_URL = "/admin/saleschannels/publishableapikey/"


def _change_url(channel):
    return f"{LIST_URL}{channel.pk}/change/"


def _delete_url(channel):
    return f"{LIST_URL}{channel.pk}/delete/"


def _messages(response):
    """The messages shown on the page (requests with messages are sent with follow=True)."""
    return [(m.level, m.message) for m in response.context["messages"]]


def _form_data(channel, **changes):
    data = {
        "name": channel.name,
        "description": channel.description or "",
        "metadata": "",
        # the stock locations inline (inventory.admin), left as it is
        "location_links-TOTAL_FORMS": "0",
        "location_links-INITIAL_FORMS": "0",
    }
    if channel.is_disabled:
        data["is_disabled"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _rows(response):
    """The changelist rows as (name, status, product count, order count)."""
    return [
        (c.name, c.is_disabled, c.product_count, c.order_count)
        for c in response.context["cl"].result_list
    ]


# ---- list ----


def test_list_shows_status_default_badge_and_counts(admin_client, default_channel):
    # given
    web = SalesChannelFactory(name="Web shop")
    outlet = SalesChannelFactory(name="Outlet", is_disabled=True)
    ProductFactory.create_batch(3, sales_channels=[web, default_channel])
    gone = ProductFactory(sales_channels=[web], deleted_at=timezone.now())  # not counted
    OrderFactory.create_batch(2, sales_channel=web)
    OrderFactory(sales_channel=outlet)

    # when
    response = admin_client.get(LIST_URL)

    # then
    assert response.status_code == 200
    assert _rows(response) == [
        ("Default Sales Channel", False, 3, 0),
        ("Outlet", True, 0, 1),
        ("Web shop", False, 3, 2),
    ]
    html = response.content.decode()
    assert html.count('<span class="cs-badge cs-badge--default">Default</span>') == 1
    assert '<span class="cs-badge cs-badge--disabled">Disabled</span>' in html
    assert html.count('<span class="cs-badge cs-badge--enabled">Enabled</span>') == 2
    assert gone.deleted_at is not None


def test_counts_do_not_multiply_each_other(admin_client):
    # Two joins (products by orders) would report 3 * 4 = 12 for both; subqueries do not.
    channel = SalesChannelFactory(name="Busy")
    ProductFactory.create_batch(3, sales_channels=[channel])
    OrderFactory.create_batch(4, sales_channel=channel)
    response = admin_client.get(LIST_URL + "?q=Busy")
    assert _rows(response) == [("Busy", False, 3, 4)]


def test_search_by_name_and_description(admin_client, default_channel):
    SalesChannelFactory(name="Wholesale", description="B2B portal")
    SalesChannelFactory(name="App", description="iOS and Android")

    def names(query):
        return [c.name for c in admin_client.get(LIST_URL + query).context["cl"].result_list]

    assert names("?q=whole") == ["Wholesale"]
    assert names("?q=android") == ["App"]
    assert names("?q=nothing-like-this") == []


def test_filter_by_status(admin_client, default_channel):
    SalesChannelFactory(name="Outlet", is_disabled=True)

    def names(query):
        return [c.name for c in admin_client.get(LIST_URL + query).context["cl"].result_list]

    assert names("?status=disabled") == ["Outlet"]
    assert names("?status=enabled") == ["Default Sales Channel"]


def test_list_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries):
    def build(count):
        for channel in SalesChannelFactory.create_batch(count):
            ProductFactory.create_batch(2, sales_channels=[channel])
            OrderFactory.create_batch(2, sales_channel=channel)

    # 1 session, 2 user, 3 COUNT(*) of the filtered list, 4 COUNT(*) of all channels,
    # 5 the page with is_default/product_count/order_count annotated, 6 the 30-day overview
    build(2)
    with django_assert_num_queries(6):
        small = admin_client.get(LIST_URL)
    build(20)
    with django_assert_num_queries(6):
        big = admin_client.get(LIST_URL)
    assert (len(small.context["cl"].result_list), len(big.context["cl"].result_list)) == (3, 23)


# ---- the per-channel overview ----


def test_overview_chart_shows_orders_and_revenue_per_channel(admin_client, default_channel):
    # given
    web = SalesChannelFactory(name="Web shop")
    app = SalesChannelFactory(name="App")
    OrderFactory.create_batch(3, sales_channel=web, total=2500)
    OrderFactory(sales_channel=app, total=999)
    OrderFactory(sales_channel=app, total=5000, status=OrderStatus.CANCELED)  # excluded
    OrderFactory(sales_channel=app, total=7000, created_at=timezone.now() - timedelta(days=31))

    # when
    response = admin_client.get(LIST_URL)

    # then
    overview = response.context["channel_overview"]
    assert [
        (r.name, r.orders, [(b.currency_code, b.amount) for b in r.revenue]) for r in overview.rows
    ] == [
        ("Web shop", 3, [("usd", 7500)]),
        ("App", 1, [("usd", 999)]),
    ]
    assert (overview.total_orders, overview.total_revenue) == (4, [("usd", 8499)])
    html = response.content.decode()
    assert "Orders and revenue per channel · last 30 days" in html
    assert "75.00 USD" in html
    assert "9.99 USD" in html
    assert '<polyline points="' in html


# ---- create / change ----


def test_create_goes_through_the_service(admin_client):
    response = admin_client.post(
        ADD_URL,
        {
            "name": "Wholesale",
            "description": "B2B",
            "metadata": '{"tier": "gold"}',
            "location_links-TOTAL_FORMS": "0",
            "location_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    channel = SalesChannel.objects.get(name="Wholesale")
    assert (channel.description, channel.is_disabled, channel.metadata) == (
        "B2B",
        False,
        {"tier": "gold"},
    )


def test_change_updates_name_and_disables(admin_client):
    channel = SalesChannelFactory(name="Web")
    response = admin_client.post(
        _change_url(channel), _form_data(channel, name="Web shop", is_disabled="on")
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.name, channel.is_disabled) == ("Web shop", True)


def test_disabling_the_default_in_the_form_is_refused_and_changes_nothing(
    admin_client, default_channel
):
    # when: rename and disable together
    response = admin_client.post(
        _change_url(default_channel),
        _form_data(default_channel, name="Renamed", is_disabled="on"),
    )

    # then: the form comes back with the refusal; the rename was rolled back too
    assert response.status_code == 200
    assert _messages(response) == [(messages.ERROR, DefaultSalesChannelNotDisableable.message)]
    assert response.context["adminform"].form.non_field_errors() == [REFUSED_FORM_ERROR]
    default_channel.refresh_from_db()
    assert (default_channel.name, default_channel.is_disabled) == ("Default Sales Channel", False)


def test_change_page_tells_that_the_default_cannot_be_disabled(admin_client, default_channel):
    response = admin_client.get(_change_url(default_channel))
    assert "it cannot be disabled or deleted" in response.content.decode()


# ---- actions ----


def _action(admin_client, action, channels, **extra):
    return admin_client.post(
        LIST_URL,
        {"action": action, "_selected_action": [c.pk for c in channels], "index": 0, **extra},
        follow=True,
    )


def test_disable_and_enable_actions(admin_client):
    first, second = SalesChannelFactory.create_batch(2)

    response = _action(admin_client, "disable_selected", [first, second])
    assert _messages(response) == [(messages.SUCCESS, "Disabled 2 sales channels.")]
    assert set(SalesChannel.objects.values_list("name", "is_disabled")) >= {
        (first.name, True),
        (second.name, True),
    }

    response = _action(admin_client, "enable_selected", [first])
    assert _messages(response) == [(messages.SUCCESS, "Enabled 1 sales channel.")]
    first.refresh_from_db()
    assert first.is_disabled is False


def test_disable_action_refuses_the_default_and_changes_nothing(admin_client, default_channel):
    other = SalesChannelFactory()

    response = _action(admin_client, "disable_selected", [other, default_channel])

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert _messages(response) == [(messages.ERROR, DefaultSalesChannelNotDisableable.message)]
    assert SalesChannel.objects.filter(is_disabled=True).exists() is False


# ---- delete ----


def test_deleting_the_default_is_refused_and_changes_nothing(admin_client, default_channel):
    response = admin_client.post(_delete_url(default_channel), {"post": "yes"}, follow=True)

    assert response.redirect_chain == [(_change_url(default_channel), 302)]
    assert _messages(response) == [(messages.ERROR, DefaultSalesChannelNotDeletable.message)]
    default_channel.refresh_from_db()
    assert default_channel.deleted_at is None
    assert Store.objects.get().default_sales_channel_id == default_channel.pk


def test_bulk_delete_with_the_default_is_refused_and_deletes_nothing(admin_client, default_channel):
    other = SalesChannelFactory()

    response = _action(admin_client, "delete_selected", [other, default_channel], post="yes")

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert _messages(response) == [(messages.ERROR, DefaultSalesChannelNotDeletable.message)]
    assert SalesChannel.objects.count() == 2


def test_delete_is_a_soft_delete_that_keeps_links_and_orders(admin_client):
    channel = SalesChannelFactory()
    product = ProductFactory(sales_channels=[channel])
    order = OrderFactory(sales_channel=channel)

    confirm = admin_client.get(_delete_url(channel))
    response = admin_client.post(_delete_url(channel), {"post": "yes"})

    assert confirm.status_code == 200
    assert response.status_code == 302
    deleted = SalesChannel.all_objects.get(pk=channel.pk)
    assert deleted.deleted_at is not None
    assert ProductSalesChannel.objects.filter(product=product, sales_channel_id=channel.pk).exists()
    order.refresh_from_db()
    assert order.sales_channel_id == channel.pk


def test_bulk_delete_soft_deletes_other_channels(admin_client, default_channel):
    first, second = SalesChannelFactory.create_batch(2)

    confirm = _action(admin_client, "delete_selected", [first, second])
    response = _action(admin_client, "delete_selected", [first, second], post="yes")

    assert confirm.status_code == 200  # the confirmation lists the two channels, nothing else
    assert list(confirm.context["model_count"]) == [("sales channels", 2)]
    assert _messages(response) == [(messages.SUCCESS, "Successfully deleted 2 sales channels.")]
    assert list(SalesChannel.objects.all()) == [default_channel]
    assert SalesChannel.all_objects.deleted().count() == 2


# ---- the channel's products ----


def test_change_page_lists_the_channels_products_searchable_and_paginated(admin_client):
    channel = SalesChannelFactory()
    for n in range(30):
        ProductFactory(title=f"Shirt {n:02d}", sales_channels=[channel])
    ProductFactory(title="Shirt elsewhere")

    first = admin_client.get(_change_url(channel))
    second = admin_client.get(_change_url(channel) + "?products_page=2")
    searched = admin_client.get(_change_url(channel) + "?products_q=shirt 1")

    def titles(response):
        return [p.title for p in response.context["products_panel"]["page"].object_list]

    assert titles(first) == [f"Shirt {n:02d}" for n in range(25)]
    assert titles(second) == [f"Shirt {n:02d}" for n in range(25, 30)]
    assert titles(searched) == [f"Shirt {n:02d}" for n in range(10, 20)]
    assert first.context["products_panel"]["count_label"] == "30 products"
    html = first.content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in html  # the add widget loads no products
    assert "Shirt elsewhere" not in html


def test_change_page_lists_products_when_the_id_comes_quoted(admin_client):
    # The admin's own links quote "_" in ids ("sc_5F01…"); the panel must unquote it.
    channel = SalesChannelFactory()
    ProductFactory.create_batch(2, sales_channels=[channel])

    response = admin_client.get(f"{LIST_URL}{quote(channel.pk)}/change/")

    assert quote(channel.pk) != channel.pk
    assert response.context["products_panel"]["count_label"] == "2 products"
    assert (
        response.context["products_panel"]["add_url"]
        == f"{LIST_URL}{quote(channel.pk)}/products/add/"
    )


def test_add_products_from_the_change_page(admin_client):
    channel = SalesChannelFactory(name="Web")
    first, second = ProductFactory.create_batch(2)

    response = admin_client.post(
        f"{LIST_URL}{channel.pk}/products/add/", {"products": [first.pk, second.pk]}, follow=True
    )

    assert response.redirect_chain == [(_change_url(channel) + "#products", 302)]
    assert _messages(response) == [(messages.SUCCESS, "Added 2 products to Web.")]
    assert set(channel.products.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_adding_an_unknown_product_is_refused_and_adds_nothing(admin_client):
    channel = SalesChannelFactory()
    product = ProductFactory()

    response = admin_client.post(
        f"{LIST_URL}{channel.pk}/products/add/",
        {"products": [product.pk, "prod_nope"]},
        follow=True,
    )

    assert _messages(response) == [(messages.ERROR, "Products prod_nope do not exist")]
    assert channel.products.exists() is False


def test_remove_products_from_the_change_page(admin_client):
    channel = SalesChannelFactory(name="Web")
    keep, drop = ProductFactory.create_batch(2, sales_channels=[channel])

    response = admin_client.post(
        f"{LIST_URL}{channel.pk}/products/remove/", {"product_ids": [drop.pk]}, follow=True
    )

    assert _messages(response) == [(messages.SUCCESS, "Removed 1 product from Web.")]
    assert list(channel.products.values_list("pk", flat=True)) == [keep.pk]


def test_product_autocomplete_answers_from_the_product_search(admin_client):
    ProductFactory(title="Blue shirt")
    ProductFactory(title="Red mug")
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "catalog",
            "model_name": "productsaleschannel",
            "field_name": "product",
            "term": "shirt",
        },
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Blue shirt"]


def test_change_page_query_count_does_not_grow_with_products(
    admin_client, django_assert_num_queries
):
    channel = SalesChannelFactory()
    ProductFactory.create_batch(3, sales_channels=[channel])
    # 1 session, 2 user, 3 the channel (annotated), 4 COUNT of its products, 5 the page of
    # products, 6 its stock-location links, 7 the locations to choose from (inventory.admin)
    with django_assert_num_queries(7):
        admin_client.get(_change_url(channel))
    ProductFactory.create_batch(40, sales_channels=[channel])
    with django_assert_num_queries(7):
        admin_client.get(_change_url(channel))


# ---- publishable API keys ----


def test_create_key_with_channels_scopes_the_storefront(admin_client):
    # given
    web, app = SalesChannelFactory.create_batch(2)
    SalesChannelFactory()

    # when
    response = admin_client.post(
        KEYS_URL + "add/", {"title": "Web storefront", "channels": [web.pk, app.pk]}
    )

    # then: the key is created by the service, linked to exactly those channels
    assert response.status_code == 302
    key = PublishableApiKey.objects.get(title="Web storefront")
    assert key.created_by.email == "admin@example.com"
    scope = publishable_key_scope_resolve(key_id=key.pk)
    assert set(scope.sales_channel_ids) == {web.pk, app.pk}


def test_key_created_in_the_admin_scopes_the_store_api(admin_client, client):
    # given: a key made in the admin for the web channel only
    web, app = SalesChannelFactory.create_batch(2)
    on_web = ProductFactory(sales_channels=[web])
    ProductFactory(sales_channels=[app])
    admin_client.post(KEYS_URL + "add/", {"title": "Web", "channels": [web.pk]})
    key = PublishableApiKey.objects.get(title="Web")

    # when: a storefront sends it
    response = client.get("/api/store/products", headers={"x-publishable-api-key": key.pk})

    # then: it sees the web channel's products only
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["products"]] == [on_web.pk]


def test_create_key_with_an_unknown_channel_is_refused(admin_client):
    response = admin_client.post(KEYS_URL + "add/", {"title": "Bad", "channels": ["sc_nope"]})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "channels": ["Select a valid choice. sc_nope is not one of the available choices."]
    }
    assert PublishableApiKey.objects.exists() is False


def test_change_key_channels_adds_and_removes_links(admin_client):
    web, app, b2b = SalesChannelFactory.create_batch(3)
    key = PublishableApiKeyFactory(title="Key", sales_channels=[web, app])

    response = admin_client.post(
        f"{KEYS_URL}{key.pk}/change/", {"title": "Key v2", "channels": [app.pk, b2b.pk]}
    )

    assert response.status_code == 302
    key.refresh_from_db()
    assert key.title == "Key v2"
    assert set(key.channel_links.values_list("sales_channel_id", flat=True)) == {app.pk, b2b.pk}


def test_key_list_shows_channels_and_state(admin_client, django_assert_num_queries):
    web = SalesChannelFactory(name="Web")
    PublishableApiKeyFactory(title="Live", sales_channels=[web])
    PublishableApiKeyFactory(title="Old", revoked_at=timezone.now())
    # 1 session, 2 user, 3 COUNT, 4 COUNT all, 5 page (+created_by, revoked_by), 6 channels
    with django_assert_num_queries(6):
        response = admin_client.get(KEYS_URL)
    html = response.content.decode()
    assert [
        (k.title, [c.name for c in k.channel_list], k.is_revoked)
        for k in response.context["cl"].result_list
    ] == [
        ("Old", [], True),
        ("Live", ["Web"], False),
    ]
    assert '<span class="cs-badge cs-badge--disabled">Revoked</span>' in html


def test_revoke_action(admin_client):
    key = PublishableApiKeyFactory()
    response = admin_client.post(
        KEYS_URL,
        {"action": "revoke_selected", "_selected_action": [key.pk], "index": 0},
        follow=True,
    )
    assert _messages(response) == [(messages.SUCCESS, "Revoked 1 key.")]
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert key.revoked_by.email == "admin@example.com"


def test_revoking_an_already_revoked_key_is_refused_and_changes_nothing(admin_client):
    revoked_at = timezone.now() - timedelta(days=1)
    old = PublishableApiKeyFactory(revoked_at=revoked_at)
    live = PublishableApiKeyFactory()

    response = admin_client.post(
        KEYS_URL,
        {"action": "revoke_selected", "_selected_action": [old.pk, live.pk], "index": 0},
        follow=True,
    )

    assert _messages(response) == [(messages.ERROR, PublishableApiKeyAlreadyRevoked.message)]
    live.refresh_from_db()
    old.refresh_from_db()
    assert (live.revoked_at, old.revoked_at) == (None, revoked_at)


def test_delete_key(admin_client):
    key = PublishableApiKeyFactory(sales_channels=[SalesChannelFactory()])
    response = admin_client.post(f"{KEYS_URL}{key.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert PublishableApiKey.objects.exists() is False


# ---- store ----


STORE_URL = "/admin/commerce/store/"


def test_store_list_goes_to_the_one_store_page(admin_client):
    store = Store.objects.get()
    response = admin_client.get(STORE_URL)
    assert response.status_code == 302
    assert response["Location"] == f"{STORE_URL}{store.pk}/change/"


def test_store_cannot_be_added_or_deleted(admin_client):
    store = Store.objects.get()
    assert admin_client.get(STORE_URL + "add/").status_code == 403
    assert admin_client.post(f"{STORE_URL}{store.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Store.objects.count() == 1


def test_store_rename_and_choose_default_channel(admin_client, default_channel):
    web = SalesChannelFactory(name="Web")
    store = Store.objects.get()

    response = admin_client.post(
        f"{STORE_URL}{store.pk}/change/", {"name": "Acme", "default_sales_channel": web.pk}
    )

    assert response.status_code == 302
    store.refresh_from_db()
    assert (store.name, store.default_sales_channel_id) == ("Acme", web.pk)


def test_store_offers_only_enabled_channels(admin_client, default_channel):
    disabled = SalesChannelFactory(name="Outlet", is_disabled=True)
    enabled = SalesChannelFactory(name="Web")
    store = Store.objects.get()

    page = admin_client.get(f"{STORE_URL}{store.pk}/change/")
    response = admin_client.post(
        f"{STORE_URL}{store.pk}/change/", {"name": "Acme", "default_sales_channel": disabled.pk}
    )

    choices = page.context["adminform"].form.fields["default_sales_channel"].queryset
    assert list(choices) == [default_channel, enabled]
    assert response.status_code == 200
    store.refresh_from_db()
    assert (store.name, store.default_sales_channel_id) == ("Medusa Store", default_channel.pk)
