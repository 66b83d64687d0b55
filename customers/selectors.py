"""Reads of customers."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from commerce.models import Address
from customers.exceptions import CustomerNotFound
from customers.models import Customer


def _addresses() -> Prefetch:
    return Prefetch(
        "shipping_addresses",
        queryset=Address.objects.order_by("created_at", "id"),
        to_attr="loaded_shipping_addresses",
    )


def customer_qs_with_addresses() -> QuerySet[Customer]:
    """Return customers with the billing address joined and shipping addresses in one more query."""
    return Customer.objects.select_related("billing_address").prefetch_related(_addresses())


def customer_get(*, customer_id: str) -> Customer:
    """Return a live customer with addresses loaded, or raise `CustomerNotFound`."""
    customer = customer_qs_with_addresses().filter(pk=customer_id).first()
    if customer is None:
        raise CustomerNotFound(customer_id)
    return customer


def customer_account_by_email(*, email: str) -> Customer | None:
    """Return the live account (not a guest) registered with this email, if any."""
    return Customer.objects.filter(email=email.strip().lower(), has_account=True).first()


def customer_account_exists(*, email: str) -> bool:
    return Customer.objects.filter(email=email.strip().lower(), has_account=True).exists()
