"""Hostile input: malformed bodies, wrong content types, oversized requests, junk in queries and ids.

Each gets a clear 4xx JSON error (or a correct 200 for a harmless string) and changes nothing.
The limits: `limit` at most 1000 (commerce.api.pagination.MAX_LIMIT), 1000 values per array query
param (commerce.api.query.MAX_ARRAY_VALUES), 20,000 ids per batch
(saleschannels.services.MAX_BATCH_IDS) and `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes per body (5 MiB).
"""

import json

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from commerce.api.pagination import MAX_LIMIT
from commerce.api.query import MAX_ARRAY_VALUES
from commerce.services import api_token_create
from saleschannels.models import SalesChannel
from saleschannels.services import MAX_BATCH_IDS
from tests.catalog.factories import ProductFactory
from tests.commerce.factories import StaffUserFactory
from tests.helpers import UNAUTHORIZED
from tests.security.shop import SecurityShop, fingerprint, security_shop_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> SecurityShop:
    return security_shop_create()


@pytest.fixture
def admin(shop) -> APIClient:
    return APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN=shop.token)


@pytest.fixture
def token_client(db) -> APIClient:
    """An admin client for tests that need no data: a staff user's API token only."""
    issued = api_token_create(user=StaffUserFactory(email="token-only@example.com"))
    return APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)


def _write_routes(shop: SecurityShop) -> list[tuple[str, str]]:
    """Writes that read a JSON body, on both surfaces."""
    return [
        ("POST", "/api/admin/sales-channels"),
        ("POST", f"/api/admin/sales-channels/{shop.channel.pk}"),
        ("POST", f"/api/admin/sales-channels/{shop.channel.pk}/products/batch"),
        ("DELETE", f"/api/admin/sales-channels/{shop.channel.pk}/products/batch"),
        ("POST", f"/api/admin/products/{shop.published.pk}"),
        ("POST", f"/api/admin/publishable-api-keys/{shop.key.pk}/sales-channels/batch"),
        ("POST", "/api/admin/store"),
        ("POST", "/api/store/carts"),
        ("POST", f"/api/store/carts/{shop.cart_id}/line-items"),
    ]


WRITE_ROUTE_IDS = [
    "channel-create",
    "channel-update",
    "channel-products-add",
    "channel-products-remove",
    "product-update",
    "key-channels-add",
    "store-update",
    "cart-create",
    "line-item-add",
]


def _client_for(path: str, shop: SecurityShop) -> APIClient:
    if path.startswith("/api/admin/"):
        return APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN=shop.token)
    return APIClient()


# ---- BODIES ----


@pytest.mark.parametrize("route", range(9), ids=WRITE_ROUTE_IDS)
def test_invalid_json_is_a_400_and_changes_nothing(shop, route):
    # given
    method, path = _write_routes(shop)[route]
    before = fingerprint()

    # when
    response = _client_for(path, shop).generic(
        method, path, b'{"name": "x", ', content_type="application/json"
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "Malformed request body: JSON parse error - Expecting property name enclosed "
        "in double quotes: line 1 column 15 (char 14)",
    }
    assert fingerprint() == before


NOT_JSON = [
    ("application/x-www-form-urlencoded", b"name=Web"),
    (
        "multipart/form-data; boundary=XyZ",
        b'--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nWeb\r\n--XyZ--\r\n',
    ),
    ("text/plain", b"Web"),
    ("application/xml", b"<name>Web</name>"),
]


