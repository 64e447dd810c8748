"""Next steps as rows: from the engine's ``Step`` and back, and kept in step with a
conversation that is analysed again.

When a thread grows (a reply arrives) the whole thread is analysed again. Its steps are
matched to the stored ones by fingerprint (kind + owner + the action's words), then by
the words that committed them, and updated in place, so ids, calendar links, nudges and
what people set (done, dropped, acknowledged in Slack or by an accepted invite) survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.effects import CALENDAR_CODES
from bot.engine.model import Step
from bot.engine.schema import evidence_to_dict, finding_to_dict
from bot.errors import NextStepError
from storage.models import NextStep, NextStepRead, StepStatus
from storage.repo import TIME_FINDINGS, linked_step_ids, steps_of

# Findings that keep a step from being secured whoever acknowledges it.
BLOCKING_FINDINGS = frozenset(
    {"vague_action", "vague_time", "no_time", "options_open", "open_trigger"}
)
# Acknowledgments from outside the text, which re-reading the text must not undo.
OUTSIDE_ACK = frozenset({"manual", "calendar"})
# The calendar's findings that undo a yes (a declined or cancelled invite).
UNSECURING_FINDINGS = frozenset({"invite_declined", "invite_cancelled"})
_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "our",
        "your",
        "my",
        "their",
        "his",
        "her",
        "its",
        "this",
        "that",
        "these",
        "those",
        "some",
    ]
)
_FINGERPRINT_MAX = 255


def normalise_action(action: str) -> str:
    """The action's words, lower case, without articles and possessives."""
    return " ".join(w for w in _WORD.findall(action.lower()) if w not in _FILLER)


def fingerprint(kind: str, owner: str, action: str) -> str:
    """What makes two analyses' steps the same step: kind, owner, the action's words."""
    return f"{kind}:{owner}:{normalise_action(action)}"[:_FINGERPRINT_MAX]


def due_columns(due: datetime | date | None, tz: str) -> tuple[datetime | None, bool]:
    """(due, due_is_date): a day alone is stored as its midnight in the rep's zone."""
    if due is None:
        return None, False
    if isinstance(due, datetime):
        return due, False
    return datetime.combine(due, time(0), tzinfo=ZoneInfo(tz)), True


def step_due(step: NextStep | NextStepRead, tz: str) -> datetime | date | None:
    """The step's due as the engine gave it: a date, or an aware datetime in ``tz``."""
    if step.due is None:
        return None
    local = step.due.astimezone(ZoneInfo(tz))
    return local.date() if step.due_is_date else local


def step_columns(step: Step, *, tz: str, position: int) -> dict[str, Any]:
    """The engine's view of a step, as NextStep columns (not status or keys)."""
    due, due_is_date = due_columns(step.due, tz)
    trigger = step.trigger
    return {
        "position": position,
        "action": step.action,
        "kind": str(step.kind),
        "owner": str(step.owner),
        "owner_name": step.owner_name,
        "due": due,
        "due_is_date": due_is_date,
        "due_text": step.due_text,
        "deadline": step.deadline,
        "trigger_condition": trigger.condition if trigger else None,
        "trigger_response": trigger.response if trigger else None,
        "trigger_window_seconds": (
            int(trigger.window.total_seconds()) if trigger and trigger.window else None
        ),
        "participants": list(step.participants),
        "purpose": step.purpose,
        "acknowledged": step.acknowledged,
        "ack_source": str(step.ack_source) if step.ack_source else None,
        "ack_evidence": evidence_to_dict(step.ack_evidence),
        "specific_action": step.specific_action,
        "secured": step.secured,
        "continues": step.continues,
        "findings": [finding_to_dict(f) for f in step.findings],
        "suggestion": step.suggestion,
        "evidence_quote": step.evidence.quote,
        "evidence_line": step.evidence.line,
        "evidence_speaker": step.evidence.speaker,
        "evidence_timestamp": step.evidence.timestamp,
        "fingerprint": fingerprint(str(step.kind), str(step.owner), step.action),
    }


def secured_once_acknowledged(findings: list[dict[str, Any]]) -> bool:
    """Whether a step with these findings is secured once the other side has agreed."""
    return not any(f.get("code") in BLOCKING_FINDINGS for f in findings)


