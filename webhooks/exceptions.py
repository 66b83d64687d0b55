"""Webhook errors."""

from commerce.exceptions import Conflict, IdNotFound, InvalidData


class WebhookNotFound(IdNotFound, label="Webhook"): ...


class WebhookDeliveryNotFound(IdNotFound, label="Webhook delivery"): ...


class WebhookUrlRefused(InvalidData, template="url {reason}"): ...


class UnknownEventTypes(
    InvalidData, template="events must be one of the following values: {known} (got {names})"
):
    def __init__(self, names: list[str], known: list[str]) -> None:
        super().__init__(known, names)


class DeliveryInProgress(
    Conflict,
    template="Webhook delivery {delivery_id} is being attempted right now; retry it afterwards",
): ...
