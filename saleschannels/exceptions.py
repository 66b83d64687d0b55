"""Sales-channel and publishable-key errors, worded as Medusa words them (design §5 where we differ)."""

from collections.abc import Iterable

from commerce.exceptions import IdNotFound, InvalidData, NotAllowed, NotFound, RequestErrors


class SalesChannelNotFound(IdNotFound):
    label = "Sales channel"


class DefaultSalesChannelNotFound(NotFound):
    message = "Default Sales channel was not found"


class DefaultSalesChannelNotDeletable(NotAllowed):
    message = "You cannot delete the default sales channel"


class DefaultSalesChannelNotDisableable(NotAllowed):
    message = "You cannot disable the default sales channel"


class SalesChannelDisabled(InvalidData):
    def __init__(self, name: str) -> None:
        super().__init__(f'Unable to assign the cart to a disabled Sales Channel "{name}"')


class DefaultSalesChannelMustBeEnabled(InvalidData):
    def __init__(self, name: str) -> None:
        super().__init__(f'The default sales channel must be enabled; "{name}" is disabled')


class SalesChannelsDoNotExist(RequestErrors):
    def __init__(self, channel_ids: Iterable[str]) -> None:
        self.missing_ids = list(channel_ids)
        super().__init__([f"Sales Channels {', '.join(self.missing_ids)} do not exist"])


class ProductsDoNotExist(RequestErrors):
    def __init__(self, product_ids: Iterable[str]) -> None:
        self.missing_ids = list(product_ids)
        super().__init__([f"Products {', '.join(self.missing_ids)} do not exist"])


class PublishableApiKeyNotFound(IdNotFound):
    label = "Publishable key"


class PublishableApiKeyAlreadyRevoked(NotAllowed):
    message = "PublishableApiKey has already been revoked."


class PublishableApiKeyInvalid(NotAllowed):
    """Design §5: an unknown or revoked key is refused (Medusa silently ignores it)."""

    message = "A valid publishable key is required to proceed with the request"


class PublishableApiKeyWithoutChannels(NotAllowed):
    """Design §5: a key with no channels is refused (Medusa applies no restriction)."""

    message = "Publishable key needs to have a sales channel configured"


class PublishableApiKeyMultipleChannels(InvalidData):
    """Design §5: Medusa answers this with a 500; we keep its words and make it a 400."""

    message = "The PublishableApiKey provided in the request header has multiple associated sales channels."


class SalesChannelOutsideKeyScope(RequestErrors):
    def __init__(self, channel_ids: Iterable[str]) -> None:
        self.channel_ids = list(channel_ids)
        super().__init__(
            [
                f"Provided sales channel id param: {','.join(self.channel_ids)} is not associated with "
                "the Publishable API Key passed in the header of the request."
            ]
        )


class SalesChannelsFeatureDisabled(NotFound):
    message = "Sales channels are not enabled"
