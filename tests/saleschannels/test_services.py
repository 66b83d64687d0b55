import pytest

from commerce.models import Store
from saleschannels import signals
from saleschannels.exceptions import (
    DefaultSalesChannelMustBeEnabled,
    DefaultSalesChannelNotDeletable,
    DefaultSalesChannelNotDisableable,
    PublishableApiKeyAlreadyRevoked,
    PublishableApiKeyNotFound,
    SalesChannelNotFound,
    SalesChannelsDoNotExist,
)
from saleschannels.models import PublishableApiKeySalesChannel, SalesChannel
from saleschannels.services import (
    DEFAULT_CHANNEL_NAME,
    ensure_default_sales_channel,
    publishable_api_key_create,
    publishable_api_key_revoke,
    publishable_api_key_sales_channels_add,
    publishable_api_key_sales_channels_remove,
    sales_channel_create,
    sales_channel_delete,
    sales_channel_update,
    store_default_sales_channel_set,
)
from tests.commerce.factories import StaffUserFactory
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db


def test_migrate_created_the_store_and_its_default_channel():
    store = Store.objects.get()
    assert store.default_sales_channel.name == DEFAULT_CHANNEL_NAME
    assert store.default_sales_channel.is_disabled is False
    assert SalesChannel.objects.count() == 1


def test_ensure_default_is_idempotent(default_channel):
    first = ensure_default_sales_channel()
    second = ensure_default_sales_channel()
    assert first.pk == second.pk == default_channel.pk
    assert SalesChannel.all_objects.count() == 1


def test_ensure_default_repairs_a_deleted_default(default_channel):
    # given: the row was soft-deleted behind the services' back
    SalesChannel.objects.filter(pk=default_channel.pk).update(deleted_at="2026-01-01T00:00:00Z")

    # when
    repaired = ensure_default_sales_channel()

    # then
    assert repaired.pk != default_channel.pk
    assert Store.objects.get().default_sales_channel_id == repaired.pk
    assert repaired.name == DEFAULT_CHANNEL_NAME


def test_ensure_default_repairs_a_store_without_default(default_channel):
    Store.objects.update(default_sales_channel=None)
    repaired = ensure_default_sales_channel()
    assert Store.objects.get().default_sales_channel_id == repaired.pk


def test_ensure_default_enables_a_disabled_default(default_channel):
    SalesChannel.objects.filter(pk=default_channel.pk).update(is_disabled=True)
    repaired = ensure_default_sales_channel()
    assert repaired.pk == default_channel.pk
    default_channel.refresh_from_db()
    assert default_channel.is_disabled is False


def test_ensure_default_does_nothing_with_the_flag_off(default_channel, flags_off):
    flags_off("sales_channels")
    Store.objects.update(default_sales_channel=None)
    assert ensure_default_sales_channel() is None
    assert Store.objects.get().default_sales_channel_id is None
    assert SalesChannel.objects.count() == 1


