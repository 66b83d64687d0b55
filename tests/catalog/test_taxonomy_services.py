"""Category tree, collection and picture services."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PillowImage

from catalog.exceptions import ImageInvalid
from catalog.models import Image, ProductCategory
from catalog.selectors import category_ids_with_descendants
from catalog.services import (
    category_create,
    category_delete,
    category_update,
    product_image_upload,
)
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _paths():
    return dict(ProductCategory.objects.values_list("handle", "mpath"))


def test_moving_a_category_moves_everything_below_it():
    a = category_create(name="A")
    b = category_create(name="B")
    a1 = category_create(name="A1", parent_category_id=a.pk)
    a11 = category_create(name="A11", parent_category_id=a1.pk)

    category_update(category_id=a1.pk, parent_category_id=b.pk)

    assert _paths() == {
        "a": a.pk,
        "b": b.pk,
        "a1": f"{b.pk}.{a1.pk}",
        "a11": f"{b.pk}.{a1.pk}.{a11.pk}",
    }
    assert sorted(category_ids_with_descendants(category_ids=[b.pk], store=False)) == sorted(
        [b.pk, a1.pk, a11.pk]
    )
    assert category_ids_with_descendants(category_ids=[a.pk], store=False) == [a.pk]


def test_ranks_stay_dense_among_siblings():
    root = category_create(name="Root")
    _first, _second, third = (
        category_create(name=name, parent_category_id=root.pk) for name in ("X", "Y", "Z")
    )
    inserted = category_create(name="W", parent_category_id=root.pk, rank=0)
    ranks = dict(ProductCategory.objects.filter(parent_category=root).values_list("handle", "rank"))
    assert ranks == {"w": 0, "x": 1, "y": 2, "z": 3}

    category_update(category_id=third.pk, rank=0)
    category_delete(category_id=inserted.pk)
    ranks = dict(ProductCategory.objects.filter(parent_category=root).values_list("handle", "rank"))
    assert ranks == {"z": 0, "x": 1, "y": 2}


def _png(size=(4, 4)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (10, 120, 60)).save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def test_upload_stores_a_picture_through_the_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    product = ProductFactory(thumbnail=None)
    image = product_image_upload(product_id=product.pk, file=_png())
    assert image.url.startswith("/media/products/img_")
    assert image.url.endswith(".png")
    name = image.url.removeprefix("/media/")
    assert default_storage.exists(name)
    product.refresh_from_db()
    assert product.thumbnail == image.url


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image", "file is not an image (JPEG, PNG, WebP or GIF are accepted)"),
        (None, "file is 2,000,000+ bytes"),
    ],
)
def test_upload_refuses_what_is_not_an_image_or_too_big(settings, tmp_path, content, message):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PRODUCT_IMAGE_MAX_BYTES = 100 if content is None else 10_000
    product = ProductFactory(thumbnail=None)
    file = io.BytesIO(content) if content is not None else _png((64, 64))
    with pytest.raises(ImageInvalid) as refused:
        product_image_upload(product_id=product.pk, file=file)
    if content is None:
        assert refused.value.message.endswith("images may be at most 100 bytes")
    else:
        assert refused.value.message == message
    assert Image.objects.exists() is False
    assert list(tmp_path.iterdir()) == []
    product.refresh_from_db()
    assert product.thumbnail is None


def test_image_urls_longer_than_a_cart_line_thumbnail_are_refused():
    from catalog.services import product_update
    from commerce.exceptions import InvalidData

    product = ProductFactory(thumbnail=None)
    with pytest.raises(InvalidData) as refused:
        product_update(product_id=product.pk, images=["https://x.example/" + "a" * 490])
    assert refused.value.message == (
        "each value in images must be shorter than or equal to 500 characters"
    )
    assert Image.objects.exists() is False
