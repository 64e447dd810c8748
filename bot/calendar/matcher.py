"""Which calendar event is a meeting step's, and what its status is. Pure.

A step is looked for in a window: around its due time when it has one, else from the
conversation onward. An event is a candidate when it invites someone from the other side
(by address, else by mail domain); when the other side's addresses are not known, when
its title shares words with the step's action or it starts at the agreed time. The best
candidate scores highest on attendees, title words and time; ties go to the event
nearest the agreed time.

The status, strongest first: cancelled (the event is cancelled), declined (everyone from
the other side declined), moved (the event is not at the agreed time), accepted (someone
from the other side accepted, or organised it), tentative, awaiting. A calendar that
could not be read gives ``unknown`` with the reason, never ``no_invite``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.model import (
    Attendee,
    CalendarCheck,
    CalendarEvent,
    CalendarStatus,
    EventStatus,
    Listing,
    MeetingQuery,
    PartStat,
    Window,
)
from bot.calendar.recurrence import expand

# How far around the agreed time an event may be and still be this step's (a meeting
# moved by a week is still the same meeting); without a time, how far ahead to look.
BEFORE_DUE = timedelta(days=7)
AFTER_DUE = timedelta(days=14)
AHEAD_WITHOUT_DUE = timedelta(days=30)

_WORD = re.compile(r"[a-z0-9]+")
# Words a title shares with any meeting; they say nothing about which one.
_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "for",
        "with",
        "on",
        "in",
        "at",
        "by",
        "our",
        "your",
        "my",
        "their",
        "we",
        "you",
        "i",
        "me",
        "us",
        "call",
        "meeting",
        "meet",
        "sync",
        "chat",
        "catch",
        "up",
        "quick",
        "follow",
        "followup",
        "next",
        "step",
        "steps",
        "re",
        "fw",
        "fwd",
        "invitation",
        "updated",
        "invite",
        "accepted",
        "declined",
        "tentative",
    ]
)


def window_for(query: MeetingQuery) -> Window:
    """The stretch of the calendar to read for a step."""
    due = _as_datetime(query.due, query.tz) if query.due is not None else None
    if due is None:
        return Window(query.conversation_at, query.conversation_at + AHEAD_WITHOUT_DUE)
    start = min(query.conversation_at, due - BEFORE_DUE)
    return Window(start, due + AFTER_DUE + timedelta(days=1))


def title_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _COMMON and len(w) > 1)


def unknown(reason: str, *, now: datetime) -> CalendarCheck:
    """A check that failed: nothing may be concluded, so no nudge either."""
    return CalendarCheck(CalendarStatus.UNKNOWN, checked_at=now, reason=reason)


@dataclass(frozen=True)
class _Candidate:
    event: CalendarEvent
    score: int
    distance: float  # seconds from the agreed time (or the conversation)


def match(query: MeetingQuery, events: Iterable[CalendarEvent], *, now: datetime) -> CalendarCheck:
    """The step's calendar status from the events a source gave for ``window_for``."""
    window = window_for(query)
    words = title_words(query.action)
    candidates = [
        c for e in events if (c := _candidate(query, e, window, words)) is not None and c.score > 0
    ]
    if not candidates:
        return CalendarCheck(
            CalendarStatus.NO_INVITE,
            checked_at=now,
            reason=f"No event between {_day(window.start, query.tz)} and "
            f"{_day(window.end, query.tz)} invites the other side.",
        )
    best = max(candidates, key=lambda c: (c.score, -c.distance, c.event.sequence, c.event.uid))
    return status_of(query, best.event, now=now)


def status_of(query: MeetingQuery, event: CalendarEvent, *, now: datetime) -> CalendarCheck:
    """The status a step has when ``event`` is its meeting."""
    everyone = counterpart_attendees(query, event)
    # Whoever delegated the invite answers through their delegate (RFC 5545 DELEGATED-TO):
    # the delegates' answers count; with no delegate of theirs on it, it is awaited.
    theirs = tuple(a for a in everyone if a.partstat != PartStat.DELEGATED) or everyone
    answers = {a.partstat for a in theirs}
    agreed = _as_datetime(query.due, query.tz) if query.due is not None else None

    def check(status: CalendarStatus, reason: str | None = None) -> CalendarCheck:
        return CalendarCheck(status, checked_at=now, event=event, reason=reason, answered=theirs)

    if event.status == EventStatus.CANCELLED:
        return check(CalendarStatus.CANCELLED, f"'{event.title}' was cancelled.")
    if not theirs:
        return check(
            CalendarStatus.NO_INVITE, f"'{event.title}' invites no one from the other side."
        )
    if answers == {PartStat.DECLINED}:
        return check(CalendarStatus.DECLINED, f"{_names(theirs)} declined.")
    if agreed is not None and not _same_time(query, event):
        return check(
            CalendarStatus.MOVED,
            f"The event is at {_when(event.start, query.tz)}, not at the agreed "
            f"{_when(query.due, query.tz)}.",
        )
    if PartStat.ACCEPTED in answers:
        return check(CalendarStatus.ACCEPTED)
    if PartStat.TENTATIVE in answers:
        return check(CalendarStatus.TENTATIVE, f"{_names(theirs)} answered maybe.")
    if event.proposed_start is not None:
        who = event.proposed_by or "The other side"
        return check(
            CalendarStatus.AWAITING,
            f"{who} proposed {_when(event.proposed_start, query.tz)} instead.",
        )
    if answers == {PartStat.DELEGATED}:
        return check(
            CalendarStatus.AWAITING,
            f"{_names(theirs)} passed the invite on to someone else, who has not answered yet.",
        )
    verb = "has" if len(theirs) == 1 else "have"
    return check(CalendarStatus.AWAITING, f"{_names(theirs)} {verb} not answered the invite yet.")


