"""Timestamps as Medusa prints them (commerce.api.serializers.medusa_timestamp): UTC, milliseconds, `Z`."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.api import serializers as api_serializers
from commerce.api.serializers import MillisecondDateTimeField, medusa_timestamp


def _reference(value: datetime) -> str:
    """The format from its definition: the UTC moment's fields, milliseconds truncated."""
    utc = value.astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
        f"{utc.second:02d}.{utc.microsecond // 1000:03d}Z"
    )


@given(
    st.datetimes(
        # Hypothesis bounds are naive (the zone is drawn apart); a day in from each end.
        min_value=datetime(1, 1, 2),  # noqa: DTZ001
        max_value=datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=5, minutes=30)), ZoneInfo("America/New_York")]
        ),
    )
)
def test_any_moment_prints_as_its_definition(value):
    assert medusa_timestamp(value) == _reference(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 12, 7, 2, 50, 44, 138644, tzinfo=UTC), "2026-12-07T02:50:44.138Z"),
        (datetime(2026, 12, 7, 23, 59, 59, 999999, tzinfo=UTC), "2026-12-07T23:59:59.999Z"),
        (datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC), "2026-01-01T00:00:00.000Z"),
        (datetime(999, 3, 4, 5, 6, 7, 8000, tzinfo=UTC), "0999-03-04T05:06:07.008Z"),
        # Another zone: the UTC moment, whose day may differ.
        (
            datetime(2026, 12, 7, 1, 0, 0, 500, tzinfo=timezone(timedelta(hours=2))),
            "2026-12-06T23:00:00.000Z",
        ),
    ],
)
def test_known_moments(value, expected):
    assert medusa_timestamp(value) == expected
    assert MillisecondDateTimeField().to_representation(value) == expected


def test_null_renders_as_null():
    assert MillisecondDateTimeField().to_representation(None) is None


def test_the_table_of_days_starts_again_when_full(monkeypatch):
    monkeypatch.setattr(api_serializers, "_DAYS", {})
    monkeypatch.setattr(api_serializers, "_DAYS_KEPT", 3)
    first = datetime(2026, 1, 1, 12, tzinfo=UTC)
    values = [first + timedelta(days=n) for n in range(7)]

    printed = [medusa_timestamp(value) for value in values]

    assert printed == [_reference(value) for value in values]
    assert len(api_serializers._DAYS) <= 3
    assert medusa_timestamp(first) == "2026-01-01T12:00:00.000Z"
