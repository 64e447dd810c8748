"""Inputs kept as failed before any parsing: what a mailbox handed over but nextstep
could not even take as a message (not valid base64url, over the size limit). They are
stored with the reason, so they show in `nextstep inputs list --failed` and count as
seen: a poller does not fetch them again."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlmodel import Session

from bot.vocabulary import InputSource, InputStatus
from storage.models import InboundMessage
from storage.repo import add_inbound


def keep_failed_input(
    raw: bytes,
    *,
    source: InputSource,
    source_id: str | None,
    error: str,
    now: datetime,
    session: Session,
) -> int:
    """Store ``raw`` as a failed input with ``error``; its id (the stored one when the
    same bytes were kept before)."""
    inbound = InboundMessage(
        source=source,
        source_id=source_id,
        content_hash=hashlib.sha256(raw).hexdigest(),
        raw=raw,
        received_at=now,
        status=InputStatus.FAILED,
        error=error,
        attempts=1,
    )
    kept, _ = add_inbound(inbound, session=session)  # kept before: its id
    assert kept.id is not None
    return kept.id
