"""Prefixed ULID identifiers (`sc_01J…`), as Medusa generates them."""

import os
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(timestamp_ms: int | None = None) -> str:
    """Return a new 26-character ULID: 48 bits of milliseconds, then 80 random bits."""
    if timestamp_ms is None:
        timestamp_ms = time.time_ns() // 1_000_000
    value = (timestamp_ms << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def generate_id(prefix: str) -> str:
    """Return `<prefix>_<ULID>`, the id format of every entity in the contract."""
    return f"{prefix}_{ulid()}"
