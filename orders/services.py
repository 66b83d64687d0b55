"""Cart completion: turn a cart into an order in one transaction, exactly once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from django.db import connection, transaction
from django.utils import timezone

from carts.exceptions import CartNotFound
from carts.locks import cart_qs_for_update
from carts.models import Cart, LineItem, PaymentSession, PaymentSessionStatus, ShippingMethod
from carts.selectors import cart_totals
from carts.services import cart_products_channel_check, stock_channel_ids
from catalog.locks import variants_qs_for_update
from catalog.models import ProductVariant
from catalog.versions import touch_products
from commerce.events import Event, EventType, emit
from commerce.exceptions import NotFound
from commerce.lookups import first_or_raise
from customers.services import customer_guest_for_email
from inventory.selectors import any_stock_location
from inventory.services import Allocation, stock_allocate, stock_check, stock_reserve
from orders.exceptions import (
    CartEmailMissing,
    CartEmpty,
    CartPaymentMissing,
    CartShippingMissing,
    IdempotencyKeyReused,
)
from orders.models import Order, OrderDisplayId, OrderItem, Payment, PaymentStatus


def order_display_id_next() -> int:
    """Hand out the next display id (an INSERT into a sequence table: safe under concurrency)."""
    return OrderDisplayId.objects.create().pk


def _idempotency_key_lock(key: str) -> None:
    """Hold off other completions carrying the same key until this transaction ends.

    Two carts completed with one key share no row to lock, and the key is not unique in the
    schema, so PostgreSQL takes a transaction-scoped advisory lock on the key's hash. (SQLite has
    no row locks at all; concurrency guarantees are PostgreSQL's, see docs/reliability.md.)
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


@dataclass
class _Checkout:
    """What a completion has read and checked, handed from step to step."""

    cart: Cart
    lines: list[LineItem]
    methods: list[ShippingMethod]
    session: PaymentSession
    variants: dict[str, ProductVariant] = field(default_factory=dict)
    stock_located: bool = False  # some stock location exists: stock is in levels


@transaction.atomic
def cart_complete(*, cart_id: str, idempotency_key: str | None = None) -> Order:
    """Place the order for a cart. Completing a completed cart returns its order (idempotent).

    The steps, in the one lock order (docs/reliability.md, "Lock order"): serialise on the
    idempotency key; lock the cart; check it is complete enough to order; lock its variants (pk
    order, only while no stock location exists) and hold its products' channel links
    (re-checking channel membership, design §5);
    reserve the stock (the channel's locations in priority order, or the variants' own
    quantity while no stock location exists); create the order, its items, its payment and the
    reservations; mark the cart completed; bump the stocked products' versions; emit the events.
    """
    if idempotency_key:
        earlier = _idempotency_key_order(idempotency_key, cart_id)
        if earlier is not None:
            return earlier
    cart = _cart_lock(cart_id)
    if cart.completed_at is not None:
        return _order_of_completed_cart(cart)
    checkout = _checkout_validate(cart)
    _products_lock(checkout)
    plan = _stock_allocate(checkout)
    order = _order_create(checkout, idempotency_key)
    items = _order_items_create(order, checkout)
    if plan:
        stock_reserve(plan=plan, order_item_ids={item.variant_id: item.pk for item in items})
    _payment_authorize(order, checkout)
    _stock_shown_changed(checkout)
    _events_emit(order, checkout)
    return order


def _idempotency_key_order(key: str, cart_id: str) -> Order | None:
    """Serialise completions carrying this key; return the order it already placed, if any."""
    _idempotency_key_lock(key)
    earlier = Order.objects.filter(idempotency_key=key).first()
    if earlier is not None and earlier.cart_id != cart_id:
        raise IdempotencyKeyReused()
    return earlier


def _cart_lock(cart_id: str) -> Cart:
    return first_or_raise(
        cart_qs_for_update().select_related("region").filter(pk=cart_id), CartNotFound(cart_id)
    )


def _order_of_completed_cart(cart: Cart) -> Order:
    return first_or_raise(
        Order.objects.filter(cart_id=cart.pk),
        NotFound(f"Cart {cart.pk} was completed but its order is gone"),
    )


def _checkout_validate(cart: Cart) -> _Checkout:
    """Refuse a cart with no items, no email, no shipping method or no selected payment."""
    lines = list(LineItem.objects.filter(cart=cart).order_by("created_at", "id"))
    if not lines:
        raise CartEmpty()
    if not cart.email:
        raise CartEmailMissing()
    methods = list(ShippingMethod.objects.select_related("shipping_option").filter(cart=cart))
    if not methods:
        raise CartShippingMissing()
    session = first_or_raise(
        PaymentSession.objects.filter(cart=cart, is_selected=True), CartPaymentMissing()
    )
    return _Checkout(cart=cart, lines=lines, methods=methods, session=session)


def _products_lock(checkout: _Checkout) -> None:
    """Load the variants, then hold the product↔channel links, re-checking them.

    While no stock location exists the variants' own quantities are counted down, so the
    variants are locked (pk order): the WHERE clause keeps rows only while no live location
    exists, so this one statement locks them exactly then. Once locations exist it returns
    nothing and the variants are read unlocked: the stock is in the levels, which the reserve
    step locks (inventory.locks), and checkouts of one variant from different locations do not
    wait on each other.
    """
    ids = [line.variant_id for line in checkout.lines if line.variant_id]
    variants = list(
        variants_qs_for_update().select_related("product").filter(~any_stock_location(), pk__in=ids)
    )
    checkout.stock_located = bool(ids) and not variants
    if checkout.stock_located:
        variants = list(ProductVariant.all_objects.select_related("product").filter(pk__in=ids))
    checkout.variants = {v.pk: v for v in variants}
    cart_products_channel_check(
        checkout.cart,
        {
            checkout.variants[line.variant_id].product_id: line.title
            for line in checkout.lines
            if line.variant_id in checkout.variants
        },
        lock=True,
    )


