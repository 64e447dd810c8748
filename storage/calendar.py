"""Calendar statuses of stored meeting steps, with their history, and the sync tokens
of the calendars read. Repository functions over a session: they flush, never commit.

``record_check`` stores a check on a step and applies what the status means to the
step itself (``bot.calendar.effects``): an acceptance acknowledges it, an invite gives
a step without time its due, a decline or cancellation unsecures it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.calendar.effects import CALENDAR_CODES, calendar_effect
from bot.calendar.model import CalendarCheck, CalendarStatus, MeetingQuery
from bot.calendar.queries import query_for
from bot.calendar.schema import check_to_dict
from bot.engine.model import StepKind
from bot.errors import NextStepError
from storage.models import (
    CalendarLink,
    CalendarLinkRead,
    CalendarStatusChange,
    Conversation,
    NextStep,
    RepEmail,
    StepStatus,
)
from storage.repo import get_sync_state, set_sync_state
from storage.steps import acknowledge_row, due_columns, secured_once_acknowledged, step_due


@dataclass(frozen=True)
class CalendarChange:
    step_id: int
    action: str
    previous: str | None  # None: the step had never been checked
    status: str
    reason: str | None

    @property
    def changed(self) -> bool:
        return self.previous != self.status


def calendar_of(step_id: int, *, session: Session) -> CalendarLink | None:
    return session.exec(
        select(CalendarLink).where(CalendarLink.step_id == step_id).order_by(col(CalendarLink.id))
    ).first()


def calendar_history(step_id: int, *, session: Session) -> list[CalendarStatusChange]:
    """Every status the step had, oldest first (when it became accepted, and so on)."""
    statement = (
        select(CalendarStatusChange)
        .where(CalendarStatusChange.step_id == step_id)
        .order_by(col(CalendarStatusChange.changed_at), col(CalendarStatusChange.id))
    )
    return list(session.exec(statement))


def open_meeting_steps(*, session: Session, rep_id: int | None = None) -> list[NextStep]:
    """Open meeting steps, the ones the calendar is checked for; of one rep if given."""
    statement = (
        select(NextStep)
        .join(Conversation, col(Conversation.id) == col(NextStep.conversation_id))
        .where(NextStep.kind == StepKind.MEETING, NextStep.status == StepStatus.OPEN)
        .order_by(col(NextStep.id))
    )
    if rep_id is not None:
        statement = statement.where(Conversation.rep_id == rep_id)
    return list(session.exec(statement))


@dataclass(frozen=True)
class OpenMeeting:
    """An open meeting step with what a check needs: its conversation, its rep's
    addresses and its current calendar link (loaded together, for many checks)."""

    step: NextStep
    conversation: Conversation
    rep_emails: tuple[str, ...]
    link: CalendarLink | None


def open_meetings(*, session: Session, rep_id: int | None = None) -> list[OpenMeeting]:
    """``open_meeting_steps`` with their conversations, rep addresses and links, in
    three queries whatever their number."""
    statement = (
        select(NextStep, Conversation)
        .join(Conversation, col(Conversation.id) == col(NextStep.conversation_id))
        .where(NextStep.kind == StepKind.MEETING, NextStep.status == StepStatus.OPEN)
        .order_by(col(NextStep.id))
    )
    if rep_id is not None:
        statement = statement.where(Conversation.rep_id == rep_id)
    pairs = list(session.exec(statement))
    addresses: dict[int, list[str]] = {}
    for email in session.exec(select(RepEmail)):
        addresses.setdefault(email.rep_id, []).append(email.address)
    links: dict[int, CalendarLink] = {}
    for link in session.exec(select(CalendarLink).order_by(col(CalendarLink.id).desc())):
        links[link.step_id] = link  # the first link of a step wins
    return [
        OpenMeeting(
            step,
            conversation,
            tuple(addresses.get(conversation.rep_id or 0, ())),
            links.get(step.id or 0),
        )
        for step, conversation in pairs
    ]


def query_for_stored(
    step: NextStep,
    *,
    session: Session,
    conversation: Conversation | None = None,
    rep_emails: tuple[str, ...] | None = None,
) -> MeetingQuery:
    """The calendar question for a stored step, from its conversation and rep."""
    conversation = conversation or session.get(Conversation, step.conversation_id)
    if conversation is None:
        raise NextStepError(f"Next step {step.id} has no conversation.")
    if rep_emails is None:
        rep_emails = ()
        if conversation.rep_id is not None:
            rep_emails = tuple(
                session.exec(select(RepEmail.address).where(RepEmail.rep_id == conversation.rep_id))
            )
    return query_for(
        action=step.action,
        due=step_due(step, conversation.tz),
        conversation_at=conversation.reference_time,
        tz=conversation.tz,
        people=[(p.get("role", ""), p.get("email")) for p in conversation.participants],
        rep_emails=rep_emails,
    )


def record_check(
    step_id: int, check: CalendarCheck, *, provider: str, session: Session
) -> CalendarChange:
    """Store ``check`` as the step's calendar status (history when it changed) and
    apply its effect to the step."""
    step = session.get(NextStep, step_id)
    if step is None:
        raise NextStepError(f"No next step has id {step_id}.")
    conversation = session.get(Conversation, step.conversation_id)
    if conversation is None:
        raise NextStepError(f"Next step {step_id} has no conversation.")
    meeting = OpenMeeting(step, conversation, (), calendar_of(step_id, session=session))
    change = record_meeting_check(meeting, check, provider=provider, session=session)
    session.flush()
    return change


def record_meeting_check(
    meeting: OpenMeeting, check: CalendarCheck, *, provider: str, session: Session
) -> CalendarChange:
    """``record_check`` for a step loaded by ``open_meetings`` (no lookups, no flush:
    for rechecking many steps in one transaction)."""
    step, link, tz = meeting.step, meeting.link, meeting.conversation.tz
    assert step.id is not None
    step_id = step.id
    previous = link.status if link is not None else None
    if link is None:
        link = CalendarLink(step_id=step_id, provider=provider, created_at=check.checked_at)
    _fill(link, check, provider=provider, tz=tz)
    if previous != link.status:
        link.status_changed_at = check.checked_at
        session.add(
            CalendarStatusChange(
                step_id=step_id,
                status=link.status,
                previous=previous,
                reason=check.reason,
                ical_uid=link.ical_uid,
                changed_at=check.checked_at,
            )
        )
    if link.status == CalendarStatus.ACCEPTED and link.accepted_at is None:
        link.accepted_at = check.checked_at
    session.add(link)
    _apply(step, check, tz=tz)
    session.add(step)
    return CalendarChange(step_id, step.action, previous, link.status, check.reason)


def link_to_dict(link: CalendarLink | None, *, tz: str = "UTC") -> dict[str, Any] | None:
    """A stored status in the JSON shape of ``bot.calendar.schema.check_to_dict``
    (times in ``tz``, the conversation's zone)."""
    if link is None:
        return None
    event = None
    if link.ical_uid is not None:
        event = {
            "uid": link.ical_uid,
            "start": _stored_when(link.starts_at, link.all_day, tz),
            "end": _stored_when(link.ends_at, link.all_day, tz),
            "title": link.title,
            "organizer": link.organizer,
            "link": link.link,
            "attendees": list(link.attendees),
        }
    return {
        "status": link.status,
        "event": event,
        "checked_at": link.checked_at.isoformat() if link.checked_at else None,
        "reason": link.reason,
    }


def sync_key(provider: str, calendar: str) -> str:
    return f"calendar:{provider}:{calendar}"


def get_sync_token(provider: str, calendar: str, *, session: Session) -> str | None:
    state = get_sync_state(sync_key(provider, calendar), session=session)
    return state.get("sync_token") if state else None


def set_sync_token(
    provider: str, calendar: str, token: str | None, *, now: datetime, session: Session
) -> None:
    """Save a calendar's sync token (``None`` forgets it: the next read is a full one)."""
    set_sync_state(sync_key(provider, calendar), {"sync_token": token}, now=now, session=session)


def _fill(link: CalendarLink, check: CalendarCheck, *, provider: str, tz: str) -> None:
    event = check.event
    data = check_to_dict(check)
    link.provider = provider
    link.status = CalendarStatus(check.status)
    link.reason = check.reason
    link.checked_at = check.checked_at
    if check.status == CalendarStatus.UNKNOWN:
        return  # a failed read keeps what the last good one found
    link.ical_uid = event.uid if event else None
    link.event_id = event.event_id if event else None
    link.sequence = event.sequence if event else None
    link.title = event.title or None if event else None
    link.organizer = event.organizer if event else None
    link.link = event.link if event else None
    link.attendees = data["event"]["attendees"] if event else []
    link.all_day = bool(event and event.all_day)
    link.starts_at = _instant(event.start, tz) if event else None
    link.ends_at = _instant(event.end, tz) if event and event.end is not None else None


def _apply(step: NextStep, check: CalendarCheck, *, tz: str) -> None:
    effect = calendar_effect(
        check,
        has_due=step.due is not None,
        acknowledged=step.acknowledged,
        ack_source=step.ack_source,
    )
    findings = [f for f in step.findings if f.get("code") not in CALENDAR_CODES]
    if effect.due is not None:
        step.due, step.due_is_date = due_columns(effect.due, tz)
        step.due_text = step.due_text or "the calendar invite"
        step.due_set_by = "calendar"
        findings = [f for f in findings if f.get("code") not in ("no_time", "vague_time")]
    if effect.finding is not None:
        finding = effect.finding
        findings.append(
            {
                "code": finding.code,
                "message": finding.message,
                "suggestion": finding.suggestion,
                "evidence": None,
            }
        )
    step.findings = findings
    if effect.acknowledge:
        evidence = {"quote": effect.ack_quote, "line": 0, "speaker": effect.ack_by}
        acknowledge_row(step, source="calendar", evidence=evidence)
    elif check.status == CalendarStatus.UNKNOWN:
        return
    step.secured = (
        not effect.unsecure and step.acknowledged and secured_once_acknowledged(step.findings)
    )


def _instant(value: datetime | date, tz: str) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0), tzinfo=ZoneInfo(tz))


