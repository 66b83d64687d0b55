"""Reads of customers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum

from commerce.lookups import first_or_raise
from commerce.models import Address
from customers.exceptions import CustomerNotFound
from customers.models import Customer
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, restrict


def _addresses() -> Prefetch:
    return Prefetch(
        "shipping_addresses",
        queryset=Address.objects.order_by("created_at", "id"),
        to_attr="loaded_shipping_addresses",
    )


def customer_qs_with_addresses() -> QuerySet[Customer]:
    """Return customers with the billing address joined and shipping addresses in one more query."""
    return Customer.objects.select_related("billing_address").prefetch_related(_addresses())


def customer_qs_for_admin(
    *, relations: set[str], scope: ChannelScope = EVERY_CHANNEL
) -> QuerySet[Customer]:
    """Return the live customers `scope` may see, with the admin relations asked for.

    A staff user scoped to channels sees the customers with an order or a cart in one of them.
    """
    customers = restrict(Customer.objects.all(), scope)
    if "billing_address" in relations:
        customers = customers.select_related("billing_address")
    if "shipping_addresses" in relations:
        customers = customers.prefetch_related(_addresses())
    return customers


def customer_get(*, customer_id: str) -> Customer:
    """Return a live customer with addresses loaded, or raise `CustomerNotFound`."""
    return first_or_raise(
        customer_qs_with_addresses().filter(pk=customer_id), CustomerNotFound(customer_id)
    )


def customer_account_by_email(*, email: str) -> Customer | None:
    """Return the live account (not a guest) registered with this email, if any."""
    return Customer.objects.filter(email=email.strip().lower(), has_account=True).first()


def customer_account_exists(*, email: str) -> bool:
    return Customer.objects.filter(email=email.strip().lower(), has_account=True).exists()


@dataclass(frozen=True)
class ChannelOrders:
    sales_channel_id: str | None
    sales_channel_name: str | None
    currency_code: str
    count: int
    total: int


def customer_orders_by_channel(
    *, customer_id: str, scope: ChannelScope = EVERY_CHANNEL
) -> list[ChannelOrders]:
    """Count and sum a customer's orders per sales channel and currency, for the merchant.

    Only the orders in `scope` (the order model's own scope rule). Orders point at customers
    (`orders` is their related name); this app never imports them.
    """
    rows = (
        restrict(Customer.all_objects.get(pk=customer_id).orders.all(), scope)
        .values("sales_channel_id", "sales_channel__name", "currency_code")
        .annotate(count=Count("id"), total=Sum("total"))
        .order_by("sales_channel__name", "sales_channel_id", "currency_code")
    )
    return [
        ChannelOrders(
            sales_channel_id=row["sales_channel_id"],
            sales_channel_name=row["sales_channel__name"],
            currency_code=row["currency_code"],
            count=row["count"],
            total=row["total"] or 0,
        )
        for row in rows
    ]
