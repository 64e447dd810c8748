"""A conversation analysed again keeps its steps: same ids, what people set survives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.engine.model import AckSource, Evidence, Finding, Owner, Step, StepKind
from storage.models import CalendarLink, Conversation, NextStep, StepStatus
from storage.repo import set_step_status
from storage.steps import (
    acknowledge_step,
    due_columns,
    fingerprint,
    merge_steps,
    step_due,
)

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TZ = "America/New_York"
QBR_AT = datetime(2026, 12, 3, 11, 0, tzinfo=ZoneInfo(TZ))


def quote_step(*, acknowledged: bool = False) -> Step:
    return Step(
        action="send the renewal quote",
        kind=StepKind.DELIVERABLE,
        owner=Owner.REP,
        evidence=Evidence("I'll send the renewal quote by end of day tomorrow.", 7, "Jordan Blake"),
        due=datetime(2026, 11, 20, 17, 0, tzinfo=ZoneInfo(TZ)),
        due_text="end of day tomorrow",
        deadline=True,
        acknowledged=acknowledged,
    )


def qbr_step(*, acknowledged: bool = False, due: datetime | date | None = QBR_AT) -> Step:
    findings = [] if acknowledged else [Finding("not_acknowledged", "No yes yet.", "Try: ...")]
    return Step(
        action="hold the QBR to review the pilot numbers",
        kind=StepKind.MEETING,
        owner=Owner.BOTH,
        evidence=Evidence("Can we hold the QBR on Thursday, December 3 at 11am", 8, "Jordan Blake"),
        due=due,
        acknowledged=acknowledged,
        ack_source=AckSource.REPLY if acknowledged else None,
        ack_evidence=Evidence("Sounds good, Jordan.", 2, "Carla Mendes") if acknowledged else None,
        secured=acknowledged,
        continues=True,
        findings=findings,
        suggestion=None if acknowledged else "Try: ...",
    )


@pytest.fixture
def conversation_id(session: Session) -> int:
    conversation = Conversation(
        source="email", reference_time=NOW, tz=TZ, kind="email", analysed_at=NOW
    )
    session.add(conversation)
    session.flush()
    assert conversation.id is not None
    return conversation.id


def stored(session: Session) -> list[NextStep]:
    return list(session.exec(select(NextStep).order_by(NextStep.position)))


def test_first_analysis_stores_every_engine_field(session: Session, conversation_id: int) -> None:
    changes = merge_steps(
        conversation_id, [quote_step(), qbr_step()], tz=TZ, now=NOW, session=session
    )
    session.commit()

    assert (changes.created, changes.updated, changes.removed) == (2, 0, 0)
    quote, qbr = stored(session)
    assert (quote.kind, quote.owner, quote.deadline, quote.due_text) == (
        "deliverable",
        "rep",
        True,
        "end of day tomorrow",
    )
    assert qbr.due == QBR_AT and qbr.due.tzinfo == UTC
    assert qbr.findings == [
        {
            "code": "not_acknowledged",
            "message": "No yes yet.",
            "suggestion": "Try: ...",
            "evidence": None,
        }
    ]
    assert (qbr.evidence_quote, qbr.evidence_line, qbr.evidence_speaker) == (
        "Can we hold the QBR on Thursday, December 3 at 11am",
        8,
        "Jordan Blake",
    )
    assert qbr.status == StepStatus.OPEN


def test_reply_acknowledges_the_same_row(session: Session, conversation_id: int) -> None:
    merge_steps(conversation_id, [quote_step(), qbr_step()], tz=TZ, now=NOW, session=session)
    before = {s.fingerprint: s.id for s in stored(session)}

    later = NOW + timedelta(hours=1)
    changes = merge_steps(
        conversation_id,
        [quote_step(acknowledged=True), qbr_step(acknowledged=True)],
        tz=TZ,
        now=later,
        session=session,
    )
    session.commit()

    assert (changes.created, changes.updated, changes.removed) == (0, 2, 0)
    after = stored(session)
    assert {s.fingerprint: s.id for s in after} == before
    qbr = after[1]
    assert (qbr.acknowledged, qbr.ack_source, qbr.secured) == (True, "reply", True)
    assert qbr.ack_evidence == {
        "quote": "Sounds good, Jordan.",
        "line": 2,
        "speaker": "Carla Mendes",
        "timestamp": None,
    }
    assert qbr.updated_at == later


def test_moved_meeting_keeps_its_row_with_the_new_time(
    session: Session, conversation_id: int
) -> None:
    merge_steps(conversation_id, [qbr_step()], tz=TZ, now=NOW, session=session)
    [before] = stored(session)
    moved = QBR_AT + timedelta(days=1, hours=3)

    merge_steps(conversation_id, [qbr_step(due=moved)], tz=TZ, now=NOW, session=session)

    [after] = stored(session)
    assert (after.id, after.due) == (before.id, moved)


def test_status_a_person_set_survives_reanalysis(session: Session, conversation_id: int) -> None:
    merge_steps(conversation_id, [quote_step(), qbr_step()], tz=TZ, now=NOW, session=session)
    quote = stored(session)[0]
    set_step_status(quote.id or 0, "done", by="U024BE7LH", now=NOW, session=session)

    merge_steps(
        conversation_id,
        [quote_step(acknowledged=True), qbr_step()],
        tz=TZ,
        now=NOW,
        session=session,
    )

    assert stored(session)[0].status == StepStatus.DONE
    assert stored(session)[0].status_changed_by == "U024BE7LH"


def test_manual_acknowledgment_survives_a_text_without_a_yes(
    session: Session, conversation_id: int
) -> None:
    merge_steps(conversation_id, [qbr_step()], tz=TZ, now=NOW, session=session)
    [qbr] = stored(session)
    acknowledge_step(
        qbr.id or 0, source="manual", evidence={"by": "U024BE7LH"}, now=NOW, session=session
    )
    assert (qbr.acknowledged, qbr.secured, qbr.findings) == (True, True, [])

    merge_steps(conversation_id, [qbr_step()], tz=TZ, now=NOW, session=session)

    [again] = stored(session)
    assert (again.acknowledged, again.ack_source, again.secured) == (True, "manual", True)
    assert again.ack_evidence == {"by": "U024BE7LH"}
    assert [f["code"] for f in again.findings] == []


def test_manual_acknowledgment_does_not_secure_a_vague_step(
    session: Session, conversation_id: int
) -> None:
    vague = qbr_step(due=None)
    vague.findings = [Finding("vague_time", "No day.", None), *vague.findings]
    merge_steps(conversation_id, [vague], tz=TZ, now=NOW, session=session)
    [row] = stored(session)

    acknowledge_step(row.id or 0, source="manual", evidence={}, now=NOW, session=session)

    assert (row.acknowledged, row.secured) == (True, False)


def test_steps_gone_from_the_analysis_go_unless_someone_touched_them(
    session: Session, conversation_id: int
) -> None:
    merge_steps(conversation_id, [quote_step(), qbr_step()], tz=TZ, now=NOW, session=session)
    _quote, qbr = stored(session)
    session.add(CalendarLink(step_id=qbr.id or 0, provider="google", event_id="evt1"))
    session.flush()

    changes = merge_steps(conversation_id, [], tz=TZ, now=NOW, session=session)

    assert changes.removed == 1
    assert [s.id for s in stored(session)] == [qbr.id]  # it has an invite on the calendar


def test_reworded_action_is_matched_by_its_words_in_the_text(
    session: Session, conversation_id: int
) -> None:
    merge_steps(conversation_id, [qbr_step()], tz=TZ, now=NOW, session=session)
    [before] = stored(session)
    reworded = qbr_step(acknowledged=True)
    reworded.action = "QBR on the pilot numbers"

    changes = merge_steps(conversation_id, [reworded], tz=TZ, now=NOW, session=session)

    assert (changes.created, changes.updated) == (0, 1)
    [after] = stored(session)
    assert (after.id, after.action) == (before.id, "QBR on the pilot numbers")


@pytest.mark.parametrize(
    ("action", "same_as"),
    [
        ("Send the renewal quote", "send renewal quote"),
        ("send  the  renewal   quote.", "send renewal quote"),
        ("send our renewal quote", "send renewal quote"),
        ("send a revised renewal quote", "send revised renewal quote"),
    ],
)
def test_fingerprint_ignores_case_spacing_and_articles(action: str, same_as: str) -> None:
    assert fingerprint("deliverable", "rep", action) == f"deliverable:rep:{same_as}"


@pytest.mark.parametrize(
    ("due", "stored_due", "is_date"),
    [
        (None, None, False),
        (date(2026, 11, 23), datetime(2026, 11, 23, 5, 0, tzinfo=UTC), True),
        (QBR_AT, QBR_AT, False),
    ],
)
def test_due_round_trips_as_date_or_datetime(
    due: date | datetime | None, stored_due: datetime | None, is_date: bool
) -> None:
    assert due_columns(due, TZ) == (stored_due, is_date)
    row = NextStep(
        conversation_id=1,
        action="x",
        kind="meeting",
        owner="both",
        fingerprint="x",
        due=stored_due,
        due_is_date=is_date,
    )
    assert step_due(row, TZ) == due
