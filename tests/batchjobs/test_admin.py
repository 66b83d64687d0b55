"""The Django admin door: a merchant exports a channel's products, edits the sheet, previews the
import with its row errors, confirms, and follows the job (its progress JSON)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from batchjobs.models import BatchJob
from catalog.models import Product, ProductSalesChannel
from saleschannels.services import staff_scope_set
from tests.batchjobs.conftest import make_catalog, read_sheet, state, write_sheet
from tests.security.permissions_helpers import staff_with

pytestmark = pytest.mark.django_db

JOBS = "/admin/batchjobs/batchjob/"


def _start(client, capture, data: dict) -> BatchJob:
    with capture(execute=True):
        response = client.post(f"{JOBS}add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = BatchJob.objects.order_by("-created_at").first()
    assert response["Location"] == f"{JOBS}{job.pk}/change/"
    return job


def test_export_a_channel_edit_preview_confirm(
    admin_client, default_channel, django_capture_on_commit_callbacks
):
    catalog = make_catalog(default_channel, n=2)
    page = admin_client.get(f"/admin/saleschannels/saleschannel/{catalog['mobile'].pk}/change/")
    assert f"?type=product-export&amp;sales_channel={catalog['mobile'].pk}" in page.content.decode()
    assert "Export CSV" in admin_client.get("/admin/catalog/product/").content.decode()

    # export the Mobile App's products
    job = _start(
        admin_client,
        django_capture_on_commit_callbacks,
        {"type": "product-export", "sales_channel": catalog["mobile"].pk},
    )
    job.refresh_from_db()
    assert job.status == "completed"
    detail = admin_client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert "Download the CSV" in detail
    assert default_storage.url(job.result["file_key"]) in detail
    with default_storage.open(job.result["file_key"], "rb") as file:
        columns, rows = read_sheet(file.read())
    assert len(rows) == 4

    # edit: tent-0 leaves the Mobile App for the B2B Portal; tent-1 names an unknown channel
    for row in rows:
        for n in (1, 2):
            if row[f"Sales Channel {n} Name"] == "Mobile App":
                row[f"Sales Channel {n} Id"] = ""
                row[f"Sales Channel {n} Name"] = (
                    "B2B Portal" if row["Product Handle"] == "tent-0" else "Marketplace"
                )
    bad = write_sheet(columns, rows)
    before = state()
    job = _start(
        admin_client,
        django_capture_on_commit_callbacks,
        {"type": "product-import", "file": SimpleUploadedFile("s.csv", bad), "dry_run": "on"},
    )
    job.refresh_from_db()
    assert job.status == "failed"
    detail = admin_client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert "Row errors (1) — nothing was written" in detail
    assert "Sales channel with name &quot;Marketplace&quot; was not found" in detail
    assert state() == before

    # fixed sheet: preview, then confirm
    for row in rows:
        for n in (1, 2):
            if row[f"Sales Channel {n} Name"] == "Marketplace":
                row[f"Sales Channel {n} Name"] = "Mobile App"
    job = _start(
        admin_client,
        django_capture_on_commit_callbacks,
        {
            "type": "product-import",
            "file": SimpleUploadedFile("s.csv", write_sheet(columns, rows)),
            "dry_run": "on",
        },
    )
    job.refresh_from_db()
    assert job.status == "pre_processed"
    detail = admin_client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert "0 products will be created, 1 updated, 1 unchanged (4 rows)" in detail
    assert "Confirm and run" in detail
    assert state() == before
    progress = admin_client.get(f"{JOBS}progress/?id={job.pk}").json()
    assert progress["batch_jobs"][job.pk]["status"] == "pre_processed"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{JOBS}{job.pk}/confirm/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "completed"
    assert admin_client.get(f"{JOBS}progress/?id={job.pk}").json()["batch_jobs"][job.pk] == {
        "status": "completed",
        "status_display": "Completed",
        "progress": 100.0,
        "advancement_count": 4,
        "count": 4,
    }
    tent = Product.objects.get(handle="tent-0")
    assert set(
        ProductSalesChannel.objects.filter(product=tent).values_list("sales_channel_id", flat=True)
    ) == {default_channel.pk, catalog["b2b"].pk}
    listing = admin_client.get(JOBS).content.decode()
    assert f'data-batch-job="{job.pk}"' in listing
    assert "batchjobs/progress.js" in listing


def test_a_scoped_clerk_sees_only_their_jobs_and_channels(
    client, default_channel, django_capture_on_commit_callbacks
):
    catalog = make_catalog(default_channel, n=1)
    clerk = staff_with(
        "batchjobs.view_batchjob",
        "batchjobs.add_batchjob",
        "catalog.view_product",
        "catalog.add_product",
        "catalog.change_product",
        "saleschannels.manage_saleschannel_products",
        email="clerk@example.com",
    )
    staff_scope_set(user_id=clerk.pk, sales_channel_ids=[catalog["mobile"].pk])
    other = BatchJob.objects.create(type="product-export", sales_channel_ids=[catalog["b2b"].pk])
    client.force_login(clerk)

    page = client.get(f"{JOBS}add/?type=sales-channel-products").content.decode()
    assert "Mobile App" in page
    assert "B2B Portal" not in page
    assert client.get(f"{JOBS}{other.pk}/change/").status_code == 404
    assert other.pk not in client.get(f"{JOBS}progress/?id={other.pk}").json()["batch_jobs"]
    response = client.post(
        f"{JOBS}add/",
        {"type": "sales-channel-products", "sales_channel": catalog["b2b"].pk, "action": "add"},
    )
    assert response.status_code == 200  # the form again: B2B is not a choice for them
    assert BatchJob.objects.count() == 1