def test_create_sends_created_after_commit(django_capture_on_commit_callbacks):
    received = []
    signals.sales_channel_created.connect(
        lambda sender, **kw: received.append(kw["id"]), weak=False
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            channel = sales_channel_create(
                name="B2B", description="Wholesale", metadata={"tier": 1}
            )
    finally:
        signals.sales_channel_created.receivers.clear()
    assert received == [channel.pk]
    assert channel.metadata == {"tier": 1}
    assert channel.pk.startswith("sc_")


def test_update_changes_only_given_fields():
    channel = SalesChannelFactory(name="Web", description="Shop")
    sales_channel_update(channel_id=channel.pk, name="Web shop", metadata={"a": 1})
    channel.refresh_from_db()
    assert (channel.name, channel.description, channel.metadata) == ("Web shop", "Shop", {"a": 1})


def test_update_refuses_to_disable_the_default(default_channel):
    with pytest.raises(DefaultSalesChannelNotDisableable) as error:
        sales_channel_update(channel_id=default_channel.pk, is_disabled=True)
    assert error.value.message == "You cannot disable the default sales channel"
    assert error.value.type == "not_allowed"
    default_channel.refresh_from_db()
    assert default_channel.is_disabled is False


def test_update_unknown_channel_is_not_found():
    with pytest.raises(SalesChannelNotFound) as error:
        sales_channel_update(channel_id="sc_missing", name="x")
    assert error.value.message == "Sales channel with id: sc_missing was not found"


def test_delete_refuses_the_default(default_channel):
    with pytest.raises(DefaultSalesChannelNotDeletable) as error:
        sales_channel_delete(channel_id=default_channel.pk)
    assert error.value.message == "You cannot delete the default sales channel"
    assert SalesChannel.objects.filter(pk=default_channel.pk).exists()


def test_delete_is_soft_and_idempotent():
    channel = SalesChannelFactory()
    sales_channel_delete(channel_id=channel.pk)
    sales_channel_delete(channel_id=channel.pk)
    sales_channel_delete(channel_id="sc_never_existed")
    assert SalesChannel.objects.filter(pk=channel.pk).exists() is False
    assert SalesChannel.all_objects.get(pk=channel.pk).deleted_at is not None


def test_store_default_must_be_enabled(default_channel):
    disabled = SalesChannelFactory(is_disabled=True, name="Outlet")
    with pytest.raises(DefaultSalesChannelMustBeEnabled) as error:
        store_default_sales_channel_set(channel_id=disabled.pk)
    assert error.value.message == 'The default sales channel must be enabled; "Outlet" is disabled'
    assert Store.objects.get().default_sales_channel_id == default_channel.pk


def test_store_default_can_move_to_another_enabled_channel(default_channel):
    other = SalesChannelFactory()
    store_default_sales_channel_set(channel_id=other.pk)
    assert Store.objects.get().default_sales_channel_id == other.pk
    # and the old default may now be deleted
    sales_channel_delete(channel_id=default_channel.pk)
    assert SalesChannel.objects.filter(pk=default_channel.pk).exists() is False


def test_key_create_links_channels_and_refuses_unknown_ones():
    user = StaffUserFactory()
    web = SalesChannelFactory()
    key = publishable_api_key_create(title="Web", created_by=user, sales_channel_ids=[web.pk])
    assert key.pk.startswith("pk_")
    assert list(key.sales_channels.values_list("pk", flat=True)) == [web.pk]
    with pytest.raises(SalesChannelsDoNotExist) as error:
        publishable_api_key_create(title="Bad", sales_channel_ids=["sc_nope", web.pk, "sc_nada"])
    assert error.value.errors == ["Sales Channels sc_nope, sc_nada do not exist"]


def test_key_revoke_twice_is_refused():
    key = PublishableApiKeyFactory()
    user = StaffUserFactory()
    publishable_api_key_revoke(key_id=key.pk, revoked_by=user)
    key.refresh_from_db()
    revoked_at = key.revoked_at
    assert key.revoked_by_id == user.pk
    with pytest.raises(PublishableApiKeyAlreadyRevoked) as error:
        publishable_api_key_revoke(key_id=key.pk, revoked_by=user)
    assert error.value.message == "PublishableApiKey has already been revoked."
    key.refresh_from_db()
    assert key.revoked_at == revoked_at


def test_key_channel_batch_is_idempotent():
    key = PublishableApiKeyFactory()
    web, app = SalesChannelFactory(), SalesChannelFactory()
    publishable_api_key_sales_channels_add(
        key_id=key.pk, sales_channel_ids=[web.pk, app.pk, web.pk]
    )
    publishable_api_key_sales_channels_add(key_id=key.pk, sales_channel_ids=[web.pk])
    assert PublishableApiKeySalesChannel.objects.filter(publishable_key=key).count() == 2
    publishable_api_key_sales_channels_remove(
        key_id=key.pk, sales_channel_ids=[web.pk, "sc_not_linked"]
    )
    assert list(
        PublishableApiKeySalesChannel.objects.values_list("sales_channel_id", flat=True)
    ) == [app.pk]


def test_key_batch_on_unknown_key_is_not_found():
    with pytest.raises(PublishableApiKeyNotFound) as error:
        publishable_api_key_sales_channels_add(key_id="pk_missing", sales_channel_ids=[])
    assert error.value.message == "Publishable key with id: pk_missing was not found"
