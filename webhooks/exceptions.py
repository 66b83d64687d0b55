from commerce.exceptions import Conflict, IdNotFound, InvalidData


class WebhookNotFound(IdNotFound):
    label = "Webhook"


class WebhookDeliveryNotFound(IdNotFound):
    label = "Webhook delivery"


class WebhookUrlRefused(InvalidData):
    def __init__(self, reason: str) -> None:
        super().__init__(f"url {reason}")


class UnknownEventTypes(InvalidData):
    def __init__(self, names: list[str], known: list[str]) -> None:
        super().__init__(
            f"events must be one of the following values: {', '.join(known)} (got {', '.join(names)})"
        )


class DeliveryInProgress(Conflict):
    def __init__(self, delivery_id: str) -> None:
        super().__init__(
            f"Webhook delivery {delivery_id} is being attempted right now; retry it afterwards",
            code="invalid_state_error",
        )
