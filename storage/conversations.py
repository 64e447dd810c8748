"""An analysis stored as a conversation: the whole result as JSON, the verdict as
columns, the counterpart organisation and contacts, and the steps kept in place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.engine.model import Analysis, Document, Role
from bot.engine.schema import analysis_to_dict
from bot.vocabulary import ConversationSource
from storage.models import Conversation, InboundMessage
from storage.repo import add_contacts, find_or_add_org
from storage.steps import StepChanges, merge_steps
from storage.threads import subject_key


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
    session.flush()
    assert conversation.id is not None
    changes = merge_steps(
        conversation.id,
        analysis.steps,
        tz=document.tz,
        now=now,
        session=session,
        new=existing is None,
    )
    return conversation, changes


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
