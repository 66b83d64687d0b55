"""The order screens of the Django admin: read-only, filterable, and safe with deleted channels."""

from datetime import UTC, datetime, timedelta

import pytest

from catalog.services import product_delete
from orders.dashboard import channel_overview
from orders.models import Order, OrderStatus
from saleschannels.models import SalesChannel
from saleschannels.services import sales_channel_delete
from tests.catalog.factories import ProductVariantFactory
from tests.commerce.factories import RegionFactory
from tests.orders.factories import OrderFactory, OrderItemFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/orders/order/"


def _change_url(order):
    return f"{LIST_URL}{order.pk}/change/"


def _rows(response):
    cl = response.context["cl"]
    admin = cl.model_admin
    return [
        [admin.display(o), o.email, str(admin.channel(o)), o.status, admin.total_display(o)]
        for o in cl.result_list
    ]


def test_list_shows_display_id_email_channel_status_and_total(admin_client):
    web = SalesChannelFactory(name="Web")
    eur = RegionFactory(currency_code="eur")
    OrderFactory(display_id=1001, email="ada@example.com", sales_channel=web, total=123456)
    OrderFactory(
        display_id=1002,
        email="bob@example.com",
        sales_channel=web,
        region=eur,
        total=999,
        status=OrderStatus.COMPLETED,
    )

    response = admin_client.get(LIST_URL)

    assert response.status_code == 200
    assert _rows(response) == [
        ["#1002", "bob@example.com", "Web", "completed", "9.99 EUR"],
        ["#1001", "ada@example.com", "Web", "pending", "1,234.56 USD"],
    ]


def test_filter_by_channel_and_status(admin_client):
    web, app = SalesChannelFactory.create_batch(2)
    a = OrderFactory(sales_channel=web)
    b = OrderFactory(sales_channel=app, status=OrderStatus.COMPLETED)
    c = OrderFactory(sales_channel=app)

    def ids(query):
        return {o.pk for o in admin_client.get(LIST_URL + query).context["cl"].result_list}

    assert ids(f"?sales_channel={web.pk}") == {a.pk}
    assert ids(f"?sales_channel={app.pk}") == {b.pk, c.pk}
    assert ids(f"?sales_channel={app.pk}&status=completed") == {b.pk}


def test_search_by_email_and_display_id(admin_client):
    OrderFactory(display_id=4242, email="ada@example.com")
    OrderFactory(display_id=77, email="bob@example.com")

    def emails(query):
        return [o.email for o in admin_client.get(LIST_URL + query).context["cl"].result_list]

    assert emails("?q=ada@") == ["ada@example.com"]
    assert emails("?q=4242") == ["ada@example.com"]


def test_date_hierarchy_drills_down_by_created_at(admin_client):
    OrderFactory(email="old@example.com", created_at=datetime(2024, 3, 5, 12, tzinfo=UTC))
    OrderFactory(email="new@example.com", created_at=datetime(2025, 7, 1, 12, tzinfo=UTC))

    response = admin_client.get(LIST_URL + "?created_at__year=2024")

    assert [o.email for o in response.context["cl"].result_list] == ["old@example.com"]


def test_list_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries):
    web = SalesChannelFactory()
    # 1 session, 2 user, 3 channel filter choices, 4 COUNT(*) of the filtered list (no second,
    # unfiltered COUNT), 5 the page joined to its channel and region, 6 the date hierarchy's
    # MIN/MAX(created_at), 7 its distinct dates (the hierarchy skips levels with one value)
    OrderFactory.create_batch(2, sales_channel=web)
    with django_assert_num_queries(7):
        small = admin_client.get(LIST_URL)
    OrderFactory.create_batch(40, sales_channel=web)
    with django_assert_num_queries(7):
        big = admin_client.get(LIST_URL)
    assert (len(small.context["cl"].result_list), len(big.context["cl"].result_list)) == (2, 42)


