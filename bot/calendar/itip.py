"""iTIP (RFC 5546): invitations, replies, cancellations and counter-proposals folded
into the events they are about. Pure: known events and one message in, events out.

Events are known by UID and RECURRENCE-ID. A message older than what is known (a lower
SEQUENCE, or for replies of the same SEQUENCE an older DTSTAMP) changes nothing and is
said so. A REQUEST with a higher SEQUENCE replaces the event (a new time asks everyone
again); one of the same SEQUENCE keeps the answers already given. A REPLY sets the one
attendee's PARTSTAT; a reply for an occurrence not yet known starts from its series. A
CANCEL marks the event (or the one occurrence) cancelled. A COUNTER records the time the
attendee proposed; DECLINECOUNTER drops it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from bot.calendar.model import Attendee, CalendarEvent, EventStatus, ItipMethod, PartStat

Key = tuple[str, str | None]


@dataclass(frozen=True)
class ItipMessage:
    method: ItipMethod
    events: tuple[CalendarEvent, ...]


@dataclass
class Applied:
    events: dict[Key, CalendarEvent]
    changed: list[Key] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # why a part changed nothing


def apply_message(known: Mapping[Key, CalendarEvent], message: ItipMessage) -> Applied:
    result = Applied(dict(known))
    for incoming in message.events:
        _apply_one(result, message.method, incoming)
    return result


def fold(messages: list[ItipMessage]) -> Applied:
    """Every message applied in turn (the order they arrived in)."""
    result = Applied({})
    for message in messages:
        step = apply_message(result.events, message)
        result = Applied(step.events, result.changed + step.changed, result.ignored + step.ignored)
    return result


def _apply_one(result: Applied, method: ItipMethod, incoming: CalendarEvent) -> None:
    key = incoming.key
    current = result.events.get(key)
    if current is None and incoming.recurrence_id is not None:
        series = result.events.get((incoming.uid, None))
        if series is not None and method in (ItipMethod.REPLY, ItipMethod.COUNTER):
            current = _occurrence_of(series, incoming)
    if current is not None and incoming.sequence < current.sequence:
        result.ignored.append(
            f"{method} for '{current.title or incoming.uid}' is for an older version "
            f"(SEQUENCE {incoming.sequence} < {current.sequence}); ignored."
        )
        return
    updated = _updated(method, current, incoming, result.ignored)
    if updated is not None:
        result.events[key] = updated
        result.changed.append(key)


def _updated(
    method: ItipMethod, current: CalendarEvent | None, incoming: CalendarEvent, ignored: list[str]
) -> CalendarEvent | None:
    match method:
        case ItipMethod.REQUEST | ItipMethod.PUBLISH | ItipMethod.ADD:
            if current is None or incoming.sequence > current.sequence:
                return incoming
            return replace(incoming, attendees=_keep_answers(current, incoming))
        case ItipMethod.REPLY:
            return _reply(current, incoming, ignored)
        case ItipMethod.CANCEL:
            base = current or incoming
            return replace(base, status=EventStatus.CANCELLED, sequence=incoming.sequence)
        case ItipMethod.COUNTER:
            base = current or incoming
            proposer = incoming.attendees[0].email if incoming.attendees else None
            return replace(base, proposed_start=incoming.start, proposed_by=proposer)
        case ItipMethod.DECLINECOUNTER:
            return replace(current, proposed_start=None, proposed_by=None) if current else None
    ignored.append(f"{method} changes no event's status; ignored.")
    return None


def _reply(
    current: CalendarEvent | None, incoming: CalendarEvent, ignored: list[str]
) -> CalendarEvent | None:
    if not incoming.attendees:
        ignored.append(f"A REPLY for {incoming.uid} names no attendee; ignored.")
        return None
    base = current or replace(incoming, attendees=())
    attendees = list(base.attendees)
    for answer in incoming.attendees:
        answer = replace(answer, answered_at=answer.answered_at or incoming.stamp)
        for index, known in enumerate(attendees):
            if known.email != answer.email:
                continue
            if _older(answer.answered_at, known.answered_at):
                ignored.append(
                    f"{answer.email}'s reply of {_iso(answer.answered_at)} is older than the "
                    f"one of {_iso(known.answered_at)}; ignored."
                )
                break
            attendees[index] = replace(
                known, partstat=answer.partstat, answered_at=answer.answered_at
            )
            break
        else:
            attendees.append(answer)
    return replace(base, attendees=tuple(attendees))


def _keep_answers(current: CalendarEvent, incoming: CalendarEvent) -> tuple[Attendee, ...]:
    """The same version sent again (another attendee added): keep the answers given."""
    known = {a.email: a for a in current.attendees}
    kept = []
    for attendee in incoming.attendees:
        before = known.get(attendee.email)
        if attendee.partstat == PartStat.NEEDS_ACTION and before is not None:
            attendee = replace(attendee, partstat=before.partstat, answered_at=before.answered_at)
        kept.append(attendee)
    return tuple(kept)


def _occurrence_of(series: CalendarEvent, incoming: CalendarEvent) -> CalendarEvent:
    start = incoming.start
    end = None
    if series.end is not None:
        end = start + (series.end - series.start)  # type: ignore[operator]
    return replace(
        series, start=start, end=end, recurrence_id=incoming.recurrence_id, rrule=None, exdates=()
    )


def _older(new: datetime | None, known: datetime | None) -> bool:
    return new is not None and known is not None and new < known


def _iso(value: datetime | date | None) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat() if value else "?"
