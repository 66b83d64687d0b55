"""Shared data and expected JSON for the store cart and checkout tests (carts and orders)."""

from dataclasses import dataclass

from carts.models import Cart
from catalog.models import PHYSICAL_FIELDS, Product, ProductStatus, ProductVariant
from catalog.services import PriceInput, VariantInput, product_create
from commerce.countries import country_json
from commerce.models import Region, ShippingOption
from saleschannels.models import SalesChannel
from tests.commerce.factories import RegionFactory, ShippingOptionFactory
from tests.helpers import channel_json, ms
from tests.saleschannels.factories import SalesChannelFactory

KEY = "HTTP_X_PUBLISHABLE_API_KEY"


def product(title, channels, *, sizes=("S",), eur=1950):
    handle = title.lower().replace(" ", "-")
    return product_create(
        title=title,
        handle=handle,
        status=ProductStatus.PUBLISHED,
        options=["Size"],
        variants=[
            VariantInput(
                title=size,
                sku=f"{handle}-{size}",
                inventory_quantity=100,
                option_values=[size],
                prices=[PriceInput("eur", eur), PriceInput("usd", 2200)],
            )
            for size in sizes
        ],
        sales_channel_ids=[channel.pk for channel in channels],
    )


@dataclass
class Shop:
    """The recorded Medusa session's shop: an EU region, Wholesale and a disabled Outlet channel,
    a t-shirt in both channels, a sweatshirt and a mug in the default one only."""

    default: SalesChannel
    wholesale: SalesChannel
    outlet: SalesChannel
    eu: Region
    shipping: ShippingOption
    shirt: Product
    shirt_s: ProductVariant
    shirt_m: ProductVariant
    sweatshirt: ProductVariant
    mug: ProductVariant


def shop(default_channel, *, tax_rate=0) -> Shop:
    wholesale = SalesChannelFactory(name="Wholesale", description="B2B storefront")
    outlet = SalesChannelFactory(name="Outlet", is_disabled=True)
    eu = RegionFactory(name="EU", currency_code="eur", countries=["dk", "de"], tax_rate=tax_rate)
    shipping = ShippingOptionFactory(
        name="PostFake Standard", region=eu, amount=1000, data={"id": "manual-fulfillment"}
    )
    shirt = product("Medusa T-Shirt", [default_channel, wholesale], sizes=("S", "M"))
    small, medium = shirt.variants.order_by("variant_rank")
    sweatshirt = product("Medusa Sweatshirt", [default_channel], eur=3000).variants.get()
    mug = product("Medusa Coffee Mug", [default_channel], eur=1000).variants.get()
    return Shop(
        default=default_channel,
        wholesale=wholesale,
        outlet=outlet,
        eu=eu,
        shipping=shipping,
        shirt=shirt,
        shirt_s=small,
        shirt_m=medium,
        sweatshirt=sweatshirt,
        mug=mug,
    )


def region_json(region, *, full=True):
    data = {
        "id": region.pk,
        "created_at": ms(region.created_at),
        "updated_at": ms(region.updated_at),
        "deleted_at": None,
        "name": region.name,
        "currency_code": region.currency_code,
        "tax_rate": int(region.tax_rate),
        "tax_code": None,
        "automatic_taxes": True,
        "includes_tax": False,
        "metadata": None,
    }
    if full:
        data["countries"] = [country_json(c, region.pk) for c in region.countries]
        data["payment_providers"] = [{"id": "manual", "is_installed": True}]
    return data


def address_json(address):
    if address is None:
        return None
    return {
        "id": address.pk,
        "created_at": ms(address.created_at),
        "updated_at": ms(address.updated_at),
        **{
            name: getattr(address, name)
            for name in (
                "first_name",
                "last_name",
                "company",
                "address_1",
                "address_2",
                "city",
                "country_code",
                "province",
                "postal_code",
                "phone",
                "metadata",
            )
        },
    }


def product_summary_json(product):
    return {
        "id": product.pk,
        "created_at": ms(product.created_at),
        "updated_at": ms(product.updated_at),
        "deleted_at": None,
        "title": product.title,
        "subtitle": None,
        "description": None,
        "handle": product.handle,
        "is_giftcard": False,
        "status": "published",
        "thumbnail": None,
        "discountable": True,
        "external_id": None,
        "metadata": None,
        "collection_id": None,
        "type_id": None,
        **dict.fromkeys(PHYSICAL_FIELDS),
    }