def acknowledge_row(row: NextStep, *, source: str, evidence: dict[str, Any]) -> None:
    """Record an acknowledgment from outside the text (an accepted invite, Slack)."""
    row.acknowledged = True
    row.ack_source = source
    row.ack_evidence = dict(evidence)
    row.findings = [f for f in row.findings if f.get("code") != "not_acknowledged"]
    row.secured = secured_once_acknowledged(row.findings)
    if row.suggestion and not any(f.get("suggestion") == row.suggestion for f in row.findings):
        row.suggestion = next((f["suggestion"] for f in row.findings if f.get("suggestion")), None)


def acknowledge_step(
    step_id: int, *, source: str, evidence: dict[str, Any], now: datetime, session: Session
) -> NextStep:
    """Record that the other side agreed outside the text: ``source`` "calendar" (an
    accepted invite) or "manual" (a person in Slack). Re-analysis keeps it."""
    row = session.get(NextStep, step_id)
    if row is None:
        raise NextStepError(f"No next step has id {step_id}.")
    acknowledge_row(row, source=source, evidence=evidence)
    row.updated_at = now
    session.add(row)
    session.flush()
    return row


@dataclass
class StepChanges:
    created: int = 0
    updated: int = 0
    removed: int = 0


def merge_steps(
    conversation_id: int,
    steps: list[Step],
    *,
    tz: str,
    now: datetime,
    session: Session,
    new: bool = False,
) -> StepChanges:
    """Make the conversation's stored steps those of ``steps``, updating in place
    (``new``: the conversation was just created, there is nothing to match).

    A stored step that the new analysis no longer has is removed, unless a person or
    the calendar touched it (a status, an outside acknowledgment, a calendar link).
    """
    stored = [] if new else steps_of(conversation_id, session=session)
    changes = StepChanges()
    for position, step in enumerate(steps):
        columns = step_columns(step, tz=tz, position=position)
        row = _take_match(stored, columns)
        if row is None:
            session.add(
                NextStep(conversation_id=conversation_id, created_at=now, updated_at=now, **columns)
            )
            changes.created += 1
        else:
            _update(row, columns, now=now)
            session.add(row)
            changes.updated += 1
    leftover = [r.id for r in stored if r.id is not None and _untouched(r)]
    linked = linked_step_ids(leftover, session=session)
    for row in stored:
        if _untouched(row) and row.id not in linked:
            session.delete(row)
            changes.removed += 1
    session.flush()
    return changes


def _take_match(stored: list[NextStep], columns: dict[str, Any]) -> NextStep | None:
    """Remove and return the stored step that ``columns`` describe again, if any."""
    quote = normalise_action(columns["evidence_quote"])
    tests = (
        lambda r: r.fingerprint == columns["fingerprint"],
        lambda r: r.kind == columns["kind"] and normalise_action(r.evidence_quote) == quote,
    )
    for test in tests:
        for index, row in enumerate(stored):
            if test(row):
                return stored.pop(index)
    return None


def _update(row: NextStep, columns: dict[str, Any], *, now: datetime) -> None:
    """Take the new analysis' view of the step, keeping what came from outside the
    text: an acknowledgment (an accepted invite, a person), a due set by hand or by the
    calendar, and the calendar's findings (the invite's state is not in the text)."""
    kept: tuple[str, dict[str, Any]] | None = None
    if row.acknowledged and row.ack_source in OUTSIDE_ACK and not columns["acknowledged"]:
        # The text still lacks a yes, but the invite was accepted or a person said so.
        kept = (row.ack_source, dict(row.ack_evidence or {}))
    due = (row.due, row.due_is_date, row.due_text) if row.due_set_by is not None else None
    calendar = [f for f in row.findings if f.get("code") in CALENDAR_CODES]
    unsecured = any(f.get("code") in UNSECURING_FINDINGS for f in calendar)
    for name, value in columns.items():
        setattr(row, name, value)
    if due is not None and (row.due is None or row.due_set_by != "calendar"):
        row.due, row.due_is_date, row.due_text = due
        row.findings = [f for f in row.findings if f.get("code") not in TIME_FINDINGS]
    if calendar:
        codes = {f.get("code") for f in calendar}
        row.findings = [f for f in row.findings if f.get("code") not in codes] + calendar
    if kept is not None:
        acknowledge_row(row, source=kept[0], evidence=kept[1])
    elif due is not None and row.acknowledged:
        row.secured = row.specific_action and secured_once_acknowledged(row.findings)
    if unsecured:
        row.secured = False
    row.updated_at = now


def _untouched(row: NextStep) -> bool:
    return (
        row.status == StepStatus.OPEN
        and row.status_changed_by is None
        and row.ack_source not in OUTSIDE_ACK
    )
