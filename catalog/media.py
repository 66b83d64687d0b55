"""Product pictures kept through Django's storage API: checked with Pillow, then saved.

The storage is `STORAGES["default"]`: the local `MEDIA_ROOT` by default, any S3-compatible store
through django-storages in production (docs/deployment.md). What is recorded on an image (and a
thumbnail) is the storage's URL for the file: a path under MEDIA_URL locally, an absolute URL on
S3. The API turns a path into an absolute URL with the request's host
(`commerce.api.serializers.MediaUrlField`).
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from PIL import Image as PillowImage
from PIL import UnidentifiedImageError

from catalog.exceptions import ImageInvalid
from commerce.ids import generate_id

# Pillow's format name -> the file extension the stored copy gets.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_DIRECTORY = "products"


def image_max_bytes() -> int:
    return int(getattr(settings, "PRODUCT_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def image_check(file: IO[bytes], *, name: str = "file") -> str:
    """Return the file's extension when it is a JPEG, PNG, WebP or GIF within the size limit.

    The type is read from the content by Pillow, never from the name or the declared type.
    """
    limit = image_max_bytes()
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size > limit:
        raise ImageInvalid(f"{name} is {size:,} bytes; images may be at most {limit:,} bytes")
    try:
        with PillowImage.open(file) as picture:
            found = picture.format
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageInvalid(
            f"{name} is not an image (JPEG, PNG, WebP or GIF are accepted)"
        ) from None
    finally:
        file.seek(0)
    if found not in IMAGE_FORMATS:
        raise ImageInvalid(f"{name} is a {found} image; JPEG, PNG, WebP or GIF are accepted")
    return IMAGE_FORMATS[found]


def image_file_store(file: IO[bytes], *, name: str = "file") -> str:
    """Check an uploaded picture and save it in the storage under a fresh name; return its URL."""
    extension = image_check(file, name=name)
    stored = default_storage.save(
        f"{UPLOAD_DIRECTORY}/{generate_id('img').lower()}.{extension}", File(file)
    )
    return default_storage.url(stored)
