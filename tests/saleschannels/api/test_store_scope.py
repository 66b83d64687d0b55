import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from saleschannels.api.store.scope import (
    request_key_scope,
    sales_channel_param_check,
    store_channel_ids,
)
from saleschannels.exceptions import (
    PublishableApiKeyInvalid,
    PublishableApiKeyWithoutChannels,
    SalesChannelOutsideKeyScope,
)
from saleschannels.selectors import KeyScope
from saleschannels.services import publishable_api_key_revoke
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db


def _request(key=None):
    headers = {"HTTP_X_PUBLISHABLE_API_KEY": key} if key is not None else {}
    return Request(APIRequestFactory().get("/api/store/products", **headers))


def test_no_header_is_no_scope():
    assert request_key_scope(_request()) is None
    assert request_key_scope(_request("   ")) is None


def test_header_resolves_to_the_keys_channels():
    web = SalesChannelFactory()
    key = PublishableApiKeyFactory(sales_channels=[web])
    assert request_key_scope(_request(key.pk)) == KeyScope(
        key_id=key.pk, sales_channel_ids=(web.pk,)
    )


def test_scope_is_resolved_once_per_request(django_assert_num_queries):
    key = PublishableApiKeyFactory(sales_channels=[SalesChannelFactory()])
    request = _request(key.pk)
    # the key (not revoked) with its channels, in one statement
    with django_assert_num_queries(1):
        first = request_key_scope(request)
    with django_assert_num_queries(0):
        assert request_key_scope(request) is first


@pytest.mark.parametrize("kind", ["unknown", "revoked"])
def test_unknown_or_revoked_key_is_refused(kind):
    key = PublishableApiKeyFactory(sales_channels=[SalesChannelFactory()])
    if kind == "revoked":
        publishable_api_key_revoke(key_id=key.pk)
    with pytest.raises(PublishableApiKeyInvalid):
        request_key_scope(_request("pk_unknown" if kind == "unknown" else key.pk))


def test_key_without_channels_is_refused():
    with pytest.raises(PublishableApiKeyWithoutChannels):
        request_key_scope(_request(PublishableApiKeyFactory().pk))


def test_keys_are_ignored_when_sales_channels_are_off(flags_off):
    flags_off("sales_channels")
    assert request_key_scope(_request("pk_unknown")) is None


def test_param_within_the_scope_passes():
    scope = KeyScope(key_id="pk_1", sales_channel_ids=("sc_a", "sc_b"))
    sales_channel_param_check(requested=["sc_b"], scope=scope)
    sales_channel_param_check(requested=["sc_x"], scope=None)


def test_param_outside_the_scope_names_every_outsider():
    scope = KeyScope(key_id="pk_1", sales_channel_ids=("sc_a",))
    with pytest.raises(SalesChannelOutsideKeyScope) as error:
        sales_channel_param_check(requested=["sc_a", "sc_x", "sc_y"], scope=scope)
    assert error.value.errors == [
        "Provided sales channel id param: sc_x,sc_y is not associated with the Publishable "
        "API Key passed in the header of the request."
    ]


def test_catalogue_without_param_or_key_is_the_default_channel(default_channel):
    assert store_channel_ids(_request(), requested=None) == [default_channel.pk]
    assert store_channel_ids(_request(), requested=[]) == [default_channel.pk]


def test_catalogue_param_without_key_is_taken_as_is(default_channel):
    assert store_channel_ids(_request(), requested=["sc_x", "sc_x", "sc_y"]) == ["sc_x", "sc_y"]


def test_catalogue_with_key_is_the_keys_channels_or_a_subset(default_channel):
    web, app = SalesChannelFactory(), SalesChannelFactory()
    key = PublishableApiKeyFactory(sales_channels=[web, app])
    assert sorted(store_channel_ids(_request(key.pk), requested=None)) == sorted([web.pk, app.pk])
    assert store_channel_ids(_request(key.pk), requested=[app.pk]) == [app.pk]
    with pytest.raises(SalesChannelOutsideKeyScope):
        store_channel_ids(_request(key.pk), requested=[default_channel.pk])


def test_catalogue_is_unlimited_when_the_feature_is_off(flags_off, default_channel):
    flags_off("sales_channels")
    assert store_channel_ids(_request(), requested=None) is None
