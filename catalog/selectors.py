"""Reads for the catalogue."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, cast

from django.db import connections, router
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.db.models.utils import create_namedtuple_class

from catalog import hooks
from catalog.exceptions import (
    CollectionNotFound,
    ProductCategoryNotFound,
    ProductNotFound,
    VariantNotFound,
)
from catalog.listings import (
    Need,
    in_channels,
    link_condition,
    listed_later,
    moment,
    not_withheld,
)
from catalog.models import (
    ChannelProductCount,
    Image,
    Price,
    Product,
    ProductCategory,
    ProductCollection,
    ProductOption,
    ProductOptionValue,
    ProductSalesChannel,
    ProductStatus,
    ProductTag,
    ProductVariant,
    ProductVersion,
)
from commerce.lookups import attach, first_or_raise
from commerce.reusable_sql import ReusableQuery
from commerce.rows import SharedRows, reused_column_rows, row_values
from commerce.selectors import ListPlan
from saleschannels.models import SalesChannel
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, restrict


def product_get(*, product_id: str) -> Product:
    """Return a live product or raise `ProductNotFound`."""
    return first_or_raise(Product.objects.filter(pk=product_id), ProductNotFound(product_id))


def variant_get(*, variant_id: str) -> ProductVariant:
    """Return a live variant of a live product, or raise `VariantNotFound`."""
    return first_or_raise(
        ProductVariant.objects.select_related("product").filter(
            pk=variant_id, product__deleted_at__isnull=True
        ),
        VariantNotFound(variant_id),
    )


def product_ids_in_channel(*, channel_id: str, product_ids: Iterable[str]) -> set[str]:
    """Return which of `product_ids` are linked to the channel (one query)."""
    return set(
        ProductSalesChannel.objects.filter(
            sales_channel_id=channel_id, product_id__in=list(product_ids)
        ).values_list("product_id", flat=True)
    )


# ---- ADMIN API (appended) ----


def products_in_channels(
    products: QuerySet[Product], channel_ids: Iterable[str]
) -> QuerySet[Product]:
    """Return those of `products` in any of these live channels (a semi-join: no duplicates)."""
    in_channels = ProductSalesChannel.objects.filter(
        product=OuterRef("pk"),
        sales_channel_id__in=channel_ids,
        sales_channel__deleted_at__isnull=True,
    )
    return products.filter(Exists(in_channels))


def _product_images() -> QuerySet[Image]:
    """Return live product images in a product's order (rank, then oldest first)."""
    return Image.objects.order_by("rank", "created_at", "id")


def product_qs_for_admin(
    *, relations: Iterable[str], with_deleted: bool = False, scope: ChannelScope = EVERY_CHANNEL
) -> QuerySet[Product]:
    """Return the products a staff user may see, the collection and type joined when asked for.

    Callers filter and order, then load the other relations of the rows they read with
    `product_page_load_for_admin` (the list's render cache misses, a detail, an export chunk).
    """
    wanted = set(relations)
    products = Product.all_objects.all() if with_deleted else Product.objects.all()
    products = restrict(products, scope)
    joined = [name for name in ("collection", "type") if name in wanted]
    if joined:
        products = products.select_related(*joined)
    return products


