"""What the application layer hands to front ends: plain, frozen records that outlive
the session they were read in. Field names are the rubric's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.application.history import VerdictChangeRecord
from bot.engine.model import Outcome
from bot.vocabulary import (
    CalendarStatus,
    ConversationSource,
    InputSource,
    InputStatus,
    StepStatus,
)
from storage.models import ConversationRead, InboundMessageRead, NextStepRead, RepRead
from storage.steps import step_due

VAGUE_FINDINGS = frozenset({"vague_action", "vague_time", "no_time"})


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class RepRecord:
    id: int
    name: str | None
    emails: tuple[str, ...]
    slack_user_id: str | None
    tz: str | None
    quiet_hours: str | None  # "19:00-08:00"
    digest: bool

    @classmethod
    def of(cls, rep: RepRead, emails: list[str]) -> RepRecord:
        quiet = None
        if rep.quiet_hours_start and rep.quiet_hours_end:
            quiet = f"{rep.quiet_hours_start:%H:%M}-{rep.quiet_hours_end:%H:%M}"
        return cls(
            rep.id, rep.display_name, tuple(emails), rep.slack_user_id, rep.tz, quiet, rep.digest
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "emails": list(self.emails),
            "slack_user_id": self.slack_user_id,
            "tz": self.tz,
            "quiet_hours": self.quiet_hours,
            "digest": self.digest,
        }


@dataclass(frozen=True)
class ConversationSummary:
    """One line of `nextstep conversations list`."""

    id: int
    source: ConversationSource
    kind: str
    subject: str | None
    reference_time: datetime  # aware, in ``tz``
    tz: str
    rep_id: int | None
    rep: str | None  # the rep's name or address as the analysis read it
    rep_guessed: bool
    secured: bool
    tier: str
    reason: str
    steps: int
    open_steps: int
    outcome: Outcome = Outcome.OPEN

    @classmethod
    def of(
        cls, row: ConversationRead, steps: int, open_steps: int, rep: str | None, guessed: bool
    ) -> ConversationSummary:
        from zoneinfo import ZoneInfo

        return cls(
            row.id,
            ConversationSource(row.source),
            row.kind,
            row.subject,
            row.reference_time.astimezone(ZoneInfo(row.tz)),
            row.tz,
            row.rep_id,
            rep,
            guessed,
            row.next_steps_secured,
            row.tier,
            row.reason,
            steps,
            open_steps,
            Outcome(row.outcome),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": str(self.source),
            "kind": self.kind,
            "subject": self.subject,
            "reference_time": self.reference_time.isoformat(),
            "tz": self.tz,
            "rep_id": self.rep_id,
            "rep": self.rep,
            "rep_guessed": self.rep_guessed,
            "next_steps_secured": self.secured,
            "tier": self.tier,
            "outcome": str(self.outcome),
            "reason": self.reason,
            "steps": self.steps,
            "open_steps": self.open_steps,
        }


@dataclass(frozen=True)
class StepRecord:
    """One step as people track it: the engine's view plus what people did with it."""

    id: int
    conversation_id: int
    action: str
    kind: str
    owner: str
    owner_name: str | None
    due: datetime | date | None  # in the conversation's zone; a date when only the day is known
    due_text: str | None
    trigger: str | None  # the condition of a trigger-based step
    acknowledged: bool
    specific_action: bool
    secured: bool
    status: StepStatus
    findings: tuple[str, ...]  # finding codes
    subject: str | None
    tz: str
    overdue: bool

    @classmethod
    def of(cls, step: NextStepRead, conversation: ConversationRead, now: datetime) -> StepRecord:
        due = step_due(step, conversation.tz)
        status = StepStatus(step.status)
        return cls(
            step.id,
            step.conversation_id,
            step.action,
            step.kind,
            step.owner,
            step.owner_name,
            due,
            step.due_text,
            step.trigger_condition,
            step.acknowledged,
            step.specific_action,
            step.secured,
            status,
            tuple(str(f.get("code")) for f in step.findings),
            conversation.subject,
            conversation.tz,
            status == StepStatus.OPEN and step.due is not None and _passed(step, now),
        )

    @property
    def vague(self) -> bool:
        return not self.specific_action or any(code in VAGUE_FINDINGS for code in self.findings)

    @property
    def awaiting(self) -> bool:
        """The next move is the other side's: theirs to do, or a trigger not yet met."""
        return self.owner == "counterpart" or (self.trigger is not None and self.due is None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "action": self.action,
            "kind": self.kind,
            "owner": self.owner,
            "owner_name": self.owner_name,
            "due": _when(self.due),
            "due_text": self.due_text,
            "trigger": self.trigger,
            "acknowledged": self.acknowledged,
            "specific_action": self.specific_action,
            "secured": self.secured,
            "status": str(self.status),
            "overdue": self.overdue,
            "vague": self.vague,
            "awaiting": self.awaiting,
            "findings": list(self.findings),
            "subject": self.subject,
            "tz": self.tz,
        }


def _passed(step: NextStepRead, now: datetime) -> bool:
    """A dated step is overdue once its whole day has passed; a timed one at its time."""
    assert step.due is not None
    if step.due_is_date:
        from datetime import timedelta

        return step.due + timedelta(days=1) <= now
    return step.due <= now


@dataclass(frozen=True)
class ConversationDetail:
    """`nextstep show ID`: the conversation, its stored analysis, its steps now."""

    summary: ConversationSummary
    analysis: dict[str, Any]  # bot.engine.schema.analysis_to_dict, as stored
    steps: tuple[StepRecord, ...]
    inbound_id: int | None
    history: tuple[VerdictChangeRecord, ...] = ()  # oldest first

    def to_dict(self) -> dict[str, Any]:
        """The stored analysis (``analyze --format json``) with ``id``, each step's
        ``id`` and ``status``, and the verdict's ``history`` added."""
        result = dict(self.analysis)
        result["id"] = self.summary.id
        result["input_id"] = self.inbound_id
        result["history"] = [change.to_dict() for change in self.history]
        tracked = {step.action: step for step in self.steps}
        result["steps"] = [
            {**step, **_tracking(tracked.get(step.get("action", "")))}
            for step in self.analysis.get("steps", [])
        ]
        return result


def _tracking(step: StepRecord | None) -> dict[str, Any]:
    if step is None:
        return {"id": None, "status": None}
    return {"id": step.id, "status": str(step.status)}


@dataclass(frozen=True)
class InputRecord:
    """One stored input, without its bytes (`nextstep inputs list`)."""

    id: int
    source: InputSource
    source_id: str | None
    filename: str | None
    status: InputStatus
    error: str | None
    attempts: int
    received_at: datetime
    conversation_id: int | None
    parent_id: int | None

    @classmethod
    def of(cls, row: InboundMessageRead) -> InputRecord:
        return cls(
            row.id,
            InputSource(row.source),
            row.source_id,
            row.filename,
            InputStatus(row.status),
            row.error,
            row.attempts,
            row.received_at,
            row.conversation_id,
            row.parent_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": str(self.source),
            "source_id": self.source_id,
            "filename": self.filename,
            "status": str(self.status),
            "error": self.error,
            "attempts": self.attempts,
            "received_at": self.received_at.isoformat(),
            "conversation_id": self.conversation_id,
            "parent_id": self.parent_id,
        }


@dataclass(frozen=True)
class CalendarRecord:
    id: int
    step_id: int
    provider: str
    status: CalendarStatus
    event_id: str | None
    ical_uid: str | None
    starts_at: datetime | None
    acknowledged: bool  # whether the step now counts as agreed
