"""The webhook outbox on SQLite and PostgreSQL: a claim leases its rows, one
subscription's events go out one at a time in order, and on PostgreSQL two deliverers
claiming at once never take the same row (FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.api import add_webhook, claim_deliveries, enqueue_event, finish_delivery

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


def _queue(engine: Engine) -> None:
    """Two subscriptions, two events each."""
    with Session(engine) as session:
        for url in ("http://one.example/hook", "http://two.example/hook"):
            add_webhook("default", url, ["step.overdue"], "whsec_x", session=session, now=NOW)
        for n in (1, 2):
            queued = enqueue_event(
                "default", "step.overdue", f"evt_{n}", {"n": n}, session=session, now=NOW
            )
            assert queued == 2
        again = enqueue_event("default", "step.overdue", "evt_1", {}, session=session, now=NOW)
        assert again == 0  # an event id is queued once per subscription
        session.commit()


def test_a_claim_is_leased_and_events_go_out_in_order(engine: Engine) -> None:
    _queue(engine)
    with Session(engine) as session:
        first = claim_deliveries(session=session, now=NOW, lease=LEASE)
        session.commit()
    assert sorted((c.url, c.event_id) for c in first) == [
        ("http://one.example/hook", "evt_1"),
        ("http://two.example/hook", "evt_1"),
    ]  # each subscription's second event waits for its first
    with Session(engine) as session:
        assert claim_deliveries(session=session, now=NOW, lease=LEASE) == []  # leased
        finish_delivery(first[0].id, code=204, error=None, retry_at=None, session=session, now=NOW)
        session.commit()
    with Session(engine) as session:
        following = claim_deliveries(session=session, now=NOW, lease=LEASE)
        session.commit()
    assert [(c.url, c.event_id) for c in following] == [(first[0].url, "evt_2")]
    with Session(engine) as session:  # leases run out: what was not finished is taken again
        retaken = claim_deliveries(session=session, now=NOW + 2 * LEASE, lease=LEASE)
    assert sorted((c.id, c.attempts) for c in retaken) == sorted(
        [(first[1].id, 2), (following[0].id, 2)]
    )


def test_two_deliverers_never_claim_the_same_row(engine: Engine, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; SQLite runs one deliverer")
    _queue(engine)
    with Session(engine) as one, Session(engine) as two:
        mine = claim_deliveries(session=one, now=NOW, lease=LEASE, limit=1)
        theirs = claim_deliveries(session=two, now=NOW, lease=LEASE, limit=10)
        assert len(mine) == 1 and len(theirs) == 1
        assert mine[0].id != theirs[0].id and mine[0].url != theirs[0].url
        one.commit()
        two.commit()
