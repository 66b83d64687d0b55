"""Send a domain signal once the current transaction commits (immediately outside one)."""

from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal


def send_on_commit(signal: Signal, sender: type, **payload: Any) -> None:
    """Queue `signal.send(sender, **payload)` for after commit, so receivers never see rolled-back work."""
    transaction.on_commit(partial(signal.send, sender=sender, **payload))
