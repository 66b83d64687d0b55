"""Cart errors, worded as Medusa words them (with design §5's grammar fix)."""

from collections.abc import Iterable
from datetime import datetime

from catalog.listings import when
from commerce.exceptions import IdNotFound, InvalidData, NotAllowed, NotFound
from inventory.exceptions import InsufficientInventory  # noqa: F401  (declared with the stock)


class CartNotFound(IdNotFound, label="Cart"): ...


class LineItemNotFound(IdNotFound, label="Line item"): ...


class ProductsNotInCartChannel(
    InvalidData,
    template="The products [{titles}] must belong to the sales channel on which the cart has been created.",
    joiner=" - ",
):
    """Medusa says "must belongs"; design §5 fixes the grammar."""


class ProductsNotYetPurchasable(InvalidData, template="Not yet available for purchase: {named}."):
    """Products in the cart's channel whose purchase window opens later (docs/listings.md)."""

    def __init__(self, opening: Iterable[tuple[str, datetime]]) -> None:
        super().__init__("; ".join(f"{title} from {when(at)}" for title, at in opening))


class CartCompleted(
    NotAllowed, template="Cart {cart_id} is already completed and cannot be changed"
): ...


class NoRegion(InvalidData, message="A region is required to create a cart; none exists"): ...


class VariantHasNoPrice(
    InvalidData,
    template='Cannot generate line item for variant "{title}" without a price in {currency}',
):
    def __init__(self, title: str, currency_code: str) -> None:
        super().__init__(title, currency_code.upper())


class InvalidQuantity(InvalidData, message="quantity must be a positive integer"): ...


class ShippingOptionNotForCart(
    InvalidData,
    template="Shipping option with id: {option_id} is not available for this cart's region",
): ...


class PaymentProviderNotInRegion(
    InvalidData, template="Payment provider {provider_id} is not available in this cart's region"
): ...


class PaymentSessionNotFound(
    NotFound,
    template="Could not find a payment session with provider {provider_id}; create payment sessions first",
): ...


class LineItemVariantsNotFound(
    InvalidData,
    template="Unable to generate the line items, some variant has not been found: {variant_ids}",
):
    """Medusa 1.20 answers a line item of an unknown variant with this 400 and message."""


class QuantityTooLarge(InvalidData, template="quantity must not be greater than {maximum}"):
    """Merging a line would overflow its quantity column."""


class DiscountNotFound(NotFound, template="Discount with code {code} was not found"):
    """No discount has this code (there are no discounts yet, so no code is known)."""


class GiftCardNotFound(NotFound, template="Gift card with code {code} was not found"):
    """No gift card has this code. Medusa prints its lookup selector garbled; we name the code."""
