"""Reads for orders."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from orders.exceptions import OrderForCartNotFound, OrderNotFound
from orders.models import Order, OrderItem


def order_qs_with_items() -> QuerySet[Order]:
    """Return orders with region, channel, addresses and items loaded in fixed queries."""
    return Order.objects.select_related(
        "region", "sales_channel", "shipping_address", "billing_address"
    ).prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("created_at", "id")))


def order_get(*, order_id: str) -> Order:
    """Return an order or raise `OrderNotFound`."""
    order = order_qs_with_items().filter(pk=order_id).first()
    if order is None:
        raise OrderNotFound(order_id)
    return order


def order_get_for_cart(*, cart_id: str) -> Order:
    """Return the order placed from a cart or raise `OrderForCartNotFound`."""
    order = order_qs_with_items().filter(cart_id=cart_id).first()
    if order is None:
        raise OrderForCartNotFound(cart_id)
    return order
