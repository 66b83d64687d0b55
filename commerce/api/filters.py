"""Filter plumbing: the normalising filter backend, strict ordering, and reusable filter types."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from commerce.api.query import DATE_OPERATORS, parse_query


class ContractFilterSet(filters.FilterSet):
    """The base of every FilterSet here: its form class is built once per FilterSet class.

    django-filter builds a new form class, with a new form field per filter, for every request
    (`FilterSet.get_form_class`), although they depend only on the declared filters. A form
    deep-copies its class's fields for each instance, so sharing the class is safe; it saved
    ~2 ms of a 50-order admin page. None of our filters depends on the request.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None) -> None:
        # What django-filter's BaseFilterSet.__init__ does, but with a shallow copy of each
        # filter instead of a deep copy of them all: a filter's own state is its configuration
        # plus the `model` and `parent` set here, and the form field it builds is built once,
        # for the shared form class above. Half of the ~1 ms a 20-filter FilterSet cost per
        # request. tests/commerce/api/test_filterset_form_class.py checks that the instance
        # matches django-filter's own, attribute for attribute.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        model = queryset.model
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if filter_.method is not None:
                filter_.method = filter_.method  # re-binds its FilterMethod to this copy
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self) -> type:
        cls = type(self)
        form_class = cls.__dict__.get("_contract_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._contract_form_class = form_class
        return form_class


class CharInFilter(filters.BaseInFilter, filters.CharFilter):
    """An `IN` filter over a string column; fed by any array form (see commerce.api.query)."""


class FlexibleDateTimeField(forms.DateTimeField):
    """An ISO 8601 date/time, or a number of Unix seconds (as Medusa accepts)."""

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, str) and value.replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(value), tz=UTC)
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise forms.ValidationError(
                    "must be a valid ISO 8601 date or a Unix timestamp"
                ) from None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return super().to_python(value)


class FlexibleDateTimeFilter(filters.Filter):
    field_class = FlexibleDateTimeField


class StrictBooleanField(forms.Field):
    """`true` / `false` (or `1` / `0`), as Medusa's query validation takes them; anything else is a 400."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        lowered = str(value).lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise forms.ValidationError("must be a boolean value")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.Filter):
    field_class = StrictBooleanField


def date_filters(*names: str) -> dict[str, FlexibleDateTimeFilter]:
    """Return `{name}__{lt,gt,lte,gte}` filters for each date column name."""
    return {
        f"{name}__{op}": FlexibleDateTimeFilter(field_name=name, lookup_expr=op)
        for name in names
        for op in DATE_OPERATORS
    }


class ContractFilterBackend(filters.DjangoFilterBackend):
    """django-filter fed with the normalised query (arrays, date operators), with readable errors.

    The view declares `array_query_params`, `date_query_params`, `extra_query_params` (accepted
    but used elsewhere) and `flagged_query_params` ({param: feature flag}).
    """

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["data"] = view_query(request, view).filter_data()
        return kwargs

    def filter_queryset(self, request, queryset, view):
        view_query(request, view)  # validates unknown params, with or without filterset
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not active_filters(request, view):
            # No filter asked for: a FilterSet (a deep copy of every filter, a form field each)
            # would hand back the queryset unchanged. Most store reads are like this.
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            errors = {}
            for name, messages in filterset.errors.items():
                label = name.replace("__", "[", 1) + "]" if "__" in name else name
                errors[label] = [str(m) for m in messages]
            raise ValidationError(errors)
        return filterset.qs


def active_filters(request, view) -> set[str]:
    """Return the names of the view's FilterSet filters that this request's query uses."""
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is None:
        return set()
    return set(view_query(request, view).filter_data()) & set(filterset_class.base_filters)


def view_query(request, view):
    filterset_class = getattr(view, "filterset_class", None)
    declared = set(filterset_class.base_filters) if filterset_class else set()
    arrays = set(getattr(view, "array_query_params", ()))
    dates = set(getattr(view, "date_query_params", ()))
    date_keys = {f"{d}__{op}" for d in dates for op in DATE_OPERATORS}
    scalars = (declared - arrays - date_keys) | set(getattr(view, "extra_query_params", ()))
    if getattr(view, "search_enabled", False):
        scalars.add("q")
    return parse_query(
        request,
        scalar_params=scalars,
        array_params=arrays,
        date_params=dates,
        flagged_params=getattr(view, "flagged_query_params", None),
    )


class ContractOrderingFilter(BaseFilterBackend):
    """`order=field` / `order=-field` from the view's `ordering_fields`; unknown fields are a 400.

    A stable tie-breaker on `id` keeps pages from overlapping.
    """

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        allowed = list(getattr(view, "ordering_fields", ()))
        default = list(getattr(view, "ordering", ["-created_at"]))
        raw = view_query(request, view).scalars.get("order")
        terms = default
        if raw:
            terms = [t.strip() for t in raw.split(",") if t.strip()]
            bad = [t for t in terms if t.lstrip("-") not in allowed]
            if bad:
                raise ValidationError(
                    {
                        "order": [
                            f"order field {', '.join(bad)} is not valid; use one of {', '.join(allowed)}"
                        ]
                    }
                )
        if not any(t.lstrip("-") in ("id", "pk") for t in terms):
            terms = [*terms, "-id" if terms and terms[0].startswith("-") else "id"]
        return queryset.order_by(*terms)
