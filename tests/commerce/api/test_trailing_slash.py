"""One trailing slash under /api/admin/ and /api/store/ is served as if absent.

Regression for the compatibility suite (tests/compat): `@medusajs/medusa-js` 6.1.10 calls
`GET|POST /admin/store/` (`admin.store.retrieve`/`update`) and `POST /admin/products/`
(`admin.products.create`), which Medusa's non-strict Express routes accept. They were 404s here.
"""

import pytest

from catalog.models import Product
from commerce.models import Store

pytestmark = pytest.mark.django_db


def test_admin_store_retrieve_path_of_medusa_js(admin_api_client, default_channel):
    without = admin_api_client.get("/api/admin/store")

    response = admin_api_client.get("/api/admin/store/")

    assert response.status_code == 200
    assert response.json() == without.json()
    assert response.json()["store"]["default_sales_channel_id"] == default_channel.pk


def test_admin_store_update_path_of_medusa_js(admin_api_client, default_channel):
    response = admin_api_client.post("/api/admin/store/", {"name": "Acme"}, format="json")

    assert response.status_code == 200
    assert response.json()["store"]["name"] == "Acme"
    assert Store.objects.get().name == "Acme"


def test_admin_products_create_path_of_medusa_js(admin_api_client, default_channel):
    response = admin_api_client.post("/api/admin/products/", {"title": "Coffee Mug"}, format="json")

    assert response.status_code == 200
    product = Product.objects.get()
    assert (product.title, product.handle, product.status) == ("Coffee Mug", "coffee-mug", "draft")
    assert response.json()["product"]["id"] == product.pk
    assert [c["id"] for c in response.json()["product"]["sales_channels"]] == [default_channel.pk]


def test_store_routes_take_a_trailing_slash_too(api_client, default_channel):
    without = api_client.get("/api/store/regions")

    response = api_client.get("/api/store/regions/")

    assert response.status_code == 200
    assert response.json() == without.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/admin/nope/",  # unknown route: still a 404, naming the path as sent
        "/api/admin/store//",  # only one slash is dropped
        "/api/admin/",  # the surfaces' roots are not routes
        "/api/store/",
    ],
)
def test_unknown_paths_stay_json_404s_naming_the_path_as_sent(admin_api_client, path):
    response = admin_api_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "message": f"Route GET {path} was not found"}


def test_paths_outside_the_two_surfaces_are_untouched(api_client):
    assert api_client.get("/api/docs/").status_code == 200  # its route has the slash
    redirect = api_client.get("/api/docs")  # Django's APPEND_SLASH, as before
    assert (redirect.status_code, redirect["Location"]) == (301, "/api/docs/")


# ---- UNKNOWN PATHS ARE JSON WITH DEBUG ON AS WELL AS OFF ----


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/nope"),
        ("get", "/api/store/nope"),
        ("post", "/api/store/carts/cart_1/nope"),
        ("get", "/api/admin/nope/deeper"),
        ("delete", "/api/store/"),
    ],
)
def test_an_unknown_api_path_is_a_json_404_whatever_debug_says(
    api_client, settings, debug, method, path
):
    settings.DEBUG = debug
    response = getattr(api_client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "not_found",
        "message": f"Route {method.upper()} {path} was not found",
    }


@pytest.mark.parametrize("debug", [False, True])
def test_outside_api_an_unknown_path_keeps_djangos_page(api_client, settings, debug):
    settings.DEBUG = debug
    response = api_client.get("/nope")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("debug", [False, True])
def test_append_slash_still_redirects_the_docs_with_debug_on(api_client, settings, debug):
    settings.DEBUG = debug
    redirect = api_client.get("/api/docs")
    assert (redirect.status_code, redirect["Location"]) == (301, "/api/docs/")
