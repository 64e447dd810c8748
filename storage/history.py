"""A conversation's verdict as its steps change, and the history of it.

Every place that stores a verdict goes through ``store_verdict``: it sets the columns
(and the stored analysis' copy of them) and, when the verdict is new or changed, adds a
``VerdictChange`` saying from what and by whom. ``recompute_verdict`` derives the
verdict from the stored steps (``bot.engine.verdict``) after a late acknowledgment: an
accepted invite, a rep's mark on the command line or in Slack, a due set by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.engine.model import Outcome
from bot.engine.verdict import StepFacts, Verdict, best_step, reason_for, verdict_of
from bot.errors import NextStepError
from bot.vocabulary import StepStatus, VerdictCause
from storage.models import Conversation, NextStep, VerdictChange
from storage.repo import steps_of


@dataclass(frozen=True)
class Because:
    """What changed a verdict: the cause, the words or fact, who, and which step."""

    cause: VerdictCause
    evidence: str | None = None
    who: str | None = None
    step_id: int | None = None


def store_verdict(
    conversation: Conversation,
    verdict: Verdict,
    reason: str,
    because: Because,
    *,
    at: datetime,
    before: tuple[bool, str] | None,
    session: Session,
    rows: list[NextStep] | None = None,
) -> VerdictChange | None:
    """Set the conversation's verdict; record the change when it is the first one
    (``before`` None) or differs from ``before`` (secured, tier). ``rows``, the stored
    steps, are copied into the stored analysis too. Not flushed."""
    assert conversation.id is not None
    after = (verdict.secured, str(verdict.tier))
    conversation.next_steps_secured, conversation.tier = after
    conversation.reason = reason
    if conversation.analysis:  # what `show` prints: keep it in step with the columns
        conversation.analysis = analysis_as_stored(conversation.analysis, verdict, reason, rows)
    if verdict.secured:
        conversation.outcome = Outcome.SECURED
    elif conversation.outcome == Outcome.SECURED:  # a clear no stays one; secured reopens
        conversation.outcome = Outcome.OPEN
    session.add(conversation)
    if before == after:
        return None
    conversation.updated_at = at
    change = VerdictChange(
        conversation_id=conversation.id,
        step_id=because.step_id,
        at=at,
        secured_before=before[0] if before else None,
        secured_after=verdict.secured,
        tier_before=before[1] if before else None,
        tier_after=str(verdict.tier),
        cause=because.cause,
        evidence=because.evidence,
        who=because.who,
        reason=reason,
    )
    session.add(change)
    return change


def analysis_as_stored(
    analysis: dict[str, Any], verdict: Verdict, reason: str, rows: list[NextStep] | None
) -> dict[str, Any]:
    """A copy of a stored analysis with this verdict and, for the steps in ``rows``,
    their agreement and findings as stored (a coaching line about a step the other side
    has since agreed to goes)."""
    result = dict(analysis)
    result.update(next_steps_secured=verdict.secured, tier=str(verdict.tier), reason=reason)
    if verdict.secured:
        result["outcome"] = str(Outcome.SECURED)
    elif result.get("outcome") == Outcome.SECURED:
        result["outcome"] = str(Outcome.OPEN)
    if not rows:
        return result
    by_action = {row.action: row for row in rows}
    steps = []
    for step in result.get("steps", []):
        row = by_action.get(str(step.get("action"))) if isinstance(step, dict) else None
        if row is not None:
            step = {
                **step,
                "acknowledged": row.acknowledged,
                "ack_source": row.ack_source,
                "ack_evidence": row.ack_evidence,
                "secured": row.secured,
                "findings": list(row.findings),
                "suggestion": row.suggestion,
            }
        steps.append(step)
    result["steps"] = steps
    agreed = {row.evidence_quote for row in rows if row.acknowledged}
    result["findings"] = [
        f
        for f in result.get("findings", [])
        if not (
            isinstance(f, dict)
            and f.get("code") == "not_acknowledged"
            and (f.get("evidence") or {}).get("quote") in agreed
        )
    ]
    return result


def stored_facts(conversation: Conversation, rows: list[NextStep]) -> list[StepFacts]:
    """The facts of the stored steps that still count (a dropped step does not)."""
    scheduling = {
        s.get("action"): bool(s.get("scheduling"))
        for s in (conversation.analysis or {}).get("steps", [])
        if isinstance(s, dict)
    }
    return [
        StepFacts(
            action=row.action,
            kind=row.kind,
            secured=row.secured,
            continues=row.continues,
            timed=row.due is not None and not row.due_is_date,
            has_due=row.due is not None,
            triggered=row.trigger_condition is not None,
            scheduling=scheduling.get(row.action, False),
        )
        for row in rows
        if row.status != StepStatus.DROPPED
    ]


def verdict_of_rows(conversation: Conversation, rows: list[NextStep]) -> tuple[Verdict, str]:
    """The verdict the stored steps give, and the secured step's action (or "")."""
    facts = stored_facts(conversation, rows)
    best = best_step(facts)
    return verdict_of(facts), best.action if best else ""


def recompute_verdict(
    conversation_id: int, because: Because, *, at: datetime, how: str, session: Session
) -> VerdictChange | None:
    """Derive the conversation's verdict from its stored steps and store it; ``how``
    says in a few words what happened ("accepted on the calendar"). Flushed."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NextStepError(f"No conversation has id {conversation_id}.")
    session.flush()  # the step changes the caller made count
    rows = steps_of(conversation_id, session=session)
    facts = stored_facts(conversation, rows)
    verdict = verdict_of(facts)
    before = (conversation.next_steps_secured, str(conversation.tier))
    reason = conversation.reason
    if (verdict.secured, str(verdict.tier)) != before:
        reason = reason_for(verdict, best_step(facts), how)
    change = store_verdict(
        conversation, verdict, reason, because, at=at, before=before, session=session, rows=rows
    )
    session.flush()
    return change


def verdict_history(conversation_id: int, *, session: Session) -> list[VerdictChange]:
    """Every verdict the conversation had, oldest first."""
    statement = (
        select(VerdictChange)
        .where(VerdictChange.conversation_id == conversation_id)
        .order_by(col(VerdictChange.at), col(VerdictChange.id))
    )
    return list(session.exec(statement).all())


def changes_since(when: datetime, *, session: Session) -> list[VerdictChange]:
    """Every verdict change at or after ``when``, oldest first (for the nudge side)."""
    statement = (
        select(VerdictChange)
        .where(col(VerdictChange.at) >= when)
        .order_by(col(VerdictChange.at), col(VerdictChange.id))
    )
    return list(session.exec(statement).all())


def recompute_for_step(
    step_id: int, because: Because, *, at: datetime, how: str, session: Session
) -> VerdictChange | None:
    """``recompute_verdict`` for the conversation of a step that just changed."""
    step = session.get(NextStep, step_id)
    if step is None:
        raise NextStepError(f"No next step has id {step_id}.")
    return recompute_verdict(step.conversation_id, because, at=at, how=how, session=session)


def cause_of(by: str) -> VerdictCause:
    """A rep's change: on the command line ("cli") or in Slack (a Slack user id)."""
    return VerdictCause.MANUAL if by == "cli" else VerdictCause.SLACK
