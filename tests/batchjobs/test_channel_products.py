"""`sales-channel-products`: every product matching a filter, or named in a sheet, moved in chunks
through the channel services, in a constant number of statements per chunk."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batchjobs import services
from batchjobs.models import BatchJob
from catalog.models import ProductSalesChannel
from commerce.models import OutboxEvent
from saleschannels import services as channel_services
from saleschannels.scope import EVERY_CHANNEL
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _job(channel, run_on_commit, **context) -> BatchJob:
    job = run_on_commit(
        services.batch_job_create,
        type="sales-channel-products",
        context={"sales_channel_id": channel.pk, **context},
        scope=EVERY_CHANNEL,
    )
    return BatchJob.objects.get(pk=job.pk)


def test_adds_every_product_matching_the_filter_then_removes_them(run_on_commit, default_channel):
    target = channel_services.sales_channel_create(name="Outlet")
    published = [ProductFactory(status="published") for _ in range(3)]
    ProductFactory(status="draft")

    job = _job(target, run_on_commit, action="add", filterable_fields={"status": ["published"]})

    assert job.status == "completed"
    assert job.result["count"] == 3
    assert job.result["advancement_count"] == 3
    linked = ProductSalesChannel.objects.filter(sales_channel=target)
    assert set(linked.values_list("product_id", flat=True)) == {p.pk for p in published}
    assert OutboxEvent.objects.filter(type="sales_channel.products_added").exists()

    job = _job(target, run_on_commit, action="remove", filterable_fields={})
    assert job.status == "completed"
    assert linked.count() == 0


def test_a_sheet_of_handles_with_an_unknown_one_moves_nothing(run_on_commit, default_channel):
    target = channel_services.sales_channel_create(name="Outlet")
    ProductFactory(handle="tent")
    key = default_storage.save(
        "uploads/t/handles.csv", ContentFile("Product Handle\ntent\nno-such-tent\n")
    )

    job = _job(target, run_on_commit, action="add", fileKey=key)

    assert job.status == "failed"
    assert job.result["errors"] == [
        {
            "line": 3,
            "message": "Product with handle no-such-tent was not found",
            "code": "invalid_data",
        }
    ]
    assert not ProductSalesChannel.objects.filter(sales_channel=target).exists()


def _statements(settings, target, count: int) -> int:
    for _ in range(count):
        ProductFactory()
    job = services.batch_job_create(
        type="sales-channel-products",
        context={"sales_channel_id": target.pk, "action": "add"},
        dry_run=True,
        scope=EVERY_CHANNEL,
    )
    services.batch_job_step(job_id=job.pk)  # pre-processing: a count
    services.batch_job_confirm(job_id=job.pk, scope=EVERY_CHANNEL)
    with CaptureQueriesContext(connection) as queries:
        services.batch_job_step(job_id=job.pk)
    assert BatchJob.objects.get(pk=job.pk).status == "completed"
    return len(queries)


def test_statements_per_chunk_are_constant(settings, default_channel):
    settings.BATCH_JOBS_CHUNK_SIZE = 2
    target = channel_services.sales_channel_create(name="Outlet")
    ProductSalesChannel.objects.all().delete()

    four = _statements(settings, target, 4)  # 2 chunks
    eight = _statements(settings, target, 4)  # 8 products now: 4 chunks

    per_chunk = (eight - four) // 2
    assert eight - four == 2 * per_chunk
    assert per_chunk == PER_CHUNK
    assert four == FIXED + 2 * PER_CHUNK


# Per chunk: the cancel check, the next ids (keyset), the service's savepoint, channel lock, missing-products check,
# insert (in its own savepoint), the products' version bump (the render cache, catalog.versions),
# the listings version bump (the channels' cached counts), outbox event, and the job's progress.
# Fixed: reading the job, its status moves (with their events), the count, the last empty page
# of ids.
PER_CHUNK = 13
FIXED = 11
