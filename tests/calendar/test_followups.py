"""Meetings that ended with outsiders and no stored notes, for the Slack app to ask about."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.calendar.followups import StoredConversation, meetings_without_notes
from bot.calendar.model import Attendee, CalendarEvent, EventStatus, PartStat

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
REP = frozenset({"dana@northwind.example"})
START = NOW - timedelta(hours=3)
DEMO = CalendarEvent(
    uid="demo",
    start=START,
    end=START + timedelta(hours=1),
    title="Demo",
    organizer="dana@northwind.example",
    attendees=(
        Attendee("dana@northwind.example", PartStat.ACCEPTED),
        Attendee("sam@northwind.example", PartStat.ACCEPTED),
        Attendee("priya@acme.example", PartStat.ACCEPTED),
        Attendee("room@northwind.example", PartStat.ACCEPTED, resource=True),
    ),
)
INTERNAL = replace(DEMO, uid="standup", attendees=DEMO.attendees[:2])


def ask(events, conversations=()):  # type: ignore[no-untyped-def]
    return meetings_without_notes(events, rep_emails=REP, conversations=conversations, now=NOW)


def test_an_ended_meeting_with_an_outsider_and_no_notes_is_asked_about() -> None:
    found = ask([DEMO, INTERNAL])
    assert [(m.event.uid, m.outsiders) for m in found] == [("demo", ("priya@acme.example",))]


def test_stored_notes_with_them_from_that_day_answer_it() -> None:
    notes = StoredConversation(START + timedelta(hours=2), frozenset({"priya@acme.example"}))
    assert ask([DEMO], [notes]) == []
    older = StoredConversation(START - timedelta(days=2), frozenset({"priya@acme.example"}))
    assert len(ask([DEMO], [older])) == 1


def test_not_yet_ended_cancelled_declined_or_too_old_are_left_alone() -> None:
    running = replace(DEMO, uid="now", end=NOW + timedelta(minutes=10))
    cancelled = replace(DEMO, uid="c", status=EventStatus.CANCELLED)
    declined = replace(
        DEMO,
        uid="d",
        attendees=(Attendee("priya@acme.example", PartStat.DECLINED),),
    )
    old = replace(DEMO, uid="o", start=NOW - timedelta(days=5), end=NOW - timedelta(days=5))
    assert ask([running, cancelled, declined, old]) == []