def variant_summary_json(variant):
    return {
        "id": variant.pk,
        "created_at": ms(variant.created_at),
        "updated_at": ms(variant.updated_at),
        "deleted_at": None,
        "title": variant.title,
        "product_id": variant.product_id,
        "sku": variant.sku,
        "barcode": None,
        "ean": None,
        "upc": None,
        "variant_rank": variant.variant_rank,
        "inventory_quantity": variant.inventory_quantity,
        "allow_backorder": False,
        "manage_inventory": True,
        "metadata": None,
        **dict.fromkeys(PHYSICAL_FIELDS),
    }


def totals_json(subtotal, tax):
    return {
        "subtotal": subtotal,
        "discount_total": 0,
        "tax_total": tax,
        "total": subtotal + tax,
        "original_total": subtotal + tax,
        "original_tax_total": tax,
    }


def item_json(item, *, tax=0):
    variant = ProductVariant.all_objects.select_related("product").get(pk=item.variant_id)
    return {
        "id": item.pk,
        "created_at": ms(item.created_at),
        "updated_at": ms(item.updated_at),
        "cart_id": item.cart_id,
        "title": item.title,
        "description": item.description,
        "thumbnail": None,
        "should_merge": True,
        "unit_price": item.unit_price,
        "variant_id": item.variant_id,
        "quantity": item.quantity,
        "metadata": None,
        "variant": {
            **variant_summary_json(variant),
            "product": product_summary_json(variant.product),
        },
        **totals_json(item.unit_price * item.quantity, tax),
    }


def shipping_option_json(option):
    return {
        "id": option.pk,
        "created_at": ms(option.created_at),
        "updated_at": ms(option.updated_at),
        "deleted_at": None,
        "name": option.name,
        "region_id": option.region_id,
        "provider_id": "manual",
        "price_type": "flat_rate",
        "amount": option.amount,
        "is_return": False,
        "admin_only": False,
        "data": option.data,
        "metadata": None,
    }


def shipping_method_json(method, *, tax=0):
    return {
        "id": method.pk,
        "shipping_option_id": method.shipping_option_id,
        "cart_id": method.cart_id,
        "price": method.price,
        "data": method.data,
        "shipping_option": shipping_option_json(method.shipping_option),
        **totals_json(method.price, tax),
    }


def payment_session_json(session):
    return {
        "id": session.pk,
        "created_at": ms(session.created_at),
        "updated_at": ms(session.updated_at),
        "cart_id": session.cart_id,
        "provider_id": session.provider_id,
        "is_selected": session.is_selected,
        "is_initiated": session.is_initiated,
        "status": session.status,
        "data": session.data,
        "idempotency_key": None,
        "amount": session.amount,
    }


def cart_json(cart, *, item_taxes=None, shipping_tax=0):
    """The whole store cart, read back from the database (taxes given per item, in order)."""
    cart.refresh_from_db()
    items = list(cart.items.order_by("created_at", "id"))
    item_taxes = item_taxes or [0] * len(items)
    methods = list(cart.shipping_methods.select_related("shipping_option"))
    sessions = list(cart.payment_sessions.order_by("created_at", "id"))
    selected = [s for s in sessions if s.is_selected]
    subtotal = sum(i.unit_price * i.quantity for i in items)
    shipping_total = sum(m.price for m in methods)
    tax_total = sum(item_taxes) + shipping_tax
    return {
        "object": "cart",
        "id": cart.pk,
        "created_at": ms(cart.created_at),
        "updated_at": ms(cart.updated_at),
        "deleted_at": None,
        "email": cart.email,
        "billing_address_id": cart.billing_address_id,
        "shipping_address_id": cart.shipping_address_id,
        "region_id": cart.region_id,
        "customer_id": cart.customer_id,
        "type": "default",
        "completed_at": ms(cart.completed_at),
        "payment_authorized_at": ms(cart.payment_authorized_at),
        "idempotency_key": None,
        "context": cart.context,
        "metadata": cart.metadata,
        "sales_channel_id": cart.sales_channel_id,
        "billing_address": address_json(cart.billing_address),
        "shipping_address": address_json(cart.shipping_address),
        "items": [item_json(i, tax=t) for i, t in zip(items, item_taxes, strict=True)],
        "region": region_json(cart.region),
        "sales_channel": channel_json(cart.sales_channel),
        "shipping_methods": [shipping_method_json(m, tax=shipping_tax) for m in methods],
        "payment_sessions": [payment_session_json(s) for s in sessions],
        "payment_session": payment_session_json(selected[0]) if selected else None,
        "discounts": [],
        "gift_cards": [],
        "subtotal": subtotal,
        "discount_total": 0,
        "item_tax_total": sum(item_taxes),
        "shipping_total": shipping_total,
        "shipping_tax_total": shipping_tax,
        "tax_total": tax_total,
        "gift_card_total": 0,
        "gift_card_tax_total": 0,
        "total": subtotal + shipping_total + tax_total,
    }


