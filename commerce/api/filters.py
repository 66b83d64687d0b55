"""The one declaration of a list's query parameters: the view's FilterSet.

Everything a list accepts in its query string is read from its FilterSet (`ContractFilterSet`):
its filters are the parameters, under their wire names (`wire_names`), and nothing else
declares them (not the view, not the schema):

- a scalar filter (`q = CharFilter(...)`) is `q=…`; the text search is `q = SearchFilter(fields=...)`;
- a CSV filter (`CharInFilter`, django-filter's `BaseInFilter`) is an array, `x[]=a&x[]=b`
  (also `x[0]=`, `x=a,b`, plain `x=`; see commerce.api.query);
- the dates of `Meta.fields` in dict form (`date_fields("created_at", ...)`) are
  `created_at[lt|gt|lte|gte]=…` (FilterSet names `created_at__gt`, django-filter's own);
- `order = ContractOrderingFilter(fields=..., default=...)` is `order=-created_at`;
- `QueryParam` is a parameter read by the view, not a filter (`cart_id` prices a product list);
- `feature_flags = {"status": flags.SOME_FLAG}` switches a parameter off (400) with its flag;
  every FilterSet's `sales_channel_id` is off with `sales_channels` (design §6), so a FilterSet
  that flags another parameter keeps that: `{**ContractFilterSet.feature_flags, ...}`.

The view adds `limit`/`offset` when it paginates and `expand`/`fields` when it is an
`ExpandMixin` (`view_query_params`). The OpenAPI parameters are generated from the same
objects (commerce.api.schema.ContractFilterExtension), and tests/commerce/api/test_schema_params.py
walks every operation so the two cannot drift. docs/speed-layer.md "Adding a list filter".
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from commerce import flags
from commerce.api.query import DATE_OPERATORS, ParsedQuery, parse_query

DATE_LOOKUPS = list(DATE_OPERATORS)
PAGE_PARAMS = frozenset({"limit", "offset"})
EXPAND_PARAMS = frozenset({"expand", "fields"})


def date_fields(*columns: str) -> dict[str, list[str]]:
    """Return `Meta.fields` (dict form) filtering each date column by `[lt|gt|lte|gte]`."""
    return dict.fromkeys(columns, DATE_LOOKUPS)


class CharInFilter(filters.BaseInFilter, filters.CharFilter):
    """An `IN` filter over a string column; fed by any array form (see commerce.api.query)."""


class ChoiceInFilter(CharInFilter):
    """An `IN` filter over a column of `choices`; any other value is a 400 in Medusa's words."""

    def __init__(self, *, choices: list[str], **kwargs: Any) -> None:
        self.choices = list(choices)
        super().__init__(**kwargs)
        extend_schema_field({"type": "string", "enum": self.choices})(self)

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value not in EMPTY_VALUES and any(item not in self.choices for item in value):
            raise ValidationError(
                [
                    f"each value in {self.field_name} must be one of the following values: "
                    + ", ".join(self.choices)
                ]
            )
        return super().filter(qs, value)


class FlexibleDateTimeField(forms.DateTimeField):
    """An ISO 8601 date/time, or a number of Unix seconds (as Medusa accepts)."""

    def to_python(self, value: Any) -> datetime | None:
        if not isinstance(value, str):
            return super().to_python(value)
        try:
            if value.replace(".", "", 1).isdigit():
                return datetime.fromtimestamp(float(value), tz=UTC)
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            # In UTC: PostgreSQL refuses offsets past ±15:59 that Python accepts (a 500 before).
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except (ValueError, OverflowError, OSError):
            raise forms.ValidationError(
                "must be a valid ISO 8601 date or a Unix timestamp"
            ) from None


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


@extend_schema_field(OpenApiTypes.STR)
class SearchFilter(filters.CharFilter):
    """`q`: the text in any of `fields`, case-insensitive (`Q(a__icontains=q) | Q(b__icontains=q)`).

    A field named `=field` matches it whole (`iexact`) instead, as DRF's SearchFilter spells it.
    """

    def __init__(self, *, fields: tuple[str, ...], **kwargs: Any) -> None:
        self.search_fields = tuple(fields)
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        condition = Q()
        for name in self.search_fields:
            lookup = f"{name[1:]}__iexact" if name.startswith("=") else f"{name}__icontains"
            condition |= Q(**{lookup: value})
        return qs.filter(condition)


