"""A real Celery worker runs the jobs; one SIGKILLed mid-import leaves nothing, and the job's
next run (its message redelivered) leaves everything. Data is committed, as in life.

Needs Redis (CELERY_BROKER_URL); skipped, saying why, only when it does not answer.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from environ import Env

from batchjobs import dispatch, services
from batchjobs.models import BatchJob, BatchJobStatus
from catalog.models import Product, ProductVariant
from saleschannels.scope import EVERY_CHANNEL
from tests.webhooks.worker import CeleryProcesses, redis_unreachable_reason

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PRODUCTS = 12
env_cache = Env.cache_url_config


@pytest.fixture(scope="module", autouse=True)
def _restore_migration_data(django_db_blocker):
    """Leave the database as `migrate` left it for the tests that run after this module."""
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def celery(settings, tmp_path):
    reason = redis_unreachable_reason()
    if reason:
        pytest.skip(reason)
    processes = CeleryProcesses(tmp_path)
    # One cache for this process and the worker: progress and cancel flags (batchjobs.progress).
    cache_url = settings.CELERY_BROKER_URL.replace("redis://", "rediscache://")
    settings.CACHES = {"default": env_cache(cache_url)}
    processes.env.update(
        TEST_CACHE_URL=cache_url,
        BATCH_JOBS_RUN_MODE="celery",
        TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        BATCH_JOBS_CHUNK_SIZE="2",
        BATCH_JOBS_CHUNK_PAUSE_SECONDS="0.4",
    )
    settings.BATCH_JOBS_RUN_MODE = "celery"
    settings.CELERY_TASK_DEFAULT_QUEUE = processes.queue
    yield processes
    processes.stop()


def _sheet() -> str:
    lines = ["Product Id;Product Handle;Product Title;Variant Id;Variant Title;Price USD"]
    lines += [f";crash-{i};Crash {i};;Crash {i} one size;{100 + i}" for i in range(PRODUCTS)]
    return default_storage.save("uploads/crash/products.csv", ContentFile("\n".join(lines)))


def _job_when(job_id: str, statuses: tuple[str, ...], timeout: float = 30) -> BatchJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = BatchJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job still {BatchJob.objects.get(pk=job_id).status}")


def test_a_worker_killed_mid_import_leaves_nothing_then_everything(celery):
    # given: a worker, and an import of 12 products (6 chunks of 2, 0.4 s apart)
    celery.start_worker()
    job = services.batch_job_create(
        type="product-import", context={"fileKey": _sheet()}, scope=EVERY_CHANNEL
    )

    # when: the worker is killed (SIGKILL) while it writes the products
    _job_when(job.pk, (BatchJobStatus.PROCESSING,))
    time.sleep(1.2)  # a few chunks into its one transaction
    celery.kill_worker()

    # then: nothing was written, and the job is still processing (its message unacknowledged)
    assert Product.objects.filter(handle__startswith="crash-").count() == 0
    assert BatchJob.objects.get(pk=job.pk).status == BatchJobStatus.PROCESSING

    # when: a new worker gets the job again (what the broker's redelivery does)
    celery.start_worker()
    dispatch.hand_over(job.pk)

    # then: everything is written, once
    done = _job_when(job.pk, (BatchJobStatus.COMPLETED, BatchJobStatus.FAILED))
    assert done.status == BatchJobStatus.COMPLETED, (done.result, celery.logs())
    assert Product.objects.filter(handle__startswith="crash-").count() == PRODUCTS
    assert ProductVariant.objects.filter(product__handle__startswith="crash-").count() == PRODUCTS
    assert done.result["created"] == PRODUCTS
    assert done.result["errors"] == []


def test_cancel_stops_a_running_import_cleanly(celery):
    # given: a worker running an import (6 chunks of 2, 0.4 s apart)
    celery.start_worker()
    job = services.batch_job_create(
        type="product-import", context={"fileKey": _sheet()}, scope=EVERY_CHANNEL
    )
    _job_when(job.pk, (BatchJobStatus.PROCESSING,))

    # when: the merchant cancels it mid-run
    services.batch_job_cancel(job_id=job.pk, scope=EVERY_CHANNEL)

    # then: the worker stops at its next chunk, its transaction rolled back: nothing written
    assert BatchJob.objects.get(pk=job.pk).status == BatchJobStatus.CANCELED
    deadline = time.monotonic() + 10
    while "was canceled while it ran" not in celery.logs() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Product.objects.filter(handle__startswith="crash-").count() == 0
    assert "was canceled while it ran" in celery.logs()
