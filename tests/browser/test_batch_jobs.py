"""Batch jobs in a real browser: export from the product list, and watch the progress bar move.

Jobs run in a thread of the live server's process, as in `make run` (BATCH_JOBS_RUN_MODE=thread),
slowed down per chunk so that the bar is seen moving.
"""

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from batchjobs.models import BatchJob
from tests.catalog.factories import ProductFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_export_from_the_product_list_and_watch_its_progress(logged_in, settings, screenshot):
    settings.BATCH_JOBS_RUN_MODE = "thread"
    settings.BATCH_JOBS_CHUNK_SIZE = 1
    settings.BATCH_JOBS_CHUNK_PAUSE_SECONDS = 0.4
    for i in range(8):
        ProductFactory(title=f"Tent {i}", handle=f"tent-{i}")
    page = logged_in

    page.goto("/admin/catalog/product/")
    page.click("text=Export CSV")
    expect(page.locator("#id_type")).to_have_value("product-export")
    page.click("input[type=submit][value=Start]")

    # the job's page follows the job: processing, with the bar moving, then completed
    label = page.locator(".bj-progress .bj-label")
    expect(label).to_contain_text("Processing", timeout=20_000)
    seen = label.inner_text()
    expect(label).not_to_have_text(seen, timeout=10_000)  # the count moved, without a reload
    screenshot(page, "batch-job-progress", full_page=False)
    expect(page.locator("text=Download the CSV")).to_be_visible(timeout=20_000)
    expect(label).to_contain_text("Completed · 8 / 8")

    job = BatchJob.objects.get()
    assert job.status == "completed"
    with default_storage.open(job.result["file_key"], "rb") as file:
        assert file.read().decode().count("\n") == 9  # the header and 8 products

    page.goto("/admin/batchjobs/batchjob/")
    expect(page.locator(f'[data-batch-job="{job.pk}"] .bj-label')).to_contain_text("Completed")
    expect(page.locator("text=Download CSV")).to_be_visible()
