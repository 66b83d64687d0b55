"""Races on the category tree (PostgreSQL: real threads, each on its own connection)."""

import pytest

from catalog.exceptions import ProductCategoryCycle
from catalog.models import ProductCategory
from catalog.services import category_create, category_update
from tests.reliability.concurrency import run_concurrently

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 10


def test_opposite_moves_at_once_never_make_a_cycle_nor_deadlock():
    """Guard: a move locks the category and its new parent in id order (catalog.services)."""
    for round_number in range(ROUNDS):
        a = category_create(name=f"A{round_number}")
        b = category_create(name=f"B{round_number}")
        below_a = category_create(name=f"Below A{round_number}", parent_category_id=a.pk)

        outcomes = run_concurrently(
            lambda a=a, b=b: category_update(category_id=a.pk, parent_category_id=b.pk),
            lambda a=a, b=b: category_update(category_id=b.pk, parent_category_id=a.pk),
        )

        errors = [o.error for o in outcomes if o.error is not None]
        assert len(errors) == 1, errors
        assert isinstance(errors[0], ProductCategoryCycle)
        rows = {c.pk: c for c in ProductCategory.objects.filter(pk__in=[a.pk, b.pk, below_a.pk])}
        for category in rows.values():
            ids = category.mpath.split(".")
            assert ids[-1] == category.pk
            assert len(set(ids)) == len(ids)  # no category above itself
            parent = category.parent_category_id
            assert (ids[-2] if len(ids) > 1 else None) == parent
            if parent:
                assert category.mpath == f"{rows[parent].mpath}.{category.pk}"
