"""Medusa v1's batch job and upload routes, end to end in sync mode (the worker runs in-line)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from batchjobs.models import BatchJob
from catalog.models import Product, ProductSalesChannel
from tests.batchjobs.conftest import make_catalog, read_sheet, state, write_sheet

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, name: str = "products.csv") -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/admin/uploads",
        {"files": SimpleUploadedFile(name, data, content_type="text/csv")},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    upload = response.json()["uploads"][0]
    assert upload["url"].startswith("http://testserver/media/uploads/")
    return upload["key"]


def _create(client, django_capture_on_commit_callbacks, **body) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/admin/batch-jobs", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["batch_job"]


def _export(client, capture, **context) -> bytes:
    job = _create(client, capture, type="product-export", context=context)
    job = client.get(f"/api/admin/batch-jobs/{job['id']}").json()["batch_job"]
    assert job["status"] == "completed", job
    url = client.post(
        "/api/admin/uploads/download-url", {"file_key": job["result"]["file_key"]}, format="json"
    ).json()["download_url"]
    assert url.startswith("http://testserver/media/exports/")
    with default_storage.open(job["result"]["file_key"], "rb") as file:
        return file.read()


def test_export_has_medusa_columns_and_channels(
    admin_api_client, default_channel, django_capture_on_commit_callbacks
):
    catalog = make_catalog(default_channel, n=2)
    data = _export(admin_api_client, django_capture_on_commit_callbacks)
    columns, rows = read_sheet(data)
    assert columns[:3] == ["Product Id", "Product Handle", "Product Title"]
    assert "Variant Id" in columns
    assert "Price USD" in columns
    assert columns[-6:] == [
        "Sales Channel 1 Name",
        "Sales Channel 1 Description",
        "Sales Channel 1 Id",
        "Sales Channel 2 Name",
        "Sales Channel 2 Description",
        "Sales Channel 2 Id",
    ]
    assert len(rows) == 4  # 2 products x 2 variants
    first = next(r for r in rows if r["Variant SKU"] == "TENT-0-S")
    assert first["Price USD"] == "1000"
    assert first["Option 1 Name"] == "Size"
    assert first["Option 1 Value"] == "S"
    assert {first["Sales Channel 1 Id"], first["Sales Channel 2 Id"]} == {
        default_channel.pk,
        catalog["mobile"].pk,
    }
    assert "Mobile App" in {first["Sales Channel 1 Name"], first["Sales Channel 2 Name"]}


def test_round_trip_export_import_changes_nothing(
    admin_api_client, default_channel, django_capture_on_commit_callbacks
):
    make_catalog(default_channel, n=3)
    data = _export(admin_api_client, django_capture_on_commit_callbacks)
    before = state()
    key = _upload(admin_api_client, data)
    job = _create(
        admin_api_client,
        django_capture_on_commit_callbacks,
        type="product-import",
        context={"fileKey": key},
    )
    job = admin_api_client.get(f"/api/admin/batch-jobs/{job['id']}").json()["batch_job"]
    assert job["status"] == "completed", job
    assert job["result"]["errors"] == []
    assert job["result"]["unchanged"] == 3
    assert job["result"]["created"] == job["result"]["updated"] == 0
    assert state() == before


def test_edited_sheet_moves_products_between_channels_after_a_dry_run(
    admin_api_client, default_channel, django_capture_on_commit_callbacks
):
    catalog = make_catalog(default_channel, n=3)
    columns, rows = read_sheet(_export(admin_api_client, django_capture_on_commit_callbacks))
    for row in rows:
        if row["Product Handle"] == "tent-1":  # Mobile App -> B2B Portal, by name only
            for n in (1, 2):
                if row[f"Sales Channel {n} Name"] == "Mobile App":
                    row[f"Sales Channel {n} Name"] = "B2B Portal"
                    row[f"Sales Channel {n} Id"] = ""
                    row[f"Sales Channel {n} Description"] = ""
    key = _upload(admin_api_client, write_sheet(columns, rows))
    before = state()
    job = _create(
        admin_api_client,
        django_capture_on_commit_callbacks,
        type="product-import",
        context={"fileKey": key},
        dry_run=True,
    )
    job = admin_api_client.get(f"/api/admin/batch-jobs/{job['id']}").json()["batch_job"]
    assert job["status"] == "pre_processed"
    assert job["result"]["stat_descriptors"][0]["message"] == (
        "0 products will be created, 1 updated, 2 unchanged (6 rows)"
    )
    assert state() == before  # the dry run wrote nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api_client.post(f"/api/admin/batch-jobs/{job['id']}/confirm")
    assert response.status_code == 200
    job = admin_api_client.get(f"/api/admin/batch-jobs/{job['id']}").json()["batch_job"]
    assert job["status"] == "completed"
    assert job["result"]["progress"] == 100
    tent = Product.objects.get(handle="tent-1")
    assert set(
        ProductSalesChannel.objects.filter(product=tent).values_list("sales_channel_id", flat=True)
    ) == {
        default_channel.pk,
        catalog["b2b"].pk,
    }
    # the other products did not move
    assert ProductSalesChannel.objects.filter(sales_channel=catalog["mobile"]).count() == 2


def _import_failing(client, capture, data: bytes, name: str = "products.csv") -> dict:
    before = state()
    key = _upload(client, data, name)
    job = _create(client, capture, type="product-import", context={"fileKey": key})
    job = client.get(f"/api/admin/batch-jobs/{job['id']}").json()["batch_job"]
    assert job["status"] == "failed", job
    assert state() == before
    return job


def test_unknown_channel_and_bad_price_are_row_errors_and_nothing_is_written(
    admin_api_client, default_channel, django_capture_on_commit_callbacks
):
    make_catalog(default_channel, n=3)
    columns, rows = read_sheet(_export(admin_api_client, django_capture_on_commit_callbacks))
    rows[0]["Product Title"] = "Renamed"  # a good change on line 2, not written either
    rows[2]["Sales Channel 1 Id"] = ""
    rows[2]["Sales Channel 1 Name"] = "Marketplace"
    rows[5]["Price USD"] = "12.x"
    job = _import_failing(
        admin_api_client, django_capture_on_commit_callbacks, write_sheet(columns, rows)
    )
    assert job["result"]["errors"] == [
        {
            "line": 4,
            "message": 'Sales channel with name "Marketplace" was not found; an import never '
            "creates channels",
            "code": "invalid_data",
        },
        {
            "line": 7,
            "message": 'Price USD must be a whole number, not "12.x"',
            "code": "invalid_data",
        },
    ]
    assert not Product.objects.filter(title="Renamed").exists()


def test_missing_column_fails_the_sheet(
    admin_api_client, default_channel, django_capture_on_commit_callbacks
):
    make_catalog(default_channel, n=1)
    columns, rows = read_sheet(_export(admin_api_client, django_capture_on_commit_callbacks))
    columns.remove("Variant Title")
    for row in rows:
        del row["Variant Title"]
    job = _import_failing(
        admin_api_client, django_capture_on_commit_callbacks, write_sheet(columns, rows)
    )
    assert job["result"]["errors"] == [
        {"message": 'Missing column "Variant Title"', "code": "invalid_data"}
    ]


def test_wrong_encoding_fails_the_sheet(
    admin_api_client, default_channel, django_capture_on_commit_callbacks
):
    make_catalog(default_channel, n=1)
    data = _export(admin_api_client, django_capture_on_commit_callbacks)
    latin1 = data.decode("utf-8").replace("Tent 0", "Tente réglée").encode("latin-1")
    job = _import_failing(admin_api_client, django_capture_on_commit_callbacks, latin1)
    assert job["result"]["errors"][0]["message"].startswith("The file is not UTF-8 text")


def test_a_50_mb_upload_is_refused_with_413(admin_api_client, default_channel):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def stored() -> list[str]:
        return default_storage.listdir("uploads")[0] if default_storage.exists("uploads") else []

    before = stored()
    big = b"Product Id;Product Handle\n" + b"x" * (50 * 1024 * 1024)
    response = admin_api_client.post(
        "/api/admin/uploads",
        {"files": SimpleUploadedFile("big.csv", big, content_type="text/csv")},
        format="multipart",
    )
    assert response.status_code == 413
    body = response.json()
    assert body["type"] == "invalid_data"
    assert body["message"].startswith("The file is 52,4")
    assert body["message"].endswith("files may be at most 33,554,432 bytes")
    assert stored() == before


def test_confirm_and_cancel_follow_medusa_statuses(
    admin_api_client, default_channel, django_capture_on_commit_callbacks
):
    make_catalog(default_channel, n=1)
    job = _create(
        admin_api_client,
        django_capture_on_commit_callbacks,
        type="product-export",
        context={},
        dry_run=True,
    )
    assert job["status"] == "created"  # the answer comes before the worker's pre-processing
    job = admin_api_client.get(f"/api/admin/batch-jobs/{job['id']}").json()["batch_job"]
    assert job["status"] == "pre_processed"
    assert job["result"]["count"] == 1
    response = admin_api_client.post(f"/api/admin/batch-jobs/{job['id']}/cancel")
    assert response.status_code == 200
    assert response.json()["batch_job"]["status"] == "canceled"
    assert response.json()["batch_job"]["canceled_at"] is not None
    response = admin_api_client.post(f"/api/admin/batch-jobs/{job['id']}/confirm")
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": "Cannot confirm processing for a batch job that is not pre processed",
    }
    listed = admin_api_client.get("/api/admin/batch-jobs?status[]=canceled").json()
    assert listed["count"] == 1
    assert listed["batch_jobs"][0]["id"] == job["id"]
    assert BatchJob.objects.get(pk=job["id"]).status == "canceled"


def test_bad_type_and_unknown_file_are_400(admin_api_client, default_channel):
    response = admin_api_client.post("/api/admin/batch-jobs", {"type": "nope"}, format="json")
    assert response.status_code == 400
    response = admin_api_client.post(
        "/api/admin/batch-jobs",
        {"type": "product-import", "context": {"fileKey": "uploads/none.csv"}},
        format="json",
    )
    assert response.status_code == 404
    assert response.json()["message"] == "File with key uploads/none.csv was not found"
    assert BatchJob.objects.count() == 0


def test_a_scoped_clerk_naming_another_channel_gets_a_row_error(
    default_channel, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from batchjobs import services
    from saleschannels.scope import staff_scope
    from saleschannels.services import staff_scope_set
    from tests.security.permissions_helpers import staff_with

    catalog = make_catalog(default_channel, n=1)
    mobile = catalog["mobile"].pk
    sheet = (
        "Product Id;Product Handle;Product Title;Variant Id;Variant Title;"
        "Sales Channel 1 Name;Sales Channel 1 Id\n"
        f";new-tent;New tent;;One size;Mobile App;{mobile}\n"
        ";other-tent;Other tent;;One size;B2B Portal;\n"
    )
    key = default_storage.save("uploads/scoped/s.csv", ContentFile(sheet.encode()))
    before = state()

    clerk = staff_with(email="clerk@example.com")
    staff_scope_set(user_id=clerk.pk, sales_channel_ids=[mobile])

    with django_capture_on_commit_callbacks(execute=True):
        job = services.batch_job_create(
            type="product-import",
            context={"fileKey": key},
            user=clerk,
            scope=staff_scope(clerk),
        )

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.sales_channel_ids == [mobile]
    assert job.result["errors"] == [
        {
            "line": 3,
            "message": "Sales channel B2B Portal is not one of your channels",
            "code": "invalid_data",
        }
    ]
    assert state() == before
