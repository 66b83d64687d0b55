"""`commerce.updates.changes_apply`: the one partial update of every service."""

import pytest

from commerce.updates import UNSET, changes_apply
from saleschannels.models import SalesChannel
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


def test_sets_and_saves_only_the_given_fields(django_assert_num_queries):
    # given: a stale copy, and another writer's change to a field the update does not give
    channel = SalesChannelFactory(name="Web", description="Old", is_disabled=False)
    stamp = channel.updated_at
    SalesChannel.objects.filter(pk=channel.pk).update(is_disabled=True)

    # when: None is a value ("clear it"), UNSET is "not given"
    with django_assert_num_queries(1):
        fields = changes_apply(channel, {"name": "Shop", "description": None, "metadata": UNSET})

    # then
    assert fields == ["updated_at", "name", "description"]
    channel.refresh_from_db()
    assert (channel.name, channel.description, channel.is_disabled) == ("Shop", None, True)
    assert channel.updated_at > stamp


def test_without_save_only_sets_and_names_the_fields(django_assert_num_queries):
    channel = SalesChannelFactory(name="Web")

    with django_assert_num_queries(0):
        fields = changes_apply(channel, {"name": "Shop"}, save=False)

    assert fields == ["updated_at", "name"]
    assert channel.name == "Shop"
    assert SalesChannel.objects.get(pk=channel.pk).name == "Web"
