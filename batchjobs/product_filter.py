"""The product filter of jobs (`filterable_fields`): the admin product list's own FilterSet.

A job matches exactly the products `GET /api/admin/products` would list with the same
parameters (q, collection_id, category_id, status, tags, sales_channel_id, type_id, …), so the
filter is declared once (catalog.api.admin.filters).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from catalog.api.admin.filters import AdminProductFilter
from catalog.models import Product
from commerce.exceptions import InvalidData, RequestErrors
from saleschannels.scope import ChannelScope, restrict

# The list's declared filters a job does not take: `order` sorts the list and filters nothing.
# (The date ranges, `created_at[lt]` and the like, come from Meta.fields, not declared: a job
# does not take them either.)
NOT_FOR_JOBS = frozenset({"order"})
ALLOWED = tuple(name for name in AdminProductFilter.declared_filters if name not in NOT_FOR_JOBS)


def products_matching(filters: Any, scope: ChannelScope) -> QuerySet[Product]:
    """Live products matching `filters` (a dict of the list's parameters), within the scope."""
    if filters is None:
        filters = {}
    if not isinstance(filters, dict):
        raise InvalidData("filterable_fields must be an object")
    data = QueryDict(mutable=True)
    for name, value in filters.items():
        if name not in ALLOWED:
            raise InvalidData(f"property filterable_fields.{name} should not exist")
        if isinstance(value, list):
            value = ",".join(str(item) for item in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        data[name] = str(value)
    filterset = AdminProductFilter(data=data, queryset=restrict(Product.objects.all(), scope))
    if not filterset.is_valid():
        errors = [f"{name}: {' '.join(map(str, msgs))}" for name, msgs in filterset.errors.items()]
        raise RequestErrors(errors)
    try:
        return filterset.qs
    except ValidationError as error:
        raise InvalidData(" ".join(map(str, error.detail))) from None
