"""The read side: what is stored, listed for people (``nextstep conversations list``,
``steps list``, ``inputs list``, Slack's ``/nextstep list`` and App Home).

Plain functions over a session that return ``...Read`` models, never rows bound to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from bot.engine.model import Outcome
from bot.vocabulary import InputStatus, StepStatus
from storage.models import (
    Conversation,
    ConversationRead,
    InboundMessage,
    InboundMessageRead,
    NextStep,
    NextStepRead,
)


def list_conversations(
    *,
    session: Session,
    rep_id: int | None = None,
    since: datetime | None = None,
    unsecured: bool = False,
    limit: int | None = None,
    outcome: Outcome | None = None,
) -> list[tuple[ConversationRead, int, int, str | None, bool]]:
    """Conversations, newest first, each with its number of steps and of open ones, and
    the rep as the analysis read them (name or address, and whether it was a guess)."""
    statement = select(Conversation)
    if rep_id is not None:
        statement = statement.where(Conversation.rep_id == rep_id)
    if since is not None:
        statement = statement.where(col(Conversation.reference_time) >= since)
    if unsecured:
        statement = statement.where(col(Conversation.next_steps_secured).is_(False))
    if outcome is not None:
        statement = statement.where(col(Conversation.outcome) == str(outcome))
    statement = statement.order_by(col(Conversation.reference_time).desc(), col(Conversation.id))
    if limit is not None:
        statement = statement.limit(limit)
    found = list(session.exec(statement))
    counts = _step_counts([row.id for row in found if row.id is not None], session=session)
    listed = []
    for row in found:
        read = (row.analysis or {}).get("conversation", {})
        total, open_ = counts.get(row.id or 0, (0, 0))
        rep = read.get("rep")
        guessed = bool(read.get("rep_guessed"))
        listed.append((ConversationRead.model_validate(row), total, open_, rep, guessed))
    return listed


def _step_counts(ids: Sequence[int], *, session: Session) -> dict[int, tuple[int, int]]:
    if not ids:
        return {}
    statement = (
        select(NextStep.conversation_id, NextStep.status, func.count())
        .where(col(NextStep.conversation_id).in_(list(ids)))
        .group_by(col(NextStep.conversation_id), col(NextStep.status))
    )
    counts: dict[int, tuple[int, int]] = {}
    for conversation_id, status, number in session.exec(statement):
        total, open_ = counts.get(conversation_id, (0, 0))
        counts[conversation_id] = (total + number, open_ + (number if status == "open" else 0))
    return counts


def get_conversation(
    conversation_id: int, *, session: Session
) -> tuple[ConversationRead, dict[str, Any], list[NextStepRead]] | None:
    """One conversation, its stored analysis (``analysis_to_dict``) and its steps."""
    row = session.get(Conversation, conversation_id)
    if row is None:
        return None
    statement = (
        select(NextStep)
        .where(NextStep.conversation_id == conversation_id)
        .order_by(col(NextStep.position), col(NextStep.id))
    )
    steps = [NextStepRead.model_validate(step) for step in session.exec(statement)]
    return ConversationRead.model_validate(row), dict(row.analysis), steps


def list_steps(
    *,
    session: Session,
    statuses: Sequence[StepStatus],
    rep_id: int | None = None,
) -> list[tuple[NextStepRead, ConversationRead]]:
    """Steps in these statuses with their conversations, soonest due first (undated
    last), then newest conversation first."""
    statement = (
        select(NextStep, Conversation)
        .join(Conversation, col(Conversation.id) == col(NextStep.conversation_id))
        .options(defer(Conversation.analysis))  # type: ignore[arg-type]
        .where(col(NextStep.status).in_([str(s) for s in statuses]))
    )
    if rep_id is not None:
        statement = statement.where(Conversation.rep_id == rep_id)
    statement = statement.order_by(
        col(NextStep.due).is_(None),
        col(NextStep.due),
        col(Conversation.reference_time).desc(),
        col(NextStep.position),
    )
    return [
        (NextStepRead.model_validate(step), ConversationRead.model_validate(conversation))
        for step, conversation in session.exec(statement)
    ]


def list_inputs(
    *, session: Session, status: InputStatus | None = None, limit: int | None = None
) -> list[InboundMessageRead]:
    """Stored inputs without their bytes, newest first."""
    statement = select(InboundMessage).options(
        defer(InboundMessage.raw),  # type: ignore[arg-type]
        defer(InboundMessage.traceback),  # type: ignore[arg-type]
    )
    if status is not None:
        statement = statement.where(InboundMessage.status == status)
    statement = statement.order_by(col(InboundMessage.id).desc())
    if limit is not None:
        statement = statement.limit(limit)
    return [InboundMessageRead.model_validate(row) for row in session.exec(statement)]


def input_sources(ids: Sequence[int], *, session: Session) -> dict[int, str]:
    """The source of each stored input among ``ids`` (unknown ids are left out)."""
    if not ids:
        return {}
    statement = select(InboundMessage.id, InboundMessage.source).where(
        col(InboundMessage.id).in_(list(ids))
    )
    return {i: source for i, source in session.exec(statement) if i is not None}


def input_statuses(ids: Sequence[int], *, session: Session) -> dict[int, InputStatus]:
    """Where each stored input among ``ids`` stands (unknown ids are left out)."""
    if not ids:
        return {}
    statement = select(InboundMessage.id, InboundMessage.status).where(
        col(InboundMessage.id).in_(list(ids))
    )
    return {i: InputStatus(status) for i, status in session.exec(statement) if i is not None}


def stored_source_ids(source: str, ids: Sequence[str], *, session: Session) -> set[str]:
    """Which of ``ids`` are already stored as inputs from ``source``."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):  # keep the IN list within every backend's limits
        statement = select(col(InboundMessage.source_id)).where(
            InboundMessage.source == source,
            col(InboundMessage.source_id).in_(list(ids[start : start + 500])),
        )
        found.update(i for i in session.exec(statement) if i is not None)
    return found
