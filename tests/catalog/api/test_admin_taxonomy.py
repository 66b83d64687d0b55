"""Admin collections and product categories (Medusa v1 shapes), and the admin product filters."""

import pytest

from catalog.models import Product, ProductCategory, ProductCollection
from catalog.services import category_create, collection_create
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db

COLLECTIONS = "/api/admin/collections"
CATEGORIES = "/api/admin/product-categories"
PRODUCTS = "/api/admin/products"


def _ids(response, key):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()[key]]


# ---- COLLECTIONS ----


def test_collection_crud(admin_api_client):
    response = admin_api_client.post(COLLECTIONS, {"title": "Summer Sale", "metadata": {"a": 1}})
    assert response.status_code == 200
    created = response.json()["collection"]
    assert created["id"].startswith("pcol_")
    assert (created["title"], created["handle"], created["metadata"]) == (
        "Summer Sale",
        "summer-sale",
        {"a": 1},
    )
    assert created["products"] == []

    pk = created["id"]
    response = admin_api_client.post(f"{COLLECTIONS}/{pk}", {"title": "Summer", "handle": "sun"})
    assert response.status_code == 200
    assert (response.json()["collection"]["title"], response.json()["collection"]["handle"]) == (
        "Summer",
        "sun",
    )
    assert _ids(admin_api_client.get(COLLECTIONS + "?q=sum"), "collections") == [pk]
    assert admin_api_client.get(COLLECTIONS).json()["limit"] == 10

    response = admin_api_client.delete(f"{COLLECTIONS}/{pk}")
    assert response.status_code == 200
    assert response.json() == {"id": pk, "object": "product-collection", "deleted": True}
    assert admin_api_client.get(f"{COLLECTIONS}/{pk}").status_code == 404
    # idempotent
    assert admin_api_client.delete(f"{COLLECTIONS}/{pk}").status_code == 200


def test_collection_handle_taken_is_422_and_writes_nothing(admin_api_client):
    collection_create(title="Summer")
    response = admin_api_client.post(COLLECTIONS, {"title": "Other", "handle": "summer"})
    assert response.status_code == 422
    assert response.json() == {
        "type": "duplicate_error",
        "message": "Product collection with handle summer already exists.",
        "code": "invalid_request_error",
    }
    assert ProductCollection.objects.count() == 1


def test_collection_bad_bodies_are_400(admin_api_client):
    for body, message in [
        ({}, "title must be a string"),
        ({"title": "X", "foo": 1}, "property foo should not exist"),
        ({"title": 1}, "title must be a string"),
    ]:
        response = admin_api_client.post(COLLECTIONS, body)
        assert response.status_code == 400
        assert response.json() == {"type": "invalid_data", "message": message}
    assert ProductCollection.objects.exists() is False


def test_collection_products_batch(admin_api_client):
    summer = collection_create(title="Summer")
    winter = collection_create(title="Winter")
    hat, scarf = ProductFactory(collection=winter), ProductFactory()
    url = f"{COLLECTIONS}/{summer.pk}/products/batch"

    response = admin_api_client.post(url, {"product_ids": [hat.pk, scarf.pk]})
    assert response.status_code == 200
    assert {p["id"] for p in response.json()["collection"]["products"]} == {hat.pk, scarf.pk}
    assert set(Product.objects.filter(collection=summer).values_list("pk", flat=True)) == {
        hat.pk,
        scarf.pk,
    }
    response = admin_api_client.get(f"{PRODUCTS}?collection_id[]={summer.pk}&expand=")
    assert len(response.json()["products"]) == 2

    response = admin_api_client.delete(url, {"product_ids": [hat.pk]})
    assert response.status_code == 200
    assert response.json() == {
        "id": summer.pk,
        "object": "product-collection",
        "removed_products": [hat.pk],
    }
    hat.refresh_from_db()
    assert hat.collection_id is None


def test_collection_products_batch_refuses_unknown_products_and_writes_nothing(
    admin_api_client,
):
    summer = collection_create(title="Summer")
    hat = ProductFactory()
    response = admin_api_client.post(
        f"{COLLECTIONS}/{summer.pk}/products/batch", {"product_ids": [hat.pk, "prod_nope"]}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == ["Products prod_nope do not exist"]
    hat.refresh_from_db()
    assert hat.collection_id is None
    response = admin_api_client.post(
        f"{COLLECTIONS}/pcol_nope/products/batch", {"product_ids": [hat.pk]}
    )
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Product collection with id: pcol_nope was not found",
    }
    response = admin_api_client.post(f"{COLLECTIONS}/{summer.pk}/products/batch", {})
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": "product_ids must be an array"}


