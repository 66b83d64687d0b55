"""Column rows: a model's columns as a read-only named tuple, for the leaves of big read pages.

A store product page shows a few hundred prices and option values. Built as model instances
they cost several times more than the data (Django's `Model.__init__`, descriptors, state);
a row of the same columns (`row.amount`, `row.created_at`, `row.pk`) is a tuple. Output
serializers render rows like instances (`commerce.api.rendering` knows `row_of`). Rows have
no relations, no methods and cannot be saved: use them only for what is read and shown.
Speed layer: docs/speed-layer.md "Column rows (named tuples)".
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import OuterRef, QuerySet

from commerce.reusable_sql import ReusableQuery

_ROW_CLASSES: dict[type[models.Model], type] = {}


def row_class(model: type[models.Model]) -> type[Any]:
    """Return the named tuple class of the model's concrete columns (by attname: `x_id`)."""
    cls = _ROW_CLASSES.get(model)
    if cls is None:
        names = [field.attname for field in model._meta.concrete_fields]
        pk_index = names.index(model._meta.pk.attname)
        base = namedtuple(f"{model.__name__}Row", names)  # type: ignore[misc]  # one class per model
        cls = type(
            base.__name__,
            (base,),
            {
                "__slots__": (),
                "row_of": model,
                "pk": property(lambda row: row[pk_index]),
                "__module__": __name__,
            },
        )
        _ROW_CLASSES[model] = cls
    return cls


def row_values(queryset: QuerySet) -> QuerySet:
    """Return the queryset's `values_list()` of its model's column rows' fields, in their order."""
    return queryset.values_list(*row_class(queryset.model)._fields)


def reused_column_rows(query: ReusableQuery, *args: Any) -> list[Any]:
    """Run a `ReusableQuery` whose build returns `row_values(...)`, as column rows."""
    rows = query.rows(*args)
    if not rows:
        return []
    make = row_class(query.model)._make  # type: ignore[arg-type]  # set by the run
    return [make(values) for values in rows]


@dataclass(frozen=True)
class SharedRows:
    """A relation whose rows are few and shown by many parents (the channels of products).

    `rows()`: every row a parent may show, ordered as each parent's list shows them; `parent`:
    the lookup from a row to its parent (`products`). `of_parent()` is a parent's own list,
    filtered on `OuterRef("pk")`. Declared as a relation's source for `commerce.api.sql_json`,
    which then builds each row's JSON once per statement instead of once per parent.
    """

    rows: Callable[[], QuerySet[Any]]
    parent: str

    def of_parent(self) -> QuerySet[Any]:
        """Return the rows of one parent: the outer query's row (`OuterRef("pk")`)."""
        return self.rows().filter(**{self.parent: OuterRef("pk")})
