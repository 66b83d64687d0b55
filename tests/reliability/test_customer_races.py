"""Races on PostgreSQL: one account and one guest per email, however many arrive at once."""

from functools import partial

import pytest

from customers.exceptions import CustomerAccountExists
from customers.models import Customer
from customers.services import customer_create, customer_guest_for_email
from tests.reliability.concurrency import errors_of, run_concurrently

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_ten_simultaneous_registrations_of_one_email_make_one_account():
    """Guard: the partial unique constraint on (email, has_account) among live customers."""
    register = partial(customer_create, email="ada@example.com", password="pw-123456")
    outcomes = run_concurrently(*[register] * 10)
    account = Customer.objects.get(email="ada@example.com", has_account=True)
    assert [o.value.pk for o in outcomes if o.error is None] == [account.pk]
    errors = errors_of(outcomes)
    assert len(errors) == 9
    assert all(isinstance(e, CustomerAccountExists) for e in errors)


def test_ten_simultaneous_guest_checkouts_of_one_email_share_one_guest():
    """Guard: the same constraint, and the re-read after losing the insert."""
    guest = partial(customer_guest_for_email, email="guest@example.com")
    outcomes = run_concurrently(*[guest] * 10)
    assert errors_of(outcomes) == []
    row = Customer.objects.get(email="guest@example.com", has_account=False)
    assert {o.value.pk for o in outcomes} == {row.pk}
