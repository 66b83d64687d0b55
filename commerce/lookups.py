"""The one way a read or a write takes the row it was asked for, or says it is not there."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
