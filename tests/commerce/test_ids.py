"""The one ULID encoder (commerce.ids): 26 Crockford characters, time first, sortable."""

import pytest

from commerce.ids import generate_id, ulid, ulid_random_part, ulid_time_part

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _five_bits_at_a_time(timestamp_ms: int, random_bits: int) -> str:
    """The ULID spec's encoding, one character (5 bits) at a time."""
    value = (timestamp_ms << 80) | random_bits
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


@pytest.mark.parametrize(
    ("timestamp_ms", "random_bits"),
    [
        (0, 0),
        (2**48 - 1, 2**80 - 1),
        (1_780_000_000_123, 0x0123456789ABCDEF0123),
        (1_469_922_850_259, 2**79 + 12345),
    ],
)
def test_the_ten_bit_encoder_matches_the_spec(timestamp_ms, random_bits):
    encoded = ulid_time_part(timestamp_ms) + ulid_random_part(random_bits)

    assert encoded == _five_bits_at_a_time(timestamp_ms, random_bits)
    assert len(encoded) == 26


def test_ids_sort_by_time_and_carry_their_prefix():
    earlier, later = ulid(1_780_000_000_000), ulid(1_780_000_000_001)

    assert earlier < later
    assert earlier[:10] == _five_bits_at_a_time(1_780_000_000_000, 0)[:10]
    new_id = generate_id("sc")
    assert new_id.startswith("sc_")
    assert len(new_id) == 29
