"""Customer errors, worded as Medusa v1 words them."""

from commerce.exceptions import DuplicateError, IdNotFound, NotFound, Unauthorized


class CustomerNotFound(IdNotFound, label="Customer"): ...


class CustomerAccountExists(
    DuplicateError,
    message="A customer with the given email already has an account. Log in instead",
): ...


class CustomerAddressNotFound(NotFound, message="Could not find address for customer"): ...


class CustomerNotSignedIn(Unauthorized): ...


class PasswordResetTokenInvalid(
    Unauthorized, message="Invalid or expired password reset token"
): ...
