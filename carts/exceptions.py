"""Cart errors, worded as Medusa words them (with design §5's grammar fix)."""

from collections.abc import Iterable
from datetime import datetime

from catalog.listings import when
from commerce.exceptions import InvalidData, NotAllowed, NotFound
from inventory.exceptions import InsufficientInventory  # noqa: F401  (declared with the stock)


class CartNotFound(NotFound):
    def __init__(self, cart_id: str) -> None:
        super().__init__(f"Cart with id: {cart_id} was not found")


class LineItemNotFound(NotFound):
    def __init__(self, line_id: str) -> None:
        super().__init__(f"Line item with id: {line_id} was not found")


class ProductsNotInCartChannel(InvalidData):
    """Medusa says "must belongs"; design §5 fixes the grammar."""

    def __init__(self, titles: Iterable[str]) -> None:
        self.titles = list(titles)
        super().__init__(
            f"The products [{' - '.join(self.titles)}] must belong to the sales channel on which the cart has been created."
        )


class ProductsNotYetPurchasable(InvalidData):
    """Products in the cart's channel whose purchase window opens later (docs/listings.md)."""

    def __init__(self, opening: Iterable[tuple[str, datetime]]) -> None:
        self.opening = list(opening)
        named = "; ".join(f"{title} from {when(at)}" for title, at in self.opening)
        super().__init__(f"Not yet available for purchase: {named}.")


class CartCompleted(NotAllowed):
    def __init__(self, cart_id: str) -> None:
        super().__init__(f"Cart {cart_id} is already completed and cannot be changed")


class NoRegion(InvalidData):
    message = "A region is required to create a cart; none exists"


class VariantHasNoPrice(InvalidData):
    def __init__(self, title: str, currency_code: str) -> None:
        super().__init__(
            f'Cannot generate line item for variant "{title}" without a price in {currency_code.upper()}'
        )


class InvalidQuantity(InvalidData):
    message = "quantity must be a positive integer"


class ShippingOptionNotForCart(InvalidData):
    def __init__(self, option_id: str) -> None:
        super().__init__(
            f"Shipping option with id: {option_id} is not available for this cart's region"
        )


class PaymentProviderNotInRegion(InvalidData):
    def __init__(self, provider_id: str) -> None:
        super().__init__(f"Payment provider {provider_id} is not available in this cart's region")


class PaymentSessionNotFound(NotFound):
    def __init__(self, provider_id: str) -> None:
        super().__init__(
            f"Could not find a payment session with provider {provider_id}; create payment sessions first"
        )


class LineItemVariantsNotFound(InvalidData):
    """Medusa answers an unknown variant in a line item with this 400 (exchange 61)."""

    def __init__(self, variant_ids: Iterable[str]) -> None:
        self.variant_ids = list(variant_ids)
        super().__init__(
            "Unable to generate the line items, some variant has not been found: "
            + ", ".join(self.variant_ids)
        )


class QuantityTooLarge(InvalidData):
    """Merging a line would overflow its quantity column."""

    def __init__(self, maximum: int) -> None:
        super().__init__(f"quantity must not be greater than {maximum}")


class DiscountNotFound(NotFound):
    """No discount has this code (there are no discounts yet, so no code is known)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"Discount with code {code} was not found")


class GiftCardNotFound(NotFound):
    """No gift card has this code. Medusa prints its lookup selector garbled; we name the code."""

    def __init__(self, code: str) -> None:
        super().__init__(f"Gift card with code {code} was not found")
