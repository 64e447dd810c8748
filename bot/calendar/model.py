"""The calendar's vocabulary (``CalendarStatus`` lives with the others in
``bot.vocabulary``): events, attendees, what a check found.

Plain data, nothing imported from Google, icalendar or the database. Every datetime is
aware; an all-day event keeps its dates (``start``/``end`` are ``date`` then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from bot.vocabulary import CalendarStatus

if TYPE_CHECKING:
    from bot.calendar.index import EventIndex


class PartStat(StrEnum):
    """An attendee's answer (iCalendar PARTSTAT; Google's responseStatus maps onto it)."""

    NEEDS_ACTION = "needs-action"
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"
    DELEGATED = "delegated"


class EventStatus(StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


class ItipMethod(StrEnum):
    """RFC 5546 methods; PUBLISH is a plain calendar file (no scheduling)."""

    PUBLISH = "PUBLISH"
    REQUEST = "REQUEST"
    REPLY = "REPLY"
    CANCEL = "CANCEL"
    COUNTER = "COUNTER"
    DECLINECOUNTER = "DECLINECOUNTER"
    REFRESH = "REFRESH"
    ADD = "ADD"


@dataclass(frozen=True)
class Attendee:
    email: str  # lower case
    partstat: PartStat = PartStat.NEEDS_ACTION
    name: str | None = None
    organizer: bool = False
    optional: bool = False
    resource: bool = False  # a room or a device, never a person
    answered_at: datetime | None = None  # the DTSTAMP of the reply that set ``partstat``


@dataclass(frozen=True)
class CalendarEvent:
    """One occurrence of an event (recurring events are expanded before matching)."""

    uid: str
    start: datetime | date
    end: datetime | date | None = None
    title: str = ""
    organizer: str | None = None  # email, lower case
    attendees: tuple[Attendee, ...] = ()
    status: EventStatus = EventStatus.CONFIRMED
    link: str | None = None  # the event's page (Google's htmlLink) or URL property
    sequence: int = 0
    recurrence_id: str | None = None  # an occurrence of a recurring event, as ISO text
    event_id: str | None = None  # the provider's own id, where it has one
    proposed_start: datetime | date | None = None  # a COUNTER's proposal, not yet agreed
    proposed_by: str | None = None
    stamp: datetime | None = None  # DTSTAMP / Google's updated: when this version was sent
    rrule: str | None = None  # a recurring event's rule, before expansion
    exdates: tuple[datetime | date, ...] = ()

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.uid, self.recurrence_id)


@dataclass(frozen=True)
class MeetingQuery:
    """What the calendar is asked about one meeting step."""

    action: str  # "review the proposal", for title words
    conversation_at: datetime  # when it was agreed
    tz: str  # the rep's zone: days and all-day events are read in it
    due: datetime | date | None = None
    counterpart_emails: frozenset[str] = frozenset()
    counterpart_domains: frozenset[str] = frozenset()
    rep_emails: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CalendarCheck:
    """The answer for one step: a status, the event it rests on, and why."""

    status: CalendarStatus
    checked_at: datetime
    event: CalendarEvent | None = None
    reason: str | None = None
    answered: tuple[Attendee, ...] = ()  # the other side's attendees and their answers

    @property
    def accepted_by(self) -> tuple[str, ...]:
        return tuple(a.email for a in self.answered if a.partstat == PartStat.ACCEPTED)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Listing:
    """A source's events in a window, and what it could not read (an event without a
    start, an unknown time zone): with problems, "no invite" cannot be concluded."""

    events: tuple[CalendarEvent, ...] = ()
    problems: tuple[str, ...] = ()

    @cached_property
    def index(self) -> EventIndex:
        """The events indexed for many checks (built on first use, then kept)."""
        from bot.calendar.index import EventIndex

        return EventIndex(self.events)


class CalendarSource(Protocol):
    """Anything that can list a calendar's events in a window.

    ``events`` raises ``bot.errors.CalendarError`` (the reason in its detail) when the
    calendar cannot be read at all; it never answers "no events" for a failure.
    """

    name: str

    def events(self, window: Window) -> Listing: ...
