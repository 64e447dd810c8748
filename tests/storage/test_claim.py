"""Nudges due now are claimed once, by one worker, however many run."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.models import Nudge, NudgeStatus, Rep
from storage.nudges import claim_due_nudges, mark_nudge_failed, mark_nudge_sent

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def plan(session: Session, count: int, *, start: datetime, every: timedelta) -> list[int]:
    rep = Rep(display_name="Dana")
    session.add(rep)
    session.flush()
    nudges = [
        Nudge(
            rep_id=rep.id or 0,
            reason="unacknowledged",
            dedupe_key=f"unacknowledged:{i}",
            planned_for=start + i * every,
        )
        for i in range(count)
    ]
    session.add_all(nudges)
    session.commit()
    return [n.id or 0 for n in nudges]


def test_only_due_nudges_are_claimed_oldest_first(session: Session) -> None:
    ids = plan(session, 5, start=NOW - timedelta(hours=2), every=timedelta(hours=1))

    claimed = claim_due_nudges(NOW, 10, session=session)

    assert [n.id for n in claimed] == ids[:3]  # -2h, -1h, now; not +1h, +2h
    assert all(n.status == NudgeStatus.CLAIMED and n.claimed_at == NOW for n in claimed)
    assert claim_due_nudges(NOW, 10, session=session) == []


def test_limit_is_respected(session: Session) -> None:
    ids = plan(session, 5, start=NOW - timedelta(hours=5), every=timedelta(minutes=1))

    assert [n.id for n in claim_due_nudges(NOW, 2, session=session)] == ids[:2]
    assert [n.id for n in claim_due_nudges(NOW, 2, session=session)] == ids[2:4]


def test_a_claim_abandoned_by_a_dead_worker_is_taken_again(session: Session) -> None:
    [nudge_id] = plan(session, 1, start=NOW - timedelta(hours=1), every=timedelta(0))
    claim_due_nudges(NOW - timedelta(minutes=30), 1, session=session)

    assert claim_due_nudges(NOW - timedelta(minutes=25), 1, session=session) == []
    [again] = claim_due_nudges(NOW, 1, session=session)
    assert (again.id, again.attempts) == (nudge_id, 2)


def test_sent_and_failed_nudges_are_not_claimed(session: Session) -> None:
    plan(session, 3, start=NOW - timedelta(hours=1), every=timedelta(0))
    first, second, third = claim_due_nudges(NOW, 3, session=session)
    mark_nudge_sent(first, channel="D1", ts="1.2", now=NOW, session=session)
    mark_nudge_failed(second, error="channel_not_found", retry_at=None, session=session)
    mark_nudge_failed(
        third, error="ratelimited", retry_at=NOW + timedelta(minutes=1), session=session
    )
    session.commit()

    assert claim_due_nudges(NOW, 10, session=session) == []
    [retried] = claim_due_nudges(NOW + timedelta(minutes=1), 10, session=session)
    assert retried.id == third.id


def test_two_workers_claiming_at_once_get_disjoint_nudges(engine: Engine) -> None:
    with Session(engine) as session:
        ids = plan(session, 60, start=NOW - timedelta(hours=1), every=timedelta(seconds=1))
    barrier = threading.Barrier(2)
    claims: list[list[int]] = [[], []]

    def worker(index: int) -> None:
        with Session(engine) as session:
            for _ in range(10):
                barrier.wait(timeout=30)
                claims[index] += [n.id or 0 for n in claim_due_nudges(NOW, 4, session=session)]

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not set(claims[0]) & set(claims[1])
    assert sorted(claims[0] + claims[1]) == ids  # 20 claims of 4 cover all 60
    with Session(engine) as session:
        attempts = session.exec(select(Nudge.attempts)).all()
    assert set(attempts) == {1}


@pytest.mark.postgres
def test_postgres_skips_rows_another_worker_holds_instead_of_waiting(postgres_url: str) -> None:
    from storage.db import make_engine
    from tests.conftest import clear_tables

    clear_tables(postgres_url)
    engine = make_engine(postgres_url)
    with Session(engine) as session:
        ids = plan(session, 6, start=NOW - timedelta(hours=1), every=timedelta(minutes=1))

    with Session(engine) as first, Session(engine) as second:
        held = [n.id for n in claim_due_nudges(NOW, 3, session=first, commit=False)]
        second.execute(sa.text("set local lock_timeout = '2s'"))  # waiting would fail
        other = [n.id for n in claim_due_nudges(NOW, 10, session=second)]
        first.commit()
    engine.dispose()
    clear_tables(postgres_url)

    assert held == ids[:3]
    assert other == ids[3:]
