"""Generate a large, realistic, reproducible catalogue with orders, for benchmarks and demos.

Small reference rows (regions, shipping options, channels, collections) go through the services.
The bulk (products, options, variants, prices, channel links, orders, order items) is written
straight to the tables in chunks: PostgreSQL gets COPY, other databases batched INSERTs. Everything
runs in one transaction, so a failed run leaves nothing behind.

Every value comes from one `random.Random(seed)`, so the same options give the same titles,
prices, links and orders. Ids are `<prefix>_<ULID>` built from the row's creation time and that
random generator too, so with `now` pinned even the ids repeat.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    connection,
    connections,
    models,
    transaction,
)
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import (
    Price,
    Product,
    ProductOption,
    ProductOptionValue,
    ProductSalesChannel,
    ProductVariant,
)
from catalog.versions import touch_listings
from commerce import services as commerce_services
from commerce.exceptions import InvalidData
from commerce.ids import ulid_random_part, ulid_time_part
from commerce.models import Region, ShippingOption
from inventory import services as inventory_services
from inventory.models import InventoryItem, InventoryLevel
from orders.models import (
    FulfillmentStatus,
    Order,
    OrderDisplayId,
    OrderItem,
    OrderStatus,
    PaymentStatus,
)
from saleschannels import services as channel_services

Progress = Callable[[str, int, int], None]

logger = logging.getLogger(__name__)

MARKER = "generated_seed"  # metadata key on every generated product, channel and order
PRODUCT_CHUNK = 5_000
ORDER_CHUNK = 10_000
ORDER_DAYS = 90
PRODUCT_DAYS = 365

# ---- WORD POOLS (written for this generator) ----

_ADJECTIVES = (
    "Alpine", "Classic", "Coastal", "Compact", "Everyday", "Field", "Heritage", "Highland",
    "Lightweight", "Modern", "Nordic", "Original", "Packable", "Rugged", "Rustic", "Signature",
    "Slim", "Sunday", "Summit", "Trail", "Urban", "Vintage", "Weekend", "Wild", "Woven",
    "Essential", "Studio", "Harbor", "Canyon", "Meadow", "Forest", "Prairie", "Glacier",
    "Desert", "Island", "Northern", "Southern", "Western", "Eastern", "Midnight",
)  # fmt: skip
_MATERIALS = (
    "Oak", "Walnut", "Ash", "Bamboo", "Cotton", "Linen", "Wool", "Merino", "Canvas", "Leather",
    "Suede", "Denim", "Fleece", "Down", "Nylon", "Ripstop", "Steel", "Titanium", "Aluminium",
    "Copper", "Brass", "Ceramic", "Stoneware", "Glass", "Enamel", "Cork", "Hemp", "Silk",
    "Cashmere", "Recycled",
)  # fmt: skip
_NOUNS = (
    "Backpack", "Duffel", "Tote", "Wallet", "Belt", "Cap", "Beanie", "Scarf", "Gloves", "Socks",
    "Jacket", "Vest", "Hoodie", "Sweater", "Shirt", "Tee", "Shorts", "Trousers", "Boots",
    "Sneakers", "Sandals", "Mug", "Bottle", "Flask", "Pot", "Pan", "Kettle", "Knife", "Spoon",
    "Bowl", "Plate", "Lantern", "Headlamp", "Tent", "Tarp", "Hammock", "Blanket", "Pillow",
    "Chair", "Stool", "Table", "Shelf", "Lamp", "Clock", "Notebook", "Pen", "Planter", "Vase",
    "Candle", "Towel", "Apron", "Basket", "Crate", "Cooler", "Stove", "Grinder", "Dripper",
    "Tumbler", "Poncho", "Umbrella",
)  # fmt: skip
_CLOSERS = (
    "Built to last for years of daily use.",
    "Made in small batches by our partner workshops.",
    "Backed by our lifetime repair promise.",
    "Designed in-house and tested in the field.",
    "Ships plastic-free in recycled packaging.",
    "A customer favourite since our first season.",
)
_OPTION_SETS = (
    (("Size", ("XS", "S", "M", "L", "XL", "XXL")),),
    (("Color", ("Black", "Moss", "Sand", "Navy", "Rust", "Stone", "Sky", "Cream")),),
    (("Size", ("S", "M", "L", "XL")), ("Color", ("Black", "Olive", "Slate", "Clay"))),
    (("Finish", ("Natural", "Oiled", "Smoked", "Whitewashed", "Black")),),
    (("Capacity", ("350 ml", "500 ml", "750 ml", "1 l", "1.5 l")),),
)
_CHANNEL_STEMS = (
    "Web Shop", "Mobile App", "B2B Portal", "Marketplace", "Retail Store", "Pop-up Store",
    "Wholesale", "Social Shop", "Partner Feed", "Kiosk",
)  # fmt: skip
_CITIES = (
    "Berlin", "London", "New York", "Paris", "Toronto", "Madrid", "Amsterdam", "Stockholm",
    "Chicago", "Dublin", "Vienna", "Lisbon", "Seattle", "Oslo", "Milan", "Copenhagen",
)  # fmt: skip
_COLLECTIONS = (
    "Trail Essentials", "Camp Kitchen", "Home Workshop", "City Commute", "Winter Layers",
    "Summer Days", "Gift Ideas", "New Arrivals", "Bestsellers", "Sustainable Picks",
)  # fmt: skip
_FIRST_NAMES = (
    "ada", "alan", "grace", "linus", "margaret", "ken", "barbara", "dennis", "frances", "john",
    "radia", "tim", "katherine", "guido", "hedy", "bjarne", "sophie", "edsger", "joan", "niklaus",
)  # fmt: skip
_LAST_NAMES = (
    "lovelace", "turing", "hopper", "torvalds", "hamilton", "thompson", "liskov", "ritchie",
    "allen", "mccarthy", "perlman", "berners-lee", "johnson", "rossum", "lamarr", "stroustrup",
    "wilson", "dijkstra", "clarke", "wirth",
)  # fmt: skip
# Rough exchange rates for deriving other currencies' prices from a USD base.
_RATES = {
    "usd": 1.0,
    "eur": 0.93,
    "gbp": 0.8,
    "cad": 1.36,
    "aud": 1.52,
    "jpy": 1.5,
}  # jpy: yen have no minor unit
_VARIANT_STEPS = (0, 0, 500, 1000, 2000)  # how much dearer each further variant is
_ITEM_COUNTS = (1, 1, 1, 2, 2, 3)
_QUANTITIES = (1, 1, 1, 1, 2, 3)
_LOG_MIN_PRICE = math.log(500)
_LOG_PRICE_SPAN = math.log(50_000) - _LOG_MIN_PRICE
_DEFAULT_REGIONS = (
    ("North America", "usd", 0, ["us", "ca"], 800),
    ("Europe", "eur", 21, ["de", "fr", "nl", "be", "at", "it", "es", "ie"], 700),
    ("United Kingdom", "gbp", 20, ["gb"], 600),
)


@dataclass(frozen=True)
class _VariantShape:
    """The options of a kind of product and its variants' option values and titles."""

    option_titles: tuple[str, ...]
    variants: tuple[tuple[tuple[str, ...], str], ...]  # (values, title) per variant


