"""Reads for carts: totals and the loaded cart the store API renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from carts.exceptions import CartNotFound
from carts.models import Cart, LineItem, PaymentSession, ShippingMethod
from catalog.models import Product
from commerce.models import Region, ShippingOption
from commerce.money import tax_amount


@dataclass(frozen=True)
class CartTotals:
    subtotal: int
    shipping_total: int
    tax_total: int
    total: int
    item_tax_totals: dict[str, int]


def cart_totals(
    *, cart: Cart, items: list[LineItem], shipping_methods: list[ShippingMethod]
) -> CartTotals:
    """Compute totals in minor units: tax at the region's rate on items and shipping."""
    rate = cart.region.tax_rate
    item_tax = {
        item.pk: tax_amount(amount=item.unit_price * item.quantity, rate_percent=rate)
        for item in items
    }
    subtotal = sum(item.unit_price * item.quantity for item in items)
    shipping_total = sum(method.price for method in shipping_methods)
    shipping_tax = tax_amount(amount=shipping_total, rate_percent=rate)
    tax_total = sum(item_tax.values()) + shipping_tax
    return CartTotals(
        subtotal=subtotal,
        shipping_total=shipping_total,
        tax_total=tax_total,
        total=subtotal + shipping_total + tax_total,
        item_tax_totals=item_tax,
    )


def line_items_for_store() -> QuerySet[LineItem]:
    """Return line items as the store cart renders them: with variant and product, in cart order."""
    return LineItem.objects.select_related("variant__product").order_by("created_at", "id")


def _shipping_methods_for_store() -> QuerySet[ShippingMethod]:
    return ShippingMethod.objects.select_related("shipping_option")


def _payment_sessions_for_store() -> QuerySet[PaymentSession]:
    return PaymentSession.objects.order_by("created_at", "id")


# What the store serializer reads (`carts.api.store.serializers.CartSerializer`): the cart's
# region, channel and addresses (foreign keys, loaded or held), its region's payment providers
# (prefetched), and these lists, each attribute with the queryset it comes from.
CART_LOADED: dict[str, tuple[str, Callable[[], QuerySet[Any]]]] = {
    "loaded_items": ("items", line_items_for_store),
    "loaded_shipping_methods": ("shipping_methods", _shipping_methods_for_store),
    "loaded_payment_sessions": ("payment_sessions", _payment_sessions_for_store),
}


def cart_qs_for_store() -> QuerySet[Cart]:
    """Return carts loaded for the store serializer, in a fixed number of queries."""
    return Cart.objects.select_related(
        "region", "sales_channel", "shipping_address", "billing_address"
    ).prefetch_related(
        *(
            Prefetch(relation, queryset=queryset(), to_attr=attribute)
            for attribute, (relation, queryset) in CART_LOADED.items()
        ),
        "region__payment_providers",
    )


def cart_loaded_for_store(*, cart: Cart) -> Cart:
    """Complete the store loading of a cart a service has just written, reading only what it lacks.

    A service hands back what it already holds (`loaded_*` lists it set, foreign keys it
    assigned or read with the cart); the rest is read here, one query per missing list, as
    `cart_qs_for_store` would. The result renders exactly as a fresh read of the cart.
    """
    for attribute, (_, queryset) in CART_LOADED.items():
        if not hasattr(cart, attribute):
            setattr(cart, attribute, list(queryset().filter(cart=cart)))
    prefetch_related_objects([cart.region], "payment_providers")  # no query when already loaded
    return cart


def cart_access_check(*, cart_id: str, customer_id: str | None) -> None:
    """Refuse a cart of a customer account to anyone but that customer signed in (its 404).

    Carts of guests and anonymous carts keep Medusa v1's rule: knowing the id is the capability.
    """
    owner = (
        Cart.objects.filter(pk=cart_id, customer__has_account=True)
        .values_list("customer_id", flat=True)
        .first()
    )
    if owner is not None and owner != customer_id:
        raise CartNotFound(cart_id)


def cart_of(carts: QuerySet[Cart], cart_id: str) -> Cart:
    """Return the cart of this id among `carts` (as they load or lock it), or raise `CartNotFound`."""
    cart = carts.filter(pk=cart_id).first()
    if cart is None:
        raise CartNotFound(cart_id)
    return cart


def cart_get(*, cart_id: str) -> Cart:
    """Return a live cart or raise `CartNotFound`."""
    return cart_of(Cart.objects.select_related("region", "sales_channel"), cart_id)


def cart_get_for_store(*, cart_id: str) -> Cart:
    """Return a live cart loaded for the store serializer (five queries), or raise `CartNotFound`."""
    return cart_of(cart_qs_for_store(), cart_id)


def shipping_options_for_store(
    *,
    region_id: str | None = None,
    is_return: bool | None = None,
    product_ids: list[str] | None = None,
) -> list[ShippingOption]:
    """Return the options `GET /store/shipping-options` lists: never admin-only ones.

    As Medusa v1: `region_id` narrows to a region (an unknown one lists nothing), `is_return`
    only when given. `product_ids` narrows to the shipping profiles of those products; every
    product here ships with the one default profile that every option belongs to, so the
    options are listed when at least one of them is a live product (none otherwise, as Medusa
    finds no profile for unknown products).
    """
    options = ShippingOption.objects.select_related("region").filter(admin_only=False)
    if region_id is not None:
        options = options.filter(region_id=region_id)
    if is_return is not None:
        options = options.filter(is_return=is_return)
    if product_ids is not None and not Product.objects.filter(pk__in=product_ids).exists():
        return []
    return list(options.order_by("amount", "created_at", "id"))


def cart_region_for_pricing(cart_id: str) -> Region:
    """Return the region of a live cart (completed or not), or raise `CartNotFound`.

    Registered with `catalog.pricing` so store product and variant reads can price for a cart.
    """
    return cart_of(Cart.objects.select_related("region"), cart_id).region
