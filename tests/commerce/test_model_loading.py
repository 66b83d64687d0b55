"""BaseModel.from_db loads rows as Django's own from_db does, only faster (issue 7)."""

import pytest
from django.db.models import Model
from django.db.models.signals import post_init

from catalog.models import Product, ProductVariant
from commerce.models import Region
from orders.models import Order
from tests.catalog.factories import ProductVariantFactory
from tests.commerce.factories import RegionFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _django_from_db(model, row):
    names = [f.attname for f in model._meta.concrete_fields]
    values = [getattr(row, name) for name in names]
    return Model.from_db.__func__(model, "default", names, values)


@pytest.mark.parametrize("model", [Order, Product, ProductVariant, Region])
def test_a_loaded_row_is_the_instance_djangos_from_db_builds(model):
    # given
    OrderFactory()
    ProductVariantFactory()
    RegionFactory()

    # when
    loaded = model._base_manager.order_by("pk").first()
    reference = _django_from_db(model, loaded)

    # then: the same values, the same state, and it behaves like a saved instance
    ours = {k: v for k, v in vars(loaded).items() if k != "_state"}
    theirs = {k: v for k, v in vars(reference).items() if k != "_state"}
    assert ours == theirs
    assert (loaded._state.adding, loaded._state.db) == (False, "default")
    assert loaded == reference
    loaded.save()  # an UPDATE of the existing row, not an INSERT
    assert model._base_manager.filter(pk=loaded.pk).count() == 1


def test_deferred_columns_go_through_djangos_from_db():
    ProductVariantFactory(title="Large")

    loaded = ProductVariant.objects.only("id").get()

    assert "title" not in vars(loaded)
    assert loaded.get_deferred_fields() >= {"title"}
    assert loaded.title == "Large"  # fetched on access, as Django does


def test_a_post_init_receiver_still_sees_every_loaded_row():
    RegionFactory.create_batch(2)
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Region)
    try:
        loaded = list(Region.objects.order_by("pk"))
    finally:
        post_init.disconnect(receiver, sender=Region)

    assert seen == [r.pk for r in loaded]
    assert len(seen) == 2
