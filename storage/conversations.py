"""An analysis stored as a conversation: the whole result as JSON, the verdict as
columns, the counterpart organisation and contacts, and the steps kept in place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.engine.model import Analysis, Document, Role
from bot.engine.schema import analysis_to_dict
from bot.engine.verdict import Verdict
from bot.errors import StorageError
from bot.vocabulary import ConversationSource, VerdictCause
from storage.history import Because, store_verdict, verdict_of_rows
from storage.models import Conversation, InboundMessage
from storage.repo import add_contacts, find_or_add_org, steps_of
from storage.steps import StepChanges, merge_steps
from storage.threads import subject_key


class ThreadTakenError(StorageError):
    """Another message of this thread started its conversation at the same moment;
    read this one again to join it."""


@dataclass(frozen=True)
class Origin:
    """Where a conversation came from, for a new one."""

    source: str  # a ConversationSource
    source_id: str | None
    thread_key: str | None
    rep_id: int | None
    ignore: frozenset[str] = frozenset()  # addresses that are never counterparts (the bot)


def save_analysis(
    analysis: Analysis,
    *,
    existing: Conversation | None,
    inbound: InboundMessage,
    origin: Origin,
    session: Session,
    now: datetime,
) -> tuple[Conversation, StepChanges]:
    """Store ``analysis`` as a new conversation, or over ``existing`` (a thread that
    grew, an input analysed again), with its steps updated in place."""
    document = analysis.document
    org_id = counterpart_org(document, session=session, ignore=origin.ignore)
    columns = analysis_columns(analysis, inbound_id=inbound.id, now=now)
    before = existing.inbound_message_id if existing is not None else None
    previous = (existing.next_steps_secured, str(existing.tier)) if existing else None
    if existing is None:
        conversation = Conversation(
            source=ConversationSource(origin.source),
            source_id=origin.source_id,
            thread_key=origin.thread_key,
            rep_id=origin.rep_id,
            org_id=org_id,
            created_at=now,
            **columns,
        )
    else:
        conversation = existing
        for name, value in columns.items():
            setattr(conversation, name, value)
        conversation.rep_id = conversation.rep_id or origin.rep_id
        conversation.org_id = conversation.org_id or org_id
    session.add(conversation)
    try:
        session.flush()
    except IntegrityError as error:
        if existing is None and origin.thread_key and _thread_taken(origin.thread_key, session):
            raise ThreadTakenError(f"thread {origin.thread_key}") from error
        raise
    assert conversation.id is not None
    changes = merge_steps(
        conversation.id,
        analysis.steps,
        tz=document.tz,
        now=now,
        session=session,
        new=existing is None,
    )
    _store_verdict(
        analysis,
        conversation,
        inbound,
        new=existing is None,
        before=before,
        previous=previous,
        now=now,
        session=session,
    )
    session.flush()
    return conversation, changes


def _thread_taken(thread_key: str, session: Session) -> bool:
    """Whether a conversation with this thread key is stored (after a failed insert:
    the transaction is rolled back first, so the other's committed row is seen)."""
    from sqlmodel import select

    session.rollback()
    statement = select(Conversation.id).where(Conversation.thread_key == thread_key)
    return session.exec(statement).first() is not None


def _store_verdict(
    analysis: Analysis,
    conversation: Conversation,
    inbound: InboundMessage,
    *,
    new: bool,
    before: int | None,
    previous: tuple[bool, str] | None,
    now: datetime,
    session: Session,
) -> None:
    """Record the verdict the analysis gives. A conversation read again keeps what
    came from outside its text (an accepted invite, a mark by a rep, a due set by hand),
    so its verdict is that of its stored steps; the analysis' reason stays when the
    two agree."""
    verdict = Verdict(analysis.next_steps_secured, analysis.tier)
    reason = analysis.reason
    rows = None
    if not new:
        rows = steps_of(conversation.id or 0, session=session)
        verdict, action = verdict_of_rows(conversation, rows)
        if verdict != Verdict(analysis.next_steps_secured, analysis.tier):
            reason = (
                f"Secured ({verdict.tier}): {action}, agreed outside the text."
                if verdict.secured
                else "Not secured: the calendar undid the step the text agreed."
            )
    cause = (
        VerdictCause.ANALYSIS
        if new
        else VerdictCause.REANALYSIS
        if before == inbound.id
        else VerdictCause.REPLY
    )
    evidence, who = _words_behind(analysis)
    store_verdict(
        conversation,
        verdict,
        reason,
        Because(cause, evidence, who),
        at=now,
        before=previous,
        session=session,
        rows=rows,
    )


def _words_behind(analysis: Analysis) -> tuple[str | None, str | None]:
    """The other side's words the verdict rests on, and who said them: the best
    secured step's acknowledgment (or the step's own words); none when not secured."""
    from bot.engine.rubric import tier_of

    secured = [s for s in analysis.steps if tier_of(s) == analysis.tier and s.secured]
    if not secured:
        return None, None
    step = secured[0]
    said = step.ack_evidence or step.evidence
    return said.quote or None, said.speaker


def analysis_columns(
    analysis: Analysis, *, inbound_id: int | None, now: datetime
) -> dict[str, Any]:
    document = analysis.document
    return {
        "subject": document.subject,
        "subject_key": subject_key(document.subject),
        "reference_time": document.reference_time,
        "tz": document.tz,
        "participants": [
            {"name": p.name, "role": str(p.role), "email": p.email} for p in document.participants
        ],
        "kind": str(document.kind),
        "next_steps_secured": analysis.next_steps_secured,
        "tier": str(analysis.tier),
        "outcome": analysis.outcome,
        "reason": analysis.reason,
        "analysis": analysis_to_dict(analysis),
        "analysed_at": now,
        "schema_version": analysis.schema,
        "inbound_message_id": inbound_id,
        "updated_at": now,
    }


def counterpart_org(
    document: Document, *, session: Session, ignore: frozenset[str] = frozenset()
) -> int | None:
    """The counterpart organisation, by the first counterpart's mail domain, with the
    counterparts of that domain as its contacts; None when no counterpart has an
    address (most transcripts)."""
    people = [
        (p.name or None, p.email.lower())
        for p in document.participants
        if p.role == Role.COUNTERPART
        and p.email
        and "@" in p.email
        and p.email.lower() not in ignore
    ]
    if not people:
        return None
    domain = people[0][1].rsplit("@", 1)[1]
    org = find_or_add_org(domain=domain, name=None, session=session)
    if org is None or org.id is None:
        return None
    add_contacts(org.id, [p for p in people if p[1].endswith("@" + domain)], session=session)
    return org.id
