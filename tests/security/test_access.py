"""Access: every admin route, derived from the URL configuration, refuses whoever is not active staff.

The routes come from `get_resolver()` (the `admin-api` namespace), not from a hand-written list,
so a route added later is covered without touching this file. Path parameters get dummy ids:
authentication and the staff check run before any lookup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from commerce.models import ApiToken
from commerce.services import api_token_create, api_token_revoke
from saleschannels.models import SalesChannel
from tests.commerce.factories import StaffUserFactory, UserFactory
from tests.helpers import UNAUTHORIZED
from tests.security.shop import SecurityShop, fingerprint, security_shop_create

pytestmark = pytest.mark.django_db

CSRF_MISSING = {"type": "not_allowed", "message": "CSRF Failed: CSRF token missing."}
LOGIN = ("auth", "POST")  # the one admin door open to anonymous callers: it checks credentials
WRONG_LOGIN = {"email": "nobody@example.com", "password": "wrong-password"}


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    methods: tuple[str, ...]


def _methods(callback) -> tuple[str, ...]:
    """Every HTTP method the view behind a URL pattern answers (DRF adds HEAD and OPTIONS)."""
    actions = getattr(callback, "actions", None)  # a viewset bound to {method: action}
    if actions is not None:
        methods = {method.upper() for method in actions}
    else:
        view_class = callback.cls
        methods = {
            method.upper()
            for method in ("get", "post", "put", "patch", "delete")
            if hasattr(view_class, method)
        }
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    return tuple(sorted(methods))


def _routes(namespace: str) -> list[Route]:
    """The routes of a URL namespace, with path parameters filled with dummy ids."""
    surface = next(
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace
    )
    routes = []
    for pattern in surface.url_patterns:
        assert isinstance(pattern, URLPattern), f"nested include under {namespace}: walk it too"
        assert pattern.name, f"unnamed route {pattern.pattern} under {namespace}"
        dummy = {name: f"dummy_{name}" for name in pattern.pattern.regex.groupindex}
        path = reverse(f"{namespace}:{pattern.name}", kwargs=dummy)
        routes.append(Route(pattern.name, path, _methods(pattern.callback)))
    return routes


ADMIN_ROUTES = _routes("admin-api")
STORE_ROUTES = _routes("store-api")


def _request(client: APIClient, route: Route, method: str, **extra):
    body = WRONG_LOGIN if (route.name, method) == LOGIN else {}
    return client.generic(
        method, route.path, data=json.dumps(body), content_type="application/json", **extra
    )


def test_the_admin_routes_are_derived_from_the_url_configuration():
    # A floor, not a list: the routes below must be among those found.
    names = {route.name for route in ADMIN_ROUTES}
    assert {
        "auth",
        "store",
        "sales-channel-list",
        "sales-channel-detail",
        "sales-channel-products-batch",
        "publishable-api-key-list",
        "publishable-api-key-detail",
        "publishable-api-key-revoke",
        "publishable-api-key-sales-channel-list",
        "publishable-api-key-sales-channel-batch",
        "product-list",
        "product-detail",
        "order-list",
        "order-detail",
        "region-list",
        "region-detail",
        "shipping-option-list",
        "shipping-option-detail",
    } <= names
    assert sum(len(route.methods) for route in ADMIN_ROUTES) >= 60


# ---- WHO IS REFUSED ----


def _anonymous() -> APIClient:
    return APIClient()


def _non_staff_session() -> APIClient:
    client = APIClient()
    client.force_login(UserFactory(email="shopper@example.com"))
    return client


def _revoked_token() -> APIClient:
    issued = api_token_create(user=StaffUserFactory(email="revoked@example.com"))
    api_token_revoke(token_id=issued.token.pk)
    assert not ApiToken.objects.filter(pk=issued.token.pk).exists()
    return APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)


def _wrong_token() -> APIClient:
    api_token_create(user=StaffUserFactory(email="holder@example.com"))
    return APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN="not-a-token-anyone-was-given")


def _inactive_staff_token() -> APIClient:
    user = StaffUserFactory(email="former@example.com")
    issued = api_token_create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)


def _demoted_staff_token() -> APIClient:
    user = StaffUserFactory(email="demoted@example.com")
    issued = api_token_create(user=user)
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    return APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)


def _inactive_staff_session() -> APIClient:
    user = StaffUserFactory(email="gone@example.com")
    client = APIClient()
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return client


def _bearer_token() -> APIClient:
    issued = api_token_create(user=StaffUserFactory(email="bearer@example.com"))
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")


REFUSED = {
    "anonymous": _anonymous,
    "non-staff-session": _non_staff_session,
    "revoked-token": _revoked_token,
    "wrong-token": _wrong_token,
    "inactive-staff-token": _inactive_staff_token,
    "demoted-staff-token": _demoted_staff_token,
    "inactive-staff-session": _inactive_staff_session,
    "token-as-bearer": _bearer_token,
}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the login throttle counts in the cache
    yield
    cache.clear()


@pytest.mark.parametrize("caller", list(REFUSED))
def test_every_admin_route_and_method_is_a_401_for(caller):
    # given
    client = REFUSED[caller]()
    before = fingerprint()

    # when / then
    checked = 0
    for route in ADMIN_ROUTES:
        for method in route.methods:
            response = _request(client, route, method)
            where = f"{method} {route.path}"
            assert response.status_code == 401, where
            if method != "HEAD":  # HEAD answers carry no body
                assert response.json() == UNAUTHORIZED, where
            checked += 1
    assert checked == sum(len(route.methods) for route in ADMIN_ROUTES)
    assert fingerprint() == before


def test_an_active_staff_token_passes_every_admin_route():
    # The other side of the matrix: the same requests with a good token are not refused.
    issued = api_token_create(user=StaffUserFactory(email="staff@example.com"))
    client = APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)

    for route in ADMIN_ROUTES:
        for method in route.methods:
            if (route.name, method) == LOGIN:
                continue  # the login checks the body's credentials, not the token
            response = _request(client, route, method)
            assert response.status_code not in (401, 403), f"{method} {route.path}"
            assert response.status_code < 500, f"{method} {route.path}"


# ---- CSRF FOR SESSION WRITES ----


def _signed_in_client() -> APIClient:
    StaffUserFactory(email="merchant@example.com")
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(
        "/api/admin/auth", {"email": "merchant@example.com", "password": "secret-password"}
    )
    assert response.status_code == 200
    return client


def _unsafe(route: Route) -> list[str]:
    return [
        m for m in route.methods if m not in ("GET", "HEAD", "OPTIONS") and (route.name, m) != LOGIN
    ]


def test_session_writes_without_the_csrf_token_are_refused_on_every_admin_route():
    # given: a real login (the session cookie and the csrftoken cookie are set)
    client = _signed_in_client()
    before = fingerprint()

    # when / then
    for route in ADMIN_ROUTES:
        for method in _unsafe(route):
            response = _request(client, route, method)
            assert response.status_code == 403, f"{method} {route.path}"
            assert response.json() == CSRF_MISSING, f"{method} {route.path}"
    assert fingerprint() == before
    assert client.get("/api/admin/auth").status_code == 200  # still signed in


def test_session_writes_with_a_wrong_csrf_token_are_refused():
    client = _signed_in_client()

    response = client.post("/api/admin/sales-channels", {"name": "Web"}, HTTP_X_CSRFTOKEN="x" * 64)

    assert response.status_code == 403
    assert response.json() == {
        "type": "not_allowed",
        "message": "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
    }
    assert not SalesChannel.objects.filter(name="Web").exists()


def test_session_writes_with_the_csrf_token_are_accepted():
    # given
    client = _signed_in_client()
    csrf = client.cookies["csrftoken"].value

    # when
    response = client.post("/api/admin/sales-channels", {"name": "Web"}, HTTP_X_CSRFTOKEN=csrf)

    # then
    assert response.status_code == 200
    assert SalesChannel.objects.get(name="Web").pk == response.json()["sales_channel"]["id"]
    for route in ADMIN_ROUTES:
        for method in _unsafe(route):
            if route.name == "auth":
                continue  # the logout, which would end the session
            response = _request(client, route, method, HTTP_X_CSRFTOKEN=csrf)
            assert response.status_code not in (401, 403), f"{method} {route.path}"


def test_token_writes_need_no_csrf_token():
    issued = api_token_create(user=StaffUserFactory(email="integrator@example.com"))
    client = APIClient(enforce_csrf_checks=True, HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)

    response = client.post("/api/admin/sales-channels", {"name": "Feed"})

    assert response.status_code == 200
    assert SalesChannel.objects.filter(name="Feed").exists()


# ---- LOGIN THROTTLE ----


def test_login_is_throttled_with_a_429_json(monkeypatch):
    # given: ten failed attempts from one address, on a fixed clock (a slow machine would
    # otherwise shorten the announced wait)
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: 1_000_000.0)
    StaffUserFactory(email="merchant@example.com")
    client = APIClient()
    for _ in range(10):
        assert client.post("/api/admin/auth", WRONG_LOGIN).status_code == 401

    # when: the right password, too late
    response = client.post(
        "/api/admin/auth", {"email": "merchant@example.com", "password": "secret-password"}
    )

    # then
    assert response.status_code == 429
    assert response.json() == {
        "type": "too_many_requests",
        "message": "Request was throttled. Expected available in 60 seconds.",
    }
    assert "sessionid" not in response.cookies


# ---- THE STORE IS ANONYMOUS AND SHOWS NO ADMIN DATA ----


# The customer's own account: these answer 401 JSON until a customer signs in (issue 18).
CUSTOMER_ACCOUNT_ROUTES = {
    ("GET", "customer-me"),
    ("POST", "customer-me"),
    ("POST", "customer-addresses"),
    ("POST", "customer-address"),
    ("DELETE", "customer-address"),
    ("GET", "auth"),
    ("GET", "customer-orders"),
}


def test_the_store_routes_are_derived_and_open_to_anonymous_callers():
    client = APIClient()
    assert {"product-list", "product-detail", "cart-list", "order-detail"} <= {
        route.name for route in STORE_ROUTES
    }
    for route in STORE_ROUTES:
        for method in route.methods:
            response = client.generic(method, route.path, "{}", content_type="application/json")
            if (method.replace("HEAD", "GET"), route.name) in CUSTOMER_ACCOUNT_ROUTES:
                assert response.status_code == 401, f"{method} {route.path}"
                continue
            assert response.status_code not in (401, 403), f"{method} {route.path}"
            assert response.status_code < 500, f"{method} {route.path}"


def _store_reads(shop: SecurityShop) -> list[str]:
    return [
        "/api/store/products",
        "/api/store/products?expand=variants,variants.prices,options,collection,sales_channels",
        f"/api/store/products/{shop.published.pk}?expand=sales_channels",
        "/api/store/variants?expand=product,prices,options",
        f"/api/store/variants/{shop.variant_id}",
        "/api/store/regions",
        f"/api/store/regions/{shop.region.pk}",
        f"/api/store/carts/{shop.cart_id}",
        f"/api/store/shipping-options/{shop.cart_id}",
        f"/api/store/orders/{shop.order.pk}",
        f"/api/store/orders/cart/{shop.order.cart_id}",
        f"/api/store/orders?display_id={shop.order.display_id}&email={shop.order.email}",
    ]


def test_store_reads_never_show_admin_data():
    # given: a shop with a staff user, an API token, a draft product and a storefront key
    shop = security_shop_create()
    token = ApiToken.objects.get(user=shop.admin)
    secrets = [
        shop.admin.email,
        shop.admin.password,
        shop.token,
        token.token_hash,
        shop.draft.pk,
        shop.draft.title,
        shop.key.title,
        "token_hash",
        "password",
        "is_staff",
        "is_superuser",
        "api_token",
    ]

    for path in _store_reads(shop):
        # when
        response = APIClient().get(path)

        # then
        assert response.status_code == 200, path
        text = response.content.decode()
        leaked = [secret for secret in secrets if secret in text]
        assert leaked == [], path


def test_admin_credentials_change_nothing_on_store_routes():
    # given: the same store reads as an anonymous caller, with a staff token and a staff session
    shop = security_shop_create()
    with_token = APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN=shop.token)
    with_session = APIClient()
    with_session.force_login(shop.admin)

    for path in _store_reads(shop):
        anonymous = APIClient().get(path)

        # then: byte for byte the same answer (drafts stay hidden from staff on the store)
        assert with_token.get(path).content == anonymous.content, path
        assert with_session.get(path).content == anonymous.content, path
