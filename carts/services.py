"""Writes on carts. Each public function is one transaction and locks the cart first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from carts.exceptions import (
    CartCompleted,
    DiscountNotFound,
    GiftCardNotFound,
    InvalidQuantity,
    LineItemNotFound,
    LineItemVariantsNotFound,
    NoRegion,
    PaymentProviderNotInRegion,
    PaymentSessionNotFound,
    ProductsNotInCartChannel,
    ProductsNotYetPurchasable,
    QuantityTooLarge,
    ShippingOptionNotForCart,
    VariantHasNoPrice,
)
from carts.locks import cart_qs_for_update
from carts.models import Cart, LineItem, PaymentSession, PaymentSessionStatus, ShippingMethod
from carts.selectors import cart_of, cart_totals, line_items_for_store
from catalog import listings
from catalog.locks import channel_links_hold
from catalog.models import Price, ProductSalesChannel, ProductStatus, ProductVariant
from commerce import flags
from commerce.exceptions import PropertyShouldNotExist
from commerce.models import Address, Region, ShippingOption
from commerce.services import address_save, region_get
from commerce.updates import UNSET as _UNSET
from commerce.updates import changes_apply
from customers.models import Customer
from customers.services import customer_guest_for_email
from inventory.selectors import available_quantity
from inventory.services import stock_check
from saleschannels.exceptions import (
    PublishableApiKeyMultipleChannels,
    SalesChannelDisabled,
    SalesChannelNotFound,
    SalesChannelOutsideKeyScope,
)
from saleschannels.models import SalesChannel
from saleschannels.selectors import KeyScope, default_sales_channel_id_query
from saleschannels.services import ensure_default_sales_channel

MAX_LINE_QUANTITY = 2**31 - 1  # the quantity column is a 32-bit integer on every database


@dataclass(frozen=True)
class ItemInput:
    variant_id: str
    quantity: int


# ---- CHANNEL RESOLUTION ----


def cart_sales_channel_resolve(
    *, sales_channel_id: str | None, key_scope: KeyScope | None
) -> SalesChannel | None:
    """Pick a new cart's channel: the explicit id, else the key's single channel, else the store default.

    Unknown → not found; disabled → invalid data; an id outside the key's scope → refused, named;
    a key with several channels and no explicit id → refused (design §5: 400 instead of Medusa's 500).
    With the feature off, carts get no channel and an explicit id is refused.
    """
    if not flags.sales_channels_enabled():
        if sales_channel_id is not None:
            raise PropertyShouldNotExist("sales_channel_id")
        return None
    if sales_channel_id:
        if key_scope is not None and sales_channel_id not in key_scope.sales_channel_ids:
            raise SalesChannelOutsideKeyScope([sales_channel_id])
        channel = SalesChannel.objects.filter(pk=sales_channel_id).first()
        if channel is None:
            raise SalesChannelNotFound(sales_channel_id)
    elif key_scope is not None:
        if len(key_scope.sales_channel_ids) > 1:
            raise PublishableApiKeyMultipleChannels()
        channel = SalesChannel.objects.filter(pk=key_scope.sales_channel_ids[0]).first()
        if channel is None:
            raise SalesChannelNotFound(key_scope.sales_channel_ids[0])
    else:
        channel = (
            SalesChannel.objects.filter(pk__in=default_sales_channel_id_query()).first()
            or ensure_default_sales_channel()
        )
    if (
        channel is None
    ):  # pragma: no cover - ensure_default_sales_channel returns one when the flag is on
        raise SalesChannelNotFound("default")
    if channel.is_disabled:
        raise SalesChannelDisabled(channel.name)
    return channel


# ---- HELPERS ----


def _cart_for_update(cart_id: str) -> Cart:
    # With what the store renders of it (carts.selectors.cart_loaded_for_store).
    cart = cart_of(
        cart_qs_for_update().select_related(
            "region", "sales_channel", "shipping_address", "billing_address"
        ),
        cart_id,
    )
    if cart.completed_at is not None:
        raise CartCompleted(cart_id)
    return cart


def _address(data: dict[str, Any] | None, current: Address | None) -> Address | None:
    return address_save(data=data, current=current)


def _unit_price(region: Region) -> Coalesce:
    """Return a variant's unit price in the region's currency, to annotate variants with.

    A region-specific price wins over the currency's; null when the variant has neither.
    """

    def price(where: Q) -> Subquery:
        return Subquery(
            Price.objects.filter(
                where,
                variant_id=OuterRef("pk"),
                currency_code=region.currency_code,
                min_quantity__isnull=True,
            ).values("amount")[:1]
        )

    return Coalesce(price(Q(region_id=region.pk)), price(Q(region__isnull=True)))


def _prices_for(variant_ids: list[str], region: Region) -> dict[str, int]:
    """Return variant id → unit price in the region's currency (`_unit_price`), where it has one."""
    return dict(
        ProductVariant.all_objects.filter(pk__in=variant_ids)
        .annotate(unit_price=_unit_price(region))
        .filter(unit_price__isnull=False)
        .values_list("pk", "unit_price")
    )


def cart_products_channel_check(
    cart: Cart, product_titles: dict[str, str], *, lock: bool = False
) -> None:
    """Refuse products the cart's channel does not sell now, naming them all.

    Not in the channel, unpublished there or not yet published there (`catalog.listings`: as
    if not in it), or a draft: "must belong to the sales channel". In it, but its purchase
    window not yet open: refused too, naming the date it opens.
    """
    if cart.sales_channel_id is None or not flags.sales_channels_enabled() or not product_titles:
        return
    at = listings.moment()
    reachable = listings.link_condition(listings.Need.REACHABLE, at) & Q(
        product__status=ProductStatus.PUBLISHED
    )
    if lock:
        # Holding the link rows until commit keeps an admin from removing the product mid-way.
        opens = channel_links_hold(
            channel_id=cart.sales_channel_id, product_ids=list(product_titles), condition=reachable
        )
    else:
        opens = dict(
            ProductSalesChannel.objects.filter(
                reachable,
                sales_channel_id=cart.sales_channel_id,
                product_id__in=list(product_titles),
            ).values_list("product_id", "available_for_purchase_at")
        )
    outside = [title for product_id, title in product_titles.items() if product_id not in opens]
    if outside:
        raise ProductsNotInCartChannel(outside)
    # The purchase window: the rule is `listings.purchase_open`, the SQL's twin for one row.
    not_open = [
        (title, opens_at)
        for product_id, title in product_titles.items()
        if (opens_at := opens[product_id]) is not None and not listings.purchase_open(opens_at, at)
    ]
    if not_open:
        raise ProductsNotYetPurchasable(not_open)


def stock_channel_ids(cart: Cart) -> list[str] | None:
    """Return the channels whose locations a cart's stock comes from (None: every location)."""
    if cart.sales_channel_id and flags.sales_channels_enabled():
        return [cart.sales_channel_id]
    return None


def _stock_check(cart: Cart, needs: dict[ProductVariant, int]) -> None:
    channel_ids = stock_channel_ids(cart)
    stock_check(
        channel_id=channel_ids[0] if channel_ids else None,
        needs=needs,
        available={v.pk: v.available for v in needs if hasattr(v, "available")} or None,
    )


def _clear_payment_sessions(cart: Cart) -> None:
    PaymentSession.objects.filter(cart=cart).delete()


# ---- CARTS ----


@transaction.atomic
def cart_create(
    *,
    region_id: str | None = None,
    sales_channel_id: str | None = None,
    key_scope: KeyScope | None = None,
    email: str | None = None,
    customer: Customer | None = None,
    items: Sequence[ItemInput] = (),
    shipping_address: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Cart:
    """Create a cart in the resolved channel (see `cart_sales_channel_resolve`), with optional items.

    A signed-in `customer` owns the cart and gives it their email; otherwise an email makes (or
    reuses) the guest customer of that email, as Medusa v1 does. The cart comes back with what
    it holds (`loaded_*`: carts.selectors.cart_loaded_for_store), read from nowhere but here.
    """
    if region_id:
        region = region_get(region_id=region_id)
    else:
        region = Region.objects.order_by("created_at", "id").first()
        if region is None:
            raise NoRegion()
    channel = cart_sales_channel_resolve(sales_channel_id=sales_channel_id, key_scope=key_scope)
    if customer is None and email:
        customer = customer_guest_for_email(email=email)
    cart = Cart.objects.create(
        region=region,
        sales_channel=channel,
        customer=customer,
        email=customer.email if customer is not None else email,
        shipping_address=_address(shipping_address, None),
        context=context,
        metadata=metadata,
    )
    cart.loaded_shipping_methods = []  # a new cart has none
    cart.loaded_payment_sessions = []
    cart.loaded_items = []  # until its items are added
    if items:
        _add_items(cart, items, new_cart=True)
    return cart


def _add_items(cart: Cart, items: Sequence[ItemInput], *, new_cart: bool = False) -> None:
    """Add the items to the cart's lines; the cart then holds all its lines (`loaded_items`).

    Adding drops the cart's payment sessions (their amount is stale): `loaded_payment_sessions`
    is then empty. A cart created in this transaction (`new_cart`) has no lines or sessions to read.
    """
    for item in items:
        if item.quantity < 1:
            raise InvalidQuantity()
    variant_ids = list(dict.fromkeys(item.variant_id for item in items))
    variants = {
        v.pk: v
        for v in ProductVariant.objects.select_related("product")
        .annotate(
            available=available_quantity(stock_channel_ids(cart)),
            unit_price=_unit_price(cart.region),
        )
        .filter(pk__in=variant_ids, product__deleted_at__isnull=True)
    }
    missing = [variant_id for variant_id in variant_ids if variant_id not in variants]
    if missing:
        raise LineItemVariantsNotFound(missing)
    # Products named in the order the items were asked for (the query's row order is not).
    ordered = [variants[variant_id] for variant_id in variant_ids]
    cart_products_channel_check(cart, {v.product_id: v.product.title for v in ordered}, lock=True)
    prices = {v.pk: v.unit_price for v in ordered if v.unit_price is not None}
    for variant_id in variant_ids:
        if variant_id not in prices:
            raise VariantHasNoPrice(variants[variant_id].title, cart.region.currency_code)

    current = [] if new_cart else list(line_items_for_store().filter(cart=cart))
    existing = {line.variant_id: line for line in current if line.variant_id in variants}
    to_create: dict[str, LineItem] = {}
    for item in items:
        variant = variants[item.variant_id]
        line = existing.get(item.variant_id) or to_create.get(item.variant_id)
        if line is not None:
            line.quantity += item.quantity
        else:
            to_create[item.variant_id] = LineItem(
                cart=cart,
                variant=variant,
                title=variant.product.title,
                description=variant.title,
                thumbnail=variant.product.thumbnail,
                unit_price=prices[item.variant_id],
                quantity=item.quantity,
            )
    lines = [*existing.values(), *to_create.values()]
    for line in lines:
        if line.quantity > MAX_LINE_QUANTITY:
            raise QuantityTooLarge(MAX_LINE_QUANTITY)
    _stock_check(cart, {variants[line.variant_id]: line.quantity for line in lines})
    if existing:
        LineItem.objects.bulk_update(existing.values(), ["quantity", "updated_at"])
    LineItem.objects.bulk_create(to_create.values())
    if not new_cart:
        _clear_payment_sessions(cart)
    cart.loaded_items = sorted(  # type: ignore[attr-defined]  # the order line_items_for_store reads
        [*current, *to_create.values()], key=lambda line: (line.created_at, line.pk)
    )
    cart.loaded_payment_sessions = []  # type: ignore[attr-defined]  # just dropped


@transaction.atomic
def cart_line_items_add(*, cart_id: str, items: Sequence[ItemInput]) -> Cart:
    """Add items (merging with lines of the same variant). Only products of the cart's channel go in.

    The cart comes back holding its lines and (none) payment sessions (see `_add_items`).
    """
    cart = _cart_for_update(cart_id)
    _add_items(cart, items)
    cart.save(update_fields=["updated_at"])
    return cart


@transaction.atomic
def cart_line_item_update(*, cart_id: str, line_id: str, quantity: int) -> Cart:
    """Set a line's quantity; 0 removes the line, as in Medusa."""
    cart = _cart_for_update(cart_id)
    line = LineItem.objects.select_related("variant").filter(pk=line_id, cart=cart).first()
    if line is None:
        raise LineItemNotFound(line_id)
    if quantity < 0:
        raise InvalidQuantity()
    if quantity == 0:
        line.delete()
    else:
        if line.variant is not None:
            _stock_check(cart, {line.variant: quantity})
        line.quantity = quantity
        line.save(update_fields=["quantity", "updated_at"])
    _clear_payment_sessions(cart)
    cart.save(update_fields=["updated_at"])
    return cart


@transaction.atomic
def cart_line_item_delete(*, cart_id: str, line_id: str) -> Cart:
    """Remove a line from the cart."""
    cart = _cart_for_update(cart_id)
    deleted, _ = LineItem.objects.filter(pk=line_id, cart=cart).delete()
    if not deleted:
        raise LineItemNotFound(line_id)
    _clear_payment_sessions(cart)
    cart.save(update_fields=["updated_at"])
    return cart


def _change_channel(cart: Cart, sales_channel_id: str) -> None:
    if not flags.sales_channels_enabled():
        raise PropertyShouldNotExist("sales_channel_id")
    if sales_channel_id == cart.sales_channel_id:
        return
    channel = SalesChannel.objects.filter(pk=sales_channel_id).first()
    if channel is None:
        raise SalesChannelNotFound(sales_channel_id)
    if channel.is_disabled:
        raise SalesChannelDisabled(channel.name)
    lines = list(LineItem.objects.filter(cart=cart).select_related("variant"))
    product_ids = {line.variant.product_id for line in lines if line.variant is not None}
    # Lines the new channel would not take now (catalog.listings) go.
    in_channel = set(
        ProductSalesChannel.objects.filter(
            listings.link_condition(listings.Need.PURCHASABLE, listings.moment()),
            sales_channel=channel,
            product_id__in=product_ids,
            product__status=ProductStatus.PUBLISHED,
        ).values_list("product_id", flat=True)
    )
    foreign = [
        line.pk
        for line in lines
        if line.variant is None or line.variant.product_id not in in_channel
    ]
    if foreign:
        LineItem.objects.filter(pk__in=foreign).delete()
        _clear_payment_sessions(cart)
    cart.sales_channel = channel


def _change_region(cart: Cart, region_id: str) -> None:
    if region_id == cart.region_id:
        return
    region = region_get(region_id=region_id)
    lines = list(LineItem.objects.filter(cart=cart))
    prices = _prices_for([line.variant_id for line in lines if line.variant_id], region)
    unpriced = [line.pk for line in lines if line.variant_id not in prices]
    LineItem.objects.filter(pk__in=unpriced).delete()
    repriced = [line for line in lines if line.variant_id in prices]
    for line in repriced:
        line.unit_price = prices[line.variant_id]
    LineItem.objects.bulk_update(repriced, ["unit_price", "updated_at"])
    ShippingMethod.objects.filter(cart=cart).delete()
    _clear_payment_sessions(cart)
    cart.region = region


@transaction.atomic
def cart_update(
    *,
    cart_id: str,
    email: str | None = _UNSET,
    customer: Customer | None = None,
    region_id: str = _UNSET,
    sales_channel_id: str = _UNSET,
    shipping_address: dict[str, Any] | None = _UNSET,
    billing_address: dict[str, Any] | None = _UNSET,
    context: dict[str, Any] | None = _UNSET,
    metadata: dict[str, Any] | None = _UNSET,
    discounts: Sequence[str] | None = None,
    gift_cards: Sequence[str] | None = None,
) -> Cart:
    """Update a cart. Moving it to another channel drops the items that channel does not carry.

    `discounts` and `gift_cards` are codes to apply. No code exists yet (there are no discounts
    or gift cards), so any code is refused before anything changes; an empty list changes
    nothing, as it clears what Medusa would have applied.

    A signed-in `customer` takes the cart, with their email (a body email is then ignored, as in
    Medusa v1); otherwise a new email moves the cart to that email's guest customer.
    """
    cart = _cart_for_update(cart_id)
    codes_check(discounts=discounts or (), gift_cards=gift_cards or ())
    changes: dict[str, Any] = {"context": context, "metadata": metadata}
    if customer is not None:
        changes.update(customer=customer, email=customer.email)
    elif email is not _UNSET:
        guest = customer_guest_for_email(email=email) if email else None
        changes.update(customer=guest, email=guest.email if guest is not None else email)
    if region_id is not _UNSET and region_id is not None:
        _change_region(cart, region_id)
        changes["region"] = cart.region
    if sales_channel_id is not _UNSET and sales_channel_id is not None:
        _change_channel(cart, sales_channel_id)
        changes["sales_channel"] = cart.sales_channel
    for name, address in (
        ("shipping_address", shipping_address),
        ("billing_address", billing_address),
    ):
        if address is not _UNSET:
            changes[name] = _address(address, getattr(cart, name))
    changes_apply(cart, changes)
    return cart


def codes_check(*, discounts: Sequence[str] = (), gift_cards: Sequence[str] = ()) -> None:
    """Refuse the first unknown discount code, then the first unknown gift card code.

    Medusa applies discounts before gift cards and fails on the first it cannot find. With no
    discounts or gift cards stored here, every code is unknown.
    """
    if discounts:
        raise DiscountNotFound(discounts[0])
    if gift_cards:
        raise GiftCardNotFound(gift_cards[0])


@transaction.atomic
def cart_discount_remove(*, cart_id: str, code: str) -> Cart:
    """Remove a discount code from the cart. A code the cart does not carry changes nothing.

    As Medusa: removing an absent code is not an error, the cart is answered as it is. No cart
    carries a code yet, so this only checks that the cart exists and is open.
    """
    return _cart_for_update(cart_id)


# ---- CHECKOUT STEPS ----


def shipping_options_for_cart(*, cart: Cart) -> list[ShippingOption]:
    """Return the shipping options a storefront may offer for this cart (its region, not admin-only)."""
    return list(
        ShippingOption.objects.filter(
            region_id=cart.region_id, admin_only=False, is_return=False
        ).order_by("amount", "created_at", "id")
    )


@transaction.atomic
def cart_shipping_method_add(
    *, cart_id: str, option_id: str, data: dict[str, Any] | None = None
) -> Cart:
    """Set the cart's shipping method (one per cart; a new one replaces the old)."""
    cart = _cart_for_update(cart_id)
    option = ShippingOption.objects.filter(pk=option_id).first()
    if (
        option is None
        or option.region_id != cart.region_id
        or option.admin_only
        or option.is_return
    ):
        raise ShippingOptionNotForCart(option_id)
    ShippingMethod.objects.filter(cart=cart).delete()
    ShippingMethod.objects.create(
        cart=cart, shipping_option=option, price=option.amount, data=data or {}
    )
    _clear_payment_sessions(cart)
    cart.save(update_fields=["updated_at"])
    return cart


def _cart_total(cart: Cart) -> int:
    items = list(LineItem.objects.filter(cart=cart))
    methods = list(ShippingMethod.objects.filter(cart=cart))
    return cart_totals(cart=cart, items=items, shipping_methods=methods).total


@transaction.atomic
def cart_payment_sessions_create(*, cart_id: str) -> Cart:
    """Create (or refresh) a payment session for each provider of the cart's region."""
    cart = _cart_for_update(cart_id)
    total = _cart_total(cart)
    provider_ids = list(cart.region.payment_providers.values_list("id", flat=True))
    existing = {s.provider_id: s for s in PaymentSession.objects.filter(cart=cart)}
    PaymentSession.objects.filter(cart=cart).exclude(provider_id__in=provider_ids).delete()
    for session in existing.values():
        session.amount = total
    PaymentSession.objects.bulk_update(
        [s for s in existing.values() if s.provider_id in provider_ids], ["amount", "updated_at"]
    )
    PaymentSession.objects.bulk_create(
        [
            PaymentSession(
                cart=cart,
                provider_id=pid,
                amount=total,
                is_selected=True if len(provider_ids) == 1 else None,
                is_initiated=True,
                data={"status": "pending"},
            )
            for pid in provider_ids
            if pid not in existing
        ]
    )
    cart.save(update_fields=["updated_at"])
    return cart


@transaction.atomic
def cart_payment_session_select(*, cart_id: str, provider_id: str) -> Cart:
    """Select the payment provider the cart will be paid with."""
    cart = _cart_for_update(cart_id)
    if not cart.region.payment_providers.filter(pk=provider_id).exists():
        raise PaymentProviderNotInRegion(provider_id)
    if not PaymentSession.objects.filter(cart=cart, provider_id=provider_id).exists():
        PaymentSession.objects.create(
            cart=cart, provider_id=provider_id, amount=_cart_total(cart), is_initiated=True, data={}
        )
    PaymentSession.objects.filter(cart=cart).exclude(provider_id=provider_id).update(
        is_selected=None
    )
    PaymentSession.objects.filter(cart=cart, provider_id=provider_id).update(
        is_selected=True, status=PaymentSessionStatus.PENDING
    )
    cart.save(update_fields=["updated_at"])
    return cart


def selected_payment_session(*, cart: Cart) -> PaymentSession:
    """Return the cart's selected payment session or explain what is missing."""
    session = PaymentSession.objects.filter(cart=cart, is_selected=True).first()
    if session is None:
        raise PaymentSessionNotFound("(none selected)")
    return session