def test_collections_need_staff(api_client):
    assert api_client.get(COLLECTIONS).status_code == 401
    assert api_client.get(CATEGORIES).status_code == 401


# ---- CATEGORIES ----


def test_category_crud_tree_and_batch(admin_api_client):
    response = admin_api_client.post(CATEGORIES, {"name": "Gear", "is_active": True})
    assert response.status_code == 200
    gear = response.json()["product_category"]
    assert gear["id"].startswith("pcat_")
    assert gear["mpath"] == gear["id"]
    assert (gear["handle"], gear["is_active"], gear["is_internal"], gear["rank"]) == (
        "gear",
        True,
        False,
        0,
    )
    assert gear["parent_category"] is None
    assert gear["category_children"] == []

    response = admin_api_client.post(
        CATEGORIES, {"name": "Packs", "parent_category_id": gear["id"], "description": "Bags"}
    )
    packs = response.json()["product_category"]
    assert packs["mpath"] == f"{gear['id']}.{packs['id']}"
    assert packs["parent_category"]["id"] == gear["id"]
    assert packs["is_active"] is False  # Medusa's default

    # admin lists show inactive categories too, and filter by flags
    assert _ids(admin_api_client.get(CATEGORIES), "product_categories") == [
        gear["id"],
        packs["id"],
    ]
    assert _ids(admin_api_client.get(CATEGORIES + "?is_active=false"), "product_categories") == [
        packs["id"]
    ]

    product = ProductFactory()
    url = f"{CATEGORIES}/{packs['id']}/products/batch"
    response = admin_api_client.post(url, {"product_ids": [{"id": product.pk}]})
    assert response.status_code == 200
    assert response.json()["product_category"]["id"] == packs["id"]
    response = admin_api_client.get(
        f"{PRODUCTS}?category_id[]={gear['id']}&include_category_children=true&expand=categories"
    )
    assert _ids(response, "products") == [product.pk]
    assert [c["id"] for c in response.json()["products"][0]["categories"]] == [packs["id"]]
    response = admin_api_client.delete(url, {"product_ids": [{"id": product.pk}]})
    assert response.status_code == 200
    assert _ids(admin_api_client.get(f"{PRODUCTS}?category_id[]={packs['id']}"), "products") == []

    response = admin_api_client.delete(f"{CATEGORIES}/{gear['id']}")
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": f"Deleting ProductCategory ({gear['id']}) with category children is not allowed",
    }
    response = admin_api_client.post(f"{CATEGORIES}/{packs['id']}", {"parent_category_id": None})
    assert response.status_code == 200
    assert response.json()["product_category"]["mpath"] == packs["id"]
    response = admin_api_client.delete(f"{CATEGORIES}/{gear['id']}")
    assert response.json() == {"id": gear["id"], "object": "product-category", "deleted": True}
    assert ProductCategory.objects.filter(pk=gear["id"]).exists() is False


def test_category_refusals_change_nothing(admin_api_client):
    gear = category_create(name="Gear")
    packs = category_create(name="Packs", parent_category_id=gear.pk)
    cases = [
        (CATEGORIES, {"name": "Gear"}, 422, "Product category with handle gear already exists."),
        (CATEGORIES, {"name": "X", "parent_category_id": "pcat_nope"}, 404, None),
        (CATEGORIES, {"name": "X", "rank": -1}, 400, "rank must not be less than 0"),
        (CATEGORIES, {"name": "X", "is_active": "yes"}, 400, "is_active must be a boolean value"),
        (
            f"{CATEGORIES}/{gear.pk}",
            {"parent_category_id": packs.pk},
            400,
            f"ProductCategory {gear.pk} cannot become a child of itself or of a category below it",
        ),
    ]
    for url, body, status, message in cases:
        response = admin_api_client.post(url, body)
        assert response.status_code == status, response.json()
        if message:
            assert response.json()["message"] == message
    assert ProductCategory.objects.count() == 2
    gear.refresh_from_db()
    assert gear.parent_category_id is None
    assert gear.mpath == gear.pk


