"""The one hierarchy of expected business-rule failures. Types mirror Medusa's error types.

An error is declared in its class statement, and most take one line::

    class CartEmpty(InvalidData, message="Cannot complete a cart without items"): ...
    class CartNotFound(NotFound, template="Cart with id: {cart_id} was not found"): ...

`message` is the fixed wording; `template` a wording whose `{fields}` are the constructor's
arguments, in the order they first appear (`CartNotFound(cart_id)`); a list argument is
joined with `joiner` (", " unless declared). `type`, `code` and `status` set the rest of the
error body and the HTTP status (commerce/api/exceptions.py).
"""

from collections.abc import Iterable
from string import Formatter
from typing import Any, ClassVar


class CommerceError(Exception):
    """An expected business-rule failure raised by services and selectors."""

    type: ClassVar[str] = "invalid_data"
    message: str = "Invalid data."
    code: str | None = None
    status: ClassVar[int | None] = None  # the HTTP status, when not the type's usual one
    template: ClassVar[str | None] = None
    joiner: ClassVar[str] = ", "
    fields: ClassVar[tuple[str, ...]] = ()  # the template's fields: the constructor's arguments

    def __init_subclass__(
        cls,
        *,
        type: str | None = None,  # the error body's key, as the attribute
        message: str | None = None,
        template: str | None = None,
        code: str | None = None,
        status: int | None = None,
        joiner: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        declared = {
            "type": type,
            "message": message,
            "code": code,
            "status": status,
            "joiner": joiner,
        }
        for name, value in declared.items():
            if value is not None:
                setattr(cls, name, value)
        if template is not None:
            cls.template = template
            parsed = Formatter().parse(template)
            cls.fields = tuple(dict.fromkeys(field for _, field, _, _ in parsed if field))

    def __init__(self, *args: Any, message: str | None = None, code: str | None = None) -> None:
        """Word the message from the template's fields, or take it as the one argument."""
        if message is None and self.template is not None:
            message = self.worded(*args)
        elif message is None and args:
            (message,) = args
        self.message = message or self.message
        if code is not None:
            self.code = code
        super().__init__(self.message)

    @classmethod
    def worded(cls, *args: Any) -> str:
        """Fill the class's template with the constructor's arguments, lists joined."""
        values = [
            cls.joiner.join(value)
            if isinstance(value, Iterable) and not isinstance(value, str)
            else value
            for value in args
        ]
        return str(cls.template).format(**dict(zip(cls.fields, values, strict=True)))


class InvalidData(CommerceError, type="invalid_data"): ...


class NotAllowed(CommerceError, type="not_allowed"): ...


class PermissionRefused(NotAllowed, status=403):
    """The acting user may not do this (403), e.g. grant a role they do not hold themselves."""


class NotFound(CommerceError, type="not_found", message="Not found."): ...


class IdNotFound(NotFound):
    """A row looked up by id is missing: Medusa's `<label> with id: <id> was not found`."""

    def __init_subclass__(cls, *, label: str = "", **kwargs: Any) -> None:
        if label:
            kwargs["template"] = label + " with id: {row_id} was not found"
        super().__init_subclass__(**kwargs)


class Unauthorized(CommerceError, type="unauthorized", message="Unauthorized"): ...


class DuplicateError(CommerceError, type="duplicate_error", code="invalid_request_error"): ...


class ValueTaken(DuplicateError):
    """A unique value is already used: Medusa's `<label> with <field> <value> already exists.`."""

    def __init_subclass__(cls, *, label: str = "", field: str = "handle", **kwargs: Any) -> None:
        if label:
            kwargs["template"] = f"{label} with {field} {{value}} already exists."
        super().__init_subclass__(**kwargs)


class Conflict(CommerceError, type="conflict", code="invalid_state_error"): ...


class PaymentAuthorizationError(CommerceError, type="payment_authorization_error"): ...


class RequestErrors(InvalidData):
    """Several input problems at once: the validator shape `{"message", "errors": [...]}`."""

    message = "Provided request body contains errors. Please check the data and retry the request"

    def __init__(self, errors: Iterable[str], *, message: str | None = None) -> None:
        self.errors = list(errors)
        # Medusa's validator shape: a fixed message, the specifics in `errors`.
        super().__init__(message=message or self.message)


class OneRequestError(RequestErrors):
    """A `RequestErrors` of one problem, worded by the class's `template` (its fields as usual)."""

    def __init__(self, *args: Any) -> None:
        super().__init__([self.worded(*args)])


class PropertyShouldNotExist(InvalidData, template="property {name} should not exist"):
    """A request property that is not accepted (unknown, or gated off by a feature flag)."""


class CountryNotFound(NotFound, template="Country with iso_2 {code} not found"):
    """A country code ISO 3166-1 does not know (Medusa's words and status)."""
