"""Writes on products, variants, prices and the product↔channel links. Each public function is one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.exceptions import (
    CollectionNotFound,
    ProductHandleTaken,
    ProductNotFound,
    VariantNotFound,
    VariantOptionsMismatch,
    VariantSkuTaken,
)
from catalog.models import (
    Price,
    Product,
    ProductCollection,
    ProductOption,
    ProductOptionValue,
    ProductSalesChannel,
    ProductStatus,
    ProductVariant,
)
from commerce import flags
from commerce.events import send_on_commit
from commerce.exceptions import InvalidData, NotFound, PropertyShouldNotExist
from commerce.models import Region
from saleschannels import signals as channel_signals
from saleschannels.exceptions import (
    ProductsDoNotExist,
    SalesChannelNotFound,
    SalesChannelsDoNotExist,
)
from saleschannels.models import SalesChannel
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, require_channels_in_scope, restrict
from saleschannels.selectors import default_sales_channel_id
from saleschannels.services import ensure_default_sales_channel

_UNSET: Any = object()


@dataclass(frozen=True)
class PriceInput:
    currency_code: str
    amount: int
    region_id: str | None = None


@dataclass(frozen=True)
class VariantInput:
    title: str
    sku: str | None = None
    inventory_quantity: int = 0
    manage_inventory: bool = True
    allow_backorder: bool = False
    prices: Sequence[PriceInput] = ()
    option_values: Sequence[str] = ()  # one per product option, in the product's option order
    metadata: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # barcode, ean, upc


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _existing_channel_ids(channel_ids: Iterable[str]) -> list[str]:
    ids = _unique(channel_ids)
    found = set(SalesChannel.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [cid for cid in ids if cid not in found]
    if missing:
        raise SalesChannelsDoNotExist(missing)
    return ids


def _default_channel_id() -> str:
    channel_id = default_sales_channel_id()
    if channel_id is None:
        channel = ensure_default_sales_channel()
        assert channel is not None  # the feature is on when we get here  # noqa: S101
        channel_id = channel.pk
    return channel_id


def _check_handle_free(handle: str, *, exclude_id: str | None = None) -> None:
    taken = Product.objects.filter(handle=handle)
    if exclude_id:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise ProductHandleTaken(handle)


def _check_skus_free(
    skus: Iterable[str | None], *, exclude_variant_ids: Iterable[str] = ()
) -> None:
    wanted = [s for s in skus if s]
    duplicates = {s for s in wanted if wanted.count(s) > 1}
    if duplicates:
        raise VariantSkuTaken(sorted(duplicates)[0])
    if wanted:
        taken = (
            ProductVariant.objects.filter(sku__in=wanted)
            .exclude(pk__in=list(exclude_variant_ids))
            .values_list("sku", flat=True)
            .first()
        )
        if taken:
            raise VariantSkuTaken(taken)


def _create_variants(
    product: Product, options: list[ProductOption], variants: Sequence[VariantInput]
) -> None:
    rows: list[ProductVariant] = []
    values: list[ProductOptionValue] = []
    prices: list[Price] = []
    for rank, spec in enumerate(variants):
        if options and len(spec.option_values) != len(options):
            raise VariantOptionsMismatch(spec.title, len(options), len(spec.option_values))
        if spec.inventory_quantity < 0:
            raise InvalidData("inventory_quantity must not be less than 0")
        variant = ProductVariant(
            product=product,
            title=spec.title,
            sku=spec.sku or None,
            inventory_quantity=spec.inventory_quantity,
            manage_inventory=spec.manage_inventory,
            allow_backorder=spec.allow_backorder,
            variant_rank=rank,
            metadata=spec.metadata,
            **spec.extra,
        )
        rows.append(variant)
        values.extend(
            ProductOptionValue(option=option, variant=variant, value=value)
            for option, value in zip(options, spec.option_values, strict=False)
        )
        prices.extend(_price_rows(variant, spec.prices))
    _check_regions_exist(prices)
    ProductVariant.objects.bulk_create(rows)
    ProductOptionValue.objects.bulk_create(values)
    Price.objects.bulk_create(prices)


def _price_rows(variant: ProductVariant, prices: Sequence[PriceInput]) -> list[Price]:
    rows = []
    for price in prices:
        if price.amount < 0:
            raise InvalidData("amount must not be less than 0")
        rows.append(
            Price(
                variant=variant,
                currency_code=price.currency_code.lower(),
                amount=price.amount,
                region_id=price.region_id,
            )
        )
    return rows


@transaction.atomic
def product_create(
    *,
    title: str,
    handle: str | None = None,
    subtitle: str | None = None,
    description: str | None = None,
    status: str = ProductStatus.DRAFT,
    thumbnail: str | None = None,
    is_giftcard: bool = False,
    discountable: bool = True,
    collection_id: str | None = None,
    metadata: dict[str, Any] | None = None,
    options: Sequence[str] = (),
    variants: Sequence[VariantInput] = (),
    sales_channel_ids: Sequence[str] | None = None,
    scope: ChannelScope = EVERY_CHANNEL,
) -> Product:
    """Create a product with its options, variants and prices.

    A user scoped to channels may only put it in their channels (the default one included, when
    none is given).

    With the sales-channels feature on, a product created without channels (None or empty) goes
    into the store's default channel, as in Medusa. Unknown channels are refused, listed.
    """
    channels_on = flags.sales_channels_enabled()
    if not channels_on and sales_channel_ids:
        raise PropertyShouldNotExist("sales_channels")
    handle = handle or slugify(title)
    if not handle:
        raise InvalidData("handle must not be empty")
    _check_handle_free(handle)
    _check_skus_free(v.sku for v in variants)
    if collection_id and not ProductCollection.objects.filter(pk=collection_id).exists():
        raise CollectionNotFound(collection_id)
    channel_ids: list[str] = []
    if channels_on:
        channel_ids = (
            _existing_channel_ids(sales_channel_ids)
            if sales_channel_ids
            else [_default_channel_id()]
        )
        require_channels_in_scope(scope, channel_ids)

    product = Product.objects.create(
        title=title,
        handle=handle,
        subtitle=subtitle,
        description=description,
        status=status,
        thumbnail=thumbnail,
        is_giftcard=is_giftcard,
        discountable=discountable,
        collection_id=collection_id,
        metadata=metadata,
    )
    option_rows = ProductOption.objects.bulk_create(
        [ProductOption(product=product, title=t) for t in options]
    )
    _create_variants(product, option_rows, variants)
    ProductSalesChannel.objects.bulk_create(
        [ProductSalesChannel(product=product, sales_channel_id=cid) for cid in channel_ids]
    )
    return product


def _product_for_update(product_id: str, scope: ChannelScope = EVERY_CHANNEL) -> Product:
    """Lock a live product the scope may change.

    404 when the scope cannot see it; 403 when one of its channels is outside the scope (a
    product is changed only by whoever has all its channels).
    """
    product = (
        restrict(Product.objects.select_for_update(of=("self",)), scope)
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise ProductNotFound(product_id)
    if scope.restricted:
        channel_ids = ProductSalesChannel.objects.filter(
            product_id=product_id, sales_channel__deleted_at__isnull=True
        ).values_list("sales_channel_id", flat=True)
        require_channels_in_scope(scope, channel_ids)
    return product


_PRODUCT_FIELDS = (
    "title",
    "subtitle",
    "description",
    "status",
    "thumbnail",
    "is_giftcard",
    "discountable",
    "collection_id",
    "metadata",
    "handle",
)


@transaction.atomic
def product_update(
    *,
    product_id: str,
    sales_channel_ids: Sequence[str] | None = _UNSET,
    scope: ChannelScope = EVERY_CHANNEL,
    **changes: Any,
) -> Product:
    """Update a product's fields and, when `sales_channel_ids` is given, replace its channels.

    As in Medusa: omitted leaves the channels alone; None or [] removes them all; a list replaces
    them with exactly that set.
    """
    product = _product_for_update(product_id, scope)
    unknown = set(changes) - set(_PRODUCT_FIELDS)
    if unknown:
        raise PropertyShouldNotExist(sorted(unknown)[0])
    if changes.get("handle") and changes["handle"] != product.handle:
        _check_handle_free(changes["handle"], exclude_id=product.pk)
    if (
        changes.get("collection_id")
        and not ProductCollection.objects.filter(pk=changes["collection_id"]).exists()
    ):
        raise CollectionNotFound(changes["collection_id"])
    fields = ["updated_at"]
    for name, value in changes.items():
        setattr(product, name, value)
        fields.append(name)
    product.save(update_fields=fields)

    if sales_channel_ids is not _UNSET:
        if not flags.sales_channels_enabled():
            raise PropertyShouldNotExist("sales_channels")
        wanted = _existing_channel_ids(sales_channel_ids or [])
        require_channels_in_scope(scope, wanted)
        ProductSalesChannel.objects.filter(product=product).exclude(
            sales_channel_id__in=wanted
        ).delete()
        ProductSalesChannel.objects.bulk_create(
            [ProductSalesChannel(product=product, sales_channel_id=cid) for cid in wanted],
            ignore_conflicts=True,
        )
    return product


@transaction.atomic
def product_delete(*, product_id: str, scope: ChannelScope = EVERY_CHANNEL) -> None:
    """Soft-delete a product and its variants. Orders keep their item snapshots. Idempotent."""
    if scope.restricted:
        _product_for_update(product_id, scope)  # 404 / 403 outside the scope
    now = timezone.now()
    updated = Product.objects.filter(pk=product_id).update(deleted_at=now, updated_at=now)
    if updated:
        ProductVariant.objects.filter(product_id=product_id).update(deleted_at=now, updated_at=now)


# ---- VARIANTS AND PRICES ----


@transaction.atomic
def variant_create(*, product_id: str, variant: VariantInput) -> ProductVariant:
    """Add a variant (with prices) to a product."""
    product = _product_for_update(product_id)
    _check_skus_free([variant.sku])
    options = list(product.options.order_by("created_at", "id"))
    _create_variants(product, options, [variant])
    return ProductVariant.objects.filter(product=product).order_by("-created_at", "-id").first()


_VARIANT_FIELDS = (
    "title",
    "sku",
    "barcode",
    "ean",
    "upc",
    "inventory_quantity",
    "manage_inventory",
    "allow_backorder",
    "metadata",
    "variant_rank",
)


@transaction.atomic
def variant_update(
    *, variant_id: str, prices: Sequence[PriceInput] | None = None, **changes: Any
) -> ProductVariant:
    """Update a variant's fields; when `prices` is given, replace its prices with that set."""
    variant = ProductVariant.objects.select_for_update(of=("self",)).filter(pk=variant_id).first()
    if variant is None:
        raise VariantNotFound(variant_id)
    unknown = set(changes) - set(_VARIANT_FIELDS)
    if unknown:
        raise PropertyShouldNotExist(sorted(unknown)[0])
    if changes.get("sku") and changes["sku"] != variant.sku:
        _check_skus_free([changes["sku"]], exclude_variant_ids=[variant.pk])
    if changes.get("inventory_quantity") is not None and changes["inventory_quantity"] < 0:
        raise InvalidData("inventory_quantity must not be less than 0")
    fields = ["updated_at"]
    for name, value in changes.items():
        setattr(variant, name, value)
        fields.append(name)
    variant.save(update_fields=fields)
    if prices is not None:
        rows = _price_rows(variant, prices)
        _check_regions_exist(rows)
        variant.prices.all().delete()
        Price.objects.bulk_create(rows)
    return variant


