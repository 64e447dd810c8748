"""Nudges as jobs: claimed atomically by whichever worker gets there first, then
marked sent or failed. Safe with many scheduler processes on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from storage.models import Nudge, NudgeStatus


def claim_due_nudges(
    now: datetime,
    limit: int,
    *,
    session: Session,
    reclaim_after: timedelta = timedelta(minutes=10),
    commit: bool = True,
) -> list[Nudge]:
    """Take up to ``limit`` nudges that are due, so that no other worker sends them.

    One atomic ``UPDATE ... RETURNING``; on PostgreSQL the rows are picked with
    ``FOR UPDATE SKIP LOCKED`` so workers claiming at once get disjoint rows without
    waiting for each other (SQLite has one writer at a time, which is as safe). A
    claim older than ``reclaim_after`` (a worker died mid-send) is taken again. The
    claim is committed, as it must be before calling Slack, unless ``commit=False``.
    """
    due = or_(
        col(Nudge.status) == NudgeStatus.PLANNED,
        and_(
            col(Nudge.status) == NudgeStatus.CLAIMED,
            col(Nudge.claimed_at) < now - reclaim_after,
        ),
    )
    picked = (
        select(col(Nudge.id))
        .where(due, col(Nudge.planned_for) <= now)
        .order_by(col(Nudge.planned_for), col(Nudge.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Nudge)
        .where(col(Nudge.id).in_(picked))
        .values(status=NudgeStatus.CLAIMED, claimed_at=now, attempts=Nudge.attempts + 1)
        .returning(Nudge)
        .execution_options(synchronize_session=False)
    )
    claimed = sorted(session.scalars(statement).all(), key=lambda n: (n.planned_for, n.id or 0))
    if commit:
        session.commit()
    return claimed


def mark_nudge_sent(
    nudge: Nudge, *, channel: str, ts: str, now: datetime, session: Session
) -> Nudge:
    nudge.status = NudgeStatus.SENT
    nudge.sent_at = now
    nudge.slack_channel = channel
    nudge.slack_ts = ts
    nudge.error = None
    session.add(nudge)
    session.flush()
    return nudge


def mark_nudge_failed(
    nudge: Nudge, *, error: str, retry_at: datetime | None, session: Session
) -> Nudge:
    """Record a failed send: planned again for ``retry_at``, or failed for good."""
    nudge.error = error
    nudge.status = NudgeStatus.PLANNED if retry_at else NudgeStatus.FAILED
    if retry_at is not None:
        nudge.planned_for = retry_at
    session.add(nudge)
    session.flush()
    return nudge
