"""A small, believable shop for the browser tests and the screenshots: channels, products, orders."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from catalog.models import Product, ProductSalesChannel
from catalog.services import PriceInput, VariantInput, product_create
from commerce.services import region_create
from orders.models import Order, OrderStatus, PaymentStatus
from saleschannels.models import SalesChannel
from saleschannels.selectors import default_sales_channel_get
from saleschannels.services import sales_channel_create, sales_channel_update

PRODUCTS = [
    ("Linen shirt", 4900),
    ("Linen trousers", 6900),
    ("Canvas tote", 1900),
    ("Wool beanie", 2500),
    ("Merino scarf", 3900),
    ("Leather belt", 4500),
    ("Denim jacket", 8900),
    ("Cotton tee", 1500),
    ("Rain parka", 12900),
    ("Trail sneakers", 9900),
    ("Cashmere sweater", 15900),
    ("Silk tie", 3500),
]


@dataclass(frozen=True)
class Shop:
    web: SalesChannel
    app: SalesChannel
    b2b: SalesChannel
    feed: SalesChannel


def build_shop(*, orders_per_channel: dict[str, int] | None = None) -> Shop:
    """Create four channels (one disabled), a dozen products and a month of orders."""
    web = default_sales_channel_get()
    web = sales_channel_update(
        channel_id=web.pk, name="Web shop", description="The main storefront"
    )
    app = sales_channel_create(name="Mobile app", description="iOS and Android")
    b2b = sales_channel_create(name="B2B portal", description="Wholesale customers")
    feed = sales_channel_create(
        name="Marketplace feed", description="Paused while we renegotiate", is_disabled=True
    )
    usd = region_create(name="North America", currency_code="usd", countries=["us", "ca"])
    eur = region_create(name="Europe", currency_code="eur", countries=["de", "fr", "nl"])

    rng = random.Random(7)
    for n, (title, amount) in enumerate(PRODUCTS):
        channels = [web.pk] + ([app.pk] if n % 2 == 0 else []) + ([b2b.pk] if n % 3 == 0 else [])
        product_create(
            title=title,
            status="published",
            sales_channel_ids=channels,
            variants=[
                VariantInput(
                    title=size,
                    sku=f"{title.upper().replace(' ', '-')}-{size}",
                    inventory_quantity=rng.randint(5, 80),
                    prices=[
                        PriceInput(currency_code="usd", amount=amount),
                        PriceInput(currency_code="eur", amount=amount - 400),
                    ],
                )
                for size in ("S", "M", "L")
            ],
        )

    counts = orders_per_channel or {"web": 46, "app": 28, "b2b": 9, "feed": 3}
    channels = {"web": web, "app": app, "b2b": b2b, "feed": feed}
    now = timezone.now()
    display_id = 1000
    rows = []
    for key, count in counts.items():
        for _ in range(count):
            display_id += 1
            region = eur if rng.random() < 0.3 else usd
            total = rng.choice(PRODUCTS)[1] * rng.randint(1, 3)
            status = OrderStatus.CANCELED if rng.random() < 0.05 else OrderStatus.PENDING
            rows.append(
                Order(
                    display_id=display_id,
                    email=f"customer{display_id}@example.com",
                    region=region,
                    currency_code=region.currency_code,
                    sales_channel=channels[key],
                    status=status,
                    payment_status=PaymentStatus.CAPTURED,
                    subtotal=total,
                    total=total,
                    created_at=now - timedelta(days=rng.randint(0, 29), hours=rng.randint(0, 12)),
                )
            )
    Order.objects.bulk_create(rows)
    return Shop(web=web, app=app, b2b=b2b, feed=feed)


def many_products(prefix: str, count: int) -> list[Product]:
    """Quickly add `count` products titled "<prefix> 001"… (no channel), for select-all tests."""
    return Product.objects.bulk_create(
        [
            Product(
                title=f"{prefix} {n:03d}", handle=f"{prefix.lower()}-{n:03d}", status="published"
            )
            for n in range(1, count + 1)
        ]
    )


def channel_product_ids(channel: SalesChannel) -> set[str]:
    return set(
        ProductSalesChannel.objects.filter(sales_channel=channel).values_list(
            "product_id", flat=True
        )
    )
