"""Repository functions: plain functions over a session, one job each.

They flush but do not commit, so a caller can group several in one transaction; the
exceptions are said in their docstrings (``claim_due_nudges`` commits its claim).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.errors import NextStepError, StorageError, UsageError
from bot.vocabulary import CalendarStatus
from bot.zones import check_zone_name
from storage.models import (
    CalendarLink,
    Contact,
    CounterpartOrg,
    InboundMessage,
    InboundStatus,
    NextStep,
    Rep,
    RepEmail,
    StepStatus,
    SyncState,
)


def normalise_address(address: str) -> str:
    return address.strip().strip("<>").strip().lower()


def check_tz(name: str) -> str:
    """The IANA zone name, or the TimeZoneError of ``bot.zones.check_zone``."""
    return check_zone_name(name)


# --- reps ----------------------------------------------------------------------------


def find_rep_by_email(address: str, *, session: Session) -> Rep | None:
    """The rep who owns ``address`` (any case), or None."""
    statement = (
        select(Rep)
        .join(RepEmail, col(RepEmail.rep_id) == col(Rep.id))
        .where(RepEmail.address == normalise_address(address))
    )
    return session.exec(statement).first()


def find_reps_by_email(addresses: Iterable[str], *, session: Session) -> dict[str, Rep]:
    """The registered reps among ``addresses``, by normalised address (one query)."""
    wanted = list(dict.fromkeys(normalise_address(a) for a in addresses if a))
    if not wanted:
        return {}
    statement = (
        select(RepEmail.address, Rep)
        .join(Rep, col(RepEmail.rep_id) == col(Rep.id))
        .where(col(RepEmail.address).in_(wanted))
    )
    return {address: rep for address, rep in session.exec(statement)}


def sender_allowed(address: str, *, session: Session, settings: Settings) -> bool:
    """Whether mail from ``address`` may be ingested: a registered rep's address, or
    one in a domain listed in ``settings.allowed_sender_domains``."""
    address = normalise_address(address)
    if not address or "@" not in address:
        return False
    if address.rsplit("@", 1)[1] in settings.allowed_sender_domains:
        return True
    return find_rep_by_email(address, session=session) is not None


def add_rep(
    address: str,
    *,
    session: Session,
    name: str | None = None,
    slack_user_id: str | None = None,
    tz: str | None = None,
    quiet_hours: tuple[time, time] | None = None,
    digest: bool | None = None,
    workspace_id: int | None = None,
) -> Rep:
    """Register a rep by email address, or update the rep who already has it.

    Only the values given are changed, so ``add_rep(a, tz=...)`` sets a time zone.
    """
    address = normalise_address(address)
    if "@" not in address:
        raise UsageError(f"{address!r} is not an email address.")
    rep = find_rep_by_email(address, session=session)
    if rep is None:
        rep = Rep(workspace_id=workspace_id)
        session.add(rep)
        session.flush()
        assert rep.id is not None
        session.add(RepEmail(rep_id=rep.id, address=address))
    changes: dict[str, Any] = {
        "display_name": name,
        "slack_user_id": slack_user_id,
        "tz": check_tz(tz) if tz else None,
        "digest": digest,
        "workspace_id": workspace_id,
    }
    if quiet_hours is not None:
        changes["quiet_hours_start"], changes["quiet_hours_end"] = quiet_hours
    for field, value in changes.items():
        if value is not None:
            setattr(rep, field, value)
    session.add(rep)
    session.flush()
    return rep


def add_rep_email(rep_id: int, address: str, *, session: Session) -> RepEmail:
    """Give a rep one more address (an alias they forward from)."""
    address = normalise_address(address)
    owner = find_rep_by_email(address, session=session)
    if owner is not None and owner.id != rep_id:
        raise UsageError(f"{address} already belongs to rep #{owner.id}.")
    existing = session.exec(select(RepEmail).where(RepEmail.address == address)).first()
    if existing is not None:
        return existing
    email = RepEmail(rep_id=rep_id, address=address)
    session.add(email)
    session.flush()
    return email


def list_reps(*, session: Session) -> list[tuple[Rep, list[str]]]:
    """Every rep with their addresses, oldest first."""
    addresses: dict[int, list[str]] = defaultdict(list)
    for email in session.exec(select(RepEmail).order_by(col(RepEmail.address))):
        addresses[email.rep_id].append(email.address)
    reps = session.exec(select(Rep).order_by(col(Rep.id))).all()
    return [(rep, addresses[rep.id or 0]) for rep in reps]


# --- counterparts ----------------------------------------------------------------------


def find_or_add_org(
    *, domain: str | None, name: str | None, session: Session, workspace_id: int | None = None
) -> CounterpartOrg | None:
    """The counterpart organisation by mail domain (else by name), created if new."""
    if not domain and not name:
        return None
    statement = select(CounterpartOrg)
    if domain:
        domain = domain.lower()
        statement = statement.where(CounterpartOrg.domain == domain)
    else:
        statement = statement.where(CounterpartOrg.name == name)
    org = session.exec(statement.order_by(col(CounterpartOrg.id))).first()
    if org is None:
        org = CounterpartOrg(domain=domain, name=name, workspace_id=workspace_id)
        session.add(org)
        session.flush()
    return org


def add_contacts(
    org_id: int, people: Iterable[tuple[str | None, str]], *, session: Session
) -> None:
    """Record (name, email) pairs as contacts of the organisation, once per address."""
    wanted = {normalise_address(email): name for name, email in people if email}
    if not wanted:
        return
    known = session.exec(
        select(col(Contact.email)).where(
            Contact.org_id == org_id, col(Contact.email).in_(list(wanted))
        )
    ).all()
    for email, name in wanted.items():
        if email not in known:
            session.add(Contact(org_id=org_id, name=name, email=email))
    session.flush()


# --- inbound messages and threads ------------------------------------------------------


def find_inbound_duplicate(
    content_hash: str, message_id: str | None, *, session: Session
) -> InboundMessage | None:
    """A stored input with the same bytes or the same Message-ID."""
    condition = col(InboundMessage.content_hash) == content_hash
    if message_id:
        condition = or_(condition, col(InboundMessage.message_id) == message_id)
    return session.exec(
        select(InboundMessage).where(condition).order_by(col(InboundMessage.id))
    ).first()


def add_inbound(inbound: InboundMessage, *, session: Session) -> tuple[InboundMessage, bool]:
    """Store ``inbound`` and commit; or, when an input with the same bytes (its content
    hash) is stored already, or is stored a moment ago by another writer, that one and
    True. Raises StorageError when nothing could be stored."""
    try:
        known = find_inbound_duplicate(inbound.content_hash, None, session=session)
        if known is not None:
            return known, True
        session.add(inbound)
        session.commit()
    except IntegrityError as error:
        session.rollback()
        known = find_inbound_duplicate(inbound.content_hash, None, session=session)
        if known is None:
            raise StorageError(f"The input could not be stored: {error.orig}") from error
        return known, True
    except SQLAlchemyError as error:
        session.rollback()
        raise StorageError(f"The input could not be stored: {error}") from error
    return inbound, False


def failed_inbound_ids(*, session: Session) -> list[int]:
    """Inputs whose last processing failed, oldest first."""
    statement = (
        select(col(InboundMessage.id))
        .where(InboundMessage.status == InboundStatus.FAILED)
        .order_by(col(InboundMessage.id))
    )
    return [i for i in session.exec(statement) if i is not None]


def inbound_children(inbound_id: int | None, *, session: Session) -> list[InboundMessage]:
    """The inputs stored from this one (an email's transcripts and calendar parts)."""
    if inbound_id is None:
        return []
    statement = select(InboundMessage).where(InboundMessage.parent_id == inbound_id)
    return list(session.exec(statement.order_by(col(InboundMessage.id))))


def steps_of(conversation_id: int, *, session: Session) -> list[NextStep]:
    statement = (
        select(NextStep)
        .where(NextStep.conversation_id == conversation_id)
        .order_by(col(NextStep.position), col(NextStep.id))
    )
    return list(session.exec(statement))


def linked_step_ids(step_ids: Sequence[int], *, session: Session) -> set[int]:
    """Which of these steps have a calendar link (so are more than the text's)."""
    if not step_ids:
        return set()
    statement = select(col(CalendarLink.step_id)).where(
        col(CalendarLink.step_id).in_(list(step_ids))
    )
    return set(session.exec(statement))


# --- what people do with steps --------------------------------------------------------


def set_step_status(
    step_id: int, status: str, *, by: str, now: datetime, session: Session
) -> NextStep:
    """Mark a step done, dropped or open again; re-analysis keeps what people set."""
    step = session.get(NextStep, step_id)
    if step is None:
        raise NextStepError(f"No next step has id {step_id}.")
    step.status = StepStatus(status)
    step.status_changed_by = by
    step.status_changed_at = now
    step.updated_at = now
    session.add(step)
    session.flush()
    return step


def set_step_due(
    step_id: int, due: datetime | date, *, by: str, now: datetime, session: Session
) -> NextStep:
    """Give a step its time: a day (stored as its midnight in the conversation's zone)
    or an aware date-time. The time findings go, as the step now has a time."""
    from storage.models import Conversation

    step = session.get(NextStep, step_id)
    if step is None:
        raise NextStepError(f"No next step has id {step_id}.")
    if isinstance(due, datetime) and (due.tzinfo is None or due.utcoffset() is None):
        raise UsageError(f"The due time {due.isoformat()} has no time zone.")
    conversation = session.get(Conversation, step.conversation_id)
    zone = ZoneInfo(conversation.tz if conversation is not None else "UTC")
    if isinstance(due, datetime):
        step.due, step.due_is_date = due, False
        step.due_text = f"{due.astimezone(zone):%A %d %B %Y %H:%M}"
    else:
        step.due, step.due_is_date = datetime.combine(due, time(0), tzinfo=zone), True
        step.due_text = f"{due:%A %d %B %Y}"
    step.findings = [f for f in step.findings if f.get("code") not in TIME_FINDINGS]
    step.status_changed_by = by
    step.due_set_by = by
    step.updated_at = now
    session.add(step)
    session.flush()
    return step


# Findings a known time answers.
TIME_FINDINGS = frozenset({"vague_time", "no_time", "ambiguous_time"})


def record_calendar_link(
    step_id: int,
    status: CalendarStatus,
    *,
    provider: str,
    event_id: str | None = None,
    ical_uid: str | None = None,
    starts_at: datetime | None = None,
    sequence: int | None = None,
    now: datetime,
    session: Session,
) -> CalendarLink:
    """The calendar's view of a step: one link per (step, event), updated in place; an
    update older than the one applied (iTIP ``SEQUENCE``) changes nothing."""
    if session.get(NextStep, step_id) is None:
        raise NextStepError(f"No next step has id {step_id}.")
    statement = select(CalendarLink).where(
        CalendarLink.step_id == step_id, CalendarLink.provider == provider
    )
    same = [col(CalendarLink.event_id) == event_id] if event_id else []
    same += [col(CalendarLink.ical_uid) == ical_uid] if ical_uid else []
    if same:
        statement = statement.where(or_(*same))
    link = session.exec(statement.order_by(col(CalendarLink.id))).first()
    if link is None:
        link = CalendarLink(step_id=step_id, provider=provider, created_at=now)
    elif sequence is not None and link.sequence is not None and sequence < link.sequence:
        return link
    link.status = CalendarStatus(status)
    link.event_id = event_id or link.event_id
    link.ical_uid = ical_uid or link.ical_uid
    link.starts_at = starts_at or link.starts_at
    link.sequence = sequence if sequence is not None else link.sequence
    link.checked_at = now
    session.add(link)
    session.flush()
    return link


# --- pollers' cursors ----------------------------------------------------------------


def get_sync_state(key: str, *, session: Session) -> dict[str, Any] | None:
    state = session.exec(select(SyncState).where(SyncState.key == key)).first()
    return dict(state.value) if state else None


def set_sync_state(key: str, value: dict[str, Any], *, now: datetime, session: Session) -> None:
    state = session.exec(select(SyncState).where(SyncState.key == key)).first()
    if state is None:
        state = SyncState(key=key)
    state.value = dict(value)  # a new object: JSON columns are not tracked in place
    state.updated_at = now
    session.add(state)
    session.flush()
