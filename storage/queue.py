"""The intake queue: stored inputs waiting for analysis, claimed by workers.

A front end stores the raw input (status ``received``) and answers; a worker claims it
with ``claim``, which marks it ``processing`` with a lease (``claimed_by``,
``lease_until``) in one short transaction, and commits the outcome later. An input
whose worker died is claimed again once its lease has run out.

On PostgreSQL the candidates are selected ``FOR UPDATE SKIP LOCKED``, so any number of
workers claim different inputs without waiting on each other. SQLite renders no row
lock: the ``UPDATE`` re-checks the claimable condition and SQLite runs one writer at a
time, so two claimers never take the same input, but one worker is all it needs.

Calendar parts are not queued: the calendar check reads them (they stay ``received``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from bot.vocabulary import InputSource, InputStatus
from storage.models import InboundMessage

WAITING = (InputStatus.RECEIVED, InputStatus.PROCESSING)


def claimable(now: datetime) -> ColumnElement[bool]:
    """Inputs waiting for analysis: received or processing, with no live lease."""
    return and_(
        col(InboundMessage.status).in_(list(WAITING)),
        col(InboundMessage.source) != InputSource.CALENDAR,
        or_(col(InboundMessage.lease_until).is_(None), col(InboundMessage.lease_until) <= now),
    )


def claim(
    worker: str, *, now: datetime, lease: timedelta, limit: int = 1, session: Session
) -> list[int]:
    """Claim up to ``limit`` waiting inputs for ``worker``, oldest first; committed."""
    # A CTE runs once; a plain IN (subquery) may be run again per row on PostgreSQL,
    # each run skipping the rows the last one locked, and so claim more than ``limit``.
    candidates = (
        select(col(InboundMessage.id).label("id"))
        .where(claimable(now))
        .order_by(col(InboundMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("candidates")
    )
    statement = (
        update(InboundMessage)
        .where(col(InboundMessage.id).in_(select(candidates.c.id)), claimable(now))
        .values(status=InputStatus.PROCESSING, claimed_by=worker, lease_until=now + lease)
        .returning(col(InboundMessage.id))
        .execution_options(synchronize_session=False)
    )
    claimed = sorted(row[0] for row in session.execute(statement))
    session.commit()
    return claimed


def holds(inbound_id: int, worker: str, *, session: Session) -> bool:
    """Whether ``worker`` still holds the input (its lease was not taken over); locks
    the row on PostgreSQL until the transaction ends, so the outcome is written once."""
    statement = (
        select(col(InboundMessage.claimed_by))
        .where(col(InboundMessage.id) == inbound_id)
        .with_for_update()
    )
    return session.exec(statement).first() == worker


def release(inbound_ids: Sequence[int], *, session: Session) -> None:
    """Give inputs back to the queue at once (a worker stopping before it began them)."""
    if not inbound_ids:
        return
    session.execute(
        update(InboundMessage)
        .where(
            col(InboundMessage.id).in_(list(inbound_ids)),
            col(InboundMessage.status) == InputStatus.PROCESSING,
        )
        .values(status=InputStatus.RECEIVED, claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def waiting_ids(*, now: datetime, session: Session, stuck_only: bool = False) -> list[int]:
    """Inputs not yet analysed, oldest first; with ``stuck_only`` only those no live
    worker holds (``nextstep reprocess --stuck``)."""
    condition = (
        claimable(now)
        if stuck_only
        else and_(
            col(InboundMessage.status).in_(list(WAITING)),
            col(InboundMessage.source) != InputSource.CALENDAR,
        )
    )
    statement = select(col(InboundMessage.id)).where(condition).order_by(col(InboundMessage.id))
    return [i for i in session.exec(statement) if i is not None]