@pytest.mark.parametrize("route", range(9), ids=WRITE_ROUTE_IDS)
def test_a_body_that_is_not_json_is_a_415_and_changes_nothing(shop, route):
    # given: a form, a multipart form, plain text and XML
    method, path = _write_routes(shop)[route]
    client = _client_for(path, shop)
    before = fingerprint()

    for content_type, body in NOT_JSON:
        # when
        response = client.generic(method, path, body, content_type=content_type)

        # then
        assert response.status_code == 415
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "type": "invalid_data",
            "message": f'Unsupported media type "{content_type}" in request.',
        }
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "name must be a string"),
        (b"[]", "request body must be a JSON object"),
        (b'"Web"', "request body must be a JSON object"),
        (b"null", "No data provided"),
    ],
    ids=["no-body", "array", "string", "null"],
)
def test_a_missing_or_non_object_body_is_a_400_and_creates_nothing(token_client, body, message):
    before = fingerprint()

    response = token_client.generic(
        "POST", "/api/admin/sales-channels", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert fingerprint() == before


def _json_body_of_size(size: int) -> bytes:
    """`{"name": "xxx…"}` of exactly `size` bytes."""
    shell = len(json.dumps({"name": ""}).encode())
    return json.dumps({"name": "x" * (size - shell)}).encode()


@pytest.mark.parametrize("route", range(9), ids=WRITE_ROUTE_IDS)
def test_a_body_over_the_upload_limit_is_a_413_and_changes_nothing(shop, route):
    # given: one byte over the limit (5 MiB by default)
    method, path = _write_routes(shop)[route]
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit == 5 * 1024 * 1024
    before = fingerprint()

    # when
    response = _client_for(path, shop).generic(
        method, path, _json_body_of_size(limit + 1), content_type="application/json"
    )

    # then
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "invalid_data",
        "message": f"Request body is too large: at most {limit} bytes are accepted",
    }
    assert fingerprint() == before


def test_a_body_at_the_upload_limit_is_read(token_client):
    # given: exactly the limit: parsed, then refused by validation (the name is too long)
    body = _json_body_of_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    before = fingerprint()

    response = token_client.generic(
        "POST", "/api/admin/sales-channels", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "name must be shorter than or equal to 255 characters",
    }
    assert fingerprint() == before


def test_the_upload_limit_follows_the_setting(token_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = _json_body_of_size(101)

    response = token_client.generic(
        "POST", "/api/admin/sales-channels", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json() == {
        "type": "invalid_data",
        "message": "Request body is too large: at most 100 bytes are accepted",
    }


# ---- BATCHES ----


@pytest.mark.parametrize(
    ("path", "key", "prefix"),
    [
        ("/api/admin/sales-channels/{channel}/products/batch", "product_ids", "prod"),
        ("/api/admin/publishable-api-keys/{key}/sales-channels/batch", "sales_channel_ids", "sc"),
    ],
    ids=["channel-products", "key-channels"],
)
@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_100000_ids_in_a_batch_are_a_400_and_write_nothing(shop, admin, path, key, prefix, method):
    # given: 100,000 ids, the first of them real (about 4 MB: under the body limit)
    real_id = shop.published.pk if prefix == "prod" else shop.default_channel.pk
    ids = [{"id": real_id}] + [{"id": f"{prefix}_{n:026d}"} for n in range(99_999)]
    body = json.dumps({key: ids}).encode()
    assert len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    url = path.format(channel=shop.channel.pk, key=shop.key.pk)
    before = fingerprint()

    # when
    response = admin.generic(method, url, body, content_type="application/json")

    # then
    assert MAX_BATCH_IDS == 20_000
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": f"{key} must contain no more than 20000 elements",
    }
    assert fingerprint() == before


def test_one_id_over_the_batch_cap_is_refused(shop, admin):
    ids = [{"id": f"prod_{n:026d}"} for n in range(MAX_BATCH_IDS + 1)]

    response = admin.post(
        f"/api/admin/sales-channels/{shop.channel.pk}/products/batch", {"product_ids": ids}
    )

    assert response.status_code == 400
    assert response.json()["message"] == "product_ids must contain no more than 20000 elements"


# ---- QUERIES ----

LISTS = [
    "/api/admin/products",
    "/api/admin/sales-channels",
    "/api/store/products",
    "/api/store/variants",
]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": str(MAX_LIMIT + 1)}, "limit must not be greater than 1000"),
        ({"limit": "9" * 40}, "limit must not be greater than 1000"),
        ({"limit": "-1"}, "limit must be a non-negative integer"),
        ({"limit": "1e3"}, "limit must be a non-negative integer"),
        ({"offset": "-5"}, "offset must be a non-negative integer"),
    ],
    ids=["limit-1001", "limit-huge", "limit-negative", "limit-float", "offset-negative"],
)
def test_out_of_range_paging_is_a_400(shop, query, message):
    for path in LISTS:
        response = _client_for(path, shop).get(path, query)

        assert response.status_code == 400, path
        assert response.json() == {"type": "invalid_data", "message": message}


