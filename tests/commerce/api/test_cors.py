"""CORS as Medusa configures it: STORE_CORS origins on /api/store/, ADMIN_CORS on /api/admin/."""

import http.client

import pytest

pytestmark = pytest.mark.django_db

SHOP = "https://shop.example.com"
ADMIN = "http://localhost:7001"
OTHER = "https://evil.example.com"

CORS_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
)


@pytest.fixture(autouse=True)
def cors(settings):
    settings.STORE_CORS = [SHOP, "http://localhost:8000/"]  # a trailing slash is tolerated
    settings.ADMIN_CORS = [ADMIN]


def _cors_headers(response):
    return {name: response[name] for name in CORS_HEADERS if response.has_header(name)}


def _preflight(client, path, origin, headers="content-type,x-publishable-api-key"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def test_a_store_origin_may_call_the_store_api_with_credentials(client, default_channel):
    response = client.get("/api/store/regions", HTTP_ORIGIN=SHOP)
    assert response.status_code == 200
    assert _cors_headers(response) == {
        "Access-Control-Allow-Origin": SHOP,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": "idempotency-key",
    }


def test_a_store_origins_preflight_allows_medusa_js_headers(client):
    response = _preflight(
        client, "/api/store/carts", SHOP, "content-type,x-publishable-api-key,idempotency-key"
    )
    assert response.status_code == 200
    headers = _cors_headers(response)
    assert headers["Access-Control-Allow-Origin"] == SHOP
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in headers["Access-Control-Allow-Methods"].split(", ")
    allowed = set(headers["Access-Control-Allow-Headers"].split(", "))
    assert {"content-type", "x-publishable-api-key", "idempotency-key"} <= allowed


def test_the_listed_origin_without_its_trailing_slash_matches(client, default_channel):
    response = client.get("/api/store/regions", HTTP_ORIGIN="http://localhost:8000")
    assert response["Access-Control-Allow-Origin"] == "http://localhost:8000"


def test_a_store_origin_gets_nothing_from_the_admin_api(client):
    assert _cors_headers(client.get("/api/admin/store", HTTP_ORIGIN=SHOP)) == {}
    assert _cors_headers(_preflight(client, "/api/admin/auth", SHOP)) == {}


def test_an_admin_origin_may_call_the_admin_api_with_credentials(client):
    preflight = _preflight(client, "/api/admin/auth", ADMIN, "content-type")
    assert preflight.status_code == 200
    assert _cors_headers(preflight)["Access-Control-Allow-Origin"] == ADMIN
    assert _cors_headers(preflight)["Access-Control-Allow-Credentials"] == "true"
    # a simple request: refused (no session) but readable by the admin's page
    response = client.get("/api/admin/store", HTTP_ORIGIN=ADMIN)
    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == ADMIN
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_an_admin_origin_gets_nothing_from_the_store_api(client, default_channel):
    assert _cors_headers(client.get("/api/store/regions", HTTP_ORIGIN=ADMIN)) == {}


def test_an_unlisted_origin_gets_no_cors_header_anywhere(client, default_channel):
    for path in ("/api/store/regions", "/api/admin/store"):
        assert _cors_headers(client.get(path, HTTP_ORIGIN=OTHER)) == {}
        assert _cors_headers(_preflight(client, path, OTHER)) == {}


def test_with_nothing_configured_no_origin_is_allowed(client, settings, default_channel):
    settings.STORE_CORS = []
    settings.ADMIN_CORS = []
    assert _cors_headers(client.get("/api/store/regions", HTTP_ORIGIN=SHOP)) == {}
    assert _cors_headers(_preflight(client, "/api/admin/auth", ADMIN)) == {}


def test_json_404s_carry_the_headers_too(client):
    response = client.get("/api/store/nope", HTTP_ORIGIN=SHOP)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == SHOP


def _request(live_server, method, path, headers):
    host, port = live_server.thread.host, live_server.thread.port
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


# A served app needs committed data; serialized_rollback leaves the migrations' rows (content types,
# the store) for the tests after it, as the other live-server tests do.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_over_a_real_socket(live_server):
    # The same answers from a served app: a browser's preflight, then its simple request.
    preflight = _request(
        live_server,
        "OPTIONS",
        "/api/store/carts",
        {
            "Origin": SHOP,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-publishable-api-key",
        },
    )
    assert preflight.status == 200
    assert preflight.getheader("Access-Control-Allow-Origin") == SHOP
    assert preflight.getheader("Access-Control-Allow-Credentials") == "true"
    simple = _request(live_server, "GET", "/api/store/regions", {"Origin": OTHER})
    assert simple.status == 200
    assert simple.getheader("Access-Control-Allow-Origin") is None
