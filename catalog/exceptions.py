"""Catalogue errors, worded as Medusa words them."""

from commerce.exceptions import DuplicateError, InvalidData, NotAllowed, NotFound, RequestErrors


class ProductNotFound(NotFound):
    def __init__(self, product_id: str) -> None:
        super().__init__(f"Product with id: {product_id} was not found")


class VariantNotFound(NotFound):
    def __init__(self, variant_id: str) -> None:
        super().__init__(f"Variant with id: {variant_id} was not found")


class ProductHandleTaken(DuplicateError):
    def __init__(self, handle: str) -> None:
        super().__init__(
            f"Product with handle {handle} already exists.", code="invalid_request_error"
        )


class VariantSkuTaken(DuplicateError):
    def __init__(self, sku: str) -> None:
        super().__init__(
            f"Product variant with sku {sku} already exists.", code="invalid_request_error"
        )


class VariantOptionsMismatch(InvalidData):
    def __init__(self, title: str, expected: int, got: int) -> None:
        super().__init__(
            f'Variant "{title}" must have a value for each of the product\'s {expected} options, got {got}'
        )


class CollectionNotFound(NotFound):
    def __init__(self, collection_id: str) -> None:
        super().__init__(f"Product collection with id: {collection_id} was not found")


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


class ProductCategoryNotFound(NotFound):
    def __init__(self, category_id: str) -> None:
        super().__init__(f"ProductCategory with id: {category_id} was not found")


class CollectionHandleTaken(DuplicateError):
    def __init__(self, handle: str) -> None:
        super().__init__(
            f"Product collection with handle {handle} already exists.",
            code="invalid_request_error",
        )


class ProductCategoryHandleTaken(DuplicateError):
    def __init__(self, handle: str) -> None:
        super().__init__(
            f"Product category with handle {handle} already exists.",
            code="invalid_request_error",
        )


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
