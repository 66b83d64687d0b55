"""Shared pieces of the batch job tests: a small catalogue through the services, sheets, jobs."""

from __future__ import annotations

import csv
import io

import pytest

from catalog import services as catalog_services
from catalog.models import Product, ProductSalesChannel, ProductVariant
from commerce.models import OutboxEvent
from saleschannels import services as channel_services


def make_catalog(default_channel, n: int = 3) -> dict:
    mobile = channel_services.sales_channel_create(name="Mobile App", description="The app")
    b2b = channel_services.sales_channel_create(name="B2B Portal")
    products = []
    for i in range(n):
        products.append(
            catalog_services.product_create(
                title=f"Tent {i}",
                handle=f"tent-{i}",
                status="published",
                options=["Size"],
                variants=[
                    catalog_services.VariantInput(
                        title=f"Tent {i} S",
                        sku=f"TENT-{i}-S",
                        inventory_quantity=5,
                        prices=[catalog_services.PriceInput("usd", 1000 + i)],
                        option_values=["S"],
                    ),
                    catalog_services.VariantInput(
                        title=f"Tent {i} L",
                        sku=f"TENT-{i}-L",
                        prices=[catalog_services.PriceInput("usd", 2000 + i)],
                        option_values=["L"],
                    ),
                ],
                sales_channel_ids=[default_channel.pk, mobile.pk],
            )
        )
    return {"mobile": mobile, "b2b": b2b, "products": products}


def state() -> dict:
    """Everything an import may write, to compare before and after."""
    return {
        "products": sorted(
            Product.all_objects.values_list("pk", "handle", "title", "status", "updated_at")
        ),
        "variants": sorted(
            ProductVariant.all_objects.values_list("pk", "title", "sku", "updated_at")
        ),
        "links": sorted(ProductSalesChannel.objects.values_list("product_id", "sales_channel_id")),
        "events": OutboxEvent.objects.filter(type__startswith="product").count(),
    }


def read_sheet(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter=";")
    return list(reader.fieldnames or []), list(reader)


def write_sheet(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the job hand-overs (sync mode) when a test's service call commits."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run
