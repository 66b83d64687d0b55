"""Staff scoped to channels: through the admin API and the Django admin alike."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from catalog.models import ProductSalesChannel
from commerce.models import Store, User
from saleschannels.models import PublishableApiKey, SalesChannel
from saleschannels.scope import staff_scope
from saleschannels.selectors import default_sales_channel_get
from tests.commerce.factories import StaffUserFactory
from tests.security.permissions_helpers import token_client
from tests.security.scope_shop import ScopeShop, scope_shop_create
from tests.security.shop import fingerprint

pytestmark = pytest.mark.django_db

OUTSIDE = {
    "type": "not_allowed",
    "message": "You may only use the sales channels you are scoped to",
}


@pytest.fixture
def shop() -> ScopeShop:
    return scope_shop_create()


@pytest.fixture
def clerk(shop) -> APIClient:
    return token_client(shop.clerk)


def _ids(response, key: str) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()[key]}


# ---- WHAT A SCOPED USER SEES ----


def test_lists_and_counts_hold_only_the_scope(shop, clerk):
    channels = clerk.get("/api/admin/sales-channels")
    assert _ids(channels, "sales_channels") == {shop.a.pk}
    assert channels.json()["count"] == 1

    orders = clerk.get("/api/admin/orders")
    assert _ids(orders, "orders") == {shop.order_a.pk}
    assert orders.json()["count"] == 1

    products = clerk.get("/api/admin/products")
    assert _ids(products, "products") == {shop.product_a.pk, shop.product_ab.pk}
    assert products.json()["count"] == 2
    # the cheap per-channel count path must not bypass the scope
    by_channel = clerk.get(f"/api/admin/products?sales_channel_id[]={shop.b.pk}")
    assert _ids(by_channel, "products") == {shop.product_ab.pk}
    assert by_channel.json()["count"] == 1

    keys = clerk.get("/api/admin/publishable-api-keys")
    assert _ids(keys, "publishable_api_keys") == {shop.key_a.pk, shop.key_none.pk}
    assert keys.json()["count"] == 2


def test_an_unrestricted_user_sees_everything(shop):
    root = token_client(StaffUserFactory(email="root@example.com"))
    assert shop.b.pk in _ids(root.get("/api/admin/sales-channels"), "sales_channels")
    assert _ids(root.get("/api/admin/orders"), "orders") == {shop.order_a.pk, shop.order_b.pk}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/admin/sales-channels/{b}", "Sales channel with id: {b} was not found"),
        ("/api/admin/orders/{order_b}", "Order with id: {order_b} was not found"),
        ("/api/admin/products/{product_b}", "Product with id: {product_b} was not found"),
        ("/api/admin/publishable-api-keys/{key_ab}", None),
        ("/api/admin/publishable-api-keys/{key_b}/sales-channels", None),
    ],
)
def test_objects_outside_the_scope_are_404(shop, clerk, path, message):
    names = {
        "b": shop.b.pk,
        "order_b": shop.order_b.pk,
        "product_b": shop.product_b.pk,
        "key_ab": shop.key_ab.pk,
        "key_b": shop.key_b.pk,
    }

    response = clerk.get(path.format(**names))

    assert response.status_code == 404
    assert response.json()["type"] == "not_found"
    if message:
        assert response.json()["message"] == message.format(**names)


def test_objects_inside_the_scope_open(shop, clerk):
    assert clerk.get(f"/api/admin/sales-channels/{shop.a.pk}").status_code == 200
    assert clerk.get(f"/api/admin/orders/{shop.order_a.pk}").status_code == 200
    assert clerk.get(f"/api/admin/products/{shop.product_ab.pk}").status_code == 200
    assert clerk.get(f"/api/admin/publishable-api-keys/{shop.key_a.pk}").status_code == 200


# ---- WHAT A SCOPED USER MAY CHANGE ----


def test_writes_outside_the_scope_are_404_and_change_nothing(shop, clerk):
    before = fingerprint()

    assert clerk.post(f"/api/admin/sales-channels/{shop.b.pk}", {"name": "X"}).status_code == 404
    assert clerk.delete(f"/api/admin/sales-channels/{shop.b.pk}").status_code == 404
    assert clerk.post(f"/api/admin/products/{shop.product_b.pk}", {"title": "X"}).status_code == 404
    assert clerk.delete(f"/api/admin/products/{shop.product_b.pk}").status_code == 404
    assert clerk.delete(f"/api/admin/publishable-api-keys/{shop.key_ab.pk}").status_code == 404
    assert clerk.post(f"/api/admin/publishable-api-keys/{shop.key_b.pk}/revoke").status_code == 404
    batch = {"product_ids": [{"id": shop.product_a.pk}]}
    assert (
        clerk.post(f"/api/admin/sales-channels/{shop.b.pk}/products/batch", batch).status_code
        == 404
    )
    assert (
        clerk.delete(f"/api/admin/sales-channels/{shop.b.pk}/products/batch", batch).status_code
        == 404
    )

    assert fingerprint() == before


def test_a_product_with_a_channel_outside_the_scope_is_seen_but_not_changed(shop, clerk):
    before = fingerprint()

    edit = clerk.post(f"/api/admin/products/{shop.product_ab.pk}", {"title": "X"})
    delete = clerk.delete(f"/api/admin/products/{shop.product_ab.pk}")

    assert (edit.status_code, edit.json()) == (403, OUTSIDE)
    assert (delete.status_code, delete.json()) == (403, OUTSIDE)
    assert fingerprint() == before


def test_products_are_changed_only_into_the_scope(shop, clerk):
    assert (
        clerk.post(f"/api/admin/products/{shop.product_a.pk}", {"title": "New"}).status_code == 200
    )

    moved = clerk.post(
        f"/api/admin/products/{shop.product_a.pk}", {"sales_channels": [{"id": shop.b.pk}]}
    )
    assert (moved.status_code, moved.json()) == (403, OUTSIDE)
    created = clerk.post(
        "/api/admin/products", {"title": "T", "sales_channels": [{"id": shop.b.pk}]}
    )
    assert (created.status_code, created.json()) == (403, OUTSIDE)
    # without channels a product goes to the default channel, which is not theirs
    assert clerk.post("/api/admin/products", {"title": "T"}).status_code == 403
    ok = clerk.post("/api/admin/products", {"title": "T", "sales_channels": [{"id": shop.a.pk}]})
    assert ok.status_code == 200
    assert set(
        ProductSalesChannel.objects.filter(product_id=shop.product_a.pk).values_list(
            "sales_channel_id", flat=True
        )
    ) == {shop.a.pk}


def test_batch_adds_only_products_the_scope_sees(shop, clerk):
    path = f"/api/admin/sales-channels/{shop.a.pk}/products/batch"

    hidden = clerk.post(path, {"product_ids": [{"id": shop.product_b.pk}]})
    assert hidden.status_code == 400
    assert shop.product_b.pk in hidden.content.decode()
    assert not ProductSalesChannel.objects.filter(
        product=shop.product_b, sales_channel=shop.a
    ).exists()

    assert clerk.delete(path, {"product_ids": [{"id": shop.product_ab.pk}]}).status_code == 200
    assert not ProductSalesChannel.objects.filter(
        product=shop.product_ab, sales_channel=shop.a
    ).exists()


def test_keys_get_only_channels_of_the_scope(shop, clerk):
    path = f"/api/admin/publishable-api-keys/{shop.key_none.pk}/sales-channels/batch"

    refused = clerk.post(path, {"sales_channel_ids": [{"id": shop.b.pk}]})

    assert (refused.status_code, refused.json()) == (403, OUTSIDE)
    assert not shop.key_none.channel_links.exists()
    assert clerk.post(path, {"sales_channel_ids": [{"id": shop.a.pk}]}).status_code == 200


def test_the_store_is_not_changed_by_a_scoped_user(shop, clerk):
    default = default_sales_channel_get()

    response = clerk.post("/api/admin/store", {"default_sales_channel_id": shop.a.pk})

    assert response.status_code == 403
    assert response.json() == {
        "type": "not_allowed",
        "message": "A user scoped to sales channels cannot change the store",
    }
    assert Store.objects.get().default_sales_channel_id == default.pk
    assert clerk.get("/api/admin/store").status_code == 200


def test_a_channel_a_scoped_user_creates_joins_their_scope(shop, clerk):
    response = clerk.post("/api/admin/sales-channels", {"name": "Pop-up"})

    assert response.status_code == 200
    new_id = response.json()["sales_channel"]["id"]
    assert staff_scope(User.objects.get(pk=shop.clerk.pk)).channel_ids == {shop.a.pk, new_id}
    assert _ids(clerk.get("/api/admin/sales-channels"), "sales_channels") == {shop.a.pk, new_id}


def test_a_scoped_user_cannot_change_scopes_and_passes_theirs_on(shop, clerk):
    refused = clerk.post(
        "/api/admin/users",
        {"email": "x@example.com", "password": "a-long-password", "sales_channel_ids": None},
    )
    assert refused.status_code == 403
    assert refused.json() == {
        "type": "not_allowed",
        "message": "A user scoped to sales channels cannot change users' sales channel scopes",
    }
    assert not User.objects.filter(email="x@example.com").exists()

    other = StaffUserFactory(email="other@example.com", is_superuser=False)
    changed = clerk.post(f"/api/admin/users/{other.pk}", {"sales_channel_ids": [shop.a.pk]})
    assert changed.status_code == 403

    created = clerk.post(
        "/api/admin/users", {"email": "y@example.com", "password": "a-long-password"}
    )
    assert created.status_code == 200
    assert created.json()["user"]["sales_channel_ids"] == [shop.a.pk]


def test_scopes_through_users_routes_and_groups(shop):
    from django.contrib.auth.models import Group

    from saleschannels.services import group_scope_set

    root = token_client(StaffUserFactory(email="root@example.com"))
    created = root.post(
        "/api/admin/users",
        {
            "email": "b2b@example.com",
            "password": "a-long-password",
            "sales_channel_ids": [shop.b.pk],
        },
    )
    assert created.json()["user"]["sales_channel_ids"] == [shop.b.pk]
    user_id = created.json()["user"]["id"]
    b2b = token_client(User.objects.get(pk=user_id))
    assert _ids(b2b.get("/api/admin/orders"), "orders") == {shop.order_b.pk}

    # a group's scope adds up with the user's own
    group = Group.objects.create(name="Web desk")
    group_scope_set(group_id=group.pk, sales_channel_ids=[shop.a.pk])
    User.objects.get(pk=user_id).groups.add(group)
    b2b = token_client(User.objects.get(pk=user_id))
    assert _ids(b2b.get("/api/admin/orders"), "orders") == {shop.order_a.pk, shop.order_b.pk}

    # null: every channel again (the group still restricts)
    root.post(f"/api/admin/users/{user_id}", {"sales_channel_ids": None})
    assert root.get(f"/api/admin/users/{user_id}").json()["user"]["sales_channel_ids"] == [
        shop.a.pk
    ]
    unknown = root.post(f"/api/admin/users/{user_id}", {"sales_channel_ids": ["sc_missing"]})
    assert unknown.status_code == 404


# ---- THE DJANGO ADMIN ----


def test_the_django_admin_shows_only_the_scope(shop, client):
    client.force_login(shop.clerk)

    orders = client.get("/admin/orders/order/")
    assert orders.status_code == 200
    assert b"a@example.com" in orders.content
    assert b"b@example.com" not in orders.content
    assert client.get(f"/admin/orders/order/{shop.order_b.pk}/change/").status_code == 404
    assert client.get(f"/admin/orders/order/{shop.order_a.pk}/change/").status_code == 200

    assert client.get(f"/admin/carts/cart/{shop.cart_b.pk}/change/").status_code == 404
    assert client.get(f"/admin/catalog/product/{shop.product_b.pk}/change/").status_code == 404
    assert client.get(f"/admin/saleschannels/saleschannel/{shop.b.pk}/change/").status_code == 404
    assert (
        client.get(f"/admin/saleschannels/publishableapikey/{shop.key_ab.pk}/change/").status_code
        == 404
    )

    channels = client.get("/admin/saleschannels/saleschannel/")
    assert b"Web A" in channels.content
    assert b"B2B B" not in channels.content  # neither in the list nor in the overview chart

    products = client.get("/admin/catalog/product/")
    assert b"Only A" in products.content
    assert b"Only B" not in products.content
    search = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "catalog",
            "model_name": "productsaleschannel",
            "field_name": "product",
            "term": "Only",
        },
    )
    assert [row["text"] for row in search.json()["results"]] == ["Only A"]


def test_the_django_admin_refuses_changes_outside_the_scope(shop, client):
    client.force_login(shop.clerk)
    before = fingerprint()

    # a product with a channel outside the scope: viewable, not changeable
    change_url = f"/admin/catalog/product/{shop.product_ab.pk}/change/"
    assert client.get(change_url).status_code == 200
    assert (
        client.post(
            f"/admin/catalog/product/{shop.product_ab.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    # the bulk action cannot reach another channel
    response = client.post(
        "/admin/catalog/product/",
        {
            "action": "add_to_sales_channels",
            "_selected_action": [shop.product_a.pk],
            "apply": "1",
            "sales_channels": [shop.b.pk],
        },
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    # nor the store
    store = Store.objects.get()
    response = client.post(f"/admin/commerce/store/{store.pk}/change/", {"name": "X"})
    assert response.status_code == 403

    assert fingerprint() == before


def test_the_user_page_shows_and_edits_the_scope(shop, client):
    client.force_login(StaffUserFactory(email="root@example.com"))
    user = User.objects.get(pk=shop.clerk.pk)

    page = client.get(f"/admin/commerce/user/{user.pk}/change/")
    assert page.status_code == 200
    assert b"Sales channel scope" in page.content
    assert re.search(rb'<input type="checkbox" name="scope_restricted"[^>]* checked>', page.content)
    assert re.search(
        rb'<input type="checkbox" name="scope_channels" value="%s"[^>]* checked>'
        % shop.a.pk.encode(),
        page.content,
    )

    response = client.post(
        f"/admin/commerce/user/{user.pk}/change/",
        {
            "email": user.email,
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "is_staff": "on",
            "groups": list(user.groups.values_list("pk", flat=True)),
            "scope_restricted": "on",
            "scope_channels": [shop.a.pk, shop.b.pk],
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert staff_scope(User.objects.get(pk=user.pk)).channel_ids == {shop.a.pk, shop.b.pk}

    client.post(
        f"/admin/commerce/user/{user.pk}/change/",
        {
            "email": user.email,
            "is_active": "on",
            "is_staff": "on",
            "groups": list(user.groups.values_list("pk", flat=True)),
        },
    )
    assert not staff_scope(User.objects.get(pk=user.pk)).restricted
    assert SalesChannel.objects.count() >= 2
    assert PublishableApiKey.objects.count() == 4


def test_the_group_page_edits_the_groups_scope(shop, client):
    from django.contrib.auth.models import Group

    client.force_login(StaffUserFactory(email="root@example.com"))
    desk = Group.objects.create(name="B2B desk")
    member = StaffUserFactory(email="desk@example.com", is_superuser=False)
    member.groups.add(desk)

    response = client.post(
        f"/admin/auth/group/{desk.pk}/change/",
        {"name": "B2B desk", "scope_restricted": "on", "scope_channels": [shop.b.pk]},
    )

    assert response.status_code == 302
    assert staff_scope(User.objects.get(pk=member.pk)).channel_ids == {shop.b.pk}
    page = client.get(f"/admin/auth/group/{desk.pk}/change/")
    assert re.search(rb'<input type="checkbox" name="scope_restricted"[^>]* checked>', page.content)


def test_a_visible_products_other_channels_are_not_shown(shop, clerk, client):
    detail = clerk.get(f"/api/admin/products/{shop.product_ab.pk}?expand=sales_channels")
    assert [c["id"] for c in detail.json()["product"]["sales_channels"]] == [shop.a.pk]
    listed = clerk.get("/api/admin/products?expand=sales_channels")
    assert {c["id"] for p in listed.json()["products"] for c in p["sales_channels"]} == {shop.a.pk}

    client.force_login(shop.clerk)
    assert b"B2B B" not in client.get("/admin/catalog/product/").content
