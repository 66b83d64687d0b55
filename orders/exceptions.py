"""Order and checkout errors."""

from commerce.exceptions import Conflict, IdNotFound, InvalidData, NotFound


class OrderNotFound(IdNotFound, label="Order"): ...


class OrderForCartNotFound(NotFound, template="Order with cart id: {cart_id} was not found"): ...


class CartEmpty(InvalidData, message="Cannot complete a cart without items"): ...


class CartEmailMissing(InvalidData, message="An email is required to complete a cart"): ...


class CartShippingMissing(
    InvalidData, message="Cannot complete a cart without a shipping method"
): ...


class CartPaymentMissing(
    InvalidData,
    message="Cannot complete a cart without a selected payment session; select one with POST /store/carts/{id}/payment-session",
): ...


class IdempotencyKeyReused(
    Conflict,
    message="The request conflicted with another request. You may retry the request with the provided Idempotency-Key.",
):
    """Medusa's conflict wording, with its code."""


class OrderLookupNotFound(
    NotFound, template="Order with display id: {display_id} and email: {email} was not found"
):
    """`GET /store/orders?display_id=&email=` found no order (Medusa answers a bare 404)."""


class IdempotencyKeyTooLong(
    InvalidData,
    template="Idempotency-Key must be shorter than or equal to {max_length} characters",
): ...


class IdempotencyKeyWithNullCharacters(
    InvalidData, message="Idempotency-Key must not contain null characters"
): ...
