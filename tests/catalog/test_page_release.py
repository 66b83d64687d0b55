"""A rendered page's prefetched relations are released, so the page is freed without the cyclic GC."""

import gc
import weakref

import pytest

from catalog import selectors
from commerce.api.mixins import loaded_relations_release
from tests.catalog.factories import PriceFactory, ProductOptionValueFactory

pytestmark = pytest.mark.django_db


def _page():
    price = PriceFactory()
    ProductOptionValueFactory(variant=price.variant, option__product=price.variant.product)
    reading = selectors.StoreReading(relations={"variants", "options"}, prices=None)
    page = list(selectors.product_qs_for_store(reading=reading).filter(pk=price.variant.product_id))
    selectors.product_page_load(page, reading=reading)
    return page


def _freed_without_gc(page) -> bool:
    variant = page[0].loaded_variants[0]
    assert variant.product is page[0]  # the back reference, as a prefetch sets it: a cycle
    product_ref, variant_ref = weakref.ref(page[0]), weakref.ref(variant)
    del variant
    gc.disable()
    try:
        page.clear()
        return product_ref() is None and variant_ref() is None
    finally:
        gc.enable()


def test_without_release_a_page_waits_for_the_cyclic_collector():
    assert _freed_without_gc(_page()) is False
    gc.collect()


def test_released_page_is_freed_by_reference_counting():
    page = _page()
    product_ref = weakref.ref(page[0])
    variant_ref = weakref.ref(page[0].loaded_variants[0])
    loaded_relations_release(page)
    loaded_relations_release([])  # an empty page is fine too
    assert not hasattr(page[0], "loaded_variants")
    assert not hasattr(page[0], "loaded_options")
    gc.disable()
    try:
        page.clear()
        assert (product_ref(), variant_ref()) == (None, None)
    finally:
        gc.enable()
