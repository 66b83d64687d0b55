"""Catalogue errors, worded as Medusa words them."""

from commerce.exceptions import DuplicateError, InvalidData, NotFound


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