def _stock_allocate(checkout: _Checkout) -> list[Allocation]:
    """Plan the reservations (inventory.services.stock_allocate), or count variants down.

    While no stock location exists the variants' own `inventory_quantity` is checked and counted
    down (under the variant locks just taken), as before stock locations.
    """
    needs: dict[ProductVariant, int] = {}
    for line in checkout.lines:
        variant = checkout.variants.get(line.variant_id)
        if variant is not None:
            needs[variant] = needs.get(variant, 0) + line.quantity
    channel_ids = stock_channel_ids(checkout.cart)
    plan = stock_allocate(
        channel_id=channel_ids[0] if channel_ids else None,
        needs=needs,
        locations_exist=checkout.stock_located,
    )
    if plan is not None:
        return plan
    stock_check(channel_id=None, needs=needs, available={v.pk: v.inventory_quantity for v in needs})
    stocked = [variant for variant in needs if variant.manage_inventory]
    for variant in stocked:
        variant.inventory_quantity -= needs[variant]
    ProductVariant.all_objects.bulk_update(stocked, ["inventory_quantity"])
    return []


def _order_create(checkout: _Checkout, idempotency_key: str | None) -> Order:
    cart = checkout.cart
    totals = cart_totals(cart=cart, items=checkout.lines, shipping_methods=checkout.methods)
    return Order.objects.create(
        display_id=order_display_id_next(),
        email=cast(str, cart.email),  # present: checked by the validation step
        region=cart.region,
        currency_code=cart.region.currency_code,
        tax_rate=cart.region.tax_rate,
        sales_channel_id=cart.sales_channel_id,
        # Carts get their customer when their email is set; one from before customers existed
        # gets the guest customer of its email now, as Medusa v1 does at completion.
        customer_id=cart.customer_id or customer_guest_for_email(email=cast(str, cart.email)).pk,
        cart=cart,
        shipping_address=cart.shipping_address,
        billing_address=cart.billing_address,
        shipping_option_name=checkout.methods[0].shipping_option.name,
        subtotal=totals.subtotal,
        shipping_total=totals.shipping_total,
        tax_total=totals.tax_total,
        total=totals.total,
        payment_status=PaymentStatus.AWAITING,
        idempotency_key=idempotency_key,
    )


def _order_items_create(order: Order, checkout: _Checkout) -> list[OrderItem]:
    variants = checkout.variants
    return OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=order,
                variant_id=line.variant_id,
                product_id=variants[line.variant_id].product_id
                if line.variant_id in variants
                else None,
                title=line.title,
                variant_title=line.description or "",
                sku=variants[line.variant_id].sku if line.variant_id in variants else None,
                thumbnail=line.thumbnail,
                unit_price=line.unit_price,
                quantity=line.quantity,
            )
            for line in checkout.lines
        ]
    )


def _payment_authorize(order: Order, checkout: _Checkout) -> None:
    """Authorize the selected session, record the order's payment, mark the cart completed.

    The manual provider authorizes on the spot; its session data says so, as Medusa's does,
    and the order's payment carries that data.
    """
    cart, session = checkout.cart, checkout.session
    now = timezone.now()
    authorized_data = {**(session.data or {}), "status": PaymentSessionStatus.AUTHORIZED.value}
    PaymentSession.objects.filter(pk=session.pk).update(
        status=PaymentSessionStatus.AUTHORIZED, data=authorized_data, updated_at=now
    )
    Payment.objects.create(
        order=order,
        cart=cart,
        provider_id=session.provider_id,
        amount=order.total,
        currency_code=order.currency_code,
        data=authorized_data,
    )
    cart.completed_at = now
    cart.payment_authorized_at = now
    cart.save(update_fields=["completed_at", "payment_authorized_at", "updated_at"])


def _stock_shown_changed(checkout: _Checkout) -> None:
    """Bump the versions of the products whose stock the order took (their cached store JSON).

    Counted down or reserved, a managed variant's store quantity changed; the order's products
    only. The last lock of the completion (catalog.versions, docs/deployment.md §4).
    """
    touch_products(
        sorted({v.product_id for v in checkout.variants.values() if v.manage_inventory}),
        listings=False,
    )


def _events_emit(order: Order, checkout: _Checkout) -> None:
    cart = checkout.cart
    channel_ids = [cart.sales_channel_id] if cart.sales_channel_id else []
    emit(
        Event(
            type=EventType.ORDER_PLACED,
            data={
                "id": order.pk,
                "display_id": order.display_id,
                "cart_id": cart.pk,
                "sales_channel_id": cart.sales_channel_id,
                "email": order.email,
                "currency_code": order.currency_code,
                "total": order.total,
                "items": [
                    {
                        "variant_id": line.variant_id,
                        "quantity": line.quantity,
                        "unit_price": line.unit_price,
                    }
                    for line in checkout.lines
                ],
            },
            sales_channel_ids=channel_ids,
        ),
        Event(
            type=EventType.CART_COMPLETED,
            data={"id": cart.pk, "order_id": order.pk, "sales_channel_id": cart.sales_channel_id},
            sales_channel_ids=channel_ids,
        ),
    )