@transaction.atomic
def variant_delete(*, variant_id: str) -> None:
    """Soft-delete a variant. Idempotent."""
    ProductVariant.objects.filter(pk=variant_id).update(deleted_at=timezone.now())


@transaction.atomic
def collection_create(
    *, title: str, handle: str | None = None, metadata: dict[str, Any] | None = None
) -> ProductCollection:
    """Create a product collection."""
    handle = handle or slugify(title)
    if ProductCollection.objects.filter(handle=handle).exists():
        raise InvalidData(f"Product collection with handle {handle} already exists.")
    return ProductCollection.objects.create(title=title, handle=handle, metadata=metadata)


# ---- CHANNEL MEMBERSHIP ----


def _live_channel_for_update(channel_id: str) -> SalesChannel:
    # Locking the channel row serialises batch edits of one channel, so overlapping adds and
    # removes end in the state of the last one to commit. FOR NO KEY UPDATE, not FOR UPDATE: the
    # foreign-key checks of links saved meanwhile by other writers (a product saved with its
    # channels) take FOR KEY SHARE on the channel at their commit, which FOR UPDATE would block
    # while this batch waits on their uncommitted link: a deadlock (tests/reliability).
    channel = (
        SalesChannel.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=channel_id)
        .first()
    )
    if channel is None:
        raise SalesChannelNotFound(channel_id)
    return channel


