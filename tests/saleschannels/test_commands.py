import io

import pytest
from django.core.management import call_command

from commerce.models import Store

pytestmark = pytest.mark.django_db


def test_command_repairs_a_store_without_default(default_channel):
    Store.objects.update(default_sales_channel=None)
    out = io.StringIO()
    call_command("ensure_default_sales_channel", stdout=out)
    store = Store.objects.get()
    assert (
        out.getvalue()
        == f"Default sales channel: Default Sales Channel ({store.default_sales_channel_id})\n"
    )
    assert store.default_sales_channel_id != default_channel.pk


def test_command_reports_the_existing_default(default_channel):
    out = io.StringIO()
    call_command("ensure_default_sales_channel", stdout=out)
    assert (
        out.getvalue() == f"Default sales channel: Default Sales Channel ({default_channel.pk})\n"
    )
