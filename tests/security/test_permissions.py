"""One permission rule for both doors: every admin API route declares the Django permission it needs.

The routes come from the URL configuration (as in test_access), so a route added without a
declaration in `commerce.permissions.ADMIN_API` fails here, and is refused to everyone but
superusers at run time (fail closed).
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from commerce import permissions
from commerce.models import Store
from commerce.permissions import ADMIN_API, admin_api_rule
from saleschannels.models import PublishableApiKey, SalesChannel
from saleschannels.selectors import default_sales_channel_get
from tests.commerce.factories import StaffUserFactory
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory
from tests.security.permissions_helpers import staff_with, token_client
from tests.security.shop import fingerprint
from tests.security.test_access import ADMIN_ROUTES, Route

pytestmark = pytest.mark.django_db


def _request(client: APIClient, route: Route, method: str, body: dict | None = None):
    return client.generic(
        method, route.path, data=json.dumps(body or {}), content_type="application/json"
    )


def _declared(route: Route, method: str) -> permissions.Rule | None:
    return admin_api_rule(route.name, method)


# ---- EVERY ROUTE IS DECLARED ----


def test_every_admin_route_and_method_declares_its_permission():
    undeclared = [
        f"{method} {route.path} ({route.name})"
        for route in ADMIN_ROUTES
        for method in route.methods
        if _declared(route, method) is None
    ]
    assert undeclared == [], "add them to commerce.permissions.ADMIN_API (docs/permissions.md)"


def test_every_declaration_names_a_live_route():
    live = {(route.name, method) for route in ADMIN_ROUTES for method in route.methods}
    assert [key for key in ADMIN_API if key not in live] == []


def test_every_declared_permission_exists():
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    named = {
        perm for rule in ADMIN_API.values() for perm in (*rule.needs, *rule.when_body.values())
    }
    assert named - existing == set()
    assert set(permissions.NAMED_PERMISSIONS) <= existing


# ---- NO PERMISSION, THE DECLARED PERMISSIONS ----


def _guarded() -> list[tuple[Route, str, permissions.Rule]]:
    return [
        (route, method, rule)
        for route in ADMIN_ROUTES
        for method in route.methods
        if (rule := _declared(route, method)) is not None and not (rule.public or rule.staff)
    ]


def test_a_staff_user_without_permissions_is_refused_on_every_guarded_route():
    # given: staff, no permission at all, with a token
    client = token_client(staff_with())
    before = fingerprint()

    for route, method, rule in _guarded():
        # when
        response = _request(client, route, method)

        # then: 403 naming the first permission the rule needs
        where = f"{method} {route.path}"
        assert response.status_code == 403, where
        if method != "HEAD":
            assert response.json() == {
                "type": "not_allowed",
                "message": f"You need the permission {rule.needs[0]} to do this",
            }, where
    assert fingerprint() == before


def test_a_staff_user_with_the_declared_permissions_passes_every_guarded_route():
    for route, method, rule in _guarded():
        client = token_client(staff_with(*rule.needs))
        response = _request(client, route, method)
        where = f"{method} {route.path}"
        assert response.status_code not in (401, 403), where
        assert response.status_code < 500, where


def test_a_staff_user_with_every_other_permission_is_refused():
    # One permission missing is enough: each needed permission is checked, not just the first.
    all_perms = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    for route, method, rule in _guarded():
        for perm in rule.needs:
            client = token_client(staff_with(*(all_perms - {perm})))
            response = _request(client, route, method)
            where = f"{method} {route.path} without {perm}"
            assert response.status_code == 403, where
            if method != "HEAD":
                assert response.json()["message"] == f"You need the permission {perm} to do this"


def test_staff_routes_need_no_permission():
    client = token_client(staff_with())
    assert client.get("/api/admin/auth").status_code == 200
    assert client.options("/api/admin/sales-channels").status_code == 200


# ---- FAIL CLOSED ----


def test_an_undeclared_route_is_refused_to_everyone_but_superusers(monkeypatch):
    # given: the channel delete loses its declaration
    monkeypatch.delitem(ADMIN_API, ("sales-channel-detail", "DELETE"))
    channel = SalesChannelFactory(name="Feed")
    all_perms = Permission.objects.values_list("content_type__app_label", "codename")
    everything = staff_with(*(f"{app}.{codename}" for app, codename in all_perms))

    # when: a staff user holding every permission
    response = token_client(everything).delete(f"/api/admin/sales-channels/{channel.pk}")

    # then
    assert response.status_code == 403
    assert response.json() == {
        "type": "not_allowed",
        "message": "This action declares no permission; only superusers may use it",
    }
    assert SalesChannel.objects.filter(pk=channel.pk).exists()

    # and a superuser may
    superuser = token_client(StaffUserFactory(email="root@example.com"))
    assert superuser.delete(f"/api/admin/sales-channels/{channel.pk}").status_code == 200
    assert not SalesChannel.objects.filter(pk=channel.pk).exists()


# ---- THE ISSUE'S CASE, THROUGH BOTH DOORS ----


def test_deleting_a_channel_needs_the_delete_permission_through_the_api():
    channel = SalesChannelFactory(name="Feed")
    clerk = staff_with("saleschannels.view_saleschannel", "saleschannels.change_saleschannel")

    response = token_client(clerk).delete(f"/api/admin/sales-channels/{channel.pk}")

    assert response.status_code == 403
    assert response.json() == {
        "type": "not_allowed",
        "message": "You need the permission saleschannels.delete_saleschannel to do this",
    }
    assert SalesChannel.objects.filter(pk=channel.pk).exists()

    allowed = staff_with("saleschannels.delete_saleschannel")
    response = token_client(allowed).delete(f"/api/admin/sales-channels/{channel.pk}")
    assert response.status_code == 200
    assert not SalesChannel.objects.filter(pk=channel.pk).exists()


def test_deleting_a_channel_needs_the_delete_permission_in_the_django_admin(client):
    channel = SalesChannelFactory(name="Feed")
    url = f"/admin/saleschannels/saleschannel/{channel.pk}/delete/"
    client.force_login(
        staff_with("saleschannels.view_saleschannel", "saleschannels.change_saleschannel")
    )

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert SalesChannel.objects.filter(pk=channel.pk).exists()

    client.force_login(
        staff_with("saleschannels.view_saleschannel", "saleschannels.delete_saleschannel")
    )
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not SalesChannel.objects.filter(pk=channel.pk).exists()


def test_a_view_only_user_reads_but_cannot_write_in_the_django_admin(client):
    channel = SalesChannelFactory(name="Feed")
    client.force_login(staff_with("saleschannels.view_saleschannel"))

    assert client.get("/admin/saleschannels/saleschannel/").status_code == 200
    assert client.get(f"/admin/saleschannels/saleschannel/{channel.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/saleschannels/saleschannel/{channel.pk}/change/",
        {"name": "Renamed", "metadata": ""},
    )
    assert response.status_code == 403
    assert client.get("/admin/saleschannels/saleschannel/add/").status_code == 403
    assert client.get("/admin/catalog/product/").status_code == 403
    channel.refresh_from_db()
    assert channel.name == "Feed"


# ---- NAMED PERMISSIONS ----


def test_changing_the_default_channel_needs_its_own_permission():
    other = SalesChannelFactory(name="App")
    default_id = default_sales_channel_get().pk
    clerk = token_client(staff_with("commerce.view_store", "commerce.change_store"))

    response = clerk.post("/api/admin/store", {"default_sales_channel_id": other.pk})
    assert response.status_code == 403
    assert response.json() == {
        "type": "not_allowed",
        "message": (
            "You need the permission commerce.change_store_default_sales_channel to do this"
        ),
    }
    assert Store.objects.get().default_sales_channel_id == default_id

    assert clerk.post("/api/admin/store", {"name": "Renamed"}).status_code == 200
    assert Store.objects.get().name == "Renamed"

    allowed = token_client(
        staff_with(
            "commerce.view_store",
            "commerce.change_store",
            permissions.CHANGE_DEFAULT_CHANNEL,
        )
    )
    response = allowed.post("/api/admin/store", {"default_sales_channel_id": other.pk})
    assert response.status_code == 200
    assert Store.objects.get().default_sales_channel_id == other.pk


def test_the_store_page_shows_the_default_channel_read_only_without_its_permission(client):
    store = Store.objects.get()
    client.force_login(staff_with("commerce.view_store", "commerce.change_store"))

    page = client.get(f"/admin/commerce/store/{store.pk}/change/")

    assert page.status_code == 200
    assert b'name="default_sales_channel"' not in page.content
    assert b'name="name"' in page.content


def test_revoking_a_key_needs_the_revoke_permission_through_both_doors(client):
    key = PublishableApiKeyFactory(title="Web")
    editor = staff_with(
        "saleschannels.view_publishableapikey", "saleschannels.change_publishableapikey"
    )

    response = token_client(editor).post(f"/api/admin/publishable-api-keys/{key.pk}/revoke")
    assert response.status_code == 403
    assert response.json()["message"] == (
        "You need the permission saleschannels.revoke_publishableapikey to do this"
    )

    client.force_login(editor)
    changelist = "/admin/saleschannels/publishableapikey/"
    assert b"revoke_selected" not in client.get(changelist).content
    response = client.post(changelist, {"action": "revoke_selected", "_selected_action": [key.pk]})
    assert response.status_code == 200  # Django: "No action selected", nothing done
    assert PublishableApiKey.objects.get(pk=key.pk).revoked_at is None

    client.force_login(
        staff_with("saleschannels.view_publishableapikey", permissions.REVOKE_PUBLISHABLE_KEY)
    )
    assert b"revoke_selected" in client.get(changelist).content
    client.post(changelist, {"action": "revoke_selected", "_selected_action": [key.pk]})
    assert PublishableApiKey.objects.get(pk=key.pk).revoked_at is not None


def test_adding_a_channels_products_needs_the_manage_permission_through_both_doors(client):
    from tests.catalog.factories import ProductFactory

    channel = SalesChannelFactory(name="B2B")
    product = ProductFactory(title="Tee", sales_channels=[default_sales_channel_get()])
    editor = staff_with(
        "saleschannels.view_saleschannel",
        "saleschannels.change_saleschannel",
        "catalog.view_product",
        "catalog.change_product",
    )

    response = token_client(editor).post(
        f"/api/admin/sales-channels/{channel.pk}/products/batch",
        {"product_ids": [{"id": product.pk}]},
    )
    assert response.status_code == 403
    assert response.json()["message"] == (
        "You need the permission saleschannels.manage_saleschannel_products to do this"
    )
    response = token_client(editor).post(
        f"/api/admin/products/{product.pk}", {"sales_channels": [{"id": channel.pk}]}
    )
    assert response.status_code == 403

    client.force_login(editor)
    response = client.post(
        f"/admin/saleschannels/saleschannel/{channel.pk}/products/add/",
        {"products": [product.pk]},
    )
    assert response.status_code == 403
    assert b"add_to_sales_channels" not in client.get("/admin/catalog/product/").content
    assert not channel.product_links.exists()

    manager = staff_with("saleschannels.view_saleschannel", permissions.MANAGE_CHANNEL_PRODUCTS)
    response = token_client(manager).post(
        f"/api/admin/sales-channels/{channel.pk}/products/batch",
        {"product_ids": [{"id": product.pk}]},
    )
    assert response.status_code == 200
    assert channel.product_links.filter(product=product).exists()
