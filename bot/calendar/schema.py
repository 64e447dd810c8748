"""The calendar's JSON form, part of ``"schema": 1``: each meeting step gains
``"calendar": {"status", "event": {...} | null, "checked_at", "reason"}``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.calendar.model import Attendee, CalendarCheck, CalendarEvent, EventStatus, PartStat


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


# --- events kept on disk (a synced calendar's mirror) ------------------------------


def _when_to_text(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when_from_text(text: str | None) -> datetime | date | None:
    if text is None:
        return None
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def event_to_record(event: CalendarEvent) -> dict[str, Any]:
    """Every field of an event, as JSON (``event_from_record`` reads it back)."""
    return {
        "uid": event.uid,
        "start": _when_to_text(event.start),
        "end": _when_to_text(event.end),
        "title": event.title,
        "organizer": event.organizer,
        "attendees": [
            {
                "email": a.email,
                "partstat": str(a.partstat),
                "name": a.name,
                "organizer": a.organizer,
                "optional": a.optional,
                "resource": a.resource,
                "answered_at": _when_to_text(a.answered_at),
            }
            for a in event.attendees
        ],
        "status": str(event.status),
        "link": event.link,
        "sequence": event.sequence,
        "recurrence_id": event.recurrence_id,
        "event_id": event.event_id,
        "stamp": _when_to_text(event.stamp),
    }


def event_from_record(record: dict[str, Any]) -> CalendarEvent:
    start = _when_from_text(record["start"])
    assert start is not None
    return CalendarEvent(
        uid=record["uid"],
        start=start,
        end=_when_from_text(record.get("end")),
        title=record.get("title") or "",
        organizer=record.get("organizer"),
        attendees=tuple(
            Attendee(
                email=a["email"],
                partstat=PartStat(a["partstat"]),
                name=a.get("name"),
                organizer=bool(a.get("organizer")),
                optional=bool(a.get("optional")),
                resource=bool(a.get("resource")),
                answered_at=_when_from_text(a.get("answered_at")),  # type: ignore[arg-type]
            )
            for a in record.get("attendees", [])
        ),
        status=EventStatus(record.get("status", "confirmed")),
        link=record.get("link"),
        sequence=int(record.get("sequence", 0)),
        recurrence_id=record.get("recurrence_id"),
        event_id=record.get("event_id"),
        stamp=_when_from_text(record.get("stamp")),  # type: ignore[arg-type]
    )
