"""Catalogue errors, worded as Medusa words them."""

from commerce.exceptions import IdNotFound, InvalidData, NotAllowed, RequestErrors, ValueTaken


class ProductNotFound(IdNotFound):
    label = "Product"


class VariantNotFound(IdNotFound):
    label = "Variant"


class ProductHandleTaken(ValueTaken):
    label = "Product"


class VariantSkuTaken(ValueTaken):
    label = "Product variant"
    field_name = "sku"


class VariantOptionsMismatch(InvalidData):
    def __init__(self, title: str, expected: int, got: int) -> None:
        super().__init__(
            f'Variant "{title}" must have a value for each of the product\'s {expected} options, got {got}'
        )


class CollectionNotFound(IdNotFound):
    label = "Product collection"


class ProductNotInKeyScope(RequestErrors):
    """`GET /store/products/:id` with a publishable key whose channels do not carry the product."""

    def __init__(self, product_id: str) -> None:
        super().__init__(
            [
                f"Product with id: {product_id} is not associated with sales channels defined by "
                "the Publishable API Key passed in the header of the request."
            ]
        )


class VariantNotInKeyScope(RequestErrors):
    """`GET /store/variants/:id` with a publishable key whose channels do not carry the variant."""

    def __init__(self, variant_id: str) -> None:
        super().__init__(
            [
                f"Variant with id: {variant_id} is not associated with sales channels defined by "
                "the Publishable API Key passed in the header of the request."
            ]
        )


class ProductCategoryNotFound(IdNotFound):
    label = "ProductCategory"


class CollectionHandleTaken(ValueTaken):
    label = "Product collection"


class ProductCategoryHandleTaken(ValueTaken):
    label = "Product category"


class ProductCategoryHasChildren(NotAllowed):
    def __init__(self, category_id: str) -> None:
        super().__init__(
            f"Deleting ProductCategory ({category_id}) with category children is not allowed"
        )


class ProductCategoryCycle(InvalidData):
    def __init__(self, category_id: str) -> None:
        super().__init__(
            f"ProductCategory {category_id} cannot become a child of itself or of a category below it"
        )


class ImageInvalid(InvalidData):
    """An uploaded file that is not an image we take (type or size)."""