@pytest.mark.parametrize(
    ("path", "envelope"),
    [
        ("/api/admin/products", "products"),
        ("/api/store/products", "products"),
        ("/api/store/variants", "variants"),
    ],
)
def test_the_largest_limit_and_a_huge_offset_are_fine(shop, path, envelope):
    client = _client_for(path, shop)

    assert client.get(path, {"limit": str(MAX_LIMIT)}).status_code == 200
    response = client.get(path, {"offset": "9" * 30})

    assert response.status_code == 200
    assert response.json()[envelope] == []


@pytest.mark.parametrize(
    ("path", "query", "message"),
    [
        ("/api/admin/products", {"expand": "secrets"}, "Relations [secrets] are not valid"),
        ("/api/admin/products", {"fields": "password"}, "Fields [password] are not valid"),
        (
            "/api/admin/products",
            {"order": "password"},
            "order field password is not valid; use one of created_at, updated_at, title, handle, status, id",
        ),
        ("/api/admin/sales-channels", {"expand": "products"}, "Relations [products] are not valid"),
        ("/api/admin/sales-channels", {"fields": "id,secret"}, "Fields [secret] are not valid"),
        ("/api/admin/publishable-api-keys", {"fields": "token"}, "Fields [token] are not valid"),
        (
            "/api/store/products",
            {"expand": "sales_channels.keys"},
            "Relations [sales_channels.keys] are not valid",
        ),
        ("/api/store/products", {"fields": "cost"}, "Fields [cost] are not valid"),
        (
            "/api/store/products",
            {"order": "-cost"},
            "order field -cost is not valid; use one of created_at, updated_at, title, handle, id",
        ),
        ("/api/store/products", {"is_admin": "1"}, "property is_admin should not exist"),
        (
            "/api/store/products",
            {"id": ",".join(f"prod_{n}" for n in range(MAX_ARRAY_VALUES + 1))},
            "id must contain no more than 1000 elements",
        ),
    ],
)
def test_unknown_expand_fields_order_and_params_are_a_400(shop, path, query, message):
    response = _client_for(path, shop).get(path, query)

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


SQL_FRAGMENTS = [
    "' OR 1=1 --",
    "'; DROP TABLE catalog_product; --",
    '" OR ""="',
    "1) UNION SELECT token_hash FROM commerce_apitoken --",
    "%' AND 1=0 UNION SELECT NULL --",
]


@pytest.mark.parametrize(
    ("path", "param", "envelope"),
    [
        ("/api/admin/products", "q", "products"),
        ("/api/admin/products", "id[]", "products"),
        ("/api/admin/products", "sales_channel_id[]", "products"),
        ("/api/admin/sales-channels", "q", "sales_channels"),
        ("/api/admin/orders", "q", "orders"),
        ("/api/store/products", "q", "products"),
        ("/api/store/products", "id[]", "products"),
    ],
)
def test_sql_in_filters_is_just_text(shop, path, param, envelope):
    client = _client_for(path, shop)
    before = fingerprint()

    for fragment in SQL_FRAGMENTS:
        response = client.get(path, {param: fragment})

        assert response.status_code == 200, fragment
        assert response.json()[envelope] == []
        assert response.json()["count"] == 0
    assert fingerprint() == before


def test_sql_in_order_is_a_400(token_client):
    for fragment in SQL_FRAGMENTS:
        response = token_client.get("/api/admin/products", {"order": fragment})

        assert response.status_code == 400
        assert response.json() == {
            "type": "invalid_data",
            "message": f"order field {fragment.strip()} is not valid; use one of created_at, "
            "updated_at, title, handle, status, id",
        }


