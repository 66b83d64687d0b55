"""Files of batch jobs (uploaded sheets, export results) kept through Django's storage API.

The storage is `STORAGES["default"]`, as for product pictures (catalog.media): `MEDIA_ROOT`
locally, S3 or any S3-compatible store in production. A file is named by its key:
`uploads/<id>/<name>` for an upload, `exports/<job id>.csv` for an export's result.
"""

from __future__ import annotations

import re
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage

from batchjobs.exceptions import FileKeyNotFound, UploadTooLarge
from commerce.ids import generate_id

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def upload_max_bytes() -> int:
    return int(settings.BATCH_JOBS_UPLOAD_MAX_BYTES)


def too_large(size: int) -> UploadTooLarge:
    limit = upload_max_bytes()
    return UploadTooLarge(f"The file is {size:,} bytes; files may be at most {limit:,} bytes")


def upload_store(file: IO[bytes], *, name: str) -> str:
    """Save an uploaded file under a fresh key and return the key. Refuses files over the limit."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size > upload_max_bytes():
        raise too_large(size)
    safe = _UNSAFE.sub("-", name.rsplit("/", 1)[-1]).strip("-.") or "file"
    return default_storage.save(f"uploads/{generate_id('file').lower()}/{safe[:100]}", File(file))


def file_url(key: str) -> str:
    if not default_storage.exists(key):
        raise FileKeyNotFound(key)
    return default_storage.url(key)


def file_open(key: str) -> IO[bytes]:
    if not key or not default_storage.exists(key):
        raise FileKeyNotFound(key)
    return default_storage.open(key, "rb")


def file_size(key: str) -> int:
    return default_storage.size(key)


def export_save(job_id: str, file: IO[bytes]) -> str:
    return default_storage.save(f"exports/{job_id.lower()}.csv", File(file))