CARTS = "/api/store/carts"


def ready_cart(client, s, *, channel, items, tax=False):
    """A cart made through the store API up to completion: items, email, address, shipping, payment."""
    body = {"region_id": s.eu.pk, "items": [{"variant_id": v.pk, "quantity": q} for v, q in items]}
    if channel is not None:
        body["sales_channel_id"] = channel.pk
    response = client.post(CARTS, body)
    assert response.status_code == 200, response.json()
    cart_id = response.json()["cart"]["id"]
    address = {
        "first_name": "Ada",
        "address_1": "1 Main St",
        "city": "Copenhagen",
        "country_code": "dk",
    }
    client.post(f"{CARTS}/{cart_id}", {"email": "buyer@example.com", "shipping_address": address})
    client.post(f"{CARTS}/{cart_id}/shipping-methods", {"option_id": s.shipping.pk})
    client.post(f"{CARTS}/{cart_id}/payment-sessions")
    assert (
        client.post(f"{CARTS}/{cart_id}/payment-session", {"provider_id": "manual"}).status_code
        == 200
    )
    return Cart.objects.get(pk=cart_id)


def payment_json(payment):
    return {
        "id": payment.pk,
        "created_at": ms(payment.created_at),
        "updated_at": ms(payment.updated_at),
        "swap_id": None,
        "cart_id": payment.cart_id,
        "order_id": payment.order_id,
        "amount": payment.amount,
        "currency_code": payment.currency_code,
        "amount_refunded": 0,
        "provider_id": payment.provider_id,
        "data": payment.data,
        "captured_at": None,
        "canceled_at": None,
        "metadata": None,
        "idempotency_key": None,
    }


def order_json(order, *, item_taxes=None, shipping_tax=0, sales_channel=False, payments=True):
    """The store order with its default relations, read back from the database.

    `payments=False`: without the payments, discounts and gift cards (an `expand` naming none).
    """
    items = list(order.items.order_by("created_at", "id"))
    item_taxes = item_taxes or [0] * len(items)
    methods = (
        list(order.cart.shipping_methods.select_related("shipping_option")) if order.cart else []
    )
    data = {
        "object": "order",
        "id": order.pk,
        "created_at": ms(order.created_at),
        "updated_at": ms(order.updated_at),
        "status": "pending",
        "fulfillment_status": "not_fulfilled",
        "payment_status": "awaiting",
        "display_id": order.display_id,
        "cart_id": order.cart_id,
        "customer_id": order.customer_id,
        "email": order.email,
        "billing_address_id": order.billing_address_id,
        "shipping_address_id": order.shipping_address_id,
        "region_id": order.region_id,
        "currency_code": order.currency_code,
        "tax_rate": int(order.tax_rate),
        "canceled_at": None,
        "metadata": None,
        "idempotency_key": order.idempotency_key,
        "sales_channel_id": order.sales_channel_id,
        "subtotal": order.subtotal,
        "discount_total": 0,
        "shipping_total": order.shipping_total,
        "tax_total": order.tax_total,
        "gift_card_total": 0,
        "gift_card_tax_total": 0,
        "total": order.total,
        "shipping_address": address_json(order.shipping_address),
        "items": [
            {
                "id": item.pk,
                "created_at": ms(item.created_at),
                "updated_at": ms(item.updated_at),
                "order_id": order.pk,
                "title": item.title,
                "description": item.variant_title,
                "thumbnail": None,
                "unit_price": item.unit_price,
                "variant_id": item.variant_id,
                "quantity": item.quantity,
                "metadata": None,
                "variant": variant_summary_json(ProductVariant.all_objects.get(pk=item.variant_id)),
                **totals_json(item.unit_price * item.quantity, tax),
            }
            for item, tax in zip(items, item_taxes, strict=True)
        ],
        "region": region_json(order.region, full=False),
        "shipping_methods": [shipping_method_json(m, tax=shipping_tax) for m in methods],
    }
    if payments:
        data["payments"] = [payment_json(p) for p in order.payments.order_by("created_at", "id")]
        data["discounts"] = []
        data["gift_cards"] = []
    if sales_channel:
        data["sales_channel"] = channel_json(order.sales_channel)
    return data
