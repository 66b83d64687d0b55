"""Prefixed ULID identifiers (`sc_01J…`), as Medusa generates them.

The one ULID encoder: the API's ids and the bulk generator's (orders.generation) both come
from here. Ten bits at a time (a table of the 1,024 two-character pairs): the generator
makes millions of ids a run.
"""

import os
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PAIRS = [a + b for a in _CROCKFORD for b in _CROCKFORD]  # every 10-bit value as 2 characters


def ulid_time_part(timestamp_ms: int) -> str:
    """Return the first 10 ULID characters: the 48-bit millisecond timestamp."""
    p, t = _PAIRS, timestamp_ms
    return (
        p[t >> 40] + p[(t >> 30) & 1023] + p[(t >> 20) & 1023] + p[(t >> 10) & 1023] + p[t & 1023]
    )


def ulid_random_part(random_bits: int) -> str:
    """Return the last 16 ULID characters: 80 random bits."""
    p, r = _PAIRS, random_bits
    return (
        p[r >> 70]
        + p[(r >> 60) & 1023]
        + p[(r >> 50) & 1023]
        + p[(r >> 40) & 1023]
        + p[(r >> 30) & 1023]
        + p[(r >> 20) & 1023]
        + p[(r >> 10) & 1023]
        + p[r & 1023]
    )


def ulid(timestamp_ms: int | None = None) -> str:
    """Return a new 26-character ULID: 48 bits of milliseconds, then 80 random bits."""
    if timestamp_ms is None:
        timestamp_ms = time.time_ns() // 1_000_000
    return ulid_time_part(timestamp_ms) + ulid_random_part(int.from_bytes(os.urandom(10), "big"))


def generate_id(prefix: str) -> str:
    """Return `<prefix>_<ULID>`, the id format of every entity in the contract."""
    return f"{prefix}_{ulid()}"