@pytest.mark.parametrize(
    "template",
    [
        "/api/admin/products/{}",
        "/api/admin/sales-channels/{}",
        "/api/admin/orders/{}",
        "/api/store/products/{}",
        "/api/store/carts/{}",
    ],
)
def test_sql_in_path_ids_is_a_404(shop, template):
    client = _client_for(template, shop)
    before = fingerprint()

    for fragment in ["x' OR '1'='1", "1;DROP TABLE x", "prod_%25", "' OR ''='"]:
        response = client.get(template.format(fragment))

        assert response.status_code == 404, fragment
        assert response.json()["type"] == "not_found"
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("path", "envelope"),
    [
        ("/api/admin/products", "products"),
        ("/api/admin/sales-channels", "sales_channels"),
        ("/api/admin/orders", "orders"),
        ("/api/store/products", "products"),
    ],
)
def test_nul_in_a_filter_is_a_400(shop, path, envelope):
    before = fingerprint()

    response = _client_for(path, shop).get(path, {"q": "a\x00b"})

    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "q must not contain null characters",
    }
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("method", "template", "message"),
    [
        ("GET", "/api/admin/products/{}", "id must not contain null characters"),
        ("POST", "/api/admin/products/{}", "id must not contain null characters"),
        ("DELETE", "/api/admin/products/{}", "id must not contain null characters"),
        ("GET", "/api/admin/sales-channels/{}", "id must not contain null characters"),
        ("POST", "/api/admin/sales-channels/{}", "id must not contain null characters"),
        ("DELETE", "/api/admin/sales-channels/{}", "id must not contain null characters"),
        (
            "POST",
            "/api/admin/sales-channels/{}/products/batch",
            "id must not contain null characters",
        ),
        ("GET", "/api/admin/orders/{}", "id must not contain null characters"),
        ("DELETE", "/api/admin/regions/{}", "id must not contain null characters"),
        ("POST", "/api/admin/shipping-options/{}", "id must not contain null characters"),
        (
            "POST",
            "/api/admin/publishable-api-keys/{}/revoke",
            "id must not contain null characters",
        ),
        (
            "GET",
            "/api/admin/publishable-api-keys/{}/sales-channels",
            "key_id must not contain null characters",
        ),
        ("GET", "/api/store/products/{}", "id must not contain null characters"),
        ("GET", "/api/store/carts/{}", "id must not contain null characters"),
    ],
)
def test_nul_in_a_path_id_is_a_400_and_changes_nothing(token_client, method, template, message):
    # given: on PostgreSQL such an id used to reach the database and fail there (a 500)
    path = template.format("prod_%00x")
    client = token_client if path.startswith("/api/admin/") else APIClient()
    before = fingerprint()

    # when
    response = client.generic(method, path, b"{}", content_type="application/json")

    # then
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert fingerprint() == before


def test_nul_in_a_path_id_is_checked_after_authentication(api_client):
    response = api_client.get("/api/admin/products/prod_%00x")

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "Web\x00"}, "name null characters are not allowed."),
        ({"name": "Web", "description": "\x00"}, "description null characters are not allowed."),
    ],
)
def test_nul_in_a_body_string_is_a_400_and_creates_nothing(token_client, body, message):
    before = fingerprint()

    response = token_client.post("/api/admin/sales-channels", body)

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Tasse ☕", ["Tasse ☕ Ünïcode"]),
        ("\u202eTasse", []),
        ("line\nbreak", []),
        ("tab\there", []),
        ("😀", []),
    ],
)
def test_control_and_unicode_characters_in_a_filter_are_harmless(shop, query, expected):
    # given
    ProductFactory(title="Tasse ☕ Ünïcode", sales_channels=[shop.default_channel])
    before = fingerprint()

    # when
    admin_response = _client_for("/api/admin/", shop).get("/api/admin/products", {"q": query})
    store_response = APIClient().get("/api/store/products", {"q": query})

    # then
    assert admin_response.status_code == 200
    assert [p["title"] for p in admin_response.json()["products"]] == expected
    assert store_response.status_code == 200
    assert [p["title"] for p in store_response.json()["products"]] == expected
    assert fingerprint() == before


def test_unicode_in_a_body_is_stored_as_sent(token_client):
    name = "Kanal ☕ \u202e ünï\ncode"

    response = token_client.post("/api/admin/sales-channels", {"name": name})

    assert response.status_code == 200
    assert response.json()["sales_channel"]["name"] == name
    assert SalesChannel.objects.get(pk=response.json()["sales_channel"]["id"]).name == name