def _variant_shapes(count: int) -> list[_VariantShape]:
    shapes = []
    for option_set in _OPTION_SETS:
        variants = []
        for k in range(count):
            values = tuple(_option_values(option_set, k))
            variants.append((values, " / ".join(values)))
        shapes.append(
            _VariantShape(
                option_titles=tuple(title for title, _ in option_set), variants=tuple(variants)
            )
        )
    return shapes


class GenerationRefused(InvalidData):
    """The generator will not run with these options against this database."""


@dataclass(frozen=True)
class GenerationOptions:
    products: int
    channels: int
    orders: int
    seed: int = 1
    variants: int = 3
    links_per_product: int = 3
    append: bool = False
    now: datetime | None = None
    locations: int = 0  # stock locations to spread the variants' stock over (issue 20)


@dataclass
class GenerationResult:
    counts: dict[str, int] = field(default_factory=dict)


# ---- WRITING ROWS ----


_PG_TYPES = {
    "CharField": "varchar",
    "SlugField": "varchar",
    "URLField": "varchar",
    "EmailField": "varchar",
    "TextField": "text",
    "DateTimeField": "timestamptz",
    "JSONField": "jsonb",
    "BigIntegerField": "int8",
    "PositiveBigIntegerField": "int8",
    "BigAutoField": "int8",
    "IntegerField": "int4",
    "PositiveIntegerField": "int4",
    "AutoField": "int4",
    "BooleanField": "bool",
    "DecimalField": "numeric",
}


