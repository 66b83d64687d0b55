"""The one way a service applies a partial update to a row it has loaded (and locked).

A service takes the fields it was given as keyword arguments; a field the caller did not give is
`UNSET` (the keyword's default), so None stays a real value ("clear it"). `changes_apply` sets the
given fields and saves only them, with `updated_at`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model

UNSET: Any = object()  # a keyword's default meaning "not given: leave the field as it is"


def changes_apply(instance: Model, changes: Mapping[str, Any], *, save: bool = True) -> list[str]:
    """Set each given field of `changes` on `instance` (values that are UNSET are skipped).

    Saves `instance` with exactly those fields and `updated_at`, unless `save` is False (the
    caller has more to change first). Returns the field names to save.
    """
    fields = ["updated_at"]
    for name, value in changes.items():
        if value is UNSET:
            continue
        setattr(instance, name, value)
        fields.append(name)
    if save:
        instance.save(update_fields=fields)
    return fields
