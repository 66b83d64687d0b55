"""Query-string parsing shared by every list: array forms, date comparisons, strict unknown-param checks.

Accepted array forms (design §4): `x[]=a&x[]=b`, `x[0]=a&x[1]=b`, `x=a,b` and plain `x=a`.
Date comparisons: `created_at[gt]=2026-01-01` (also `lt`, `gte`, `lte`), and `created_at[gt]=<unix seconds>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.http import QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from commerce import flags

STANDARD_PARAMS = frozenset({"limit", "offset", "order", "expand", "fields"})
DATE_OPERATORS = ("lt", "gt", "lte", "gte")
MAX_ARRAY_VALUES = 1000

_KEY = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<sub>[A-Za-z0-9_]*)\])?$")


@dataclass
class ParsedQuery:
    """Normalised query: scalar params as strings, array params as lists, dates as `name__op` keys."""

    scalars: dict[str, str] = field(default_factory=dict)
    arrays: dict[str, list[str]] = field(default_factory=dict)

    def filter_data(self) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, value in self.scalars.items():
            data[name] = value
        for name, values in self.arrays.items():
            data[name] = ",".join(values)
        return data


def parse_query(
    request: Request,
    *,
    scalar_params: frozenset[str] | set[str],
    array_params: frozenset[str] | set[str] = frozenset(),
    date_params: frozenset[str] | set[str] = frozenset(),
    flagged_params: dict[str, str] | None = None,
    standard_params: frozenset[str] = STANDARD_PARAMS,
) -> ParsedQuery:
    """Parse and validate the query string; unknown or malformed params raise a 400 ValidationError."""
    cached = getattr(request, "_parsed_query", None)
    if cached is not None:
        return cached
    disabled = {name for name, flag in (flagged_params or {}).items() if not flags.is_enabled(flag)}
    allowed_scalars = (set(scalar_params) | standard_params) - disabled
    allowed_arrays = set(array_params) - disabled
    allowed_dates = set(date_params) - disabled
    parsed = ParsedQuery()
    errors: list[str] = []
    for key, values in request.query_params.lists():
        if any("\x00" in value for value in values):
            # PostgreSQL cannot store or compare text with NUL characters: refuse it up front.
            errors.append(f"{key} must not contain null characters")
            continue
        match = _KEY.match(key)
        if match is None:
            errors.append(f"property {key} should not exist")
            continue
        name, sub = match["name"], match["sub"]
        if name in allowed_arrays:
            if sub is not None and sub != "" and not sub.isdigit():
                errors.append(f"{name} must be an array")
                continue
            items = parsed.arrays.setdefault(name, [])
            for value in values:
                items.extend(part for part in value.split(",") if part != "")
            if len(items) > MAX_ARRAY_VALUES:
                errors.append(f"{name} must contain no more than {MAX_ARRAY_VALUES} elements")
        elif name in allowed_dates:
            if sub not in DATE_OPERATORS:
                errors.append(f"{key}: use {name}[lt], {name}[gt], {name}[lte] or {name}[gte]")
                continue
            if len(values) > 1:
                errors.append(f"{key} must be a date")
                continue
            parsed.scalars[f"{name}__{sub}"] = values[0]
        elif name in allowed_scalars and sub is None:
            if len(values) > 1:
                errors.append(f"{name} must be a string")
                continue
            parsed.scalars[name] = values[0]
        elif name in disabled:
            # A param switched off by its feature flag, in any array form (design §6).
            errors.append(f"property {name} should not exist")
        else:
            errors.append(f"property {name if sub is None else key} should not exist")
    if errors:
        raise ValidationError({"non_field_errors": errors})
    request._parsed_query = parsed  # type: ignore[attr-defined]  # parsed once per request
    return parsed


def split_csv(value: str | None) -> list[str] | None:
    """`a,b` → `["a", "b"]`; None stays None; "" → []."""
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]
