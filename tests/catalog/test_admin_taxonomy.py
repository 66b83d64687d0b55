"""Django admin: collections, the category tree, and a product's pictures, type, tags, categories."""

import io

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from catalog.models import Image, ProductCategory, ProductCollection
from catalog.services import category_create
from tests.catalog.factories import ProductFactory
from tests.catalog.test_admin import _product_form

pytestmark = pytest.mark.django_db


def _png_upload(name="pack.png"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (8, 8), (200, 90, 20)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_category_tree_is_listed_in_tree_order_indented(admin_client):
    gear = category_create(name="Gear", is_active=True)
    category_create(name="Packs", parent_category_id=gear.pk)
    category_create(name="Apparel")
    response = admin_client.get("/admin/catalog/productcategory/")
    assert response.status_code == 200
    names = [c.name for c in response.context["cl"].result_list]
    assert names.index("Packs") == names.index("Gear") + 1
    assert b"padding-left:1.5em" in response.content


def test_category_add_and_move_go_through_the_services(admin_client):
    gear = category_create(name="Gear")
    data = {
        "name": "Packs",
        "handle": "",
        "description": "",
        "parent_category": gear.pk,
        "rank": "",
        "is_active": "on",
        "metadata": "",
    }
    response = admin_client.post("/admin/catalog/productcategory/add/", data)
    assert response.status_code == 302
    packs = ProductCategory.objects.get(handle="packs")
    assert packs.mpath == f"{gear.pk}.{packs.pk}"
    assert packs.is_active is True

    data["parent_category"] = ""
    response = admin_client.post(f"/admin/catalog/productcategory/{packs.pk}/change/", data)
    assert response.status_code == 302
    packs.refresh_from_db()
    assert packs.mpath == packs.pk


def test_category_with_children_cannot_be_deleted_in_the_admin(admin_client):
    gear = category_create(name="Gear")
    category_create(name="Packs", parent_category_id=gear.pk)
    response = admin_client.post(
        f"/admin/catalog/productcategory/{gear.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert (
        messages.ERROR,
        f"Deleting ProductCategory ({gear.pk}) with category children is not allowed",
    ) in [(m.level, m.message) for m in response.context["messages"]]
    assert ProductCategory.objects.count() == 2


def test_collection_add_and_delete(admin_client):
    response = admin_client.post(
        "/admin/catalog/productcollection/add/", {"title": "Summer", "handle": "", "metadata": ""}
    )
    assert response.status_code == 302
    summer = ProductCollection.objects.get(handle="summer")
    product = ProductFactory(collection=summer)
    listing = admin_client.get("/admin/catalog/productcollection/")
    assert b"1 product" in listing.content
    admin_client.post(f"/admin/catalog/productcollection/{summer.pk}/delete/", {"post": "yes"})
    assert ProductCollection.objects.exists() is False
    product.refresh_from_db()
    assert product.collection_id is None


def test_product_page_uploads_pictures_and_sets_type_tags_categories(
    admin_client, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    packs = category_create(name="Packs")
    product = ProductFactory(thumbnail=None)
    data = _product_form(
        product,
        type_value="Bags",
        tag_values="wool, warm, wool",
        categories=[packs.pk],
        weight="900",
        **{"images-TOTAL_FORMS": "1", "images-0-upload": _png_upload()},
    )
    response = admin_client.post(f"/admin/catalog/product/{product.pk}/change/", data)
    assert response.status_code == 302
    product.refresh_from_db()
    image = Image.objects.get(product=product)
    assert image.url.startswith("/media/products/img_")
    assert product.thumbnail == image.url
    assert product.type.value == "Bags"
    assert sorted(product.tags.values_list("value", flat=True)) == ["warm", "wool"]
    assert list(product.categories.values_list("pk", flat=True)) == [packs.pk]
    assert product.weight == 900
    page = admin_client.get(f"/admin/catalog/product/{product.pk}/change/")
    assert image.url.encode() in page.content


def test_product_page_refuses_a_file_that_is_not_a_picture(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    product = ProductFactory(thumbnail=None, title="Mug")
    data = _product_form(
        product,
        title="Renamed",
        **{
            "images-TOTAL_FORMS": "1",
            "images-0-upload": SimpleUploadedFile("x.png", b"<html>", content_type="image/png"),
        },
    )
    response = admin_client.post(f"/admin/catalog/product/{product.pk}/change/", data, follow=True)
    assert (messages.ERROR, "upload is not an image (JPEG, PNG, WebP or GIF are accepted)") in [
        (m.level, m.message) for m in response.context["messages"]
    ]
    product.refresh_from_db()
    assert product.title == "Mug"
    assert Image.objects.exists() is False
    assert list(tmp_path.iterdir()) == []