class QueryParam(filters.CharFilter):
    """A parameter the list accepts but the view reads itself (it does not narrow the rows)."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return qs


class QueryArrayParam(CharInFilter):
    """An array parameter the view reads itself (`sales_channel_id[]` narrows a store's channels)."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return qs


class ContractOrderingFilter(filters.OrderingFilter):
    """`order=field`, `order=-field` or a comma list of them; unknown fields are a 400.

    `default` applies without `order`; a tie-breaker on `id` keeps pages from overlapping.
    The fields are the names themselves (no aliases), checked here so the message is Medusa's.
    """

    field_class = forms.CharField

    def __init__(self, *, fields: tuple[str, ...] | list[str], default=("-created_at",), **kwargs):
        self.default = list(default)
        super().__init__(fields=tuple(fields), **kwargs)
        # A CharField, not a ChoiceField: filter() checks the names, with Medusa's message.
        for key in ("choices", "null_label", "null_value"):
            self.extra.pop(key, None)

    @property
    def allowed(self) -> list[str]:
        return list(self.param_map)

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return qs.order_by(*self.terms(value))

    def terms(self, value: Any) -> list[str]:
        """Return the `order_by` terms of this value (None: the default), tie-breaker included."""
        terms = [term.strip() for term in value or () if term and term.strip()] or self.default
        bad = [term for term in terms if term.lstrip("-") not in self.param_map]
        if bad:
            raise ValidationError(
                {
                    "order": [
                        f"order field {', '.join(bad)} is not valid; use one of {', '.join(self.allowed)}"
                    ]
                }
            )
        if not any(term.lstrip("-") in ("id", "pk") for term in terms):
            terms = [*terms, "-id" if terms and terms[0].startswith("-") else "id"]
        return terms


class ContractFilterSet(filters.FilterSet):
    """The base of every FilterSet here (see the module's docstring for the declaration).

    Date columns named in `Meta.fields` (dict form) become `FlexibleDateTimeFilter`s.
    `feature_flags` maps a parameter to the feature flag without which it is refused (only
    the parameters the FilterSet has: `sales_channel_id` of any list that takes it, design §6).

    Speed (docs/speed-layer.md "FilterSet copying"): its form class is built once per class.

    django-filter builds a new form class, with a new form field per filter, for every request
    (`FilterSet.get_form_class`), although they depend only on the declared filters. A form
    deep-copies its class's fields for each instance, so sharing the class is safe; it saved
    ~2 ms of a 50-order admin page. None of our filters depends on the request.
    """

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": FlexibleDateTimeFilter},
    }
    feature_flags: dict[str, str] = {"sales_channel_id": flags.SALES_CHANNELS}

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


@dataclass(frozen=True)
class FilterSetParams:
    """A FilterSet's query parameters by kind (FilterSet names; dates by column)."""

    scalars: frozenset[str] = frozenset()
    arrays: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    passive: frozenset[str] = frozenset()  # QueryParam and the ordering: no FilterSet needed
    flagged: dict[str, str] = field(default_factory=dict)

    def wire_names(self) -> dict[str, str]:
        """Return {wire name: FilterSet name}: `q`, `id[]`, `created_at[gt]` → `created_at__gt`."""
        names = {name: name for name in self.scalars}
        names |= {f"{name}[]": name for name in self.arrays}
        names |= {f"{d}[{op}]": f"{d}__{op}" for d in self.dates for op in DATE_OPERATORS}
        return names


