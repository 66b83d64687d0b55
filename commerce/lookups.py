"""The one way a read or a write takes the row it was asked for, or says it is not there."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def first_or_raise(queryset: QuerySet[M], not_found: Exception) -> M:
    """Return the queryset's first row (one query), or raise `not_found` when it has none."""
    row = queryset.first()
    if row is None:
        raise not_found
    return row


def existing_ids(
    queryset: QuerySet[Any], ids: Iterable[str], not_found: Callable[[list[str]], Exception]
) -> list[str]:
    """Return the ids, once each and in order, when the queryset has a row for each (one query).

    Otherwise raise `not_found(missing)`, with the ids it has no row for, in order.
    """
    wanted = list(dict.fromkeys(ids))
    found = set(queryset.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise not_found(missing)
    return wanted


def attach(parents: Sequence[Any], rows: list[Any], *, parent: str, to_attr: str) -> None:
    """Give each parent its rows (grouped by the rows' `<parent>_id`, in their order) as `to_attr`.

    What Django's `Prefetch(to_attr=...)` leaves on a page, for rows read another way (SQL
    written once, column rows). Rows that are model instances with a `<parent>` foreign key get
    their parent cached (`row.<parent>`), as a prefetch does.
    """
    by_parent: dict[Any, list[Any]] = {item.pk: [] for item in parents}
    attname = f"{parent}_id"
    for row in rows:
        by_parent[getattr(row, attname)].append(row)
    meta = getattr(rows[0], "_meta", None) if rows else None
    # A row read through a many-to-many table carries its parent's id as an annotation only.
    field = next((f for f in meta.concrete_fields if f.name == parent), None) if meta else None
    for item in parents:
        mine = by_parent[item.pk]
        if field is not None:
            for row in mine:
                field.set_cached_value(row, item)
        setattr(item, to_attr, mine)
