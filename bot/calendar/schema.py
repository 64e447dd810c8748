"""The calendar's JSON form, part of ``"schema": 1``: each meeting step gains
``"calendar": {"status", "event": {...} | null, "checked_at", "reason"}``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.calendar.model import Attendee, CalendarCheck, CalendarEvent


def _iso(value: datetime | date | None, tz: str | None = None) -> str | None:
    """ISO 8601; a date-time in ``tz`` (the rep's zone) when one is given."""
    if isinstance(value, datetime) and tz is not None:
        value = value.astimezone(ZoneInfo(tz))
    return value.isoformat() if value is not None else None


def attendee_to_dict(attendee: Attendee) -> dict[str, Any]:
    return {"email": attendee.email, "partstat": str(attendee.partstat)}


def event_to_dict(event: CalendarEvent | None, tz: str | None = None) -> dict[str, Any] | None:
    if event is None:
        return None
    return {
        "uid": event.uid,
        "start": _iso(event.start, tz),
        "end": _iso(event.end, tz),
        "title": event.title or None,
        "organizer": event.organizer,
        "link": event.link,
        "attendees": [attendee_to_dict(a) for a in event.attendees if not a.resource],
    }


def check_to_dict(check: CalendarCheck, tz: str | None = None) -> dict[str, Any]:
    return {
        "status": str(check.status),
        "event": event_to_dict(check.event, tz),
        "checked_at": _iso(check.checked_at),
        "reason": check.reason,
    }