@cache
def filterset_params(filterset_class: type[filters.FilterSet]) -> FilterSetParams:
    """Classify a FilterSet's filters into the kinds of query parameters (once per class)."""
    scalars: set[str] = set()
    arrays: set[str] = set()
    dates: dict[str, Any] = {}
    passive: set[str] = set()
    for name, filter_ in filterset_class.base_filters.items():
        if isinstance(filter_, FlexibleDateTimeFilter) and name == (
            f"{filter_.field_name}__{filter_.lookup_expr}"
        ):
            dates.setdefault(filter_.field_name, set()).add(filter_.lookup_expr)
            continue
        if isinstance(filter_, (ContractOrderingFilter, QueryParam, QueryArrayParam)):
            passive.add(name)
        if isinstance(filter_, filters.BaseCSVFilter) and not isinstance(
            filter_, filters.OrderingFilter
        ):
            arrays.add(name)
        else:
            scalars.add(name)
    for column, lookups in dates.items():
        if lookups != set(DATE_OPERATORS):
            raise ImproperlyConfigured(
                f"{filterset_class.__name__}: date {column} needs the lookups {DATE_LOOKUPS}"
            )
    return FilterSetParams(
        scalars=frozenset(scalars),
        arrays=frozenset(arrays),
        dates=frozenset(dates),
        passive=frozenset(passive),
        flagged={
            name: flag
            for name, flag in getattr(filterset_class, "feature_flags", {}).items()
            if name in filterset_class.base_filters
        },
    )


def view_query_params(view) -> tuple[FilterSetParams, frozenset[str]]:
    """Return what a list view's query accepts: its FilterSet's params and the view's standard ones.

    `limit`/`offset` when the view paginates, `expand`/`fields` when it resolves them
    (ExpandMixin). The request parser (`view_query`) and the schema read this, nothing else.
    """
    from commerce.api.mixins import ExpandMixin

    filterset_class = getattr(view, "filterset_class", None)
    params = filterset_params(filterset_class) if filterset_class else FilterSetParams()
    standard: set[str] = set()
    if getattr(view, "pagination_class", None) is not None:
        standard |= PAGE_PARAMS
    if isinstance(view, ExpandMixin):
        standard |= EXPAND_PARAMS
    return params, frozenset(standard)


def view_query(request, view) -> ParsedQuery:
    """Parse and check the request's query against the view's parameters (a 400 for others)."""
    params, standard = view_query_params(view)
    return parse_query(
        request,
        scalar_params=params.scalars,
        array_params=params.arrays,
        date_params=params.dates,
        flagged_params=params.flagged,
        standard_params=standard,
    )


def ordering_filter(filterset_class) -> ContractOrderingFilter | None:
    found = filterset_class.base_filters.get("order") if filterset_class else None
    return found if isinstance(found, ContractOrderingFilter) else None


def requested_order(request, view) -> tuple[str, ...] | None:
    """Return the `order_by` terms of this request's list (its FilterSet's `order`), or None.

    None when the view's FilterSet has no `order`; an unknown field is a 400.
    """
    order = ordering_filter(getattr(view, "filterset_class", None))
    if order is None:
        return None
    raw = view_query(request, view).scalars.get("order")
    return tuple(order.terms(raw.split(",") if raw else None))


class ContractFilterBackend(filters.DjangoFilterBackend):
    """django-filter fed with the normalised query (arrays, date operators), with readable errors.

    The view declares its FilterSet only; see the module's docstring.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["data"] = view_query(request, view).filter_data()
        return kwargs

    def filter_queryset(self, request, queryset, view):
        view_query(request, view)  # validates unknown params, with or without filterset
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        if not active_filters(request, view):
            # No filter asked for: a FilterSet (a copy of every filter, a form field each)
            # would only order the queryset. Most store reads are like this.
            # docs/speed-layer.md "FilterSet copying".
            order = requested_order(request, view)
            return queryset if order is None else queryset.order_by(*order)
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            wire = {v: k for k, v in filterset_params(filterset_class).wire_names().items()}
            errors = {}
            for name, messages in filterset.errors.items():
                label = wire.get(name, name).removesuffix("[]")
                errors[label] = [str(m) for m in messages]
            raise ValidationError(errors)
        return filterset.qs


def active_filters(request, view) -> set[str]:
    """Return the names of the view's FilterSet filters that this request's query uses to filter."""
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is None:
        return set()
    used = set(view_query(request, view).filter_data()) & set(filterset_class.base_filters)
    return used - filterset_params(filterset_class).passive
