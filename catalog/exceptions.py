"""Catalogue errors, worded as Medusa words them."""

from commerce.exceptions import IdNotFound, InvalidData, NotAllowed, OneRequestError, ValueTaken
from saleschannels.exceptions import KEY_IN_HEADER


class ProductNotFound(IdNotFound, label="Product"): ...


class VariantNotFound(IdNotFound, label="Variant"): ...


class ProductHandleTaken(ValueTaken, label="Product"): ...


class VariantSkuTaken(ValueTaken, label="Product variant", field="sku"): ...


class VariantOptionsMismatch(
    InvalidData,
    template='Variant "{title}" must have a value for each of the product\'s {expected} options, got {got}',
): ...


class CollectionNotFound(IdNotFound, label="Product collection"): ...


class ProductNotInKeyScope(
    OneRequestError,
    template="Product with id: {product_id} is not associated with sales channels defined by "
    + KEY_IN_HEADER,
):
    """`GET /store/products/:id` with a publishable key whose channels do not carry the product."""


class VariantNotInKeyScope(
    OneRequestError,
    template="Variant with id: {variant_id} is not associated with sales channels defined by "
    + KEY_IN_HEADER,
):
    """`GET /store/variants/:id` with a publishable key whose channels do not carry the variant."""


class ProductCategoryNotFound(IdNotFound, label="ProductCategory"): ...


class CollectionHandleTaken(ValueTaken, label="Product collection"): ...


class ProductCategoryHandleTaken(ValueTaken, label="Product category"): ...


class ProductCategoryHasChildren(
    NotAllowed,
    template="Deleting ProductCategory ({category_id}) with category children is not allowed",
): ...


class ProductCategoryCycle(
    InvalidData,
    template="ProductCategory {category_id} cannot become a child of itself or of a category below it",
): ...


class ImageInvalid(InvalidData):
    """An uploaded file that is not an image we take (type or size)."""