def _pg_type(field: models.Field) -> str | None:
    if field.is_relation:
        field = field.target_field  # type: ignore[attr-defined]  # a relation field
    return _PG_TYPES.get(field.get_internal_type())


def _text(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


class _TableWriter:
    """Insert tuples into one model's table: COPY on PostgreSQL, executemany elsewhere.

    Columns are given by attname; every other concrete column (except an auto primary key) gets
    its field default, so a new model field with a default does not break the generator.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        fields = [model._meta.get_field(name) for name in columns]
        rest = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in columns and not isinstance(f, models.AutoField)
        ]
        self.fields: list[Any] = [*fields, *rest]  # concrete model fields
        self.fill = tuple(f.get_default() for f in rest)
        types = [_pg_type(f) for f in self.fields]
        self.pg_types = None if None in types else types
        self.table = model._meta.db_table
        self.count = 0
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in self.fields)
        self.copy_sql = f"COPY {quote(self.table)} ({names}) FROM STDIN"
        marks = ", ".join(["%s"] * len(self.fields))
        self.insert_sql = f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})"  # noqa: S608  (quoted identifiers)

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        fill = self.fill
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if self.pg_types is None:  # a column type we do not map: slower text COPY
                    with cursor.cursor.copy(self.copy_sql) as copy:
                        for row in rows:
                            copy.write_row(tuple(_text(v) for v in (*row, *fill)))
                            self.count += 1
                    return
                # Binary COPY with declared types: psycopg dumps each value in C.
                with cursor.cursor.copy(f"{self.copy_sql} (FORMAT BINARY)") as copy:
                    copy.set_types(self.pg_types)
                    for row in rows:
                        copy.write_row((*row, *fill))
                        self.count += 1
            return
        # Only JSON, date-time and decimal values need adapting; they repeat a lot (one timestamp
        # per product, one metadata dict per run), so each distinct value is adapted once.
        conn = connections[DEFAULT_DB_ALIAS]
        adapt = [
            isinstance(f, models.JSONField | models.DateTimeField | models.DecimalField)
            for f in self.fields
        ]
        memo: dict[tuple[int, Any], Any] = {}

        def prep(i: int, value: Any) -> Any:
            if value is None or not adapt[i]:
                return value
            key = (i, id(value) if isinstance(value, dict | list) else value)
            if key not in memo:
                memo[key] = self.fields[i].get_db_prep_save(value, conn)
            return memo[key]

        prepared = [tuple(prep(i, v) for i, v in enumerate((*row, *fill))) for row in rows]
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), 2_000):
                cursor.executemany(self.insert_sql, prepared[start : start + 2_000])
        self.count += len(prepared)


def _reserve_display_ids(count: int) -> list[int]:
    """Take `count` display ids from the order number sequence table, in ascending order."""
    if count == 0:
        return []
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(OrderDisplayId._meta.db_table)
        with connection.cursor() as cursor:
            # A zero-column SELECT fills every column with its default: one sequence value each.
            cursor.execute(
                f"INSERT INTO {table} SELECT FROM generate_series(1, %s) RETURNING id",
                [count],
            )
            return sorted(row[0] for row in cursor.fetchall())
    rows = OrderDisplayId.objects.bulk_create([OrderDisplayId() for _ in range(count)])
    ids = [row.pk for row in rows]
    if None in ids:  # a backend that cannot return ids from a bulk insert
        ids = [OrderDisplayId.objects.create().pk for _ in range(count)]
    return sorted(ids)


# ---- THE GENERATOR ----


@dataclass
class _Catalogue:
    """What the order pass needs to know about the generated catalogue, kept compact."""

    product_ids: list[str] = field(default_factory=list)
    product_titles: list[str] = field(default_factory=list)
    variant_ids: list[str] = field(default_factory=list)  # product i, variant k at i*V + k
    variant_titles: list[str] = field(default_factory=list)
    variant_skus: list[str] = field(default_factory=list)
    variant_prices: list[tuple[int, ...]] = field(default_factory=list)  # per currency
    channel_products: list[list[int]] = field(default_factory=list)  # published only


class _Generator:
    def __init__(self, options: GenerationOptions, progress: Progress | None) -> None:
        self.o = options
        self.rng = random.Random(options.seed)  # noqa: S311  (reproducible test data, not secrets)
        self.now = options.now or timezone.now()
        self.progress = progress or (lambda stage, done, total: None)
        self.counts: dict[str, int] = {}
        self.variant_shapes = _variant_shapes(options.variants)

    def id_maker(self, when: datetime) -> Callable[[str], str]:
        """Return a maker of `<prefix>_<ULID>` ids stamped with `when` (one per product/order)."""
        stamp = ulid_time_part(int(when.timestamp() * 1000))
        bits = self.rng.getrandbits
        return lambda prefix: f"{prefix}_{stamp}{ulid_random_part(bits(80))}"

    # -- reference rows, through the services --

    def regions(self) -> list[tuple[Region, ShippingOption]]:
        regions = list(Region.objects.order_by("currency_code", "name", "pk"))
        if not regions:
            for name, currency, tax, countries, _ in _DEFAULT_REGIONS:
                regions.append(
                    commerce_services.region_create(
                        name=name, currency_code=currency, tax_rate=tax, countries=countries
                    )
                )
            self.counts["regions"] = len(regions)
        amounts = {name: amount for name, _, _, _, amount in _DEFAULT_REGIONS}
        pairs = []
        for region in regions:
            option = (
                ShippingOption.objects.filter(region=region, is_return=False)
                .order_by("amount", "name", "pk")
                .first()
            )
            if option is None:
                option = commerce_services.shipping_option_create(
                    region=region, name="Standard Shipping", amount=amounts.get(region.name, 900)
                )
                self.counts["shipping options"] = self.counts.get("shipping options", 0) + 1
            pairs.append((region, option))
        return pairs

    def channels(self) -> list[str]:
        names: list[str] = []
        stems = list(_CHANNEL_STEMS)
        self.rng.shuffle(stems)
        for index in range(self.o.channels):
            stem = stems[index % len(stems)]
            if index < len(stems):
                names.append(stem)
            else:
                names.append(f"{stem} {_CITIES[(index // len(stems) - 1) % len(_CITIES)]}")
                if index >= len(stems) * (len(_CITIES) + 1):
                    names[-1] += f" {index}"
        ids = []
        for index, name in enumerate(names):
            channel = channel_services.sales_channel_create(
                name=name,
                description=f"Generated channel {index + 1} of {len(names)}",
                is_disabled=False,
                metadata={MARKER: self.o.seed},
            )
            ids.append(channel.pk)
        self.counts["sales channels"] = len(ids)
        return ids

    def collections(self) -> list[str]:
        ids = []
        for title in _COLLECTIONS:
            collection = catalog_services.collection_create(
                title=title,
                handle=f"{title.lower().replace(' ', '-')}-g{self.o.seed}",
                metadata={MARKER: self.o.seed},
            )
            ids.append(collection.pk)
        self.counts["product collections"] = len(ids)
        return ids

    # -- the catalogue, in bulk --

    def catalogue(
        self, currencies: list[str], channel_ids: list[str], collection_ids: list[str]
    ) -> _Catalogue:
        o, rng = self.o, self.rng
        cat = _Catalogue(channel_products=[[] for _ in channel_ids])
        base = ["id", "created_at", "updated_at", "metadata"]
        writers = {
            # Columns left out (subtitle, thumbnail, is_giftcard, ...) get their field default.
            "products": _TableWriter(
                Product, [*base, "title", "description", "handle", "status", "collection_id"]
            ),
            "options": _TableWriter(ProductOption, [*base, "deleted_at", "product_id", "title"]),
            "variants": _TableWriter(
                ProductVariant,
                [
                    *base,
                    "deleted_at",
                    "product_id",
                    "title",
                    "sku",
                    "inventory_quantity",
                    "allow_backorder",
                    "manage_inventory",
                    "variant_rank",
                ],
            ),
            "option values": _TableWriter(
                ProductOptionValue, [*base, "deleted_at", "option_id", "variant_id", "value"]
            ),
            "prices": _TableWriter(
                Price, [*base, "variant_id", "currency_code", "amount", "region_id"]
            ),
            "product channel links": _TableWriter(
                ProductSalesChannel,
                [
                    "product_id",
                    "sales_channel_id",
                    "product_created_at",
                    "product_published",
                    "product_deleted",
                ],
            ),
        }
        links = min(o.links_per_product, len(channel_ids))
        # Creation times in ascending order, so ULID ids grow with them: primary-key and
        # created_at indexes are then appended to rather than split at random places.
        oldest = self.now - timedelta(days=PRODUCT_DAYS)
        self.product_times = [
            oldest + timedelta(seconds=offset)
            for offset in sorted(
                rng.uniform(0, (PRODUCT_DAYS - ORDER_DAYS) * 86_400) for _ in range(o.products)
            )
        ]
        rates = [_RATES.get(code, 1.0) for code in currencies]
        meta = {MARKER: o.seed}
        for start in range(0, o.products, PRODUCT_CHUNK):
            rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in writers}
            for i in range(start, min(start + PRODUCT_CHUNK, o.products)):
                self._product(i, rng, cat, rows, meta, rates, channel_ids, collection_ids, links)
            for name, writer in writers.items():
                writer.write(rows[name])
            self.progress("products", min(start + PRODUCT_CHUNK, o.products), o.products)
        for name, writer in writers.items():
            self.counts[name] = writer.count
        return cat

    def _product(
        self,
        i: int,
        rng: random.Random,
        cat: _Catalogue,
        rows: dict[str, list[tuple[Any, ...]]],
        meta: dict[str, int],
        rates: list[float],
        channel_ids: list[str],
        collection_ids: list[str],
        links: int,
    ) -> None:
        # The hot loop of the generator: plain `random()` arithmetic instead of choice/randint
        # and variant shapes shared per option set keep 100,000 products in seconds.
        o, r = self.o, rng.random
        created = self.product_times[i]
        new_id = self.id_maker(created)
        words = (
            _ADJECTIVES[int(r() * len(_ADJECTIVES))],
            _MATERIALS[int(r() * len(_MATERIALS))],
            _NOUNS[int(r() * len(_NOUNS))],
        )
        title = " ".join(words)
        handle = f"{words[0]}-{words[1]}-{words[2]}-{o.seed}-{i}".lower()
        roll = r()
        status = "published" if roll < 0.92 else "draft" if roll < 0.97 else "proposed"
        description = (
            f"The {title.lower()} in our {words[0].lower()} line. "
            f"{_CLOSERS[int(r() * len(_CLOSERS))]}"
        )
        collection = collection_ids[int(r() * len(collection_ids))] if r() < 0.7 else None
        product_id = new_id("prod")
        rows["products"].append(
            (
                product_id,
                created,
                created,
                meta,
                title,
                description,
                handle,
                status,
                collection,
            )
        )
        cat.product_ids.append(product_id)
        cat.product_titles.append(title)

        shape = self.variant_shapes[int(r() * len(self.variant_shapes))]
        option_ids = []
        for option_title in shape.option_titles:
            option_id = new_id("opt")
            option_ids.append(option_id)
            rows["options"].append(
                (option_id, created, created, None, None, product_id, option_title)
            )

        # Log-uniform base prices from 5.00 to 500.00 (USD), in minor units.
        base_price = int(math.exp(_LOG_MIN_PRICE + r() * _LOG_PRICE_SPAN))
        option_values, prices_rows, variant_rows = (
            rows["option values"],
            rows["prices"],
            rows["variants"],
        )
        currencies = self.currencies
        for k, (values, variant_title) in enumerate(shape.variants):
            variant_id = new_id("variant")
            sku = f"G{o.seed}-{i:07d}-{k}"
            variant_rows.append(
                (
                    variant_id,
                    created,
                    created,
                    None,
                    None,
                    product_id,
                    variant_title,
                    sku,
                    int(r() * 501),
                    False,
                    True,
                    k,
                )
            )
            for option_id, value in zip(option_ids, values, strict=True):
                option_values.append(
                    (new_id("optval"), created, created, None, None, option_id, variant_id, value)
                )
            usd = base_price + k * _VARIANT_STEPS[int(r() * len(_VARIANT_STEPS))]
            # Shelf prices that end in 9 (1999), converted with rough exchange rates.
            prices = tuple(max(99, int(usd * rate / 100.0 + 0.5) * 100 - 1) for rate in rates)
            for code, amount in zip(currencies, prices, strict=True):
                prices_rows.append(
                    (new_id("ma"), created, created, None, variant_id, code, amount, None)
                )
            cat.variant_ids.append(variant_id)
            cat.variant_titles.append(variant_title)
            cat.variant_skus.append(sku)
            cat.variant_prices.append(prices)

        for c in rng.sample(range(len(channel_ids)), links):
            rows["product channel links"].append(
                (product_id, channel_ids[c], created, status == "published", False)
            )
            if status == "published":
                cat.channel_products[c].append(i)

    # -- orders, in bulk --

    def orders(
        self, cat: _Catalogue, channel_ids: list[str], regions: list[tuple[Region, ShippingOption]]
    ) -> None:
        o, rng = self.o, self.rng
        if o.orders == 0:
            return
        sellable = [c for c, products in enumerate(cat.channel_products) if products]
        if not sellable:
            raise GenerationRefused("Orders need published products in at least one channel")
        span = ORDER_DAYS * 86_400
        moments = sorted(rng.uniform(0, span) for _ in range(o.orders))
        display_ids = _reserve_display_ids(o.orders)
        customers = max(50, o.orders // 4)
        currency_index = {code: n for n, code in enumerate(self.currencies)}
        order_writer = _TableWriter(
            Order,
            [
                "id",
                "created_at",
                "updated_at",
                "metadata",
                "display_id",
                "status",
                "fulfillment_status",
                "payment_status",
                "email",
                "region_id",
                "currency_code",
                "tax_rate",
                "sales_channel_id",
                "cart_id",
                "shipping_address_id",
                "billing_address_id",
                "shipping_option_name",
                "subtotal",
                "shipping_total",
                "tax_total",
                "total",
                "idempotency_key",
                "canceled_at",
            ],
        )
        item_writer = _TableWriter(
            OrderItem,
            [
                "id",
                "created_at",
                "updated_at",
                "metadata",
                "order_id",
                "variant_id",
                "product_id",
                "title",
                "variant_title",
                "sku",
                "thumbnail",
                "unit_price",
                "quantity",
            ],
        )
        meta = {MARKER: o.seed}
        start_time = self.now - timedelta(seconds=span)
        r = rng.random
        variants = o.variants
        # Tax in basis points, so each order's tax is integer arithmetic (half up).
        region_rows = [
            (region.pk, region.currency_code, region.tax_rate, int(region.tax_rate * 100),
             currency_index[region.currency_code], shipping.name, shipping.amount)
            for region, shipping in regions
        ]  # fmt: skip
        for start in range(0, o.orders, ORDER_CHUNK):
            orders: list[tuple[Any, ...]] = []
            items: list[tuple[Any, ...]] = []
            for n in range(start, min(start + ORDER_CHUNK, o.orders)):
                created = start_time + timedelta(seconds=moments[n])
                new_id = self.id_maker(created)
                order_id = new_id("order")
                channel = sellable[int(r() * len(sellable))]
                in_channel = cat.channel_products[channel]
                region_id, currency, tax_rate, tax_bp, price_at, shipping_name, shipping = (
                    region_rows[int(r() * len(region_rows))]
                )
                subtotal = 0
                for _ in range(_ITEM_COUNTS[int(r() * len(_ITEM_COUNTS))]):
                    product = in_channel[int(r() * len(in_channel))]
                    variant = product * variants + int(r() * variants)
                    quantity = _QUANTITIES[int(r() * len(_QUANTITIES))]
                    unit_price = cat.variant_prices[variant][price_at]
                    subtotal += unit_price * quantity
                    items.append(
                        (
                            new_id("item"),
                            created,
                            created,
                            None,
                            order_id,
                            cat.variant_ids[variant],
                            cat.product_ids[product],
                            cat.product_titles[product],
                            cat.variant_titles[variant],
                            cat.variant_skus[variant],
                            None,
                            unit_price,
                            quantity,
                        )
                    )
                tax = (subtotal * tax_bp + 5_000) // 10_000
                status, fulfillment, payment = _order_state(r())
                number = int(r() * customers)
                email = (
                    f"{_FIRST_NAMES[number % len(_FIRST_NAMES)]}."
                    f"{_LAST_NAMES[(number // len(_FIRST_NAMES)) % len(_LAST_NAMES)]}"
                    f"{number}@example.com"
                )
                orders.append(
                    (
                        order_id,
                        created,
                        created,
                        meta,
                        display_ids[n],
                        status,
                        fulfillment,
                        payment,
                        email,
                        region_id,
                        currency,
                        tax_rate,
                        channel_ids[channel],
                        None,
                        None,
                        None,
                        shipping_name,
                        subtotal,
                        shipping,
                        tax,
                        subtotal + shipping + tax,
                        None,
                        created + timedelta(hours=2) if status == "canceled" else None,
                    )
                )
            order_writer.write(orders)
            item_writer.write(items)
            self.progress("orders", min(start + ORDER_CHUNK, o.orders), o.orders)
        self.counts["orders"] = order_writer.count
        self.counts["order items"] = item_writer.count

    def run(self) -> GenerationResult:
        regions = self.regions()
        self.currencies = sorted({region.currency_code for region, _ in regions})
        channel_ids = self.channels()
        collection_ids = self.collections()
        with _bulk_load(BULK_MODELS, enabled=self.o.products + self.o.orders >= BULK_MODE_ROWS):
            cat = self.catalogue(self.currencies, channel_ids, collection_ids)
            self.orders(cat, channel_ids, regions)
        if self.o.locations:
            self.counts.update(
                stock_locations_generate(self.rng, cat.variant_ids, channel_ids, self.o)
            )
        return GenerationResult(counts=self.counts)


BULK_MODELS = (
    Product,
    ProductOption,
    ProductVariant,
    ProductOptionValue,
    Price,
    ProductSalesChannel,
    Order,
    OrderItem,
)
BULK_MODE_ROWS = 20_000


@contextmanager
def _bulk_load(models_: Sequence[type[models.Model]], *, enabled: bool) -> Iterator[None]:
    """On PostgreSQL, load without secondary indexes and foreign keys, then rebuild them.

    This is what pg_restore does: the indexes and keys come back (and are re-checked) in bulk at
    the end of the same transaction.

    Row-by-row maintenance of seven indexes per table and a deferred foreign-key check per row
    cost several times the load itself. Primary keys and unique indexes stay, so uniqueness is
    enforced throughout; every foreign key is re-added (which re-validates every row) before
    commit. The tables stay locked (ACCESS EXCLUSIVE) until the transaction ends. Where the
    role may not alter the tables, the load simply runs with the indexes in place.
    """
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid IN (SELECT to_regclass(t) FROM unnest(%s::text[]) AS t)
              AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f'
              AND conrelid IN (SELECT to_regclass(t) FROM unnest(%s::text[]) AS t)
            ORDER BY 1, 2
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        try:
            with transaction.atomic():
                for table, name, _ in foreign_keys:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
                for name, _ in indexes:
                    cursor.execute(f"DROP INDEX {name}")
        except DatabaseError:
            logger.warning("Cannot drop indexes for the bulk load; loading with them in place")
            yield
            return
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            t = time.perf_counter()
            cursor.execute(definition)
            logger.debug("%s: %.2fs", definition, time.perf_counter() - t)
        for table, name, definition in foreign_keys:
            t = time.perf_counter()
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            logger.debug("%s %s: %.2fs", table, definition, time.perf_counter() - t)
        for table in tables:
            t = time.perf_counter()
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            logger.debug("analyze %s: %.2fs", table, time.perf_counter() - t)


def _option_values(option_set: tuple[tuple[str, tuple[str, ...]], ...], k: int) -> list[str]:
    """Return distinct option values for the k-th variant (numbered once a pool runs out)."""
    values = []
    stride = 1
    for _, pool in option_set:
        index = (k // stride) % len(pool)
        values.append(pool[index])
        stride *= len(pool)
    if k >= stride:
        values[-1] = f"{values[-1]} {k // stride + 1}"
    return values


# An order's (status, fulfillment, payment) by where its roll falls: 55% completed, 35% pending,
# 7% canceled, 3% archived.
_ORDER_STATES = (
    (0.55, OrderStatus.COMPLETED, FulfillmentStatus.SHIPPED, PaymentStatus.CAPTURED),
    (0.90, OrderStatus.PENDING, FulfillmentStatus.NOT_FULFILLED, PaymentStatus.AWAITING),
    (0.97, OrderStatus.CANCELED, FulfillmentStatus.CANCELED, PaymentStatus.CANCELED),
    (1.00, OrderStatus.ARCHIVED, FulfillmentStatus.SHIPPED, PaymentStatus.CAPTURED),
)


def _order_state(roll: float) -> tuple[str, str, str]:
    """Return (status, fulfillment, payment) for a roll in [0, 1), by `_ORDER_STATES`."""
    _, status, fulfillment, payment = next(state for state in _ORDER_STATES if roll < state[0])
    return status.value, fulfillment.value, payment.value


def stock_locations_generate(
    rng: random.Random, variant_ids: Sequence[str], channel_ids: Sequence[str], o: GenerationOptions
) -> dict[str, int]:
    """Spread the variants' stock over `o.locations` stock locations linked to the channels.

    Locations and links go through `inventory.services`; items and levels are bulk-inserted.
    Each channel sells from its own location (channel i: location i mod N, priority 0) and one
    shared with the next channel (priority 1), so channels share warehouses as shops do. Each
    variant is stocked at every location with 0 to 40 units.
    """
    locations = [
        inventory_services.stock_location_create(
            name=f"{_CITIES[index % len(_CITIES)]} warehouse {index + 1}",
            metadata={MARKER: o.seed},
        ).pk
        for index in range(o.locations)
    ]
    links = 0
    for index, channel_id in enumerate(channel_ids):
        own = locations[index % len(locations)]
        shared = locations[(index + 1) % len(locations)]
        for priority, location_id in enumerate(dict.fromkeys((own, shared))):
            inventory_services.sales_channel_location_add(
                channel_id=channel_id, location_id=location_id, priority=priority
            )
            links += 1
    existing = set(
        InventoryItem.objects.filter(variant_id__in=variant_ids).values_list(
            "variant_id", flat=True
        )
    )
    InventoryItem.objects.bulk_create(
        [InventoryItem(variant_id=pk) for pk in variant_ids if pk not in existing], batch_size=5000
    )
    items = InventoryItem.objects.filter(variant_id__in=variant_ids).values_list("pk", flat=True)
    levels = [
        InventoryLevel(
            inventory_item_id=item_id, location_id=location_id, stocked_quantity=rng.randint(0, 40)
        )
        for item_id in items.order_by("pk")
        for location_id in locations
    ]
    InventoryLevel.objects.bulk_create(levels, batch_size=5000)
    return {
        "stock locations": len(locations),
        "channel locations": links,
        "inventory levels": len(levels),
    }


def generated_seeds() -> set[int]:
    """Return the seeds of the generated products already in the database."""
    values = Product.all_objects.filter(metadata__has_key=MARKER).values_list(
        f"metadata__{MARKER}", flat=True
    )
    return set(values.distinct())


def catalog_generate(
    *, options: GenerationOptions, progress: Progress | None = None
) -> GenerationResult:
    """Generate products, variants, prices, channels, links and orders in one transaction."""
    if options.products < 0 or options.orders < 0 or options.channels < 1:
        raise GenerationRefused("--products and --orders must be >= 0 and --channels >= 1")
    if options.variants < 1 or options.links_per_product < 1:
        raise GenerationRefused("--variants and --links-per-product must be >= 1")
    if options.locations < 0:
        raise GenerationRefused("--locations must be >= 0")
    if options.orders and not options.products:
        raise GenerationRefused("Orders need products: pass --products too")
    with transaction.atomic():
        seeds = generated_seeds()
        if seeds and not options.append:
            raise GenerationRefused(
                f"The database already has generated products (seed {', '.join(map(str, sorted(seeds)))}); "
                "pass --append to add more, with another --seed"
            )
        if options.seed in seeds:
            raise GenerationRefused(
                f"Seed {options.seed} was already used in this database; pick another --seed"
            )
        result = _Generator(options, progress).run()
        touch_listings()  # new links: the channels' cached counts (catalog.versions) change key
        return result