def test_admin_product_create_with_images_tags_type_categories(admin_api_client, default_channel):
    packs = category_create(name="Packs")
    response = admin_api_client.post(
        PRODUCTS,
        {
            "title": "Pack",
            "images": ["https://cdn.example.com/1.jpg", "https://cdn.example.com/2.jpg"],
            "tags": [{"value": "wool"}, {"value": "warm"}],
            "type": {"value": "Bags"},
            "categories": [{"id": packs.pk}],
            "weight": 800,
            "hs_code": "4202",
            "variants": [{"title": "One", "weight": 700, "material": "Cotton"}],
        },
    )
    assert response.status_code == 200, response.json()
    product = response.json()["product"]
    assert product["thumbnail"] == "https://cdn.example.com/1.jpg"
    assert [i["url"] for i in product["images"]] == [
        "https://cdn.example.com/1.jpg",
        "https://cdn.example.com/2.jpg",
    ]
    assert sorted(t["value"] for t in product["tags"]) == ["warm", "wool"]
    assert product["type"]["value"] == "Bags"
    assert (product["weight"], product["hs_code"]) == (800, "4202")
    assert (product["variants"][0]["weight"], product["variants"][0]["material"]) == (700, "Cotton")

    pk = product["id"]
    response = admin_api_client.post(
        f"{PRODUCTS}/{pk}",
        {"images": ["https://cdn.example.com/2.jpg"], "tags": [], "type": None, "weight": None},
    )
    assert response.status_code == 200, response.json()
    product = response.json()["product"]
    assert [i["url"] for i in product["images"]] == ["https://cdn.example.com/2.jpg"]
    assert (product["tags"], product["type"], product["weight"]) == ([], None, None)

    wool = admin_api_client.get(f"{PRODUCTS}?expand=tags").json()["products"]
    assert wool[0]["tags"] == []


def test_admin_lists_query_counts_do_not_grow(admin_api_client, django_assert_num_queries):
    gear = category_create(name="Gear")
    for n in range(2):
        collection_create(title=f"C{n}")
        category_create(name=f"Sub {n}", parent_category_id=gear.pk)
    # collections: 1 = COUNT(*), 2 = the page; categories: + 3 = the page's children
    with django_assert_num_queries(2):
        assert admin_api_client.get(COLLECTIONS).status_code == 200
    with django_assert_num_queries(3):
        assert admin_api_client.get(CATEGORIES).status_code == 200
    for n in range(2, 8):
        collection_create(title=f"C{n}")
        category_create(name=f"Sub {n}", parent_category_id=gear.pk)
    with django_assert_num_queries(2):
        assert len(admin_api_client.get(COLLECTIONS).json()["collections"]) == 8
    with django_assert_num_queries(3):
        assert len(admin_api_client.get(CATEGORIES).json()["product_categories"]) == 9


def test_admin_product_list_filters_by_tags_type_and_giftcard(admin_api_client, default_channel):
    def create(body):
        response = admin_api_client.post(PRODUCTS, body)
        assert response.status_code == 200, response.json()
        return response.json()["product"]

    hat = create({"title": "Hat", "tags": [{"value": "wool"}], "type": {"value": "Headwear"}})
    scarf = create({"title": "Scarf", "tags": [{"value": "wool"}, {"value": "warm"}]})
    card = create({"title": "Card", "is_giftcard": True})
    wool = hat["tags"][0]["id"]
    assert wool in {tag["id"] for tag in scarf["tags"]}  # tags are shared by value
    assert _ids(admin_api_client.get(f"{PRODUCTS}?tags[]={wool}&expand="), "products") == [
        scarf["id"],
        hat["id"],
    ]
    assert _ids(
        admin_api_client.get(f"{PRODUCTS}?type_id[]={hat['type_id']}&expand="), "products"
    ) == [hat["id"]]
    assert _ids(admin_api_client.get(f"{PRODUCTS}?is_giftcard=true&expand="), "products") == [
        card["id"]
    ]
    response = admin_api_client.get(f"{PRODUCTS}?is_giftcard=perhaps")
    assert response.status_code == 400
    assert response.json()["type"] == "invalid_data"


@pytest.mark.parametrize(
    ("images", "message"),
    [
        ("https://x/1.png", "images must be an array"),
        ([1], "each value in images must be a string"),
        (
            ["https://x/" + "a" * 500],
            "each value in images must be shorter than or equal to 500 characters",
        ),
    ],
)
def test_admin_product_bad_images_are_400_and_write_nothing(admin_api_client, images, message):
    response = admin_api_client.post(PRODUCTS, {"title": "Pack", "images": images})
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert Product.all_objects.exists() is False
