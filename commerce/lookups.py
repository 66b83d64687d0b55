"""The one way a read or a write takes the row it was asked for, or says it is not there."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def first_or_raise(queryset: QuerySet[M], not_found: Exception) -> M:
    """Return the queryset's first row (one query), or raise `not_found` when it has none."""
    row = queryset.first()
    if row is None:
        raise not_found
    return row
