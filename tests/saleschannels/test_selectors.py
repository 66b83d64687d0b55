import pytest

from saleschannels.exceptions import PublishableApiKeyInvalid, PublishableApiKeyWithoutChannels
from saleschannels.selectors import KeyScope, publishable_key_scope_resolve
from saleschannels.services import publishable_api_key_revoke
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db


def test_scope_lists_the_keys_live_channels():
    web, app, gone = (
        SalesChannelFactory(),
        SalesChannelFactory(),
        SalesChannelFactory(deleted_at="2026-01-01T00:00:00Z"),
    )
    key = PublishableApiKeyFactory(sales_channels=[web, app, gone])
    scope = publishable_key_scope_resolve(key_id=key.pk)
    assert scope == KeyScope(key_id=key.pk, sales_channel_ids=tuple(sorted([web.pk, app.pk])))


@pytest.mark.parametrize("kind", ["unknown", "revoked"])
def test_unknown_or_revoked_key_is_refused(kind):
    key = PublishableApiKeyFactory(sales_channels=[SalesChannelFactory()])
    key_id = "pk_unknown" if kind == "unknown" else key.pk
    if kind == "revoked":
        publishable_api_key_revoke(key_id=key.pk)
    with pytest.raises(PublishableApiKeyInvalid) as error:
        publishable_key_scope_resolve(key_id=key_id)
    assert error.value.type == "not_allowed"
    assert error.value.message == "A valid publishable key is required to proceed with the request"


def test_key_without_channels_is_refused():
    key = PublishableApiKeyFactory()
    with pytest.raises(PublishableApiKeyWithoutChannels) as error:
        publishable_key_scope_resolve(key_id=key.pk)
    assert error.value.message == "Publishable key needs to have a sales channel configured"


def test_key_whose_channels_are_all_deleted_is_refused():
    key = PublishableApiKeyFactory(
        sales_channels=[SalesChannelFactory(deleted_at="2026-01-01T00:00:00Z")]
    )
    with pytest.raises(PublishableApiKeyWithoutChannels):
        publishable_key_scope_resolve(key_id=key.pk)


def test_keys_are_ignored_with_their_flag_off(flags_off):
    flags_off("publishable_api_keys")
    assert publishable_key_scope_resolve(key_id="pk_anything") is None