@transaction.atomic
def sales_channel_products_add(
    *, channel_id: str, product_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> SalesChannel:
    """Link products to a channel. Idempotent; unknown (or deleted) products are refused, all listed.

    A fixed number of statements whatever the number of ids: lock the channel, check the
    products, one INSERT … ON CONFLICT DO NOTHING.
    """
    if not flags.sales_channels_enabled():
        raise PropertyShouldNotExist("sales_channel_id")
    if not scope.includes(channel_id):
        raise SalesChannelNotFound(channel_id)
    channel = _live_channel_for_update(channel_id)
    ids = _unique(product_ids)
    if ids:
        missing = _products_missing(product_ids=ids)
        if scope.restricted:  # products the scope cannot see are as unknown to it
            visible = restrict(Product.objects.filter(pk__in=ids), scope).values_list(
                "pk", flat=True
            )
            missing = set(missing) | (set(ids) - set(visible))
        if missing:
            raise ProductsDoNotExist([pid for pid in ids if pid in missing])
        _channel_links_insert(channel_id=channel.pk, product_ids=ids)
    send_on_commit(
        channel_signals.sales_channel_products_added, SalesChannel, id=channel.pk, product_ids=ids
    )
    return channel


@transaction.atomic
def sales_channel_products_remove(
    *, channel_id: str, product_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> SalesChannel:
    """Unlink products from a channel. Removing a product that is not linked is a no-op."""
    if not flags.sales_channels_enabled():
        raise PropertyShouldNotExist("sales_channel_id")
    if not scope.includes(channel_id):
        raise SalesChannelNotFound(channel_id)
    channel = _live_channel_for_update(channel_id)
    ids = _unique(product_ids)
    if ids:
        _channel_links_delete(channel_id=channel.pk, product_ids=ids)
    send_on_commit(
        channel_signals.sales_channel_products_removed, SalesChannel, id=channel.pk, product_ids=ids
    )
    return channel


@transaction.atomic
def products_sales_channels_add(
    *, product_ids: Iterable[str], channel_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> int:
    """Link many products to many channels at once (the admin's bulk action). Returns the pairs asked for."""
    channels = _existing_channel_ids(channel_ids)
    require_channels_in_scope(scope, channels)
    ids = _unique(product_ids)
    for channel_id in sorted(channels):
        _live_channel_for_update(channel_id)
    if ids:
        for channel_id in sorted(channels):  # one statement a channel, whatever the number of ids
            _channel_links_insert(channel_id=channel_id, product_ids=ids)
    for channel_id in channels:
        send_on_commit(
            channel_signals.sales_channel_products_added,
            SalesChannel,
            id=channel_id,
            product_ids=ids,
        )
    return len(channels) * len(ids)


@transaction.atomic
def products_sales_channels_remove(
    *, product_ids: Iterable[str], channel_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> int:
    """Unlink many products from many channels at once. Returns the number of links removed."""
    channels = _existing_channel_ids(channel_ids)
    require_channels_in_scope(scope, channels)
    ids = _unique(product_ids)
    for channel_id in sorted(channels):
        _live_channel_for_update(channel_id)
    removed, _ = ProductSalesChannel.objects.filter(
        sales_channel_id__in=channels, product_id__in=ids
    ).delete()
    for channel_id in channels:
        send_on_commit(
            channel_signals.sales_channel_products_removed,
            SalesChannel,
            id=channel_id,
            product_ids=ids,
        )
    return removed


# ---- HELPERS FOR THE ADMIN API (appended) ----


def _check_regions_exist(prices: Iterable[Price]) -> None:
    """Refuse prices for unknown or deleted regions (one query), instead of a foreign-key crash."""
    wanted = sorted({price.region_id for price in prices if price.region_id})
    if not wanted:
        return
    found = set(Region.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [region_id for region_id in wanted if region_id not in found]
    if missing:
        raise NotFound(f"Region with id: {missing[0]} was not found")


def _json_ids_sql() -> str:
    """Return SQL selecting the ids of one JSON array parameter (PostgreSQL and SQLite).

    One parameter whatever the number of ids: no 10,000-placeholder statement to build, send,
    parse and plan, and no batching on SQLite's parameter limit.
    """
    if connection.vendor == "postgresql":
        return "SELECT value FROM jsonb_array_elements_text(%s::jsonb)"
    return "SELECT value FROM json_each(%s)"


def _products_missing(*, product_ids: list[str]) -> set[str]:
    """Return which of the ids are not live products, in one statement."""
    meta = Product._meta
    quote = connection.ops.quote_name
    sql = (
        f"SELECT ids.value FROM ({_json_ids_sql()}) AS ids WHERE NOT EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {quote(meta.db_table)} AS p WHERE p.{quote(meta.pk.column)} = ids.value "
        f"AND p.{quote(meta.get_field('deleted_at').column)} IS NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(product_ids)])
        return {row[0] for row in cursor.fetchall()}


def _channel_links_delete(*, channel_id: str, product_ids: list[str]) -> None:
    """Unlink the products from the channel in ONE statement, whatever the number of ids."""
    meta = ProductSalesChannel._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    product_column = quote(meta.get_field("product").column)
    channel_column = quote(meta.get_field("sales_channel").column)
    if connection.vendor == "postgresql":
        # A join: one probe of the (product, channel) unique index per id. (`IN (subquery)` or
        # `= ANY(ARRAY(subquery))` get planned as a filter over all the channel's links.)
        sql = (
            f"DELETE FROM {table} USING ({_json_ids_sql()}) AS ids "  # noqa: S608
            f"WHERE {table}.{product_column} = ids.value AND {table}.{channel_column} = %s"
        )
        params = [json.dumps(product_ids), channel_id]
    else:
        sql = (
            f"DELETE FROM {table} WHERE {channel_column} = %s "  # noqa: S608
            f"AND {product_column} IN ({_json_ids_sql()})"
        )
        params = [channel_id, json.dumps(product_ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _channel_links_insert(*, channel_id: str, product_ids: list[str]) -> None:
    """Link the products to the channel in ONE statement, whatever the number of ids; idempotent.

    `bulk_create` splits rows into batches on SQLite (999 parameters per statement), so a
    10,000-product batch would cost 20 INSERTs there. Here the ids travel as a single JSON array
    parameter that the database unnests, joined to the live products for the `created_at` each
    link carries (an index-only read of `product_live_id_idx`); unknown or deleted ids fall out
    of the join and pairs already linked are skipped.

    Skipping linked pairs with NOT EXISTS lets the rows go in as plain inserts: `ON CONFLICT DO
    NOTHING` makes every row a speculative insertion, ~30% dearer on 10,000 rows (issue 7). A
    pair committed by someone else after this statement's snapshot (a product saved with its
    channels at the same moment: those writers do not take the channel lock) is a unique
    violation; the statement then runs again, inside a savepoint, with ON CONFLICT DO NOTHING.
    """
    link = ProductSalesChannel._meta
    product = Product._meta
    quote = connection.ops.quote_name
    table = quote(link.db_table)
    product_column = quote(link.get_field("product").column)
    channel_column = quote(link.get_field("sales_channel").column)
    created_column = quote(link.get_field("product_created_at").column)
    product_pk = quote(product.pk.column)
    # Only quoted identifiers from our own model metadata are interpolated; values are parameters.
    select = (
        f"SELECT p.{product_pk}, %s, p.{quote(product.get_field('created_at').column)} "  # noqa: S608
        f"FROM ({_json_ids_sql()}) AS ids JOIN {quote(product.db_table)} AS p "
        f"ON p.{product_pk} = ids.value AND p.{quote(product.get_field('deleted_at').column)} "
        "IS NULL"
    )
    insert = f"INSERT INTO {table} ({product_column}, {channel_column}, {created_column}) "
    params = [channel_id, json.dumps(product_ids)]
    plain = (
        f"{insert}{select} WHERE NOT EXISTS (SELECT 1 FROM {table} AS e "  # noqa: S608
        f"WHERE e.{product_column} = p.{product_pk} AND e.{channel_column} = %s)"
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(plain, [*params, channel_id])
    except IntegrityError:
        # `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
        with connection.cursor() as cursor:
            cursor.execute(f"{insert}{select} WHERE true ON CONFLICT DO NOTHING", params)
