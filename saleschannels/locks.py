"""Row locks on sales channels, in the one lock order of docs/reliability.md ("Lock order")."""

from __future__ import annotations

from saleschannels.exceptions import SalesChannelNotFound
from saleschannels.models import SalesChannel


def live_channel_for_update(channel_id: str) -> SalesChannel:
    """Lock a live channel FOR NO KEY UPDATE, or raise SalesChannelNotFound.

    Serialises the edits of one channel (its fields, its products in a batch), so overlapping
    writes end in the state of the last one to commit. NO KEY: the foreign-key checks of links
    saved meanwhile by other writers (a product saved with its channels) take FOR KEY SHARE on
    the channel at their commit, which FOR UPDATE would block while this writer waits on their
    uncommitted link.
    """
    channel = (
        SalesChannel.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=channel_id)
        .first()
    )
    if channel is None:
        raise SalesChannelNotFound(channel_id)
    return channel