def counterpart_attendees(query: MeetingQuery, event: CalendarEvent) -> tuple[Attendee, ...]:
    """The other side's people on the event (an organiser from their side counts as
    accepted: they made it). Without their addresses: everyone but the rep and rooms,
    and the organiser is taken for the rep unless the rep's addresses say otherwise."""
    people = list(event.attendees)
    if event.organizer and all(a.email != event.organizer for a in people):
        people.append(Attendee(event.organizer, PartStat.ACCEPTED, organizer=True))
    known = bool(query.counterpart_emails or query.counterpart_domains)
    found = []
    for person in people:
        if person.resource or person.email in query.rep_emails:
            continue
        is_organizer = person.organizer or person.email == event.organizer
        if is_organizer and not known and not query.rep_emails:
            continue
        if _is_counterpart(query, person.email):
            if is_organizer:
                person = Attendee(person.email, PartStat.ACCEPTED, person.name, organizer=True)
            found.append(person)
    return tuple(found)


def _is_counterpart(query: MeetingQuery, email: str) -> bool:
    if not query.counterpart_emails and not query.counterpart_domains:
        return True  # nothing known about them: anyone but the rep
    domain = email.rpartition("@")[2]
    return email in query.counterpart_emails or domain in query.counterpart_domains


def _candidate(
    query: MeetingQuery, event: CalendarEvent, window: Window, words: frozenset[str]
) -> _Candidate | None:
    start = _as_datetime(event.start, query.tz)
    end = _as_datetime(event.end, query.tz) if event.end is not None else start
    if end < window.start or start > window.end:
        return None
    known = bool(query.counterpart_emails or query.counterpart_domains)
    score = 0
    emails = {a.email for a in event.attendees} | ({event.organizer} if event.organizer else set())
    if emails & query.counterpart_emails:
        score += 4
    elif any(e.rpartition("@")[2] in query.counterpart_domains for e in emails):
        score += 3
    elif known:
        return None  # their people are known and none is on it: another meeting
    shared = len(title_words(event.title) & words)
    score += min(shared, 2)
    agreed = _as_datetime(query.due, query.tz) if query.due is not None else None
    if agreed is not None and _same_time(query, event):
        score += 3
    elif agreed is not None and start.date() == agreed.date():
        score += 1
    if not known and shared == 0 and (agreed is None or not _same_time(query, event)):
        return None  # nobody to match on, no title words, not the agreed time
    anchor = agreed or query.conversation_at
    return _Candidate(event, score, abs((start - anchor).total_seconds()))


def _same_time(query: MeetingQuery, event: CalendarEvent) -> bool:
    """Whether the event is at the agreed time: the same instant, or for a step with
    only a day (or an all-day event) the same day in the rep's zone."""
    due = query.due
    if due is None:
        return True
    zone = ZoneInfo(query.tz)
    if not isinstance(due, datetime) or event.all_day:
        due_day = due.astimezone(zone).date() if isinstance(due, datetime) else due
        start = event.start
        event_day = start.astimezone(zone).date() if isinstance(start, datetime) else start
        return due_day == event_day
    return _as_datetime(event.start, query.tz) == due


def _as_datetime(value: datetime | date | None, tz: str) -> datetime:
    """An aware datetime; a day is its midnight in ``tz``."""
    if isinstance(value, datetime):
        return value
    if value is None:
        raise ValueError("no time")
    return datetime.combine(value, time(0), tzinfo=ZoneInfo(tz))


def _when(value: datetime | date | None, tz: str) -> str:
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y %H:%M")
    if value is None:
        return "no time"
    return value.strftime("%a %d %b %Y")


def _day(value: datetime, tz: str) -> str:
    return value.astimezone(ZoneInfo(tz)).strftime("%d %b %Y")


def _names(attendees: tuple[Attendee, ...]) -> str:
    names = [a.name or a.email for a in attendees]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def check_listing(query: MeetingQuery, listing: Listing, *, now: datetime) -> CalendarCheck:
    """``match`` over a source's listing, recurring events expanded. When nothing
    matched and part of the calendar could not be read, the answer is ``unknown``."""
    window = window_for(query)
    events, problems = expand(listing.index.candidates(query, window), window)
    found = match(query, events, now=now)
    trouble = [*listing.problems, *problems]
    if found.status == CalendarStatus.NO_INVITE and found.event is None and trouble:
        return unknown("Part of the calendar could not be read: " + " ".join(trouble), now=now)
    return found
