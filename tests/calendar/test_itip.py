"""iTIP folding and recurring events, on the calendar's own types."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.itip import ItipMessage, fold
from bot.calendar.model import (
    Attendee,
    CalendarEvent,
    EventStatus,
    ItipMethod,
    PartStat,
    Window,
)
from bot.calendar.recurrence import expand, recurrence_key

NY = ZoneInfo("America/New_York")
FIRST = datetime(2026, 10, 20, 9, 0, tzinfo=NY)
ALEX = "alex@clientco.example"
SERIES = CalendarEvent(
    uid="weekly",
    start=FIRST,
    end=FIRST + timedelta(minutes=30),
    title="Check-in",
    attendees=(Attendee(ALEX),),
    rrule="FREQ=WEEKLY;COUNT=6",
)
NOV_3 = datetime(2026, 11, 3, 9, 0, tzinfo=NY)
WINDOW = Window(datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))


def occurrences(events: list[CalendarEvent]) -> dict[str, CalendarEvent]:
    found, problems = expand(events, WINDOW)
    assert problems == []
    return {e.recurrence_id or "": e for e in found}


def test_series_keeps_its_wall_clock_across_the_dst_change() -> None:
    found = occurrences([SERIES])
    assert len(found) == 6
    assert {e.start.astimezone(NY).hour for e in found.values()} == {9}
    assert found[recurrence_key(NOV_3)].start.utcoffset() == timedelta(hours=-5)


def test_a_reply_for_one_occurrence_changes_that_occurrence_only() -> None:
    reply = CalendarEvent(
        uid="weekly",
        start=NOV_3,
        recurrence_id=recurrence_key(NOV_3),
        attendees=(Attendee(ALEX, PartStat.DECLINED),),
    )
    applied = fold(
        [ItipMessage(ItipMethod.REQUEST, (SERIES,)), ItipMessage(ItipMethod.REPLY, (reply,))]
    )
    found = occurrences(list(applied.events.values()))
    assert len(found) == 6
    declined = [k for k, e in found.items() if e.attendees[0].partstat == PartStat.DECLINED]
    assert declined == [recurrence_key(NOV_3)]


def test_cancelling_one_occurrence() -> None:
    cancel = CalendarEvent(uid="weekly", start=NOV_3, recurrence_id=recurrence_key(NOV_3))
    applied = fold(
        [ItipMessage(ItipMethod.REQUEST, (SERIES,)), ItipMessage(ItipMethod.CANCEL, (cancel,))]
    )
    found = occurrences(list(applied.events.values()))
    assert found[recurrence_key(NOV_3)].status == EventStatus.CANCELLED
    assert sum(e.status == EventStatus.CANCELLED for e in found.values()) == 1


def test_stale_request_is_ignored_and_said() -> None:
    newer = CalendarEvent(uid="x", start=NOV_3, sequence=2, title="New time")
    older = CalendarEvent(uid="x", start=FIRST, sequence=1, title="Old time")
    applied = fold(
        [ItipMessage(ItipMethod.REQUEST, (newer,)), ItipMessage(ItipMethod.REQUEST, (older,))]
    )
    assert applied.events[("x", None)].title == "New time"
    assert len(applied.ignored) == 1 and "SEQUENCE 1 < 2" in applied.ignored[0]


def test_a_bad_rule_is_a_problem_not_a_crash() -> None:
    broken = CalendarEvent(uid="b", start=FIRST, title="Broken", rrule="FREQ=SOMETIMES")
    found, problems = expand([broken], WINDOW)
    assert found == []
    assert len(problems) == 1 and "Broken" in problems[0]
