"""Recurring events as single occurrences in a window (RRULE, EXDATE, and occurrences
changed on their own via RECURRENCE-ID). Pure.

A rule is read with dateutil on the event's own wall clock, so a weekly 10:00 meeting
stays at 10:00 across a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from bot.calendar.model import CalendarEvent, Window

MAX_OCCURRENCES = 1000  # per event and window: a minutely rule cannot run away


class RecurrenceError(ValueError):
    """A rule that cannot be read."""


def recurrence_key(value: datetime | date) -> str:
    """How an occurrence is named: its start in UTC (a date as itself)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def expand(
    events: Iterable[CalendarEvent], window: Window
) -> tuple[list[CalendarEvent], list[str]]:
    """The occurrences in ``window``; problems (an unreadable rule) as sentences."""
    singles: list[CalendarEvent] = []
    overrides: dict[tuple[str, str], CalendarEvent] = {}
    masters: list[CalendarEvent] = []
    for event in events:
        if event.recurrence_id is not None:
            overrides[(event.uid, event.recurrence_id)] = event
        elif event.rrule:
            masters.append(event)
        else:
            singles.append(event)
    problems: list[str] = []
    found = [e for e in singles if _overlaps(e, window)]
    for master in masters:
        try:
            for start in _starts(master, window):
                key = recurrence_key(start)
                override = overrides.pop((master.uid, key), None)
                if override is not None:
                    if _overlaps(override, window):
                        found.append(override)
                    continue
                found.append(_occurrence(master, start, key))
        except RecurrenceError as error:
            problems.append(f"Event {master.uid} ('{master.title}'): {error}")
    # Changed occurrences whose original time fell outside the window, or without a master.
    found += [e for e in overrides.values() if _overlaps(e, window)]
    return found, problems


def _starts(master: CalendarEvent, window: Window) -> list[datetime | date]:
    start = master.start
    all_day = not isinstance(start, datetime)
    first = datetime.combine(start, time(0)) if all_day else start
    assert isinstance(first, datetime)
    try:
        rule = rrulestr(master.rrule or "", dtstart=first)
    except (ValueError, TypeError) as error:
        raise RecurrenceError(f"the rule '{master.rrule}' cannot be read ({error}).") from error
    duration = _duration(master)
    lo, hi = window.start - duration, window.end
    if all_day or first.tzinfo is None:
        lo, hi = lo.replace(tzinfo=None), hi.replace(tzinfo=None)
    skipped = {recurrence_key(x) for x in master.exdates}
    found: list[datetime | date] = []
    try:
        for value in rule.xafter(lo, count=MAX_OCCURRENCES, inc=True):
            if value > hi:
                break
            occurrence: datetime | date = value.date() if all_day else value
            if recurrence_key(occurrence) not in skipped:
                found.append(occurrence)
    except (ValueError, TypeError) as error:
        raise RecurrenceError(f"the rule '{master.rrule}' cannot be expanded ({error}).") from error
    return found


def _occurrence(master: CalendarEvent, start: datetime | date, key: str) -> CalendarEvent:
    end = start + _duration(master) if master.end is not None else None
    return replace(master, start=start, end=end, recurrence_id=key, rrule=None, exdates=())


def _duration(event: CalendarEvent) -> timedelta:
    if event.end is None:
        return timedelta(0)
    return event.end - event.start  # type: ignore[operator]


def _overlaps(event: CalendarEvent, window: Window) -> bool:
    start = _aware(event.start, window.start)
    end = _aware(event.end, window.start) if event.end is not None else start
    return end >= window.start and start <= window.end


def _aware(value: datetime | date, like: datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=like.tzinfo)
    return datetime.combine(value, time(0), tzinfo=like.tzinfo)
