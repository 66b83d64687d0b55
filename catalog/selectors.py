"""Reads for the catalogue."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from catalog.exceptions import ProductNotFound, VariantNotFound
from catalog.models import Product, ProductSalesChannel, ProductVariant


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
