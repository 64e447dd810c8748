"""Inputs kept as failed before any parsing: what a mailbox handed over but nextstep
could not even take as a message (not valid base64url, over the size limit). They are
stored with the reason, so they show in `nextstep inputs list --failed` and count as
seen: a poller does not fetch them again."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from bot.errors import StorageError
from bot.vocabulary import InputSource, InputStatus
from storage.models import InboundMessage
from storage.repo import find_inbound_duplicate


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
    content_hash = hashlib.sha256(raw).hexdigest()
    known = find_inbound_duplicate(content_hash, None, session=session)
    if known is not None and known.id is not None:
        return known.id
    inbound = InboundMessage(
        source=source,
        source_id=source_id,
        content_hash=content_hash,
        raw=raw,
        received_at=now,
        status=InputStatus.FAILED,
        error=error,
        attempts=1,
    )
    try:
        session.add(inbound)
        session.commit()
    except IntegrityError:  # kept a moment ago by another poller
        session.rollback()
        known = find_inbound_duplicate(content_hash, None, session=session)
        if known is None or known.id is None:
            raise StorageError("The failed input could not be kept.") from None
        return known.id
    except SQLAlchemyError as db_error:
        session.rollback()
        raise StorageError(f"The failed input could not be kept: {db_error}") from db_error
    assert inbound.id is not None
    return inbound.id
