"""A job's `filterable_fields` are the admin product list's declared filters (less `order`)."""

from __future__ import annotations

import re

import pytest

from batchjobs.product_filter import ALLOWED, products_matching
from catalog.api.admin.filters import AdminProductFilter
from commerce.exceptions import InvalidData
from saleschannels.scope import EVERY_CHANNEL
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db

# One value per filter a job takes, in the shape a job's context gives it (arrays, booleans).
# A filter added to AdminProductFilter fails the first test until it has a value here (and is
# shown to work below) or is left out on purpose in product_filter.NOT_FOR_JOBS.
SAMPLES = {
    "q": "tent",
    "id": ["prod_1", "prod_2"],
    "status": ["published", "draft"],
    "handle": "tent",
    "collection_id": ["pcol_1"],
    "category_id": ["pcat_1"],
    "include_category_children": True,
    "tags": ["ptag_1"],
    "type_id": ["ptyp_1"],
    "sales_channel_id": ["sc_1"],
    "is_giftcard": False,
}


def test_every_declared_filter_of_the_product_list_is_taken_or_left_out_on_purpose():
    assert set(ALLOWED) == set(SAMPLES)
    assert set(AdminProductFilter.declared_filters) - set(ALLOWED) == {"order"}


@pytest.mark.parametrize(("name", "value"), SAMPLES.items())
def test_each_filter_a_job_takes_filters_with_a_context_value(name, value):
    product = ProductFactory(handle="tent", status="published")

    # A value the job does not turn into the list's parameter is refused (InvalidData).
    matching = list(products_matching({name: value}, EVERY_CHANNEL))

    assert matching in ([], [product])


@pytest.mark.parametrize("name", ["order", "created_at__lt", "created_at[lt]", "nope"])
def test_other_list_parameters_are_refused(name):
    with pytest.raises(
        InvalidData, match=re.escape(f"property filterable_fields.{name} should not exist")
    ):
        products_matching({name: "x"}, EVERY_CHANNEL)
