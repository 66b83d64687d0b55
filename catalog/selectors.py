"""Reads for the catalogue."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from catalog.exceptions import ProductNotFound, VariantNotFound
from catalog.models import (
    Price,
    Product,
    ProductOption,
    ProductOptionValue,
    ProductSalesChannel,
    ProductVariant,
)
from saleschannels.models import SalesChannel


def product_get(*, product_id: str) -> Product:
    """Return a live product or raise `ProductNotFound`."""
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        raise ProductNotFound(product_id)
    return product


def variant_get(*, variant_id: str) -> ProductVariant:
    """Return a live variant of a live product, or raise `VariantNotFound`."""
    variant = (
        ProductVariant.objects.select_related("product")
        .filter(pk=variant_id, product__deleted_at__isnull=True)
        .first()
    )
    if variant is None:
        raise VariantNotFound(variant_id)
    return variant


def product_ids_in_channel(*, channel_id: str, product_ids: Iterable[str]) -> set[str]:
    """Return which of `product_ids` are linked to the channel (one query)."""
    return set(
        ProductSalesChannel.objects.filter(
            sales_channel_id=channel_id, product_id__in=list(product_ids)
        ).values_list("product_id", flat=True)
    )


def product_sales_channel_ids(*, product_id: str) -> QuerySet[ProductSalesChannel]:
    """Return the link rows of a product's live channels."""
    return ProductSalesChannel.objects.filter(
        product_id=product_id, sales_channel__deleted_at__isnull=True
    )


# ---- ADMIN API (appended) ----

PRODUCT_ADMIN_RELATIONS = (
    "variants",
    "variants.prices",
    "variants.options",
    "options",
    "options.values",
    "sales_channels",
    "collection",
)


def product_qs_for_admin(
    *, relations: Iterable[str], with_deleted: bool = False
) -> QuerySet[Product]:
    """Return products with the admin relations asked for, loaded in a fixed number of queries.

    One query per relation (variants, their prices, their option values, options, option values,
    live channels) whatever the page size; the collection is joined. Callers filter and order.
    """
    wanted = set(relations)
    products = Product.all_objects.all() if with_deleted else Product.objects.all()
    if "collection" in wanted:
        products = products.select_related("collection")
    prefetches: list[Prefetch] = []
    if "variants" in wanted:
        variants = ProductVariant.objects.order_by("variant_rank", "created_at", "id")
        if "variants.prices" in wanted:
            variants = variants.prefetch_related(
                Prefetch("prices", queryset=Price.objects.order_by("created_at", "id"))
            )
        if "variants.options" in wanted:
            variants = variants.prefetch_related(
                Prefetch(
                    "options", queryset=ProductOptionValue.objects.order_by("created_at", "id")
                )
            )
        prefetches.append(Prefetch("variants", queryset=variants))
    if "options" in wanted:
        options = ProductOption.objects.order_by("created_at", "id")
        if "options.values" in wanted:
            options = options.prefetch_related(
                Prefetch("values", queryset=ProductOptionValue.objects.order_by("created_at", "id"))
            )
        prefetches.append(Prefetch("options", queryset=options))
    if "sales_channels" in wanted:
        # Soft-deleted channels disappear from a product's channels (their link rows stay).
        prefetches.append(
            Prefetch("sales_channels", queryset=SalesChannel.objects.order_by("created_at", "id"))
        )
    return products.prefetch_related(*prefetches)


def product_get_for_admin(*, product_id: str, relations: Iterable[str]) -> Product:
    """Return a live product with the admin relations asked for, or raise `ProductNotFound`."""
    product = product_qs_for_admin(relations=relations).filter(pk=product_id).first()
    if product is None:
        raise ProductNotFound(product_id)
    return product
