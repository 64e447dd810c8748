"""The verdict's history through `Application`, on SQLite and PostgreSQL: a reply that
confirms, a Slack mark, a due set by hand and the calendar's findings surviving a
re-analysis, and what changed since a time (for the nudges)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from bot.application import Application
from bot.calendar.fake import InMemoryCalendarSource
from bot.calendar.model import Attendee, CalendarEvent, PartStat
from bot.config import Settings
from bot.vocabulary import IngestOutcome, InputSource

DANA = "dana@northwind.example"
PRIYA = "priya@acme.example"
LA = ZoneInfo("America/Los_Angeles")
WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=LA)

RECAP = b"""From: Dana Reyes <dana@northwind.example>
To: Priya Shah <priya@acme.example>
Subject: Proposal review
Date: Thu, 19 Nov 2026 15:30:00 -0800
Message-ID: <recap-proposed-8@northwind.example>

Hi Priya,

Thanks for your time today. How about we review the proposal together with Miguel on
Wednesday at 10am?

Dana
"""

REPLY = b"""From: Priya Shah <priya@acme.example>
To: Dana Reyes <dana@northwind.example>
Cc: nextstep@northwind.example
Subject: Re: Proposal review
Date: Thu, 19 Nov 2026 16:40:00 -0800
Message-ID: <reply-9@acme.example>
In-Reply-To: <recap-proposed-8@northwind.example>
References: <recap-proposed-8@northwind.example>

Wednesday at 10am works for me, see you then.

Priya
"""


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 0, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: int = 10) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(engine: Engine, db_settings: Settings, clock: Clock) -> Application:
    settings = db_settings.model_copy(update={"bot_address": "nextstep@northwind.example"})
    application = Application(engine, settings, clock=clock)
    application.add_rep(DANA, name="Dana Reyes", tz="America/Los_Angeles")
    return application


def ingest(app: Application, raw: bytes) -> tuple[int, int]:
    result = app.ingest(raw, source=InputSource.SMTP)
    assert result.status in (IngestOutcome.INGESTED, IngestOutcome.UPDATED), result.error
    assert result.conversation_id is not None
    return result.inbound_id, result.conversation_id


def meeting_step(app: Application, conversation_id: int) -> int:
    steps = [s for s in app.show_conversation(conversation_id).steps if s.kind == "meeting"]
    assert len(steps) == 1
    return steps[0].id


def test_the_counterparts_reply_secures_it_and_history_names_her(
    app: Application, clock: Clock
) -> None:
    _, conversation_id = ingest(app, RECAP)
    replied_at = clock.tick()
    _, same = ingest(app, REPLY)
    assert same == conversation_id
    detail = app.show_conversation(conversation_id)
    assert (detail.summary.secured, detail.summary.tier) == (True, "gold")
    first, reply = app.verdict_history(conversation_id)
    assert (first.cause, first.secured_after) == ("analysis", False)
    assert (reply.cause, reply.secured_before, reply.secured_after) == ("reply", False, True)
    assert reply.at == replied_at
    assert reply.who == "Priya Shah"
    assert reply.evidence is not None and "works for me" in reply.evidence
    line = detail.history[-1].line
    assert line.startswith("secured (gold) since Thu 19 Nov 16:40: Priya Shah's reply")


def test_a_slack_mark_then_reanalysis_keeps_the_verdict_and_the_due(
    app: Application, clock: Clock
) -> None:
    inbound_id, conversation_id = ingest(app, RECAP)
    step_id = meeting_step(app, conversation_id)
    thursday_3 = datetime(2026, 11, 26, 15, 0, tzinfo=LA)
    clock.tick()
    app.set_step_due(step_id, thursday_3, by="U0DANA")
    marked_at = clock.tick()
    step = app.acknowledge(step_id, by="U0DANA", note="She said yes in the hallway")
    assert step.secured
    assert app.show_conversation(conversation_id).summary.tier == "gold"

    clock.tick()
    again = app.reprocess(inbound_id)
    assert again.status == IngestOutcome.UPDATED
    detail = app.show_conversation(conversation_id)
    [kept] = detail.steps
    assert kept.id == step_id
    assert kept.due == thursday_3  # the hand-set time, not the text's Wednesday
    assert kept.acknowledged and kept.secured
    assert (detail.summary.secured, detail.summary.tier) == (True, "gold")
    causes = [(c.cause, c.secured_after, c.who) for c in app.verdict_history(conversation_id)]
    assert causes == [("analysis", False, None), ("slack", True, "U0DANA")]
    assert app.verdict_history(conversation_id)[-1].at == marked_at


def test_calendar_findings_and_a_decline_survive_reanalysis(app: Application) -> None:
    inbound_id, conversation_id = ingest(app, RECAP)
    invite = CalendarEvent(
        uid="review@northwind.example",
        start=WEDNESDAY_10,
        end=WEDNESDAY_10 + timedelta(hours=1),
        title="Proposal review with Miguel",
        organizer=DANA,
        attendees=(Attendee(DANA, PartStat.ACCEPTED), Attendee(PRIYA, PartStat.NEEDS_ACTION)),
    )
    calendar = InMemoryCalendarSource([invite])
    app.check_calendars(lambda rep_id, addresses: [calendar])
    step_id = meeting_step(app, conversation_id)
    app.reprocess(inbound_id)
    [step] = app.show_conversation(conversation_id).steps
    assert step.id == step_id
    assert "invite_not_accepted" in step.findings

    accepted = (Attendee(DANA, PartStat.ACCEPTED), Attendee(PRIYA, PartStat.ACCEPTED))
    calendar.stored = [replace(invite, attendees=accepted)]
    app.check_calendars(lambda rep_id, addresses: [calendar])
    assert app.show_conversation(conversation_id).summary.tier == "gold"

    declined = (Attendee(DANA, PartStat.ACCEPTED), Attendee(PRIYA, PartStat.DECLINED))
    calendar.stored = [replace(invite, attendees=declined)]
    app.check_calendars(lambda rep_id, addresses: [calendar])
    assert app.show_conversation(conversation_id).summary.secured is False

    app.reprocess(inbound_id)
    detail = app.show_conversation(conversation_id)
    [step] = detail.steps
    assert "invite_declined" in step.findings and not step.secured
    assert (detail.summary.secured, detail.summary.tier) == (False, "none")
    causes = [(c.cause, c.secured_after) for c in app.verdict_history(conversation_id)]
    assert causes == [("analysis", False), ("calendar", True), ("calendar", False)]


def test_changes_since_gives_what_changed_after_a_time(app: Application, clock: Clock) -> None:
    _, conversation_id = ingest(app, RECAP)
    cut = clock.tick()
    assert app.changes_since(cut) == []
    app.acknowledge(meeting_step(app, conversation_id), by="cli")
    [change] = app.changes_since(cut)
    assert (change.conversation_id, change.cause, change.tier_after) == (
        conversation_id,
        "manual",
        "gold",
    )
    assert len(app.changes_since(cut - timedelta(minutes=10))) == 2
