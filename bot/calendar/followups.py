"""Meetings that ended with people from outside and left nothing behind: no stored
conversation (transcript, notes, recap) with them from that day on. The Slack app asks
the rep for their notes. Pure: events, the rep's addresses, the stored conversations
and ``now`` in; the meetings to ask about out, oldest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.calendar.model import CalendarEvent, EventStatus, PartStat

LOOKBACK = timedelta(days=3)  # older meetings are not asked about any more
GRACE = timedelta(minutes=30)  # time for a notetaker's transcript to arrive


@dataclass(frozen=True)
class StoredConversation:
    """What is known of a stored conversation: when, and with whom (addresses)."""

    at: datetime
    people: frozenset[str]


@dataclass(frozen=True)
class MeetingWithoutNotes:
    event: CalendarEvent
    outsiders: tuple[str, ...]  # their addresses


def meetings_without_notes(
    events: Iterable[CalendarEvent],
    *,
    rep_emails: frozenset[str],
    conversations: Iterable[StoredConversation],
    now: datetime,
    lookback: timedelta = LOOKBACK,
) -> list[MeetingWithoutNotes]:
    ours = {e.rpartition("@")[2] for e in rep_emails}
    stored = list(conversations)
    found: list[MeetingWithoutNotes] = []
    for event in events:
        if event.status == EventStatus.CANCELLED or event.all_day or event.end is None:
            continue
        end = _instant(event.end)
        if not (now - lookback <= end <= now - GRACE):
            continue
        outsiders = tuple(
            a.email
            for a in event.attendees
            if not a.resource
            and a.partstat != PartStat.DECLINED
            and a.email.rpartition("@")[2] not in ours
        )
        if not outsiders:
            continue
        start = _instant(event.start)
        if any(c.at >= start - GRACE and c.people & set(outsiders) for c in stored):
            continue
        found.append(MeetingWithoutNotes(event, outsiders))
    return sorted(found, key=lambda m: _instant(m.event.start))


def _instant(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0), tzinfo=UTC)
