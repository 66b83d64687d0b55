"""Row locks on customers. A customer is locked alone, by its own edits (docs/reliability.md)."""

from __future__ import annotations

from django.db.models import QuerySet

from customers.models import Customer


def customers_qs_for_update() -> QuerySet[Customer]:
    """Return live customers locked FOR UPDATE (only the customer row, not what it joins)."""
    return Customer.objects.select_for_update(of=("self",))
