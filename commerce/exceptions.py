"""The one hierarchy of expected business-rule failures. Types mirror Medusa's error types."""


class CommerceError(Exception):
    """An expected business-rule failure raised by services and selectors."""

    type = "invalid_data"
    message = "Invalid data."
    status: int | None = None  # the HTTP status, when not the type's usual one

    def __init__(
        self, message: str | None = None, *, code: str | None = None, **extra: object
    ) -> None:
        self.message = message or self.message
        self.code = code
        self.extra = extra
        super().__init__(self.message)


class InvalidData(CommerceError):
    type = "invalid_data"


class NotAllowed(CommerceError):
    type = "not_allowed"


class PermissionRefused(NotAllowed):
    """The acting user may not do this (403), e.g. grant a role they do not hold themselves."""

    status = 403


class NotFound(CommerceError):
    type = "not_found"
    message = "Not found."


class IdNotFound(NotFound):
    """A row looked up by id is missing: Medusa's `<label> with id: <id> was not found`."""

    label = "Entity"

    def __init__(self, row_id: str) -> None:
        super().__init__(f"{self.label} with id: {row_id} was not found")


class Unauthorized(CommerceError):
    type = "unauthorized"
    message = "Unauthorized"


class DuplicateError(CommerceError):
    type = "duplicate_error"


class ValueTaken(DuplicateError):
    """A unique value is already used: Medusa's `<label> with <field> <value> already exists.`."""

    label = "Entity"
    field_name = "handle"

    def __init__(self, value: str) -> None:
        super().__init__(
            f"{self.label} with {self.field_name} {value} already exists.",
            code="invalid_request_error",
        )


class Conflict(CommerceError):
    type = "conflict"


class PaymentAuthorizationError(CommerceError):
    type = "payment_authorization_error"


class RequestErrors(InvalidData):
    """Several input problems at once: the validator shape `{"message", "errors": [...]}`."""

    message = "Provided request body contains errors. Please check the data and retry the request"

    def __init__(self, errors: list[str], *, message: str | None = None) -> None:
        self.errors = list(errors)
        # Medusa's validator shape: a fixed message, the specifics in `errors`.
        super().__init__(message or self.message)


class PropertyShouldNotExist(InvalidData):
    """A request property that is not accepted (unknown, or gated off by a feature flag)."""

    def __init__(self, name: str) -> None:
        self.property_name = name
        super().__init__(f"property {name} should not exist")


class CountryNotFound(NotFound):
    """A country code ISO 3166-1 does not know (Medusa's words and status)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"Country with iso_2 {code} not found")
