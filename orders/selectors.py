"""Reads for orders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, Q, QuerySet

from carts.models import ShippingMethod
from commerce.lookups import attach, first_or_raise
from commerce.reusable_sql import ReusableQuery
from orders.exceptions import OrderForCartNotFound, OrderLookupNotFound, OrderNotFound
from orders.models import Order, OrderItem, Payment
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, restrict


def order_qs_with_items() -> QuerySet[Order]:
    """Return orders with region, channel, addresses and items loaded in fixed queries."""
    return Order.objects.select_related(
        "region", "sales_channel", "shipping_address", "billing_address"
    ).prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("created_at", "id")))


def order_get(*, order_id: str) -> Order:
    """Return an order or raise `OrderNotFound`."""
    return first_or_raise(order_qs_with_items().filter(pk=order_id), OrderNotFound(order_id))


def order_get_for_cart(*, cart_id: str) -> Order:
    """Return the order placed from a cart or raise `OrderForCartNotFound`."""
    return first_or_raise(
        order_qs_with_items().filter(cart_id=cart_id), OrderForCartNotFound(cart_id)
    )


# ---- ADMIN API (appended) ----

_ORDER_JOINS = ("region", "sales_channel", "shipping_address", "billing_address", "customer")


def order_qs_for_admin(
    *, relations: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> QuerySet[Order]:
    """Return orders with the admin relations asked for but items, in a fixed number of queries.

    Region, channel and addresses are joined; payments (on request) are one more query. The
    channel is joined through the base manager, so an order still reaches a soft-deleted channel
    (the serializer shows it as null, as Medusa does). A page's items come once its orders are
    read (`order_page_load`).
    """
    wanted = set(relations)
    orders = restrict(Order.objects.all(), scope)
    joins = [name for name in _ORDER_JOINS if name in wanted]
    if joins:
        orders = orders.select_related(*joins)
    if "payments" in wanted:
        payments = Payment.objects.order_by("created_at", "id")
        orders = orders.prefetch_related(
            Prefetch("payments", queryset=payments, to_attr="loaded_payments")
        )
    return orders


def _items_query(*joins: str) -> ReusableQuery:
    return ReusableQuery(
        lambda ids: OrderItem.objects.filter(order_id__in=ids)
        .select_related(*joins)
        .order_by("created_at", "id")
    )


# A page's items, with their variant and its product as the relations ask (SQL written once
# per shape: docs/speed-layer.md "Reusable SQL").
_ITEMS_QUERIES = {
    "items.variant.product": _items_query("variant__product"),
    "items.variant": _items_query("variant"),
    "items": _items_query(),
}


def order_page_load(orders: Sequence[Order], *, relations: Iterable[str]) -> None:
    """Give these admin orders their items (`order.loaded_items`) when asked for: one query.

    Each item with its variant and product as `relations` say, and its order cached
    (`item.order`, which the item totals read). Plain lists, not Django's prefetch, whose query
    building cost more than the items of a page of 50 (docs/speed-layer.md "Reusable SQL").
    """
    wanted = set(relations)
    if "items" not in wanted or not orders:
        return
    depth = next(name for name in _ITEMS_QUERIES if name in wanted)
    items = _ITEMS_QUERIES[depth].instances([order.pk for order in orders])
    attach(orders, items, parent="order", to_attr="loaded_items")


def order_get_for_admin(
    *, order_id: str, relations: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> Order:
    """Return an order (in the scope) with the admin relations asked for, or raise `OrderNotFound`."""
    order = first_or_raise(
        order_qs_for_admin(relations=relations, scope=scope).filter(pk=order_id),
        OrderNotFound(order_id),
    )
    order_page_load([order], relations=relations)
    return order


# ---- STORE API (appended) ----

_STORE_ORDER_JOINS = ("region", "sales_channel", "shipping_address", "billing_address", "customer")


def order_qs_for_store(*, relations: Iterable[str]) -> QuerySet[Order]:
    """Return orders loaded for the store order serializer, in a fixed number of queries.

    Region, channel and addresses are joined; items (with their variant) are one more query,
    shipping methods (those of the cart the order came from, with their option) one more, and
    payments one more. (Discounts and gift cards do not exist yet: nothing to load.)
    """
    wanted = set(relations)
    orders = Order.objects.all()
    joins = [name for name in _STORE_ORDER_JOINS if name in wanted]
    if "shipping_methods" in wanted:
        joins.append("cart")
    if joins:
        orders = orders.select_related(*joins)
    if "items" in wanted:
        items = OrderItem.objects.select_related("variant").order_by("created_at", "id")
        orders = orders.prefetch_related(Prefetch("items", queryset=items))
    if "shipping_methods" in wanted:
        methods = ShippingMethod.objects.select_related("shipping_option").order_by(
            "created_at", "id"
        )
        orders = orders.prefetch_related(Prefetch("cart__shipping_methods", queryset=methods))
    if "payments" in wanted:
        payments = Payment.objects.order_by("created_at", "id")
        orders = orders.prefetch_related(Prefetch("payments", queryset=payments))
    return orders


def _visible_to(customer_id: str | None) -> Q:
    """Orders of a customer account are that customer's; guests' orders go by id (Medusa v1)."""
    return Q(customer_id__isnull=True) | Q(customer__has_account=False) | Q(customer_id=customer_id)


def order_get_for_store(
    *, order_id: str, relations: Iterable[str], customer_id: str | None = None
) -> Order:
    """Return an order loaded for the store, or raise `OrderNotFound`.

    An order of a customer account is found only for that customer (`customer_id`).
    """
    return first_or_raise(
        order_qs_for_store(relations=relations).filter(_visible_to(customer_id), pk=order_id),
        OrderNotFound(order_id),
    )


def order_get_for_store_by_cart(
    *, cart_id: str, relations: Iterable[str], customer_id: str | None = None
) -> Order:
    """Return the order placed from a cart, loaded for the store, or raise `OrderForCartNotFound`."""
    return first_or_raise(
        order_qs_for_store(relations=relations).filter(_visible_to(customer_id), cart_id=cart_id),
        OrderForCartNotFound(cart_id),
    )


def order_lookup_for_store(
    *, display_id: int, email: str, relations: Iterable[str], customer_id: str | None = None
) -> Order:
    """Return the order with this display id and email (case-insensitive), or raise `OrderLookupNotFound`."""
    return first_or_raise(
        order_qs_for_store(relations=relations).filter(
            _visible_to(customer_id), display_id=display_id, email__iexact=email
        ),
        OrderLookupNotFound(display_id, email),
    )


def order_qs_for_customer(
    *, customer_id: str, sales_channel_ids: Iterable[str] | None, relations: Iterable[str]
) -> QuerySet[Order]:
    """Return a customer's orders loaded for the store, limited to channels when given.

    A storefront scoped to channels (its publishable key's, `sales_channel_id`, or the default
    channel) shows the customer only the orders placed there: accounts are shared across
    channels, orders are not (issue 18). None means no limit (the feature flag is off).
    """
    orders = order_qs_for_store(relations=relations).filter(customer_id=customer_id)
    if sales_channel_ids is not None:
        orders = orders.filter(sales_channel_id__in=list(sales_channel_ids))
    return orders