def _stored_when(value: datetime | None, all_day: bool, tz: str) -> str | None:
    if value is None:
        return None
    local = value.astimezone(ZoneInfo(tz))
    return local.date().isoformat() if all_day else local.isoformat()


def recent_conversations(
    rep_id: int | None, *, since: datetime, session: Session
) -> list[tuple[datetime, frozenset[str]]]:
    """(when, participants' addresses) of a rep's conversations since ``since``."""
    statement = select(Conversation).where(col(Conversation.reference_time) >= since)
    if rep_id is not None:
        statement = statement.where(Conversation.rep_id == rep_id)
    return [
        (
            c.reference_time,
            frozenset(str(p["email"]).lower() for p in c.participants if p.get("email")),
        )
        for c in session.exec(statement)
    ]


def rep_addresses(rep_id: int, *, session: Session) -> frozenset[str]:
    return frozenset(session.exec(select(RepEmail.address).where(RepEmail.rep_id == rep_id)))


def calendar_statuses(step_ids: list[int], *, session: Session) -> dict[int, CalendarLinkRead]:
    """The current calendar status of each of these steps that has one (for the nudge
    planner and the Slack app: ``status``, ``reason``, the event, ``accepted_at``)."""
    if not step_ids:
        return {}
    statement = (
        select(CalendarLink)
        .where(col(CalendarLink.step_id).in_(step_ids))
        .order_by(col(CalendarLink.id).desc())
    )
    return {link.step_id: CalendarLinkRead.model_validate(link) for link in session.exec(statement)}
