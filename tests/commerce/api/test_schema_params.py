"""The query parameters of `/api/schema/` are exactly what the API accepts, on every operation.

Both directions, so the schema cannot drift from the code again:

1. every documented query parameter, sent alone (with the operation's required ones) with a
   valid value of its documented type, is accepted: never a 400;
2. every parameter a list accepts is documented, under its wire name (`x[]`, `created_at[gt]`).
   "Accepted" is read from the objects the request parser reads
   (`commerce.api.filters.view_query_params`: the view's FilterSet, its pagination, its
   ExpandMixin), not from a list kept here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from catalog.services import category_create, collection_create
from commerce.api.filters import EXPAND_PARAMS, ContractFilterBackend, view_query_params
from commerce.api.mixins import ExpandMixin
from tests.customers.api.helpers import bearer
from tests.customers.factories import PASSWORD, CustomerFactory
from tests.security.shop import SecurityShop, security_shop_create
from webhooks.services import webhook_create

pytestmark = pytest.mark.django_db


def _operations() -> list[tuple[str, str, dict[str, Any], Any]]:
    """(path, method, OpenAPI operation, the view instance drf-spectacular documented it from)."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    found = []
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is not None:  # not the schema's own views
            found.append((path, method, operation, view))
    in_schema = {(p, m) for p, item in schema["paths"].items() for m in item}
    assert {(p, m.lower()) for p, m, _, _ in found} == in_schema
    return found


OPERATIONS = _operations()


def _query_parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


def accepted_query(view: Any, method: str) -> set[str]:
    """The wire names the API accepts on this operation, from the request parser's own objects."""
    names: set[str] = set()
    if method == "GET" and isinstance(view, ExpandMixin):
        names |= EXPAND_PARAMS
    is_list = getattr(view, "action", None) == "list"
    if is_list and ContractFilterBackend in getattr(view, "filter_backends", ()):
        params, standard = view_query_params(view)
        names |= set(params.wire_names()) | standard
    return names


def test_the_walk_covers_every_admin_and_store_list():
    lists = [
        (path, method)
        for path, method, _, view in OPERATIONS
        if method == "GET" and getattr(view, "action", None) == "list"
    ]
    assert len(OPERATIONS) >= 100
    assert len(lists) >= 20
    paths = {path for path, _ in lists}
    for path in (
        "/api/admin/products",
        "/api/admin/orders",
        "/api/admin/sales-channels",
        "/api/admin/publishable-api-keys",
        "/api/admin/customers",
        "/api/admin/collections",
        "/api/admin/product-categories",
        "/api/admin/webhooks",
        "/api/store/products",
        "/api/store/variants",
        "/api/store/customers/me/orders",
    ):
        assert path in paths, path


@pytest.mark.parametrize(
    ("path", "method", "operation", "view"),
    OPERATIONS,
    ids=[f"{method} {path}" for path, method, _, _ in OPERATIONS],
)
def test_every_parameter_the_api_accepts_is_documented(path, method, operation, view):
    documented = set(_query_parameters(operation))

    accepted = accepted_query(view, method)

    assert accepted - documented == set(), "accepted but not in the schema"
    assert not any("__" in name for name in documented), documented


# ---- documented → accepted ----

DATE_TIME = "2026-01-01T00:00:00Z"


def _ids(shop: SecurityShop) -> dict[str, str]:
    """Ids of existing rows, by path or query parameter name (so a 404 hides nothing)."""
    return {
        "key_id": shop.key.pk,
        "line_id": shop.line_id,
        "cart_id": shop.cart_id,
        "region_id": shop.region.pk,
        "sales_channel_id": shop.default_channel.pk,
        "variant_id": shop.variant_id,
        "display_id": str(shop.order.display_id),
        "email": shop.order.email,
    }


def _path_ids(shop: SecurityShop, path: str, more: dict[str, str]) -> dict[str, str]:
    resource = path.split("/")[3]
    by_resource = {
        **more,
        "orders": shop.order.pk,
        "products": shop.published.pk,
        "publishable-api-keys": shop.key.pk,
        "regions": shop.region.pk,
        "sales-channels": shop.channel.pk,
        "shipping-options": shop.cart_id if path.startswith("/api/store/") else shop.shipping.pk,
        "carts": shop.cart_id,
        "variants": shop.variant_id,
        "users": shop.admin.pk,
    }
    ids = {**_ids(shop), **more, "id": by_resource.get(resource, "nonexistent")}
    if "/orders/cart/" in path:
        ids["cart_id"] = shop.order.cart_id  # the cart an order was placed from
    return ids


def valid_value(name: str, schema: dict[str, Any], ids: dict[str, str]) -> str:
    """A valid value of the parameter's documented type (one item for an array)."""
    if schema.get("type") == "array":
        return valid_value(name, schema["items"], ids)
    base = name.removesuffix("[]")
    if "example" in schema:
        return str(schema["example"])
    if schema.get("enum"):
        return str(schema["enum"][0])
    if base in ids:
        return ids[base]
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "date-time":
        return DATE_TIME
    if fmt == "email":
        return "someone@example.com"
    if kind == "boolean":
        return "true"
    if kind in ("integer", "number"):
        return "1"
    return "x"


@pytest.fixture
def world():
    shop = security_shop_create()
    customer = CustomerFactory(email="walker@example.com")
    client = APIClient()
    customer_headers = bearer(client, "walker@example.com", PASSWORD)
    cache.clear()  # the sign-in's throttle count
    hook = webhook_create(url="https://example.com/hook", events=["order.placed"])
    more = {
        "collections": collection_create(title="Summer").pk,
        "product-categories": category_create(name="Tents", is_active=True).pk,
        "customers": customer.pk,
        "webhook_id": hook.pk,
        "webhooks": hook.pk,
    }
    return shop, customer_headers, more


def _call(client: APIClient, method: str, url: str, query: dict[str, str], headers: dict):
    return client.generic(method, f"{url}?{urlencode(query)}", **headers)


def test_every_documented_parameter_is_accepted(world):
    shop, customer_headers, more = world
    client = APIClient()
    checked = 0
    refused = []
    for path, method, operation, _view in OPERATIONS:
        parameters = _query_parameters(operation)
        if not parameters:
            continue
        ids = _path_ids(shop, path, more)
        url = path
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", ids.get(parameter["name"], "x"))
        if path.startswith("/api/admin/"):
            headers = {"HTTP_X_MEDUSA_ACCESS_TOKEN": shop.token}
        else:
            headers = customer_headers
        required = {
            name: valid_value(name, p["schema"], ids)
            for name, p in parameters.items()
            if p.get("required")
        }
        for name, parameter in parameters.items():
            query = {**required, name: valid_value(name, parameter["schema"], ids)}
            response = _call(client, method, url, query, headers)
            checked += 1
            if response.status_code == 400:
                refused.append((method, path, query, response.json()))
    assert refused == []
    assert checked >= 300
