"""The calendar pass of ``nextstep serve`` on a real database (SQLite, then PostgreSQL):
a meeting with outsiders that ended without notes becomes one ask in the rep's DM,
with the button that opens the paste modal; asked once however many passes run; not
asked when notes arrived; and an unreadable calendar asks nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.application import Application
from bot.calendar.model import Listing, Window
from bot.config import Settings
from bot.errors import CalendarError
from bot.slack.app import slack_client
from bot.slack.calendar_watch import CalendarWatch
from bot.slack.outbox import SlackOutbox
from bot.slack.scheduler import Scheduler
from bot.vocabulary import InputSource
from storage import slack as slack_repo
from storage.models import Nudge, NudgeStatus
from storage.repo import add_rep
from tests.slack.fake_slack import BOT_TOKEN, FakeSlackApi
from tests.slack.limits import check_limits, texts

LA = "America/Los_Angeles"
NOW = datetime(2026, 11, 19, 19, 0, tzinfo=UTC)  # Thursday 11am in Los Angeles

INVITE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
METHOD:REQUEST
BEGIN:VEVENT
UID:rollout-review-1@google.com
DTSTART:20261119T170000Z
DTEND:20261119T174500Z
DTSTAMP:20261118T120000Z
SUMMARY:Acme rollout review
ORGANIZER;CN=Dana Reyes:mailto:dana@acme.example
ATTENDEE;CN=Dana Reyes;PARTSTAT=ACCEPTED:mailto:dana@acme.example
ATTENDEE;CN=Priya Shah;PARTSTAT=ACCEPTED:mailto:priya@customer.example
SEQUENCE:0
STATUS:CONFIRMED
END:VEVENT
END:VCALENDAR
"""

NOTES = """From: Dana Reyes <dana@acme.example>
To: Priya Shah <priya@customer.example>
Subject: Acme rollout review: recap
Date: Thu, 19 Nov 2026 09:50:00 -0800
Message-ID: <recap-rollout@acme.example>

Hi Priya,

Thanks for the review. We agreed to reconnect next week.

Dana
"""


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def application(engine: Engine, db_settings: Settings) -> Application:
    with Session(engine) as session:
        workspace = slack_repo.workspace_for("T0ACME", None, session=session)
        add_rep(
            "dana@acme.example",
            name="Dana Reyes",
            slack_user_id="U0DANA",
            tz=LA,
            workspace_id=workspace.id,
            session=session,
        )
        session.commit()
    clock = Clock()
    application = Application(engine, db_settings, clock=clock)
    result = application.ingest(
        INVITE.encode(),
        source=InputSource.FILE,
        filename="rollout-review.ics",
        rep_email="dana@acme.example",
    )
    assert result.error is None, result
    return application


def scheduler(application: Application, api: FakeSlackApi) -> Scheduler:
    client = slack_client(BOT_TOKEN, api.base_url)
    return Scheduler(
        application.engine,
        SlackOutbox(lambda team: client),
        default_tz=LA,
        clock=application.clock,
    )


def asks(api: FakeSlackApi) -> list:
    return [
        c
        for c in api.of("chat.postMessage")
        if c.params["metadata"]["event_payload"]["keys"].startswith("notes:")
    ]


def test_a_meeting_that_ended_without_notes_is_asked_about_once(
    application: Application, api: FakeSlackApi
) -> None:
    watch = CalendarWatch(application, default_tz=LA)
    report = watch.run_once()
    assert report.asked == 1 and report.unreadable == []
    assert scheduler(application, api).send_due().sent == 1
    (ask,) = asks(api)
    check_limits(ask.params)
    words = texts(ask.params)
    assert "*Acme rollout review* (Thu 19 Nov 09:00) ended" in words
    button = next(e for b in ask.params["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert button["action_id"] == "open_paste" and button["text"]["text"] == "Paste notes"
    # later passes (and a restart) ask nothing more about it
    assert watch.run_once().asked == 0
    assert CalendarWatch(application, default_tz=LA).run_once().asked == 0
    assert scheduler(application, api).send_due().sent == 0
    assert len(asks(api)) == 1


def test_no_ask_when_the_notes_arrived_first(application: Application, api: FakeSlackApi) -> None:
    stored = application.ingest(NOTES.encode(), source=InputSource.SMTP)
    assert stored.conversation_id is not None, stored
    assert CalendarWatch(application, default_tz=LA).run_once().asked == 0
    assert asks(api) == []


def test_notes_that_arrive_between_planning_and_sending_cancel_the_ask(
    application: Application, api: FakeSlackApi
) -> None:
    assert CalendarWatch(application, default_tz=LA).run_once().asked == 1
    stored = application.ingest(NOTES.encode(), source=InputSource.SMTP)
    assert stored.conversation_id is not None, stored
    report = scheduler(application, api).send_due()
    assert report.sent == 0 and report.cancelled == 1
    assert asks(api) == []
    with Session(application.engine) as session:
        (row,) = session.exec(select(Nudge).where(Nudge.reason == "notes_wanted")).all()
        assert row.status == NudgeStatus.CANCELLED


class Unreadable:
    """A Google Calendar whose token was revoked."""

    name = "google:dana@acme.example"

    def events(self, window: Window) -> Listing:
        raise CalendarError("Google refused the token (invalid_grant).")


def test_an_unreadable_calendar_is_reported_and_asks_only_from_what_was_read(
    application: Application, api: FakeSlackApi
) -> None:
    # the stored invitation was read: its meeting is asked about; Google's failure is said
    watch = CalendarWatch(application, lambda rep_id, addresses: [Unreadable()], default_tz=LA)
    report = watch.run_once()
    assert report.asked == 1
    assert len(report.unreadable) == 1 and "invalid_grant" in report.unreadable[0]


def test_with_only_an_unreadable_calendar_nothing_is_asked(
    engine: Engine, db_settings: Settings, api: FakeSlackApi
) -> None:
    with Session(engine) as session:
        workspace = slack_repo.workspace_for("T0ACME", None, session=session)
        add_rep(
            "dana@acme.example",
            slack_user_id="U0DANA",
            tz=LA,
            workspace_id=workspace.id,
            session=session,
        )
        session.commit()
    application = Application(engine, db_settings, clock=Clock())
    watch = CalendarWatch(application, lambda rep_id, addresses: [Unreadable()], default_tz=LA)
    report = watch.run_once()
    assert report.asked == 0 and "invalid_grant" in report.unreadable[0]
    assert scheduler(application, api).send_due().sent == 0
    assert asks(api) == []


def test_outside_the_lookback_nothing_is_asked(application: Application) -> None:
    application.clock.now = NOW + timedelta(days=4)  # type: ignore[attr-defined]
    assert CalendarWatch(application, default_tz=LA).run_once().asked == 0
