"""Asking for a meeting's notes: once per meeting, out of quiet hours, only while the
meeting is recent and only when people from outside were in it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.nudges.model import NudgeReason, Preferences
from bot.nudges.notes import EndedMeeting, meeting_detail, meeting_of, notes_key, notes_wanted

NOW = datetime(2026, 11, 19, 19, 0, tzinfo=UTC)  # Thursday 11am in Los Angeles
LA = Preferences(tz="America/Los_Angeles", quiet_start=time(19, 0), quiet_end=time(8, 0))


def meeting(
    ended_ago: timedelta, uid: str = "evt-1", outsiders: tuple[str, ...] = ("p@c.example",)
):
    end = NOW - ended_ago
    return EndedMeeting(uid, "Acme rollout review", end - timedelta(hours=1), end, outsiders)


def test_a_recent_meeting_is_asked_about_once() -> None:
    found = meeting(timedelta(hours=1))
    first = notes_wanted([found], 7, LA, NOW)
    assert len(first) == 1
    ask = first[0]
    assert ask.reason == NudgeReason.NOTES_WANTED and ask.step_id is None and ask.rep_id == 7
    assert ask.planned_for == NOW
    assert "Acme rollout review ended" in ask.why
    assert notes_wanted([found], 7, LA, NOW, planned_keys={ask.dedupe_key}) == []


def test_each_occurrence_of_a_recurring_meeting_has_its_own_key() -> None:
    monday = meeting(timedelta(days=1, hours=1))
    today = meeting(timedelta(hours=1))
    assert notes_key(7, monday) != notes_key(7, today)
    asks = notes_wanted([today, monday], 7, LA, NOW)
    assert [a.dedupe_key for a in asks] == [notes_key(7, monday), notes_key(7, today)]


def test_quiet_hours_push_the_ask_to_the_morning() -> None:
    late = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)  # 9pm Thursday in Los Angeles
    found = EndedMeeting(
        "evt-2", "Late call", late - timedelta(hours=2), late - timedelta(hours=1), ("p@c.example",)
    )
    (ask,) = notes_wanted([found], 7, LA, late)
    assert ask.planned_for == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # 8am Friday


def test_old_meetings_and_meetings_without_outsiders_are_left_alone() -> None:
    assert notes_wanted([meeting(timedelta(days=3))], 7, LA, NOW) == []
    assert notes_wanted([meeting(timedelta(hours=1), outsiders=())], 7, LA, NOW) == []
    assert notes_wanted([meeting(-timedelta(hours=1))], 7, LA, NOW) == []  # not over yet


def test_the_stored_detail_reads_back_as_the_same_meeting() -> None:
    found = meeting(timedelta(hours=1))
    assert meeting_of(meeting_detail(found)) == found
