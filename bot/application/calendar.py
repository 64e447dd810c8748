"""The calendar check, the imperative shell around the pure matcher (``bot.calendar``):
ask a source, turn a failure into ``unknown`` with the reason (and a log line), store
the answer and what it means for the step. Also the calendar inputs that arrive by mail
or file (invitations, iTIP replies, .ics files): read, kept, and used to recheck the
stored meeting steps.

Sources are handed in by the front ends (``integrations.calendar``: Google Calendar,
.ics feeds), or built here from the stored calendar inputs; ``Application`` offers these
as use cases.

Calendar parts are stored like every input (``inbound_message``, source "ics") before
they are read. ``route_calendar_inputs`` reads those not yet read: one that is not
iCalendar is marked failed with the reason (the raw bytes stay for a retry); the others
are marked processed, then the open meeting steps are checked again against every
calendar input of their rep, folded in the order they arrived.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.calendar.effects import apply_to_analysis, is_meeting
from bot.calendar.followups import (
    LOOKBACK,
    MeetingWithoutNotes,
    StoredConversation,
    meetings_without_notes,
)
from bot.calendar.ics import IcsError, IcsInput, IcsSource, parse_ics
from bot.calendar.matcher import check_listing, unknown, window_for
from bot.calendar.model import (
    CalendarCheck,
    CalendarEvent,
    CalendarSource,
    Listing,
    MeetingQuery,
    Window,
)
from bot.calendar.queries import query_for_step
from bot.engine.model import Analysis
from bot.errors import CalendarError
from bot.vocabulary import CalendarStatus, InputSource, InputStatus, VerdictCause
from storage.calendar import (
    CalendarChange,
    open_meetings,
    query_for_stored,
    recent_conversations,
    record_meeting_check,
    rep_addresses,
)
from storage.history import Because, recompute_verdict
from storage.models import InboundMessage, NextStep, RepEmail

log = logging.getLogger(__name__)


def check_step(source: CalendarSource, query: MeetingQuery, *, now: datetime) -> CalendarCheck:
    """One step's status from one source; a source that fails gives ``unknown``."""
    try:
        listing = source.events(window_for(query))
    except CalendarError as error:
        log.warning("calendar %s could not be read: %s", source.name, error.message)
        return unknown(error.detail or error.message, now=now)
    return check_listing(query, listing, now=now)


class CombinedSource:
    """Several sources read as one (several .ics files, a feed and mail replies)."""

    def __init__(self, sources: Sequence[CalendarSource], *, name: str = "ics") -> None:
        self.sources = list(sources)
        self.name = name
        self._listing: Listing | None = None

    def events(self, window: Window) -> Listing:
        """Every source's events (each source is read once per run: a listing and its
        index are kept)."""
        if self._listing is None:
            self._listing = self._read(window)
        return self._listing

    def _read(self, window: Window) -> Listing:
        events: list[CalendarEvent] = []
        problems: list[str] = []
        for source in self.sources:
            try:
                listing = source.events(window)
            except CalendarError as error:
                problems.append(error.detail or error.message)
                continue
            events += listing.events
            problems += listing.problems
        return Listing(tuple(events), tuple(problems))


def check_analysis(
    analysis: Analysis,
    source: CalendarSource,
    *,
    now: datetime,
    rep_emails: Sequence[str] = (),
) -> tuple[Analysis, dict[int, CalendarCheck]]:
    """Every meeting step of ``analysis`` checked; the analysis as the statuses leave it."""
    checks = {
        i: check_step(source, query_for_step(step, analysis.document, rep_emails), now=now)
        for i, step in enumerate(analysis.steps)
        if is_meeting(step.kind)
    }
    return apply_to_analysis(analysis, checks), checks


@dataclass
class CheckReport:
    checked: int = 0
    changes: list[CalendarChange] = field(default_factory=list)

    @property
    def changed(self) -> list[CalendarChange]:
        return [c for c in self.changes if c.changed]


def check_stored_steps(
    source_for_rep: Callable[[int | None], CalendarSource],
    *,
    session: Session,
    now: datetime,
    rep_id: int | None = None,
    provider: str = "ics",
) -> CheckReport:
    """Recheck every open meeting step (of one rep if given) and store the statuses
    (flushed, not committed); ``source_for_rep`` gives a conversation's rep's calendar,
    asked once per rep."""
    report = CheckReport()
    sources: dict[int | None, CalendarSource] = {}
    with session.no_autoflush:
        for meeting in open_meetings(session=session, rep_id=rep_id):
            query = query_for_stored(
                meeting.step,
                session=session,
                conversation=meeting.conversation,
                rep_emails=meeting.rep_emails,
            )
            owner = meeting.conversation.rep_id
            if owner not in sources:
                sources[owner] = source_for_rep(owner)
            check = check_step(sources[owner], query, now=now)
            change = record_meeting_check(meeting, check, provider=provider, session=session)
            report.changes.append(change)
            report.checked += 1
            if change.changed:
                _recompute_verdict(meeting.step, change, at=now, session=session)
    session.flush()
    return report


