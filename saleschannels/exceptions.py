"""Sales-channel and publishable-key errors, worded as Medusa words them (design §5 where we differ)."""

from commerce.exceptions import IdNotFound, InvalidData, NotAllowed, NotFound, OneRequestError

KEY_IN_HEADER = "the Publishable API Key passed in the header of the request."


class SalesChannelNotFound(IdNotFound, label="Sales channel"): ...


class DefaultSalesChannelNotDeletable(
    NotAllowed, message="You cannot delete the default sales channel"
): ...


class DefaultSalesChannelNotDisableable(
    NotAllowed, message="You cannot disable the default sales channel"
): ...


class SalesChannelDisabled(
    InvalidData, template='Unable to assign the cart to a disabled Sales Channel "{name}"'
): ...


class DefaultSalesChannelMustBeEnabled(
    InvalidData, template='The default sales channel must be enabled; "{name}" is disabled'
): ...


class SalesChannelsDoNotExist(OneRequestError, template="Sales Channels {ids} do not exist"): ...


class ProductsDoNotExist(OneRequestError, template="Products {ids} do not exist"): ...


class PublishableApiKeyNotFound(IdNotFound, label="Publishable key"): ...


class PublishableApiKeyAlreadyRevoked(
    NotAllowed, message="PublishableApiKey has already been revoked."
): ...


class PublishableApiKeyInvalid(
    NotAllowed, message="A valid publishable key is required to proceed with the request"
):
    """Design §5: an unknown or revoked key is refused (Medusa silently ignores it)."""


class PublishableApiKeyWithoutChannels(
    NotAllowed, message="Publishable key needs to have a sales channel configured"
):
    """Design §5: a key with no channels is refused (Medusa applies no restriction)."""


class PublishableApiKeyMultipleChannels(
    InvalidData,
    message="The PublishableApiKey provided in the request header has multiple associated sales channels.",
):
    """Design §5: Medusa answers this with a 500; we keep its words and make it a 400."""


class SalesChannelOutsideKeyScope(
    OneRequestError,
    template="Provided sales channel id param: {ids} is not associated with " + KEY_IN_HEADER,
    joiner=",",
): ...


class SalesChannelsFeatureDisabled(NotFound, message="Sales channels are not enabled"): ...
