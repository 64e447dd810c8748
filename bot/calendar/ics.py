"""iCalendar files and iTIP messages, read with the ``icalendar`` package.

``parse_ics`` turns one calendar object (a file, a feed, a ``text/calendar`` mail part)
into its METHOD and events. What cannot be read is reported, never guessed: a file that
is not iCalendar raises ``IcsError``; an event without DTSTART or with a time zone that
is neither embedded (VTIMEZONE, Outlook's Windows names included) nor an IANA name is
left out and named in ``problems``, so a check over it says ``unknown``, not "no invite".
Floating times (no zone) are read in the rep's zone.

``IcsSource`` is a ``CalendarSource`` over several such objects, folded in order as iTIP
messages (an invitation, then the replies to it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.calendar.itip import ItipMessage, fold
from bot.calendar.model import (
    Attendee,
    CalendarEvent,
    EventStatus,
    ItipMethod,
    Listing,
    PartStat,
    Window,
)
from bot.calendar.recurrence import recurrence_key
from bot.errors import CalendarError

log = logging.getLogger(__name__)

_PARTSTAT = {p.value.upper(): p for p in PartStat}
_STATUS = {s.value.upper(): s for s in EventStatus}


class IcsError(CalendarError):
    """The calendar file could not be read."""


@dataclass(frozen=True)
class ParsedIcs:
    method: ItipMethod
    events: tuple[CalendarEvent, ...]
    problems: tuple[str, ...] = ()

    @property
    def message(self) -> ItipMessage:
        return ItipMessage(self.method, self.events)


def parse_ics(data: bytes, *, tz: str = "UTC", label: str = "the calendar") -> ParsedIcs:
    """One iCalendar object's METHOD, events and problems (see the module's docstring)."""
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError) as error:
        raise IcsError(f"{label} is not iCalendar: {error}") from error
    if not calendars:
        raise IcsError(f"{label} holds no VCALENDAR.")
    method_text = str(calendars[0].get("METHOD", "PUBLISH")).upper()
    try:
        method = ItipMethod(method_text)
    except ValueError:
        raise IcsError(f"{label} has an unknown METHOD {method_text!r}.") from None
    events: list[CalendarEvent] = []
    problems: list[str] = []
    for calendar in calendars:
        for index, component in enumerate(calendar.walk("VEVENT")):
            try:
                events.append(_event(component, tz=tz, index=index))
            except _Skip as skip:
                problems.append(f"{label}: {skip}")
    for problem in problems:
        log.warning("calendar input skipped in part: %s", problem)
    return ParsedIcs(method, tuple(events), tuple(problems))


class _Skip(Exception):
    pass


def _event(component: Any, *, tz: str, index: int) -> CalendarEvent:
    title = str(component.get("SUMMARY", "")).strip()
    uid = str(component.get("UID", "")).strip() or f"no-uid-{index}"
    named = f"event '{title or uid}'"
    broken = [message for _, message in getattr(component, "errors", [])]
    if broken:  # a line lost may be its time or an attendee's answer
        raise _Skip(f"{named} has lines that cannot be read: {'; '.join(broken)}")
    start = _when(component, "DTSTART", tz=tz, named=named)
    if start is None:
        raise _Skip(f"{named} has no DTSTART, so its time is unknown.")
    end = _when(component, "DTEND", tz=tz, named=named)
    if end is None:
        duration = component.get("DURATION")
        if duration is not None:
            end = start + duration.dt
        elif isinstance(start, date) and not isinstance(start, datetime):
            end = start + timedelta(days=1)
    recurrence = _when(component, "RECURRENCE-ID", tz=tz, named=named)
    stamp = _when(component, "DTSTAMP", tz="UTC", named=named)
    rule = component.get("RRULE")
    return CalendarEvent(
        uid=uid,
        start=start,
        end=end,
        title=title,
        organizer=_address(component.get("ORGANIZER")),
        attendees=tuple(_attendees(component, stamp if isinstance(stamp, datetime) else None)),
        status=_STATUS.get(
            str(component.get("STATUS", "CONFIRMED")).upper(), EventStatus.CONFIRMED
        ),
        link=str(component["URL"]) if component.get("URL") else None,
        sequence=_int(component.get("SEQUENCE")),
        recurrence_id=recurrence_key(recurrence) if recurrence is not None else None,
        stamp=stamp if isinstance(stamp, datetime) else None,
        rrule=rule.to_ical().decode() if rule is not None else None,
        exdates=tuple(_exdates(component, tz=tz, named=named)),
    )


def _when(component: Any, name: str, *, tz: str, named: str) -> datetime | date | None:
    prop = component.get(name)
    if prop is None:
        return None
    try:
        value = prop.dt
    except Exception as error:  # icalendar's BrokenCalendarProperty and friends
        raise _Skip(f"{named} has an unreadable {name} ({error}).") from error
    return _zoned(value, prop, tz=tz, named=named, name=name)


def _zoned(value: Any, prop: Any, *, tz: str, named: str, name: str) -> datetime | date:
    if isinstance(value, timedelta) or not isinstance(value, date):
        raise _Skip(f"{named} has a {name} that is not a date or a time: {value!r}.")
    if not isinstance(value, datetime) or value.tzinfo is not None:
        return value
    zone_name = prop.params.get("TZID") if hasattr(prop, "params") else None
    if zone_name:
        raise _Skip(
            f"{named} is in the time zone {zone_name!r}, which is neither described in the "
            "file nor a known zone name."
        )
    return value.replace(tzinfo=ZoneInfo(tz))  # floating time: the rep's wall clock


def _exdates(component: Any, *, tz: str, named: str) -> Iterable[datetime | date]:
    found = component.get("EXDATE")
    if found is None:
        return []
    values: list[datetime | date] = []
    for group in found if isinstance(found, list) else [found]:
        for item in getattr(group, "dts", []):
            values.append(_zoned(item.dt, group, tz=tz, named=named, name="EXDATE"))
    return values


def _attendees(component: Any, stamp: datetime | None) -> list[Attendee]:
    found = component.get("ATTENDEE")
    if found is None:
        return []
    organizer = _address(component.get("ORGANIZER"))
    people = []
    for prop in found if isinstance(found, list) else [found]:
        email = _address(prop)
        if not email:
            continue
        params = getattr(prop, "params", {})
        partstat = _PARTSTAT.get(str(params.get("PARTSTAT", "NEEDS-ACTION")).upper())
        people.append(
            Attendee(
                email=email,
                partstat=partstat or PartStat.NEEDS_ACTION,
                name=str(params["CN"]).strip('"') if params.get("CN") else None,
                organizer=email == organizer,
                optional=str(params.get("ROLE", "")).upper() == "OPT-PARTICIPANT",
                resource=str(params.get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE"),
                answered_at=stamp if partstat not in (None, PartStat.NEEDS_ACTION) else None,
            )
        )
    return people


def _address(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower() or None


def _int(value: Any) -> int:
    try:
        return int(str(value)) if value is not None else 0
    except ValueError:
        return 0


@dataclass(frozen=True)
class IcsInput:
    """One calendar object and where it came from (a file name, "input #12")."""

    label: str
    data: bytes


class IcsSource:
    """A ``CalendarSource`` over calendar files and iTIP messages, folded in the order
    given. A file that cannot be read at all is a problem of the listing, not a crash."""

    def __init__(self, inputs: Iterable[IcsInput], *, tz: str = "UTC", name: str = "ics") -> None:
        self.name = name
        self.inputs = list(inputs)
        self.tz = tz
        self._listing: Listing | None = None

    def events(self, window: Window) -> Listing:
        """Every event (the matcher takes the window); read once, then kept."""
        return self.listing()

    def listing(self) -> Listing:
        if self._listing is None:
            self._listing = self._read()
        return self._listing

    def _read(self) -> Listing:
        messages: list[ItipMessage] = []
        problems: list[str] = []
        for item in self.inputs:
            try:
                parsed = parse_ics(item.data, tz=self.tz, label=item.label)
            except IcsError as error:
                log.warning("calendar input not read: %s", error.detail)
                problems.append(error.detail or error.message)
                continue
            messages.append(parsed.message)
            problems += parsed.problems
        applied = fold(messages)
        for note in applied.ignored:
            log.info("iTIP: %s", note)
        return Listing(tuple(applied.events.values()), tuple(problems))
