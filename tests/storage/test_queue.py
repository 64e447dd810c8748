"""The intake queue on both databases: claims, leases, and what is never queued."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.vocabulary import InputSource, InputStatus
from storage.models import InboundMessage
from storage.queue import claim, holds, release, waiting_ids

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def stored(session: Session, count: int, source: InputSource = InputSource.SMTP) -> list[int]:
    rows = [
        InboundMessage(
            source=source,
            content_hash=hashlib.sha256(f"{source}{n}".encode()).hexdigest(),
            raw=f"message {n}".encode(),
            received_at=NOW,
        )
        for n in range(count)
    ]
    session.add_all(rows)
    session.commit()
    return [row.id for row in rows if row.id is not None]


def test_claims_take_the_oldest_and_never_the_same_input_twice(session: Session) -> None:
    ids = stored(session, 5)

    first = claim("w1", now=NOW, lease=LEASE, limit=2, session=session)
    second = claim("w2", now=NOW, lease=LEASE, limit=2, session=session)
    third = claim("w3", now=NOW, lease=LEASE, limit=2, session=session)

    assert (first, second, third) == (ids[:2], ids[2:4], ids[4:])
    assert claim("w4", now=NOW, lease=LEASE, session=session) == []
    assert holds(ids[0], "w1", session=session)
    assert not holds(ids[0], "w2", session=session)
    session.commit()


def test_an_input_whose_lease_ran_out_is_claimed_again(session: Session) -> None:
    [inbound_id] = stored(session, 1)
    assert claim("dead", now=NOW, lease=LEASE, session=session) == [inbound_id]

    assert claim("w2", now=NOW + LEASE - timedelta(seconds=1), lease=LEASE, session=session) == []
    assert claim("w2", now=NOW + LEASE, lease=LEASE, session=session) == [inbound_id]
    assert holds(inbound_id, "w2", session=session)
    session.commit()


def test_calendar_parts_are_not_queued_and_released_inputs_come_back(session: Session) -> None:
    stored(session, 1, InputSource.CALENDAR)
    [mail] = stored(session, 1)

    assert waiting_ids(now=NOW, session=session) == [mail]
    assert claim("w1", now=NOW, lease=LEASE, session=session) == [mail]
    assert waiting_ids(now=NOW, session=session, stuck_only=True) == []
    release([mail], session=session)
    row = session.get(InboundMessage, mail, populate_existing=True)
    assert row is not None and row.status == InputStatus.RECEIVED
    assert claim("w2", now=NOW, lease=LEASE, session=session) == [mail]
