"""Calendar inputs that arrive by mail or file (invitations, iTIP replies, .ics files):
read, kept, and used to recheck the stored meeting steps.

Calendar parts are stored like every input (``inbound_message``, source "ics") before
they are read. ``route_calendar_inputs`` reads those not yet read: one that is not
iCalendar is marked failed with the reason (the raw bytes stay for a retry); the others
are marked processed, then the open meeting steps are checked again against every
calendar input of their rep, folded in the order they arrived.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.calendar.model import CalendarSource
from integrations.calendar.check import CheckReport, check_stored_steps
from integrations.calendar.ics import IcsError, IcsInput, IcsSource, parse_ics
from storage.calendar import CalendarChange
from storage.models import InboundMessage, InboundStatus, RepEmail

log = logging.getLogger(__name__)
CALENDAR = "ics"  # bot.ingest.CALENDAR: the source of stored calendar inputs


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
        .where(InboundMessage.source == CALENDAR, InboundMessage.status == InboundStatus.RECEIVED)
        .order_by(col(InboundMessage.received_at), col(InboundMessage.id))
    ).all()
    for inbound in pending:
        inbound.attempts += 1
        try:
            parsed = parse_ics(inbound.raw, tz=tz, label=_label(inbound))
        except IcsError as error:
            log.warning("calendar input #%s not read: %s", inbound.id, error.message)
            inbound.status = InboundStatus.FAILED
            inbound.error = error.message
            report.failed.append((inbound.id or 0, error.message))
        else:
            inbound.status = InboundStatus.PROCESSED
            inbound.error = " ".join(parsed.problems) or None
            report.read += 1
        session.add(inbound)
    session.commit()
    return report


def stored_ics_source(rep_id: int | None, *, session: Session, tz: str = "UTC") -> CalendarSource:
    """Every calendar input read so far that belongs to the rep (or to no rep), in the
    order it arrived, as one source."""
    statement = select(InboundMessage).where(
        InboundMessage.source == CALENDAR, InboundMessage.status == InboundStatus.PROCESSED
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
