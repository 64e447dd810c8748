"""Calendar verification: is there an invite for an agreed meeting, and did the other
side accept it? The pure core: the vocabulary (``model``), which event is a step's and
its status (``matcher``), iTIP messages folded into events (``itip``), recurring events
in a window (``recurrence``) and what a status does to a step (``effects``). The
adapters that read Google Calendar and iCalendar live in ``integrations.calendar``.
"""

from bot.calendar.model import (
    Attendee,
    CalendarCheck,
    CalendarEvent,
    CalendarSource,
    CalendarStatus,
    EventStatus,
    ItipMethod,
    Listing,
    MeetingQuery,
    PartStat,
    Window,
)

__all__ = [
    "Attendee",
    "CalendarCheck",
    "CalendarEvent",
    "CalendarSource",
    "CalendarStatus",
    "EventStatus",
    "ItipMethod",
    "Listing",
    "MeetingQuery",
    "PartStat",
    "Window",
]