def product_get_for_admin(
    *, product_id: str, relations: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> Product:
    """Return a live product (in the scope) with the admin relations asked for, or raise `ProductNotFound`."""
    product = first_or_raise(
        product_qs_for_admin(relations=relations, scope=scope).filter(pk=product_id),
        ProductNotFound(product_id),
    )
    product_page_load_for_admin([product], relations=relations, scope=scope)
    return product


def _channel_listings(scope: ChannelScope) -> QuerySet[ProductSalesChannel]:
    """Return listings in live channels (a scoped user's only), oldest channel first, with the channel."""
    links = ProductSalesChannel.objects.filter(sales_channel__deleted_at__isnull=True)
    if scope.restricted:
        links = links.filter(sales_channel_id__in=sorted(scope.channel_ids or ()))
    return links.select_related("sales_channel").order_by(
        "sales_channel__created_at", "sales_channel_id"
    )


def product_channel_listings(
    *, product_id: str, scope: ChannelScope = EVERY_CHANNEL
) -> list[ProductSalesChannel]:
    """Return a product's listings in its live channels (a scoped user's only), oldest channel first."""
    return list(_channel_listings(scope).filter(product_id=product_id))


# ---- STORE READS ----


@dataclass(frozen=True)
class PriceSelection:
    """Which prices a store read shows and prices with.

    With a region: prices in its currency, a price for that region beating a general one, and
    the region's tax rate. With only a currency: the general prices in that currency, no tax.
    """

    currency_code: str
    region_id: str | None = None
    tax_rate: Decimal | None = None


@dataclass(frozen=True)
class StoreReading:
    """What a store read of products or variants is for; the views build it once per request.

    `channel_ids`: only products in any of those live channels whose listing there meets `need`
    at `at` (`catalog.listings`); None (a detail, or no channel asked for): no channel limit,
    but not a product every channel withholds. `at` None: now.
    `relations`: what the read loads (each selector names its own).
    `prices`: the prices the variants show and price with; None: all of them.
    `stock_channel_ids`: the channels whose stock the variants' `inventory_quantity` shows
    (`catalog.hooks.store_available_annotation`, annotated on the variants' own query: no
    query more); None: every stock location.
    """

    relations: Collection[str]
    prices: PriceSelection | None
    channel_ids: Collection[str] | None = None
    at: datetime | None = None
    need: Need = Need.LISTED
    stock_channel_ids: Collection[str] | None = None


def _store_prices(selection: PriceSelection | None) -> QuerySet[Price]:
    # General prices before regional ones, on every database (NULLs sort differently).
    prices = Price.objects.order_by(
        "currency_code", F("region_id").asc(nulls_first=True), "created_at", "id"
    )
    if selection is None:
        return prices
    prices = prices.filter(currency_code=selection.currency_code)
    if selection.region_id:
        return prices.filter(Q(region__isnull=True) | Q(region_id=selection.region_id))
    return prices.filter(region__isnull=True)


# The store's product lists, newest first (the links' `product_created_at` index follows it).
STORE_PRODUCT_ORDER = ("-created_at", "-id")

# Where the store reads find their prefetched relations (`Prefetch(to_attr=...)`): products'
# `loaded_variants`, `loaded_options`, `loaded_sales_channels`; options' `loaded_values`;
# variants' `loaded_options` and `loaded_prices`. The store serializers read these.
LOADED_RELATIONS = {
    "variants": "loaded_variants",
    "options": "loaded_options",
    "sales_channels": "loaded_sales_channels",
    "values": "loaded_values",
    "prices": "loaded_prices",
    "images": "loaded_images",
    "tags": "loaded_tags",
    "categories": "loaded_categories",
}


def loaded(instance: Any, relation: str) -> list[Any]:
    """Return a relation a selector loaded as a plain list (`LOADED_RELATIONS`); not a query."""
    return getattr(instance, LOADED_RELATIONS[relation])


def _loaded(relation: str, queryset: QuerySet[Any]) -> Prefetch:
    """Prefetch a relation as a plain list, into its `LOADED_RELATIONS` attribute."""
    return Prefetch(relation, queryset=queryset, to_attr=LOADED_RELATIONS[relation])


def _variant_prefetches(
    relations: Collection[str], prices: PriceSelection | None
) -> list[Prefetch]:
    prefetches: list[Prefetch] = []
    if "options" in relations:
        prefetches.append(_loaded("options", _variant_option_values()))
    if "prices" in relations:
        prefetches.append(_loaded("prices", _store_prices(prices)))
    return prefetches


def product_qs_for_store(*, reading: StoreReading) -> QuerySet[Product]:
    """Return published products, newest first, for the store product serializer.

    The reading's channels limit them (`StoreReading`). For several channels the test is an
    EXISTS, so a product in several of them is counted once without DISTINCT. The listing
    conditions are part of this one query.

    The reading's `relations` name what the JSON shows (`variants`, `options`, `collection`,
    `type`, `images`, `tags`, `categories`, `sales_channels`); `collection` and `type` are
    joined, the others are loaded by `product_page_load` for the rows actually rendered (a list
    served from the render cache loads them for its misses only). Built with the page, they
    cost Python on every request (the variants' stock annotation most) and, on a deep page
    walked along the channel's links, every relation's query, for JSON the cache already had
    (in process on the benchmark's data, alternating runs: offset 5,000 p50 52-60 -> 35-38 ms;
    the first page 22-30 -> 18-24 ms).
    """
    products = Product.objects.filter(status=ProductStatus.PUBLISHED)
    if reading.channel_ids is not None:
        ids = list(dict.fromkeys(reading.channel_ids))
        if len(ids) == 1:
            # One channel: a plain join, as a product is linked to a channel at most once.
            # PostgreSQL plans it better than the semi-join for a deep page (a merge join of
            # two index ranges, ~35% less than the semi-join's at offset 5,000). One filter()
            # call, so the listing conditions are on the same link row.
            products = products.filter(
                link_condition(reading.need, reading.at, prefix="channel_links__"),
                channel_links__sales_channel_id=ids[0],
                channel_links__sales_channel__deleted_at__isnull=True,
            )
        else:
            products = products.filter(in_channels(OuterRef("pk"), ids, reading.need, reading.at))
    else:
        products = products.filter(not_withheld(OuterRef("pk"), reading.at))
    joined = _store_joined(reading)
    if joined:
        products = products.select_related(*joined)
    return products.order_by(*STORE_PRODUCT_ORDER)


def _store_joined(reading: StoreReading) -> list[str]:
    """Return the relations a store product's row is read with (joined, not loaded)."""
    return [name for name in ("collection", "type") if name in reading.relations]


def product_rows_for_store(ids: Sequence[str], *, reading: StoreReading) -> list[Product | None]:
    """Return the rows of these products, in this order, as `product_qs_for_store` reads them.

    For a store page whose ids the list's one query found (`product_list_plan_for_store`): its
    render cache misses. By id alone, as that query already decided which products the page
    shows; a product deleted since that query is None (the page leaves it out).
    """
    joined = _store_joined(reading)
    rows = _store_rows_query.instances(
        list(ids), int("collection" in joined), int("type" in joined)
    )
    found = {row.pk: cast(Product, row) for row in rows}
    return [found.get(pk) for pk in ids]


def _store_rows(ids: list[str], collection: int, type_: int) -> QuerySet[Product]:
    joined = [name for name, wanted in (("collection", collection), ("type", type_)) if wanted]
    return Product.all_objects.select_related(*joined).filter(pk__in=ids).order_by()


# A store page's misses by id, on SQL written once per shape: ~0.5 ms of Python a cold page.
_store_rows_query = ReusableQuery(_store_rows)


def _store_prefetches(relations: Collection[str]) -> list[Prefetch]:
    """Return the prefetches of a store page's relations that `_store_children_load` does not load."""
    prefetches: list[Prefetch] = []
    if "options" in relations and "variants" not in relations:
        # Without the variants, the options' values are a query of their own. (With them, their
        # option values are the options' values too, the same rows: `option_values_from_variants`
        # hands them out without another query.)
        options = _product_options().prefetch_related(_loaded("values", _store_option_values()))
        prefetches.append(_loaded("options", options))
    return prefetches


def _product_options() -> QuerySet[ProductOption]:
    """Return live product options, oldest first."""
    return ProductOption.objects.order_by("created_at", "id")


def _variant_option_values() -> QuerySet[ProductOptionValue]:
    """Return live option values in a variant's order (oldest first)."""
    return ProductOptionValue.objects.order_by("created_at", "id")


def _store_option_values() -> QuerySet[ProductOptionValue]:
    """Return the option values a store option shows: its live variants' (oldest first).

    (With the variants loaded they are handed out from the variants' values, the same rows:
    `option_values_from_variants`.)
    """
    return _variant_option_values().filter(variant__deleted_at__isnull=True)


def _store_variant_rows(stock_channel_ids: Any) -> QuerySet[ProductVariant]:
    """Return live variants with their store stock (`StoreReading.stock_channel_ids`), in a page's order."""
    return ProductVariant.objects.annotate(
        **hooks.store_available_annotation(stock_channel_ids)
    ).order_by("variant_rank", "created_at", "id")


def _store_variants(product_ids: Any, stock_channel_ids: Any) -> QuerySet[ProductVariant]:
    """Return the live variants of these products with their store stock, in a page's order."""
    return _store_variant_rows(stock_channel_ids).filter(product_id__in=product_ids)


def _store_price_rows(variant_ids: Any, currency_code: Any, region_id: Any) -> QuerySet:
    """Return the column rows' values of these variants' prices for a selection (None: all)."""
    selection = (
        None if currency_code is None else PriceSelection(currency_code, region_id=region_id)
    )
    return row_values(_store_prices(selection).filter(variant_id__in=variant_ids))


def _variant_option_value_rows(variant_ids: Any) -> QuerySet:
    """Return the column rows' values of these variants' option values, oldest first."""
    return row_values(_variant_option_values().filter(variant_id__in=variant_ids))


# A store page's relations on SQL written once per shape (docs/speed-layer.md "Reusable SQL"):
# building and compiling these queries on every request cost ~6 of a cold page's ~26 ms. The
# options and the variants' option values are the admin's too (`product_page_load_for_admin`).
_store_variants_query = ReusableQuery(_store_variants)
_images_query = ReusableQuery(lambda ids: _product_images().filter(product_id__in=ids))
_options_query = ReusableQuery(lambda ids: _product_options().filter(product_id__in=ids))
_store_price_rows_query = ReusableQuery(_store_price_rows)
_variant_option_value_rows_query = ReusableQuery(_variant_option_value_rows)


def _store_children_load(products: Sequence[Product], reading: StoreReading) -> None:
    """Give each product its variants, images and options as the reading asks (a query each).

    Into `loaded_variants`, `loaded_images`, `loaded_options`, each row with its product (as a
    prefetch does), on SQL written once per shape. The variants' stock is that of the reading's
    `stock_channel_ids` (a list, None for every location, or a subquery of ids: then their SQL
    is written for this call). Options without variants: `_store_prefetches`.
    """
    ids = [product.pk for product in products]
    loads: list[tuple[str, list[Any]]] = []
    if "variants" in reading.relations:
        stock = reading.stock_channel_ids
        if stock is None or (isinstance(stock, list | tuple | set | frozenset) and stock):
            variants = _store_variants_query.instances(
                ids, None if stock is None else sorted(stock)
            )
        else:
            variants = list(_store_variants(ids, stock))
        loads.append(("variants", variants))
        if "options" in reading.relations:
            loads.append(("options", _options_query.instances(ids)))
    if "images" in reading.relations:
        loads.append(("images", _images_query.instances(ids)))
    for relation, rows in loads:
        _attach(products, relation, rows, parent="product")


def product_page_complete(products: Iterable[Product], *, prices: PriceSelection | None) -> None:
    """Load the prices and option values of a store page's loaded variants: two queries.

    `product_page_load` loads the variants (`loaded_variants`), then this their leaves. Each
    variant gets `loaded_prices` (the price selection's, as `_store_prices` orders them) and
    `loaded_options` (its option values, oldest first), as read-only column rows
    (`commerce.rows`); then each option gets its values.
    """
    products = list(products)
    variants = [
        variant
        for product in products
        for variant in getattr(product, LOADED_RELATIONS["variants"], ())
    ]
    ids = [variant.pk for variant in variants]
    selection = (None, None) if prices is None else (prices.currency_code, prices.region_id)
    price_rows = reused_column_rows(_store_price_rows_query, ids, *selection)
    _attach(variants, "prices", price_rows, parent="variant")
    value_rows = reused_column_rows(_variant_option_value_rows_query, ids)
    _attach(variants, "options", value_rows, parent="variant")
    for product in products:
        option_values_from_variants(product)


def option_values_from_variants(product: Product) -> None:
    """Give a store product's loaded options their values from its loaded variants' values.

    `product_qs_for_store` loads the option values once, with the variants, when both relations
    are asked for. Each option gets the values that point at it, in the order a query would
    return them (`created_at`, `id`). No-op when the options already have their values.
    """
    options = getattr(product, LOADED_RELATIONS["options"], None)
    variants = getattr(product, LOADED_RELATIONS["variants"], None)
    if options is None or variants is None:
        return
    attr = LOADED_RELATIONS["values"]
    if all(hasattr(option, attr) for option in options):
        return
    by_option: dict[str, list[ProductOptionValue]] = {option.pk: [] for option in options}
    values = [
        value for variant in variants for value in getattr(variant, LOADED_RELATIONS["options"])
    ]
    values.sort(key=lambda value: (value.created_at, value.id))
    for value in values:
        if value.option_id in by_option:
            by_option[value.option_id].append(value)
    for option in options:
        setattr(option, attr, by_option[option.pk])


def product_get_for_store(*, product_id: str, reading: StoreReading) -> Product:
    """Return a published product the reading shows, loaded for the store, or raise `ProductNotFound`.

    A detail's reading has no channels: a product no channel withholds.
    """
    product = first_or_raise(
        product_qs_for_store(reading=reading).filter(pk=product_id), ProductNotFound(product_id)
    )
    product_page_load([product], reading=reading)
    return product


def product_in_channels(
    *, product_id: str, channel_ids: Collection[str], at: datetime | None = None
) -> bool:
    """Return whether the product is reachable in any of these live channels at `at` (one query)."""
    return Product.objects.filter(
        in_channels(OuterRef("pk"), list(channel_ids), Need.REACHABLE, at), pk=product_id
    ).exists()


def variant_qs_for_store(*, reading: StoreReading) -> QuerySet[ProductVariant]:
    """Return variants of published products, newest first, loaded for the store serializer.

    The reading's channels limit them by their product (`StoreReading`). Its `relations`:
    `prices`, `options`, `product`; one query each per page at most.
    """
    variants = ProductVariant.objects.filter(
        product__status=ProductStatus.PUBLISHED, product__deleted_at__isnull=True
    ).annotate(**hooks.store_available_annotation(reading.stock_channel_ids))
    if reading.channel_ids is not None:
        ids = list(dict.fromkeys(reading.channel_ids))
        variants = variants.filter(
            in_channels(OuterRef("product_id"), ids, reading.need, reading.at)
        )
    else:
        variants = variants.filter(not_withheld(OuterRef("product_id"), reading.at))
    if "product" in reading.relations:
        variants = variants.select_related("product")
    prefetches = _variant_prefetches(reading.relations, reading.prices)
    return variants.prefetch_related(*prefetches).order_by("-created_at", "-id")


def variant_get_for_store(*, variant_id: str, reading: StoreReading) -> ProductVariant:
    """Return a variant the reading shows, loaded for the store, or raise `VariantNotFound`.

    A detail's reading has no channels: a variant whose product no channel withholds.
    """
    return first_or_raise(
        variant_qs_for_store(reading=reading).filter(pk=variant_id), VariantNotFound(variant_id)
    )


def variant_in_channels(
    *, variant_id: str, channel_ids: Collection[str], at: datetime | None = None
) -> bool:
    """Return whether the variant's product is reachable in any of these live channels (one query)."""
    return ProductVariant.objects.filter(
        in_channels(OuterRef("product_id"), list(channel_ids), Need.REACHABLE, at), pk=variant_id
    ).exists()


# Where a store variant's price for the selection is annotated (`variant_price_amount`).
PRICE_AMOUNT = "store_price_amount"


def variant_price_amount(selection: PriceSelection) -> Subquery:
    """Return `variant_price_select` as an expression on variants (their rows' JSON in SQL).

    The same rule: in the selection's currency, not quantity-tiered, the selection's region's
    price before a general one, the lowest amount first; null without one.
    """
    prices = _store_prices(selection).filter(variant=OuterRef("pk"), min_quantity__isnull=True)
    best = prices.order_by(F("region_id").desc(nulls_last=True), "amount")
    return Subquery(best.values("amount")[:1])


def variant_price_select(prices: Iterable[Price], selection: PriceSelection) -> int | None:
    """Return a variant's unit price for the selection, from its already-loaded prices.

    A price for the selection's region beats a general price in its currency; quantity-tiered
    prices do not count (the same rule the cart prices line items with). None: no price.
    Its twin in SQL: `variant_price_amount`.
    """
    best: tuple[tuple[int, int], int] | None = None
    for price in prices:
        if price.currency_code != selection.currency_code or price.min_quantity is not None:
            continue
        if price.region_id is not None and price.region_id != selection.region_id:
            continue
        rank = 1 if price.region_id is not None else 0
        key = (rank, -price.amount)
        if best is None or key > best[0]:
            best = (key, price.amount)
    return None if best is None else best[1]


# ---- COUNTS (appended for issue 7) ----


def product_count_in_channels(*, channel_ids: Collection[str], at: datetime | None = None) -> int:
    """Count the published products listed in any of these live channels at `at`, in one statement.

    The same number as counting `product_qs_for_store` for a reading of these channels, from
    the other side: the channels' links that are listed and copy a published, live product
    (`ProductStateField`), read from the links' index alone. A product in several of the
    channels counts once. One channel, where the database keeps the counts: its kept count
    (`channel_counts_kept`).
    """
    ids = list(dict.fromkeys(channel_ids))
    kept = _kept_channel(ids)
    if kept is not None:
        return _kept_listed(kept, at or moment())
    return _listed_links_query.count(ids, at or moment())


def channel_counts_kept() -> bool:
    """Whether the database keeps each channel's counts (`ChannelProductCount`: PostgreSQL's triggers)."""
    return connections[router.db_for_read(ChannelProductCount)].vendor == "postgresql"


def _kept_channel(channel_ids: Collection[str]) -> str | None:
    """Return the one channel named, where its counts are kept; None for several, or none kept.

    The counts of one channel are read as kept; several channels count their links (a product
    in two of them counts once).
    """
    ids = set(channel_ids)
    return next(iter(ids)) if len(ids) == 1 and channel_counts_kept() else None


def _kept_listed(channel_id: str, at: datetime) -> int:
    """Return a channel's listed products at `at`, from its kept counts; 0 for a deleted channel.

    Its rows' sum, less its links listed but for a `published_at` still to come (a few, read
    from the scheduled links' index). A read of ~0.5 ms whatever the channel's size, where
    counting 15,000 links read their index for ~2.3 ms (in process, bench data).
    """
    rows = _kept_listed_query.rows(channel_id, at)
    return rows[0][0] if rows else 0


def _kept_live(channel_id: str) -> int:
    """Return a channel's products not deleted, from its kept counts; 0 for a deleted channel."""
    rows = _kept_live_query.rows(channel_id)
    return rows[0][0] if rows else 0


def _kept_total(column: str) -> Coalesce:
    kept = ChannelProductCount.objects.filter(sales_channel_id=OuterRef("pk")).order_by()
    return Coalesce(
        Subquery(kept.values("sales_channel_id").annotate(n=Sum(column)).values("n")), 0
    )


def _live_channel(channel_id: str) -> QuerySet:
    return SalesChannel.objects.filter(pk=channel_id, deleted_at__isnull=True)


def _kept_listed_row(channel_id: str, at: datetime) -> QuerySet:
    to_come = (
        ProductSalesChannel.objects.filter(
            _SHOWN, listed_later(at), sales_channel_id=OuterRef("pk")
        )
        .order_by()
        .values("sales_channel_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    listed = _kept_total("listed") - Coalesce(Subquery(to_come), 0)
    return _live_channel(channel_id).annotate(kept=listed).values_list("kept")


def _kept_live_row(channel_id: str) -> QuerySet:
    return _live_channel(channel_id).annotate(kept=_kept_total("live")).values_list("kept")


_kept_listed_query = ReusableQuery(_kept_listed_row)
_kept_live_query = ReusableQuery(_kept_live_row)


# The links whose product a store may show, and those of a live product (the admin's).
_SHOWN = Q(product_published=True, product_deleted=False)
_LIVE = Q(product_deleted=False)


def _channels_links(channel_ids: list[str], *conditions: Q) -> QuerySet:
    """Return the links of these live channels that meet `conditions`, one per product."""
    links = ProductSalesChannel.objects.filter(
        *conditions, sales_channel_id__in=channel_ids, sales_channel__deleted_at__isnull=True
    )
    if len(channel_ids) > 1:
        return links.values("product_id").distinct()
    return links.values("product_id")


def _listed_links(channel_ids: list[str], at: datetime) -> QuerySet:
    """Return the links of these live channels to products the store lists at `at`, one per product."""
    return _channels_links(channel_ids, _SHOWN, link_condition(Need.LISTED, at))


def _live_links(channel_ids: list[str]) -> QuerySet:
    """Return the links of these live channels to products not deleted, one per product."""
    return _channels_links(channel_ids, _LIVE)


# Compiled once per number of channels: the counts' SQL does not change between requests.
_listed_links_query = ReusableQuery(_listed_links)
_live_links_query = ReusableQuery(_live_links)


def product_count_live_in_channels(*, channel_ids: Collection[str]) -> int:
    """Count the products not deleted (any status) in any of these live channels, in one statement.

    The admin list's count for a channel filter alone, from the links' side like
    `product_count_in_channels`: the channels' links that copy a live product, instead of a
    semi-join of every live product with the links. One channel, where the database keeps
    the counts: its kept count (`channel_counts_kept`).
    """
    ids = list(dict.fromkeys(channel_ids))
    kept = _kept_channel(ids)
    if kept is not None:
        return _kept_live(kept)
    return _live_links_query.count(ids)


def product_page_in_channel(
    products: QuerySet[Product],
    *,
    channel_id: str,
    offset: int,
    limit: int,
    at: datetime | None = None,
) -> QuerySet[Product]:
    """Narrow a one-channel store list, newest first, to one page, walking the channel's links.

    `products` is `product_qs_for_store` for a reading of that one channel, with no other
    filter and its default order. The page's ids come from the links' (channel, product_created_at,
    product) index, read in order, skipping the links not listed or whose product the store
    must not show (the index carries both), so a page at offset 5,000 reads about 5,000 index
    entries instead of joining the channel's links to the products (issue 7). One query, with
    the rows.
    """
    page_ids = (
        ProductSalesChannel.objects.filter(
            _SHOWN, link_condition(Need.LISTED, at), sales_channel_id=channel_id
        )
        .order_by("-product_created_at", "-product_id")
        .values("product_id")[offset : offset + limit]
    )
    return products.filter(pk__in=page_ids)


# ---- LIST PLANS (issue 16: the cheap count and the deep page decided here, once) ----


def product_list_plan_for_store(
    products: Callable[[], QuerySet[Product]],
    *,
    channel_ids: Collection[str] | None,
    narrowed: bool,
    order: Sequence[str] | None,
    at: datetime | None = None,
) -> ListPlan:
    """Return how a store product list is counted and paged (see `commerce.selectors.ListPlan`).

    `products` builds `product_qs_for_store` for a reading of `channel_ids`, with the request's
    filters and `order` (the `order_by` terms; None: `STORE_PRODUCT_ORDER`); `narrowed` says
    whether any filter other than the channels applies. Only channels narrowing the list: the
    count is the channels' listed links (`product_count_in_channels`). One channel, newest
    first: a deep page is a walk of that channel's links (`product_page_in_channel`); a shallow
    one walks the published products newest first and stops at the page's end (the same SQL
    cost, and ~1.5 ms less Python per request than building the links subquery, measured in
    process, 150 alternating requests), on SQL written once (`_listed_page_query`), so the
    queryset is never built. The page is read as ids and `list_version`s (`_ids_and_versions`);
    the store's render cache reads the rows of its misses and loads their relations
    (`product_rows_for_store`, `product_page_load`).
    """
    products = cache(products)  # built once, by whichever part of the plan needs it first
    ids = None if channel_ids is None else list(dict.fromkeys(channel_ids))
    count = page = shallow_page = rows_of = None
    if ids is not None and not narrowed:

        def count() -> int:
            return product_count_in_channels(channel_ids=ids, at=at)

        if len(ids) == 1 and tuple(order or STORE_PRODUCT_ORDER) == STORE_PRODUCT_ORDER:

            def page(offset: int, limit: int) -> QuerySet[Product]:
                return product_page_in_channel(
                    products(), channel_id=ids[0], offset=offset, limit=limit, at=at
                )

            def shallow_page(offset: int, limit: int) -> list[Any]:
                found = _listed_page_query.rows(ids[0], at or moment(), offset, limit)
                return [_PageRow(*row) for row in found]

            def rows_of(page_ids: list[str]) -> list[Any]:
                found = _listed_rows_query.rows(ids[0], at or moment(), page_ids)
                return [_PageRow(*row) for row in found]

    return ListPlan(
        products,
        count=count,
        page=page,
        rows=_ids_and_versions,
        shallow_page=shallow_page,
        rows_of=rows_of,
        count_kept=count is not None and _kept_channel(ids or ()) is not None,
    )


def _listed(channel_id: str, at: datetime) -> QuerySet[Product]:
    """Return a store list of one channel alone at `at`, newest first, with no other filter.

    What `product_list_plan_for_store` pages, built from the same selector.
    """
    reading = StoreReading(relations=(), prices=None, channel_ids=[channel_id], at=at)
    return product_qs_for_store(reading=reading)


# A first page's ids and versions on SQL written once per (offset, limit), and a deep page's
# from its cached ids: building, annotating and compiling that query cost ~0.8 ms a request, a
# fifth of a page served from the render cache (docs/speed-layer.md "Reusable SQL").
_listed_page_query = ReusableQuery(
    lambda channel_id, at, offset, limit: _ids_and_versions(_listed(channel_id, at))[
        offset : offset + limit
    ]
)
_listed_rows_query = ReusableQuery(
    lambda channel_id, at, ids: _ids_and_versions(_listed(channel_id, at).filter(pk__in=ids))
)


def _with_version(products: QuerySet[Product]) -> QuerySet[Product]:
    version = ProductVersion.objects.filter(product_id=OuterRef("pk")).values("version")
    return products.annotate(list_version=Coalesce(Subquery(version), 0))


_PAGE_COLUMNS = ("pk", "list_version")  # a store page's rows (`_ids_and_versions`)
_PageRow = create_namedtuple_class(*_PAGE_COLUMNS)  # those rows read on SQL written once


def _ids_and_versions(products: QuerySet[Product]) -> QuerySet[Any]:
    """Return a store page's rows as `(pk, list_version)`: what its render cache is keyed by.

    A page served from the cache needs nothing else; the misses' rows are read afterwards, by
    id (`product_rows_for_store`): one more query on a page with misses, against reading every
    page's whole rows and joins on every request (their SQL compiled, their model instances
    built) for JSON the cache had. Speed layer: docs/speed-layer.md "Render cache fragments
    kept as JSON, pages read as ids and versions".
    """
    rows = _with_version(products)
    return rows.values_list(*_PAGE_COLUMNS, named=True)


# A relation's rows for `commerce.api.sql_json`: filtered on their parent, or shared by parents.
JsonSource = Callable[[], QuerySet[Any]] | SharedRows


def _json_sources_of_both() -> dict[tuple[type[Any], str], JsonSource]:
    """Return the relations' rows a store and an admin product's JSON read alike (see below)."""
    parent = OuterRef("pk")
    return {
        (ProductVariant, "loaded_options"): lambda: _variant_option_values().filter(variant=parent),
        (Product, "loaded_options"): lambda: _product_options().filter(product=parent),
        (Product, "loaded_images"): lambda: _product_images().filter(product=parent),
        (Product, "loaded_tags"): lambda: _product_tags().filter(products=parent),
    }


def product_json_sources_for_store(
    reading: StoreReading,
) -> dict[tuple[type[Any], str], JsonSource]:
    """Return the rows of each relation a store product's JSON shows, for `commerce.api.sql_json`.

    Keyed by (parent model, `LOADED_RELATIONS` attribute), each filtered on its parent row
    (`OuterRef("pk")`): the same querysets, filters and orders `product_page_load` loads with.
    With a price selection the variants carry their price for it (`PRICE_AMOUNT`).
    """
    parent = OuterRef("pk")
    selection = reading.prices
    stock = reading.stock_channel_ids
    if isinstance(stock, list | tuple | set | frozenset):
        stock = sorted(stock)

    def variants() -> QuerySet[ProductVariant]:
        rows = _store_variant_rows(stock).filter(product=parent)
        if selection is None:
            return rows
        return rows.annotate(**{PRICE_AMOUNT: variant_price_amount(selection)})

    return {
        **_json_sources_of_both(),
        (Product, "loaded_variants"): variants,
        (ProductVariant, "loaded_prices"): lambda: _store_prices(selection).filter(variant=parent),
        (ProductOption, "loaded_values"): lambda: _store_option_values().filter(option=parent),
        (Product, "loaded_categories"): lambda: _categories_shown(1).filter(products=parent),
        (Product, "loaded_sales_channels"): SharedRows(lambda: _channels_shown(None), "products"),
    }


def product_page_load(products: Sequence[Product], *, reading: StoreReading) -> None:
    """Load what these store products render (a detail, or a list's render cache misses).

    The reading's relations (`product_qs_for_store`): one query each, the variants' prices and
    option values included (`product_page_complete`), as plain lists (`loaded_*`, see
    `LOADED_RELATIONS`): Django's default prefetch builds a queryset per row and relation, which
    cost more than the rows on a page of 20 products (issue 7). Categories are the store's:
    active and not internal.
    """
    if not products:
        return
    prefetch_related_objects(products, *_store_prefetches(reading.relations))
    _media_load(products, reading.relations, store=True)
    _channels_load(products, reading.relations, EVERY_CHANNEL)
    _store_children_load(products, reading)
    product_page_complete(products, prices=reading.prices)


def product_list_plan_for_admin(
    products: QuerySet[Product] | Callable[[], QuerySet[Product]],
    *,
    channel_ids: Collection[str] | None,
    only_channels: bool,
    order: Sequence[str] | None = None,
) -> ListPlan:
    """Return how an admin product list is counted and paged.

    `products` is `product_qs_for_admin` after the request's filters and `order` (its `order_by`
    terms), or a function building it: the page is read as ids and `list_version`s
    (`_ids_and_versions`), what the render cache is keyed by; its misses' JSON is built by
    PostgreSQL, or their rows are read by id (`product_rows_for_admin`) and loaded
    (`product_page_load_for_admin`). Reading whole rows with their collection and type for the
    page cost 5.05 against 3.29 ms a page of 20 (in process, 60 alternating reads, 2026-12-07).

    `only_channels`: the channel filter is the request's only filter, there is no deleted
    product in the list and no staff scope. Then the count is the channels' links minus deleted
    products (`product_count_live_in_channels`), instead of a semi-join of every live product
    with the links (15 ms -> ~4 ms on the benchmark's 100,000 products), and a shallow page is
    read on SQL written once per order (`_admin_page_query`): the FilterSet and the queryset
    are never built (~1.5 ms of Python a page of 20, see docs/speed-layer.md "Reusable SQL").
    """
    if not only_channels or not channel_ids:
        return ListPlan(products, rows=_ids_and_versions)
    ids = sorted(set(channel_ids))
    shallow_page = None
    if order:
        query = _admin_page_query(tuple(order))

        def shallow_page(offset: int, limit: int) -> list[Any]:
            return [_PageRow(*row) for row in query.rows(ids, offset, limit)]

    return ListPlan(
        products,
        count=lambda: product_count_live_in_channels(channel_ids=ids),
        rows=_ids_and_versions,
        shallow_page=shallow_page,
        count_kept=_kept_channel(ids) is not None,
    )


@lru_cache(maxsize=32)
def _admin_page_query(order: tuple[str, ...]) -> ReusableQuery:
    """Return an admin list's page of live products in channels, in this order, on SQL written once.

    One per order the FilterSet accepted (its terms, tie-breaker included), the last 32 kept:
    a request chooses its order, so the orders asked for are not a bounded set.
    """
    return ReusableQuery(
        lambda ids, offset, limit: _ids_and_versions(
            products_in_channels(product_qs_for_admin(relations=()), ids).order_by(*order)
        )[offset : offset + limit]
    )


def product_rows_for_admin(
    ids: Sequence[str], *, relations: Iterable[str], scope: ChannelScope
) -> list[Product | None]:
    """Return the rows of these products, in this order, as `product_qs_for_admin` reads them.

    For an admin page whose ids its list query found: its render cache misses rendered in
    Python. Deleted products too (the list may show them); None for a row gone since.
    """
    rows = product_qs_for_admin(relations=relations, with_deleted=True, scope=scope)
    found = {row.pk: row for row in rows.filter(pk__in=list(ids)).order_by()}
    return [found.get(pk) for pk in ids]


def product_page_load_for_admin(
    products: Sequence[Product], *, relations: Iterable[str], scope: ChannelScope
) -> None:
    """Load the admin relations asked for onto these products: one query each, whatever their number.

    The one loader of the admin's product JSON and of the export/import sheets (the list's
    render cache misses, a detail, a job's chunk). Each relation goes into its plain list
    (`LOADED_RELATIONS`, read with `loaded()`): variants and options as instances on SQL
    written once per shape (`ReusableQuery`), the variants' prices and option values and the
    options' values as column rows (`commerce.rows`), images, tags, categories, channels and
    listings as instances on SQL written once too. Django's related managers would build a queryset per
    row and relation, and its prefetch compiles each query every time: in process, a cold admin
    page of 20 spent about half its time here (docs/benchmarks.md, seventh session).
    """
    if not products:
        return
    wanted = set(relations)
    _media_load(products, wanted, store=False)
    _channels_load(products, wanted, scope)
    ids = [product.pk for product in products]
    if "variants" in wanted:
        variants = _admin_variants_query.instances(ids)
        _attach(products, "variants", variants, parent="product")
        variant_ids = [variant.pk for variant in variants]
        if "variants.prices" in wanted:
            prices = reused_column_rows(_admin_price_rows_query, variant_ids)
            _attach(variants, "prices", prices, parent="variant")
        if "variants.options" in wanted:
            values = reused_column_rows(_variant_option_value_rows_query, variant_ids)
            _attach(variants, "options", values, parent="variant")
    if "options" in wanted:
        options = _options_query.instances(ids)
        _attach(products, "options", options, parent="product")
        if "options.values" in wanted:
            option_ids = [option.pk for option in options]
            values = reused_column_rows(_admin_option_value_rows_query, option_ids)
            _attach(options, "values", values, parent="option")


def _media_load(products: Sequence[Product], relations: Collection[str], *, store: bool) -> None:
    """Give each product its tags and categories (for the store: its visible ones), as lists.

    One query each, on SQL written once (`LOADED_RELATIONS`); many-to-many rows carry their
    product's id. The store loads its images with its variants (`_store_children_load`), the
    admin here.
    """
    ids = [product.pk for product in products]
    if "images" in relations and not store:
        _attach(products, "images", _images_query.instances(ids), parent="product")
    if "tags" in relations:
        _attach(products, "tags", _tags_query.instances(ids), parent="product")
    if "categories" in relations:
        categories = _categories_query.instances(ids, int(store))
        _attach(products, "categories", categories, parent="product")


def _product_tags() -> QuerySet[ProductTag]:
    return ProductTag.objects.order_by("value", "id")


_tags_query = ReusableQuery(
    lambda ids: _product_tags().filter(products__in=ids).annotate(product_id=F("products"))
)


def _categories_shown(store: int) -> QuerySet[ProductCategory]:
    """Return the categories a product shows (for the store: its visible ones), in their order."""
    categories = category_qs_for_store() if store else ProductCategory.objects.all()
    return categories.order_by(*CATEGORY_ORDER)


def _product_categories(ids: list[str], store: int) -> QuerySet[ProductCategory]:
    return _categories_shown(store).filter(products__in=ids).annotate(product_id=F("products"))


_categories_query = ReusableQuery(_product_categories)


def _channels_load(
    products: Sequence[Product], wanted: Collection[str], scope: ChannelScope
) -> None:
    """Give each product its live channels and its listings in them (a scoped user's only)."""
    ids = [product.pk for product in products]
    scope_ids = None if scope.channel_ids is None else sorted(scope.channel_ids)
    if "channel_listings" in wanted:
        listings = _channel_listings_query.instances(ids, scope_ids)
        attach(products, listings, parent="product", to_attr="loaded_channel_listings")
    if "sales_channels" in wanted:
        channels = _product_channels_query.instances(ids, scope_ids)
        _attach(products, "sales_channels", channels, parent="product")


def _scope_of(scope_ids: list[str] | None) -> ChannelScope:
    return EVERY_CHANNEL if scope_ids is None else ChannelScope(channel_ids=frozenset(scope_ids))


_channel_listings_query = ReusableQuery(
    lambda ids, scope_ids: _channel_listings(_scope_of(scope_ids)).filter(product_id__in=ids)
)


def _channels_shown(scope_ids: list[str] | None) -> QuerySet[SalesChannel]:
    """Return the channels a product shows, oldest first: live ones (their link rows stay)."""
    return restrict(SalesChannel.objects.all(), _scope_of(scope_ids)).order_by("created_at", "id")


_product_channels_query = ReusableQuery(
    lambda ids, scope_ids: _channels_shown(scope_ids)
    .filter(products__in=ids)
    .annotate(product_id=F("products"))
)


def _attach(parents: Sequence[Any], relation: str, rows: list[Any], *, parent: str) -> None:
    """Give each parent its rows as its `relation` list (`LOADED_RELATIONS`; `lookups.attach`)."""
    attach(parents, rows, parent=parent, to_attr=LOADED_RELATIONS[relation])


def _admin_variants() -> QuerySet[ProductVariant]:
    return ProductVariant.objects.order_by("variant_rank", "created_at", "id")


def _admin_prices() -> QuerySet[Price]:
    return Price.objects.order_by("created_at", "id")


# The admin's product relations on SQL written once per shape (docs/speed-layer.md "Reusable SQL").
# An admin option's values are all its live values (`_variant_option_values` is their order).
_admin_variants_query = ReusableQuery(lambda ids: _admin_variants().filter(product_id__in=ids))
_admin_price_rows_query = ReusableQuery(
    lambda ids: row_values(_admin_prices().filter(variant_id__in=ids))
)
_admin_option_value_rows_query = ReusableQuery(
    lambda ids: row_values(_variant_option_values().filter(option_id__in=ids))
)


def product_json_sources_for_admin(
    scope: ChannelScope,
) -> dict[tuple[type[Any], str], JsonSource]:
    """Return the rows of each relation an admin product's JSON shows (`commerce.api.sql_json`).

    As `product_json_sources_for_store`: the querysets `product_page_load_for_admin` loads
    with, each filtered on its parent row; channels and listings are the scope's.
    """
    parent = OuterRef("pk")
    scope_ids = None if scope.channel_ids is None else sorted(scope.channel_ids)
    return {
        **_json_sources_of_both(),
        (Product, "loaded_variants"): lambda: _admin_variants().filter(product=parent),
        (ProductVariant, "loaded_prices"): lambda: _admin_prices().filter(variant=parent),
        (ProductOption, "loaded_values"): lambda: _variant_option_values().filter(option=parent),
        (Product, "loaded_categories"): lambda: _categories_shown(0).filter(products=parent),
        (Product, "loaded_sales_channels"): SharedRows(
            lambda: _channels_shown(scope_ids), "products"
        ),
        (Product, "loaded_channel_listings"): lambda: _channel_listings(scope).filter(
            product=parent
        ),
    }


# ---- COLLECTIONS ----


def collection_get(*, collection_id: str) -> ProductCollection:
    """Return a live collection or raise `CollectionNotFound`."""
    return first_or_raise(
        ProductCollection.objects.filter(pk=collection_id), CollectionNotFound(collection_id)
    )


def collection_products(*, collection_id: str) -> list[Product]:
    """Return a collection's live products, newest first (the admin's collection detail)."""
    return list(Product.objects.filter(collection_id=collection_id).order_by("-created_at", "-id"))


# ---- CATEGORIES ----


def category_qs_for_store() -> QuerySet[ProductCategory]:
    """Return the categories a store may show: active and not internal (Medusa's store scope)."""
    return ProductCategory.objects.filter(is_active=True, is_internal=False)


def category_get(*, category_id: str, store: bool = False) -> ProductCategory:
    """Return a category (for the store: a visible one) or raise `ProductCategoryNotFound`."""
    categories = category_qs_for_store() if store else ProductCategory.objects.all()
    return first_or_raise(
        categories.select_related("parent_category").filter(pk=category_id),
        ProductCategoryNotFound(category_id),
    )


CATEGORY_ORDER = ("rank", "handle", "id")


def _path_prefixes(paths: Iterable[str]) -> Q:
    """Categories at or below any of these materialized paths (one index range each)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(mpath=path) | Q(mpath__startswith=f"{path}.")
    return condition


def category_ids_with_descendants(*, category_ids: Collection[str], store: bool) -> list[str]:
    """Return these categories and every category below them (two queries at most).

    For the store only visible categories count, and a hidden category hides what is below it.
    """
    categories = category_qs_for_store() if store else ProductCategory.objects.all()
    paths = list(categories.filter(pk__in=list(category_ids)).values_list("mpath", flat=True))
    if not paths:
        return []
    below = list(categories.filter(_path_prefixes(paths)).values_list("id", "mpath"))
    if not store:
        return [pk for pk, _ in below]
    visible = {pk for pk, _ in below}
    roots = {path.rsplit(".", 1)[-1] for path in paths}
    kept = []
    for pk, path in below:
        ids = path.split(".")
        # Every category between the asked-for one and this one must be visible too.
        start = next((i for i, part in enumerate(ids) if part in roots), None)
        if start is not None and all(part in visible for part in ids[start:]):
            kept.append(pk)
    return kept


def categories_load_relations(
    categories: list[ProductCategory], *, relations: Collection[str], store: bool, tree: bool
) -> None:
    """Give a page of categories their `loaded_children` (and parents checked): one query.

    `category_children` are the direct children (ordered by rank); with `tree` every category
    below, each with its own `loaded_children`. For the store, hidden categories are left out
    (and with them what is below them), and a hidden parent renders as null.
    """
    if not categories:
        return
    if "category_children" in relations:
        base = category_qs_for_store() if store else ProductCategory.objects.all()
        if tree:
            # Every category at or below the page's (those on the page too: a page of the
            # whole list holds parents and their children).
            below = list(
                base.filter(_path_prefixes(c.mpath for c in categories)).order_by(*CATEGORY_ORDER)
            )
        else:
            below = list(
                base.filter(parent_category_id__in=[c.pk for c in categories]).order_by(
                    *CATEGORY_ORDER
                )
            )
        by_parent: dict[str, list[ProductCategory]] = {}
        for child in below:
            by_parent.setdefault(child.parent_category_id, []).append(child)
        nodes = [*categories, *below] if tree else categories
        for node in nodes:
            node.loaded_children = by_parent.get(node.pk, [])  # type: ignore[attr-defined]  # read by the serializers
        for child in below if not tree else ():
            child.loaded_children = None  # type: ignore[attr-defined]  # direct children render without their own children
    if store and "parent_category" in relations:
        for category in categories:
            parent = category.parent_category
            if parent is not None and (not parent.is_active or parent.is_internal):
                category.hidden_parent = True  # type: ignore[attr-defined]  # read by the serializers


def category_page_products_count(*, category_id: str) -> int:
    """Return how many live products a category links (the admin's category page)."""
    return ProductCategory.products.through.objects.filter(
        productcategory_id=category_id, product__deleted_at__isnull=True
    ).count()
