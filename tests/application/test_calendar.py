"""The calendar use cases of `Application` on a real database (SQLite and PostgreSQL):
a rep's calendar handed in by the front end (here the in-memory source), a failing one,
statuses, history, meetings without notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from bot.application import Application
from bot.calendar.fake import InMemoryCalendarSource
from bot.calendar.model import Attendee, CalendarEvent, PartStat
from bot.config import Settings
from bot.vocabulary import IngestOutcome, InputSource

DATA = Path(__file__).parent.parent / "data" / "ingest"
NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
JORDAN = "jordan.blake@northwind-analytics.com"
CARLA = "carla.mendes@harborfreight-logistics.com"
QBR = datetime(2026, 12, 3, 11, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def app(engine: Engine, db_settings: Settings) -> Application:
    settings = db_settings.model_copy(update={"bot_address": "nextstep@northwind-analytics.com"})
    application = Application(engine, settings, clock=lambda: NOW)
    application.add_rep(JORDAN, name="Jordan Blake", tz="America/New_York")
    result = application.ingest((DATA / "recap_sent.eml").read_bytes(), source=InputSource.SMTP)
    assert result.status == IngestOutcome.INGESTED
    return application


def qbr_invite(answer: PartStat) -> CalendarEvent:
    return CalendarEvent(
        uid="qbr@northwind-analytics.com",
        start=QBR,
        end=QBR + timedelta(hours=1),
        title="QBR: pilot numbers",
        organizer=JORDAN,
        attendees=(Attendee(JORDAN, PartStat.ACCEPTED), Attendee(CARLA, answer, "Carla Mendes")),
    )


def test_check_calendars_with_the_reps_calendar(app: Application) -> None:
    asked: list[tuple[int | None, tuple[str, ...]]] = []
    calendar = InMemoryCalendarSource([qbr_invite(PartStat.NEEDS_ACTION)])

    def calendars_for(rep_id: int | None, addresses: tuple[str, ...]) -> list:
        asked.append((rep_id, addresses))
        return [calendar]

    first = app.check_calendars(calendars_for)
    assert first.checked == 1 and asked == [(asked[0][0], (JORDAN,))]
    [change] = first.changed
    assert (change.previous, change.status) == (None, "awaiting")

    calendar.stored = [qbr_invite(PartStat.ACCEPTED)]
    second = app.check_calendars(calendars_for, rep=JORDAN)
    assert [(c.previous, c.status) for c in second.changed] == [("awaiting", "accepted")]
    step = next(s for s in app.list_steps() if s.id == change.step_id)
    assert step.acknowledged and step.secured
    assert [h.status for h in app.calendar_history(change.step_id)] == ["awaiting", "accepted"]
    status = app.calendar_statuses([change.step_id])[change.step_id]
    assert status.status == "accepted" and status.accepted_at == NOW


def test_an_unreadable_calendar_is_unknown_never_no_invite(app: Application) -> None:
    broken = InMemoryCalendarSource(failure="Calendar primary is not shared with this account.")
    run = app.check_calendars(lambda rep_id, addresses: [broken])
    [change] = run.changes
    assert change.status == "unknown"
    assert change.reason is not None and "not shared" in change.reason


def test_without_any_calendar_only_stored_invites_count(app: Application) -> None:
    run = app.check_calendars()
    [change] = run.changes
    assert change.status == "no_invite"


def test_meetings_without_notes(app: Application) -> None:
    start = NOW - timedelta(hours=3)
    met = CalendarEvent(
        uid="intro", start=start, end=start + timedelta(minutes=30), title="Intro",
        attendees=(Attendee(JORDAN, PartStat.ACCEPTED), Attendee("lee@globex.example", PartStat.ACCEPTED)),
    )  # fmt: skip
    found = app.meetings_without_notes(JORDAN, InMemoryCalendarSource([met]))
    assert [(m.event.uid, m.outsiders) for m in found] == [("intro", ("lee@globex.example",))]