def test_orders_are_read_only(admin_client):
    order = OrderFactory(total=1000)
    data = {"email": "x@example.com", "total": "1"}

    assert admin_client.get(LIST_URL + "add/").status_code == 403
    change = admin_client.post(_change_url(order), data)
    delete = admin_client.post(f"{LIST_URL}{order.pk}/delete/", {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    order.refresh_from_db()
    assert (order.email, order.total) == (order.email, 1000)
    assert Order.objects.count() == 1


def test_detail_shows_items_and_formatted_totals(admin_client):
    order = OrderFactory(subtotal=2000, total=2400, tax_total=400)
    OrderItemFactory(order=order, title="Shirt", unit_price=1000, quantity=2)

    response = admin_client.get(_change_url(order))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Shirt" in html
    for amount in ("20.00 USD", "4.00 USD", "24.00 USD", "10.00 USD"):
        assert amount in html


def test_a_soft_deleted_channel_and_product_do_not_break_the_pages(admin_client, default_channel):
    channel = SalesChannelFactory(name="Closed shop")
    variant = ProductVariantFactory()
    order = OrderFactory(sales_channel=channel)
    OrderItemFactory(
        order=order, variant=variant, product_id=variant.product_id, title="Gone product"
    )
    sales_channel_delete(channel_id=channel.pk)
    product_delete(product_id=variant.product_id)

    listing = admin_client.get(LIST_URL)
    filtered = admin_client.get(f"{LIST_URL}?sales_channel={channel.pk}")
    detail = admin_client.get(_change_url(order))

    assert (listing.status_code, filtered.status_code, detail.status_code) == (200, 200, 200)
    assert (
        'Closed shop <span class="cs-badge cs-badge--disabled">Deleted</span>'
        in listing.content.decode()
    )
    assert [o.pk for o in filtered.context["cl"].result_list] == [order.pk]
    assert "Closed shop (deleted)" in filtered.content.decode()  # still a filter choice
    assert "Gone product" in detail.content.decode()


def test_a_hard_deleted_channel_does_not_break_the_pages(admin_client):
    channel = SalesChannelFactory(name="Vanished")
    order = OrderFactory(sales_channel=channel)
    channel_id = channel.pk
    SalesChannel.all_objects.filter(pk=channel_id).delete()

    listing = admin_client.get(LIST_URL)
    filtered = admin_client.get(f"{LIST_URL}?sales_channel={channel_id}")
    detail = admin_client.get(_change_url(order))
    channels = admin_client.get("/admin/saleschannels/saleschannel/")

    assert (listing.status_code, filtered.status_code, detail.status_code) == (200, 200, 200)
    badge = f'{channel_id} <span class="cs-badge cs-badge--disabled">Deleted</span>'
    assert badge in listing.content.decode()
    assert badge in detail.content.decode()
    assert [o.pk for o in filtered.context["cl"].result_list] == [order.pk]
    assert channels.status_code == 200
    assert f"Deleted channel {channel_id}" in channels.content.decode()  # in the overview chart


# ---- the overview's numbers ----


def test_overview_groups_by_channel_and_currency_over_the_last_days(default_channel):
    now = datetime(2025, 6, 30, 15, tzinfo=UTC)
    web = SalesChannelFactory(name="Web")
    eur = RegionFactory(currency_code="eur")
    OrderFactory(sales_channel=web, total=1000, created_at=now - timedelta(hours=1))
    OrderFactory(sales_channel=web, total=500, region=eur, created_at=now - timedelta(days=2))
    OrderFactory(sales_channel=default_channel, total=300, created_at=now - timedelta(days=29))
    OrderFactory(sales_channel=web, total=9999, created_at=now - timedelta(days=30))  # too old
    OrderFactory(sales_channel=None, total=100, created_at=now)

    overview = channel_overview(days=30, now=now)

    assert (overview.since.isoformat(), overview.until.isoformat()) == ("2025-06-01", "2025-06-30")
    assert [
        (
            r.name,
            r.orders,
            r.orders_percent,
            [(b.currency_code, b.amount, b.percent) for b in r.revenue],
        )
        for r in overview.rows
    ] == [
        ("Web", 2, 100.0, [("eur", 500, 100.0), ("usd", 1000, 100.0)]),
        ("Default Sales Channel", 1, 50.0, [("usd", 300, 30.0)]),
        ("No sales channel", 1, 50.0, [("usd", 100, 10.0)]),
    ]
    web_row = overview.rows[0]
    assert (web_row.daily_orders[-1], web_row.daily_orders[-3]) == (1, 1)
    assert sum(web_row.daily_orders) == 2
    assert overview.total_revenue == [("eur", 500), ("usd", 1400)]


def test_overview_is_one_query(django_assert_num_queries):
    for channel in SalesChannelFactory.create_batch(3):
        OrderFactory.create_batch(2, sales_channel=channel)
    with django_assert_num_queries(1):
        channel_overview(days=30)
