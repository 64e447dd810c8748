"""Repository functions: plain functions over a session, one job each.

They flush but do not commit, so a caller can group several in one transaction; the
exceptions are said in their docstrings (``claim_due_nudges`` commits its claim).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, delete, or_, update
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.errors import NextStepError, TimeZoneError, UsageError
from storage.models import (
    CalendarLink,
    Contact,
    Conversation,
    CounterpartOrg,
    InboundMessage,
    InboundStatus,
    MessageTextKey,
    NextStep,
    Nudge,
    NudgeStatus,
    Rep,
    RepEmail,
    StepStatus,
    SyncState,
)


def normalise_address(address: str) -> str:
    return address.strip().strip("<>").strip().lower()


def check_tz(name: str) -> str:
    """The IANA zone name, or a TimeZoneError naming it."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeZoneError(f"{name!r} is not an IANA time zone (e.g. Europe/Berlin).") from None
    return name


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


def failed_inbound_ids(*, session: Session) -> list[int]:
    """Inputs whose last processing failed, oldest first."""
    statement = (
        select(col(InboundMessage.id))
        .where(InboundMessage.status == InboundStatus.FAILED)
        .order_by(col(InboundMessage.id))
    )
    return [i for i in session.exec(statement) if i is not None]


def conversation_for_message_ids(
    message_ids: Sequence[str], *, session: Session
) -> Conversation | None:
    """The conversation that a stored message with one of these Message-IDs went to
    (the newest such message wins)."""
    if not message_ids:
        return None
    statement = (
        select(Conversation)
        .join(InboundMessage, col(InboundMessage.conversation_id) == col(Conversation.id))
        .where(col(InboundMessage.message_id).in_(list(message_ids)))
        .order_by(col(InboundMessage.id).desc())
    )
    return session.exec(statement).first()


def conversation_for_thread_keys(keys: Sequence[str], *, session: Session) -> Conversation | None:
    """A conversation whose thread starts with one of these Message-IDs."""
    if not keys:
        return None
    statement = (
        select(Conversation)
        .where(col(Conversation.thread_key).in_(list(keys)))
        .order_by(col(Conversation.id))
    )
    return session.exec(statement).first()


def conversation_for_text_keys(
    keys: Sequence[str], *, exclude_inbound: int | None, session: Session
) -> Conversation | None:
    """The conversation of a stored message whose text carries one of these keys
    (the newest such message wins)."""
    if not keys:
        return None
    statement = (
        select(Conversation)
        .join(InboundMessage, col(InboundMessage.conversation_id) == col(Conversation.id))
        .join(MessageTextKey, col(MessageTextKey.inbound_id) == col(InboundMessage.id))
        .where(col(MessageTextKey.key).in_(list(keys)))
        .order_by(col(InboundMessage.id).desc())
    )
    if exclude_inbound is not None:
        statement = statement.where(col(InboundMessage.id) != exclude_inbound)
    return session.exec(statement).first()


def set_text_keys(
    inbound_id: int, keys: Iterable[str], *, session: Session, replace: bool = True
) -> None:
    """Set the text keys of a stored input (``replace=False`` for one that has none)."""
    if replace:
        session.execute(delete(MessageTextKey).where(col(MessageTextKey.inbound_id) == inbound_id))
    session.add_all(MessageTextKey(inbound_id=inbound_id, key=key) for key in dict.fromkeys(keys))


def conversation_for_subject(
    subject_key: str,
    domain: str,
    *,
    since: datetime,
    rep_id: int | None,
    session: Session,
) -> Conversation | None:
    """The newest conversation with this normalised subject, the same counterpart
    domain and (when known) the same rep, that happened on or after ``since``."""
    statement = (
        select(Conversation)
        .join(CounterpartOrg, col(CounterpartOrg.id) == col(Conversation.org_id))
        .where(
            Conversation.subject_key == subject_key,
            CounterpartOrg.domain == domain.lower(),
            col(Conversation.reference_time) >= since,
        )
        .order_by(col(Conversation.reference_time).desc())
    )
    if rep_id is not None:
        statement = statement.where(Conversation.rep_id == rep_id)
    return session.exec(statement).first()


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


# --- nudges ----------------------------------------------------------------------------


def claim_due_nudges(
    now: datetime,
    limit: int,
    *,
    session: Session,
    reclaim_after: timedelta = timedelta(minutes=10),
    commit: bool = True,
) -> list[Nudge]:
    """Take up to ``limit`` nudges that are due, so that no other worker sends them.

    One atomic ``UPDATE ... RETURNING``; on PostgreSQL the rows are picked with
    ``FOR UPDATE SKIP LOCKED`` so workers claiming at once get disjoint rows without
    waiting for each other (SQLite has one writer at a time, which is as safe). A
    claim older than ``reclaim_after`` (a worker died mid-send) is taken again. The
    claim is committed, as it must be before calling Slack, unless ``commit=False``.
    """
    due = or_(
        col(Nudge.status) == NudgeStatus.PLANNED,
        and_(
            col(Nudge.status) == NudgeStatus.CLAIMED,
            col(Nudge.claimed_at) < now - reclaim_after,
        ),
    )
    picked = (
        select(col(Nudge.id))
        .where(due, col(Nudge.planned_for) <= now)
        .order_by(col(Nudge.planned_for), col(Nudge.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Nudge)
        .where(col(Nudge.id).in_(picked))
        .values(status=NudgeStatus.CLAIMED, claimed_at=now, attempts=Nudge.attempts + 1)
        .returning(Nudge)
        .execution_options(synchronize_session=False)
    )
    claimed = sorted(session.scalars(statement).all(), key=lambda n: (n.planned_for, n.id or 0))
    if commit:
        session.commit()
    return claimed


def mark_nudge_sent(
    nudge: Nudge, *, channel: str, ts: str, now: datetime, session: Session
) -> Nudge:
    nudge.status = NudgeStatus.SENT
    nudge.sent_at = now
    nudge.slack_channel = channel
    nudge.slack_ts = ts
    nudge.error = None
    session.add(nudge)
    session.flush()
    return nudge


def mark_nudge_failed(
    nudge: Nudge, *, error: str, retry_at: datetime | None, session: Session
) -> Nudge:
    """Record a failed send: planned again for ``retry_at``, or failed for good."""
    nudge.error = error
    nudge.status = NudgeStatus.PLANNED if retry_at else NudgeStatus.FAILED
    if retry_at is not None:
        nudge.planned_for = retry_at
    session.add(nudge)
    session.flush()
    return nudge


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