def _recompute_verdict(
    step: NextStep, change: CalendarChange, *, at: datetime, session: Session
) -> None:
    """The conversation's verdict after the calendar changed one of its steps: the
    acceptance (who accepted, the invite's title) or the status and its reason."""
    assert step.id is not None
    evidence = step.ack_evidence or {}
    if step.ack_source == "calendar" and change.status == CalendarStatus.ACCEPTED:
        because = Because(
            VerdictCause.CALENDAR, evidence.get("quote"), evidence.get("speaker"), step.id
        )
        how = f"accepted on the calendar by {evidence.get('speaker') or 'the other side'}"
    else:
        because = Because(VerdictCause.CALENDAR, change.reason, None, step.id)
        how = f"calendar: invite {change.status}"
    recompute_verdict(step.conversation_id, because, at=at, how=how, session=session)


def meetings_without_notes_for(
    rep_id: int, source: CalendarSource, *, session: Session, now: datetime
) -> list[MeetingWithoutNotes]:
    """The rep's meetings that ended with outsiders and have no stored conversation
    (for the Slack app to ask for the notes). A calendar that cannot be read raises."""
    since = now - LOOKBACK - timedelta(days=1)
    listing = source.events(Window(since, now))
    conversations = [
        StoredConversation(at, people)
        for at, people in recent_conversations(rep_id, since=since, session=session)
    ]
    return meetings_without_notes(
        listing.events,
        rep_emails=rep_addresses(rep_id, session=session),
        conversations=conversations,
        now=now,
    )


# --- calendar inputs (mail parts, .ics files) ---------------------------------------


@dataclass
class IntakeReport:
    read: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)  # input id, why
    check: CheckReport = field(default_factory=CheckReport)

    @property
    def changed(self) -> list[CalendarChange]:
        return self.check.changed


def route_calendar_inputs(*, session: Session, now: datetime, tz: str = "UTC") -> IntakeReport:
    """Read the calendar inputs not yet read, then recheck the open meeting steps
    against the stored calendar inputs. Commits."""
    report = read_calendar_inputs(session=session, tz=tz)
    if report.read or report.failed:
        report.check = check_stored_steps(
            lambda rep_id: stored_ics_source(rep_id, session=session, tz=tz),
            session=session,
            now=now,
        )
        session.commit()
    return report


def read_calendar_inputs(*, session: Session, tz: str = "UTC") -> IntakeReport:
    """Mark each calendar input not yet read processed, or failed with the reason."""
    report = IntakeReport()
    pending = session.exec(
        select(InboundMessage)
        .where(
            InboundMessage.source == InputSource.CALENDAR,
            InboundMessage.status == InputStatus.RECEIVED,
        )
        .order_by(col(InboundMessage.received_at), col(InboundMessage.id))
    ).all()
    for inbound in pending:
        inbound.attempts += 1
        try:
            parsed = parse_ics(inbound.raw, tz=tz, label=_label(inbound))
        except IcsError as error:
            log.warning("calendar input #%s not read: %s", inbound.id, error.message)
            inbound.status = InputStatus.FAILED
            inbound.error = error.message
            report.failed.append((inbound.id or 0, error.message))
        else:
            inbound.status = InputStatus.PROCESSED
            inbound.error = " ".join(parsed.problems) or None
            report.read += 1
        session.add(inbound)
    session.commit()
    return report


def stored_ics_source(rep_id: int | None, *, session: Session, tz: str = "UTC") -> CalendarSource:
    """Every calendar input read so far that belongs to the rep (or to no rep), in the
    order it arrived, as one source."""
    statement = select(InboundMessage).where(
        InboundMessage.source == InputSource.CALENDAR,
        InboundMessage.status == InputStatus.PROCESSED,
    )
    if rep_id is not None:
        addresses = select(RepEmail.address).where(RepEmail.rep_id == rep_id)
        statement = statement.where(
            or_(
                col(InboundMessage.rep_email).is_(None),
                col(InboundMessage.rep_email).in_(addresses),
            )
        )
    rows = session.exec(
        statement.order_by(col(InboundMessage.received_at), col(InboundMessage.id))
    ).all()
    return IcsSource([IcsInput(_label(r), r.raw) for r in rows], tz=tz)


def _label(inbound: InboundMessage) -> str:
    return f"input #{inbound.id} ({inbound.filename or 'calendar part'})"
