"""Cart completion: turn a cart into an order in one transaction, exactly once."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from carts.exceptions import CartNotFound
from carts.locks import cart_qs_for_update
from carts.models import LineItem, PaymentSession, PaymentSessionStatus, ShippingMethod
from carts.selectors import cart_totals
from carts.services import cart_products_channel_check, variant_inventory_check
from catalog.locks import variants_qs_for_update
from catalog.models import ProductVariant
from catalog.versions import touch_products
from commerce.events import Event, EventType, emit
from commerce.exceptions import NotFound
from customers.services import customer_guest_for_email
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


@transaction.atomic
def cart_complete(*, cart_id: str, idempotency_key: str | None = None) -> Order:
    """Place the order for a cart. Completing a completed cart returns its order (idempotent).

    Locks the cart, then its variants in pk order, then the product↔channel links of its
    products, so concurrent completions serialise and an admin cannot pull a product out of the
    channel between the check and the commit. Re-checks channel membership (design §5).
    With an idempotency key, completions carrying that key are serialised before anything else.
    """
    if idempotency_key:
        _idempotency_key_lock(idempotency_key)
        earlier = Order.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.cart_id != cart_id:
                raise IdempotencyKeyReused()
            return earlier
    cart = cart_qs_for_update().select_related("region").filter(pk=cart_id).first()
    if cart is None:
        raise CartNotFound(cart_id)
    if cart.completed_at is not None:
        order = Order.objects.filter(cart_id=cart.pk).first()
        if order is None:
            raise NotFound(f"Cart {cart_id} was completed but its order is gone")
        return order

    lines = list(LineItem.objects.filter(cart=cart).order_by("created_at", "id"))
    if not lines:
        raise CartEmpty()
    if not cart.email:
        raise CartEmailMissing()
    methods = list(ShippingMethod.objects.select_related("shipping_option").filter(cart=cart))
    if not methods:
        raise CartShippingMissing()
    session = PaymentSession.objects.filter(cart=cart, is_selected=True).first()
    if session is None:
        raise CartPaymentMissing()

    variants = {
        v.pk: v
        for v in variants_qs_for_update()
        .select_related("product")
        .filter(pk__in=[line.variant_id for line in lines if line.variant_id])
    }
    cart_products_channel_check(
        cart,
        {
            variants[line.variant_id].product_id: line.title
            for line in lines
            if line.variant_id in variants
        },
        lock=True,
    )
    for line in lines:
        variant = variants.get(line.variant_id)
        if variant is not None:
            variant_inventory_check(variant, line.quantity)
    stocked = []
    for line in lines:
        variant = variants.get(line.variant_id)
        if variant is not None and variant.manage_inventory:
            variant.inventory_quantity -= line.quantity
            stocked.append(variant)
    ProductVariant.all_objects.bulk_update(stocked, ["inventory_quantity"])

    totals = cart_totals(cart=cart, items=lines, shipping_methods=methods)
    order = Order.objects.create(
        display_id=order_display_id_next(),
        email=cart.email,
        region=cart.region,
        currency_code=cart.region.currency_code,
        tax_rate=cart.region.tax_rate,
        sales_channel_id=cart.sales_channel_id,
        # Carts get their customer when their email is set; one from before customers existed
        # gets the guest customer of its email now, as Medusa v1 does at completion.
        customer_id=cart.customer_id or customer_guest_for_email(email=cart.email).pk,
        cart=cart,
        shipping_address=cart.shipping_address,
        billing_address=cart.billing_address,
        shipping_option_name=methods[0].shipping_option.name,
        subtotal=totals.subtotal,
        shipping_total=totals.shipping_total,
        tax_total=totals.tax_total,
        total=totals.total,
        payment_status=PaymentStatus.AWAITING,
        idempotency_key=idempotency_key,
    )
    OrderItem.objects.bulk_create(
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
            for line in lines
        ]
    )
    now = timezone.now()
    # The manual provider authorizes on the spot; its session data says so, as Medusa's does,
    # and the order's payment carries that data.
    authorized_data = {**(session.data or {}), "status": PaymentSessionStatus.AUTHORIZED.value}
    PaymentSession.objects.filter(pk=session.pk).update(
        status=PaymentSessionStatus.AUTHORIZED, data=authorized_data, updated_at=now
    )
    Payment.objects.create(
        order=order,
        cart=cart,
        provider_id=session.provider_id,
        amount=totals.total,
        currency_code=order.currency_code,
        data=authorized_data,
    )
    cart.completed_at = now
    cart.payment_authorized_at = now
    cart.save(update_fields=["completed_at", "payment_authorized_at", "updated_at"])
    # The stock the store shows changed: the counted-down products' cached JSON (last lock taken).
    touch_products(sorted({variant.product_id for variant in stocked}))
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
                    for line in lines
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
    return order
