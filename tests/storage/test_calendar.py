"""Calendar statuses of stored steps: the event, the history, the step's own change,
sync tokens. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.calendar.model import Attendee, CalendarCheck, CalendarEvent, CalendarStatus, PartStat
from bot.engine.model import Evidence, Finding, Owner, Step, StepKind
from storage.calendar import (
    calendar_history,
    calendar_of,
    get_sync_token,
    link_to_dict,
    open_meeting_steps,
    query_for_stored,
    record_check,
    set_sync_token,
)
from storage.models import Conversation, NextStep, Rep, RepEmail, StepStatus
from storage.steps import merge_steps

TZ = "America/New_York"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
QBR_AT = datetime(2026, 12, 3, 11, 0, tzinfo=ZoneInfo(TZ))
CARLA = "carla@globex.example"


def meeting(*, due: datetime | date | None = QBR_AT, action: str = "hold the QBR") -> Step:
    return Step(
        action=action,
        kind=StepKind.MEETING,
        owner=Owner.BOTH,
        evidence=Evidence("Can we hold the QBR on Thursday, December 3 at 11am?", 8, "Jordan"),
        due=due,
        continues=True,
        findings=[Finding("not_acknowledged", "No yes yet.", "Try: ...")]
        + ([] if due else [Finding("no_time", "No time.", "Try: ...")]),
    )


@pytest.fixture
def step_ids(session: Session) -> list[int]:
    rep = Rep(display_name="Jordan")
    session.add(rep)
    session.flush()
    assert rep.id is not None
    session.add(RepEmail(rep_id=rep.id, address="jordan@initech.example"))
    conversation = Conversation(
        source="email",
        reference_time=NOW,
        tz=TZ,
        kind="email",
        analysed_at=NOW,
        rep_id=rep.id,
        participants=[
            {"name": "Jordan", "role": "rep", "email": "jordan@initech.example"},
            {"name": "Carla", "role": "counterpart", "email": CARLA},
        ],
    )
    session.add(conversation)
    session.flush()
    assert conversation.id is not None
    steps = [meeting(), meeting(due=None, action="demo for the ops team")]
    merge_steps(conversation.id, steps, tz=TZ, now=NOW, session=session, new=True)
    session.commit()
    ids = [s.id for s in open_meeting_steps(session=session) if s.id is not None]
    assert len(ids) == 2
    return ids


def invite(partstat: PartStat, *, start: datetime | date = QBR_AT, **extra) -> CalendarEvent:
    end = start + timedelta(hours=1) if isinstance(start, datetime) else start
    return CalendarEvent(
        uid="qbr-1@initech.example",
        start=start,
        end=end,
        title="QBR",
        organizer="jordan@initech.example",
        attendees=(Attendee(CARLA, partstat, "Carla Mendes"),),
        link="https://calendar.example/qbr-1",
        **extra,
    )


def checked(status: CalendarStatus, event: CalendarEvent | None, at: datetime) -> CalendarCheck:
    answered = event.attendees if event else ()
    return CalendarCheck(status, checked_at=at, event=event, answered=answered, reason="why")


def test_status_history_and_acceptance_acknowledge_the_step(
    session: Session, step_ids: list[int]
) -> None:
    qbr = step_ids[0]
    first = record_check(
        qbr,
        checked(CalendarStatus.AWAITING, invite(PartStat.NEEDS_ACTION), NOW),
        provider="ics",
        session=session,
    )
    assert (first.previous, first.status, first.changed) == (None, "awaiting", True)
    later = NOW + timedelta(hours=5)
    record_check(
        qbr,
        checked(CalendarStatus.ACCEPTED, invite(PartStat.ACCEPTED), later),
        provider="ics",
        session=session,
    )
    again = record_check(
        qbr,
        checked(CalendarStatus.ACCEPTED, invite(PartStat.ACCEPTED), later + timedelta(1)),
        provider="ics",
        session=session,
    )
    session.commit()
    assert not again.changed

    history = calendar_history(qbr, session=session)
    assert [(h.previous, h.status) for h in history] == [
        (None, "awaiting"),
        ("awaiting", "accepted"),
    ]
    link = calendar_of(qbr, session=session)
    assert link is not None
    assert link.accepted_at == later and link.status_changed_at == later
    assert link.checked_at == later + timedelta(1)
    assert link.starts_at == QBR_AT and link.organizer == "jordan@initech.example"
    assert link.attendees == [{"email": CARLA, "partstat": "accepted"}]
    step = session.get(NextStep, qbr)
    assert step is not None
    assert step.acknowledged and step.ack_source == "calendar" and step.secured
    assert step.ack_evidence and step.ack_evidence["speaker"] == CARLA
    assert link_to_dict(link, tz=TZ) == {
        "status": "accepted",
        "event": {
            "uid": "qbr-1@initech.example",
            "start": "2026-12-03T11:00:00-05:00",
            "end": "2026-12-03T12:00:00-05:00",
            "title": "QBR",
            "organizer": "jordan@initech.example",
            "link": "https://calendar.example/qbr-1",
            "attendees": [{"email": CARLA, "partstat": "accepted"}],
        },
        "checked_at": (later + timedelta(1)).isoformat(),
        "reason": "why",
    }


def test_declined_unsecures_and_unknown_keeps_the_event(
    session: Session, step_ids: list[int]
) -> None:
    qbr = step_ids[0]
    record_check(
        qbr,
        checked(CalendarStatus.ACCEPTED, invite(PartStat.ACCEPTED), NOW),
        provider="google",
        session=session,
    )
    record_check(
        qbr,
        checked(CalendarStatus.DECLINED, invite(PartStat.DECLINED), NOW),
        provider="google",
        session=session,
    )
    step = session.get(NextStep, qbr)
    assert step is not None and not step.secured
    assert [f["code"] for f in step.findings] == ["invite_declined"]
    failed = CalendarCheck(CalendarStatus.UNKNOWN, checked_at=NOW, reason="token revoked")
    record_check(qbr, failed, provider="google", session=session)
    session.commit()
    link = calendar_of(qbr, session=session)
    assert link is not None and link.status == "unknown" and link.reason == "token revoked"
    assert link.ical_uid == "qbr-1@initech.example"  # what the last good read found


def test_an_invite_gives_a_step_without_time_its_due(session: Session, step_ids: list[int]) -> None:
    demo = step_ids[1]
    start = datetime(2026, 11, 24, 14, 0, tzinfo=ZoneInfo(TZ))
    record_check(
        demo,
        checked(CalendarStatus.AWAITING, invite(PartStat.NEEDS_ACTION, start=start), NOW),
        provider="ics",
        session=session,
    )
    session.commit()
    step = session.get(NextStep, demo)
    assert step is not None and step.due == start and not step.due_is_date
    assert "no_time" not in [f["code"] for f in step.findings]


def test_all_day_event_in_a_zone_east_of_utc(session: Session, step_ids: list[int]) -> None:
    event = invite(PartStat.ACCEPTED, start=date(2026, 12, 3))
    record_check(
        step_ids[0], checked(CalendarStatus.ACCEPTED, event, NOW), provider="ics", session=session
    )
    link = calendar_of(step_ids[0], session=session)
    data = link_to_dict(link, tz=TZ)
    assert data is not None and data["event"]["start"] == "2026-12-03"


def test_query_for_stored_step_knows_both_sides(session: Session, step_ids: list[int]) -> None:
    step = session.get(NextStep, step_ids[0])
    assert step is not None
    query = query_for_stored(step, session=session)
    assert query.counterpart_emails == {CARLA}
    assert query.counterpart_domains == {"globex.example"}
    assert query.rep_emails == {"jordan@initech.example"}
    assert query.due == QBR_AT and query.tz == TZ


def test_open_meeting_steps_leave_out_done_ones(session: Session, step_ids: list[int]) -> None:
    step = session.get(NextStep, step_ids[0])
    assert step is not None
    step.status = StepStatus.DONE
    session.add(step)
    session.commit()
    assert [s.id for s in open_meeting_steps(session=session)] == [step_ids[1]]


def test_sync_tokens_per_calendar(session: Session) -> None:
    assert get_sync_token("google", "jordan@initech.example", session=session) is None
    set_sync_token("google", "jordan@initech.example", "tok-1", now=NOW, session=session)
    set_sync_token("google", "primary", "tok-9", now=NOW, session=session)
    set_sync_token("google", "jordan@initech.example", "tok-2", now=NOW, session=session)
    session.commit()
    assert get_sync_token("google", "jordan@initech.example", session=session) == "tok-2"
    assert get_sync_token("google", "primary", session=session) == "tok-9"


def test_meetings_without_notes_for_a_rep(session: Session, step_ids: list[int]) -> None:
    from bot.application.calendar import meetings_without_notes_for
    from bot.calendar.fake import InMemoryCalendarSource

    rep_id = session.exec(select(Rep.id)).one()
    now = NOW + timedelta(days=1)
    start = now - timedelta(hours=4)
    people = (Attendee(CARLA, PartStat.ACCEPTED), Attendee("lee@other.example", PartStat.ACCEPTED))
    met = CalendarEvent(uid="m", start=start, end=start + timedelta(hours=1), attendees=people)
    found = meetings_without_notes_for(
        rep_id, InMemoryCalendarSource([met]), session=session, now=now
    )
    # Carla's conversation is from the day before: the meeting still has no notes.
    assert [m.outsiders for m in found] == [(CARLA, "lee@other.example")]
    later = now - timedelta(hours=1)
    session.add(
        Conversation(
            source="email", reference_time=later, tz=TZ, kind="notes", analysed_at=later,
            rep_id=rep_id, participants=[{"role": "counterpart", "email": CARLA}],
        )
    )  # fmt: skip
    session.commit()
    assert (
        meetings_without_notes_for(rep_id, InMemoryCalendarSource([met]), session=session, now=now)
        == []
    )


def test_statuses_for_the_nudge_planner(session: Session, step_ids: list[int]) -> None:
    from storage.calendar import calendar_statuses

    record_check(
        step_ids[0], checked(CalendarStatus.DECLINED, invite(PartStat.DECLINED), NOW),
        provider="ics", session=session,
    )  # fmt: skip
    session.commit()
    statuses = calendar_statuses(step_ids, session=session)
    assert list(statuses) == [step_ids[0]]
    assert statuses[step_ids[0]].status == "declined"
    assert statuses[step_ids[0]].ical_uid == "qbr-1@initech.example"
    assert calendar_statuses([], session=session) == {}
