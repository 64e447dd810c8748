"""`Application`'s use cases on a real database (SQLite and PostgreSQL), the clock pinned."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.application import Application
from bot.config import Settings
from bot.errors import NextStepError, TimeZoneError, UsageError
from bot.vocabulary import CalendarStatus, IngestOutcome, InputSource, StepFilter, StepStatus

DATA = Path(__file__).parent.parent / "data" / "ingest"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
JORDAN = "jordan.blake@northwind-analytics.com"


@pytest.fixture
def app(engine: Engine, db_settings: Settings) -> Application:
    settings = db_settings.model_copy(update={"bot_address": "nextstep@northwind-analytics.com"})
    return Application(engine, settings, clock=lambda: NOW, machine=lambda: "Europe/Berlin")


@pytest.fixture
def recap(app: Application) -> int:
    """The Harbor Freight recap, mailed in by Jordan (registered): its conversation id."""
    app.add_rep(JORDAN, name="Jordan Blake", tz="America/New_York")
    result = app.ingest((DATA / "recap_sent.eml").read_bytes(), source=InputSource.SMTP)
    assert result.status == IngestOutcome.INGESTED and result.conversation_id is not None
    return result.conversation_id


def step_named(app: Application, action: str) -> int:
    steps = [s for s in app.list_steps() if s.action == action]
    assert len(steps) == 1
    return steps[0].id


def test_zone_in_force_explicit_then_rep_then_slack_then_default_then_machine(
    app: Application,
) -> None:
    app.add_rep(JORDAN, tz="America/New_York")

    assert app.zone_for("Asia/Tokyo", rep_email=JORDAN) == "Asia/Tokyo"
    assert app.zone_for(rep_email=JORDAN, slack_zone="Europe/Paris") == "America/New_York"
    assert app.zone_for(rep_email="carla@example.com", slack_zone="Europe/Paris") == "Europe/Paris"
    assert app.zone_for() == "Europe/Berlin"  # no default configured: the machine's
    assert app.with_default_zone("America/Chicago").zone_for() == "America/Chicago"
    with pytest.raises(TimeZoneError, match="'Moon/Base' is not an IANA time zone name"):
        app.zone_for("Moon/Base")


def test_set_step_due_gives_a_vague_step_its_time(app: Application, recap: int) -> None:
    quote = step_named(app, "send the renewal quote")

    timed = app.set_step_due(quote, datetime(2026, 11, 24, 17, 0, tzinfo=UTC), by="U123")
    day = app.set_step_due(quote, date(2026, 11, 25), by="U123")

    assert isinstance(timed.due, datetime)
    assert timed.due == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    assert (timed.due.hour, str(timed.due.tzinfo)) == (12, "America/New_York")  # the rep's
    assert day.due == date(2026, 11, 25)
    assert "no_time" not in day.findings and "vague_time" not in day.findings
    with pytest.raises(UsageError, match="has no time zone"):
        app.set_step_due(quote, datetime(2026, 11, 24, 17, 0), by="U123")


def test_an_accepted_invite_acknowledges_the_step_once(app: Application, recap: int) -> None:
    qbr = step_named(app, "qbr to review the pilot numbers together")
    assert app.list_steps(status=StepFilter.UNACKNOWLEDGED)

    invited = app.record_calendar_status(
        qbr, CalendarStatus.INVITED, provider="google", event_id="evt1", sequence=0
    )
    accepted = app.record_calendar_status(
        qbr, CalendarStatus.ACCEPTED, provider="google", event_id="evt1", sequence=1
    )
    stale = app.record_calendar_status(
        qbr, CalendarStatus.INVITED, provider="google", event_id="evt1", sequence=0
    )

    assert (invited.acknowledged, accepted.acknowledged) == (False, True)
    assert invited.id == accepted.id == stale.id  # one link per event
    assert stale.status == CalendarStatus.ACCEPTED  # an older update changes nothing
    shown = app.show_conversation(recap)
    step = next(s for s in shown.steps if s.id == qbr)
    assert step.acknowledged and step.secured


def test_marking_steps_and_the_views(app: Application, recap: int) -> None:
    quote = step_named(app, "send the renewal quote")
    qbr = step_named(app, "qbr to review the pilot numbers together")

    acknowledged = app.acknowledge(qbr, by="U123", note="Carla confirmed on the phone")
    assert acknowledged.acknowledged
    assert [s.id for s in app.list_steps(status=StepFilter.UNACKNOWLEDGED)] == [quote]
    assert app.mark_done(quote, by="cli").status == StepStatus.DONE
    assert app.drop(qbr, by="cli").status == StepStatus.DROPPED
    assert app.list_steps() == []
    assert [s.id for s in app.list_steps(status=StepFilter.DONE)] == [quote]
    with pytest.raises(NextStepError, match="No next step has id 999"):
        app.mark_done(999, by="cli")


def test_reprocess_targets_are_checked_before_anything_runs(app: Application, recap: int) -> None:
    assert app.reprocess_targets([1]) == [1]
    assert app.reprocess_targets([], failed=True) == []
    with pytest.raises(UsageError, match="No stored input has id 7, 8"):
        app.reprocess_targets([1, 7, 8])
    result = app.reprocess(1)
    assert (result.status, result.conversation_id) == (IngestOutcome.UPDATED, recap)
