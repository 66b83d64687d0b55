"""Chromium: a staff user scoped to one channel sees that channel's orders, and no other's."""

from __future__ import annotations

import pytest

from tests.browser.conftest import STAFF_PASSWORD
from tests.security.scope_shop import scope_shop_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_scoped_user_sees_one_channels_orders_and_the_others_are_404(page):
    # given: channels A and B with an order each; the clerk (Admin role) is scoped to A
    shop = scope_shop_create()
    shop.clerk.set_password(STAFF_PASSWORD)
    shop.clerk.save(update_fields=["password"])

    # when: the clerk signs in through the login form
    page.goto("/admin/login/?next=/admin/orders/order/")
    page.fill("#id_username", shop.clerk.email)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/orders/order/")

    # then: only channel A's order is listed, and the channel filter offers A alone
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "a@example.com" in rows.first.inner_text()
    assert "b@example.com" not in page.content()
    filters = page.locator("#changelist-filter").inner_text()
    assert "Web A" in filters
    assert "B2B B" not in filters

    # and the other channel's order page is a 404, its own opens
    response = page.goto(f"/admin/orders/order/{shop.order_b.pk}/change/")
    assert response.status == 404
    response = page.goto(f"/admin/orders/order/{shop.order_a.pk}/change/")
    assert response.status == 200
    assert "a@example.com" in page.content()
