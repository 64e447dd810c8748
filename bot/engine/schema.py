"""The engine's JSON form, ``"schema": 1``. Documented in the README; scripts rely on it,
so fields are only ever added, never renamed or removed, within a schema version."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine.model import (
    SCHEMA_VERSION,
    Analysis,
    Evidence,
    Finding,
    Step,
    TimeExpression,
    Trigger,
)


def when_to_json(value: datetime | date | None, tz: str | None = None) -> str | None:
    """A date as YYYY-MM-DD; a date-time as ISO 8601 with the rep's UTC offset (``tz``):
    an aware value is shown in the rep's zone, a naive one is read as the rep's wall
    time, so no date-time ever leaves without an offset."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    if tz is None:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{value.isoformat()} has no UTC offset and no zone to read it in")
        return value.isoformat()
    zone = ZoneInfo(tz)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=zone).isoformat()
    return value.astimezone(zone).isoformat()


def evidence_to_dict(evidence: Evidence | None) -> dict[str, Any] | None:
    if evidence is None:
        return None
    return {
        "quote": evidence.quote,
        "line": evidence.line,
        "speaker": evidence.speaker,
        "timestamp": evidence.timestamp,
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "evidence": evidence_to_dict(finding.evidence),
    }


def trigger_to_dict(trigger: Trigger | None) -> dict[str, Any] | None:
    if trigger is None:
        return None
    return {
        "condition": trigger.condition,
        "response": trigger.response,
        "window_seconds": int(trigger.window.total_seconds()) if trigger.window else None,
        "window_text": trigger.window_text,
    }


def step_to_dict(step: Step, tz: str | None = None) -> dict[str, Any]:
    """A step; its due in the rep's zone ``tz`` when given."""
    time = step.time
    return {
        "action": step.action,
        "kind": str(step.kind),
        "owner": str(step.owner),
        "owner_name": step.owner_name,
        "due": when_to_json(step.due, tz),
        "due_text": step.due_text,
        "deadline": step.deadline,
        "ambiguous": bool(time and time.ambiguous),
        "ambiguity": time.ambiguity if time and time.ambiguous else None,
        "trigger": trigger_to_dict(step.trigger),
        "participants": list(step.participants),
        "purpose": step.purpose,
        "specific_action": step.specific_action,
        "acknowledged": step.acknowledged,
        "ack_source": str(step.ack_source) if step.ack_source else None,
        "ack_evidence": evidence_to_dict(step.ack_evidence),
        "secured": step.secured,
        "continues": step.continues,
        "findings": [finding_to_dict(f) for f in step.findings],
        "suggestion": step.suggestion,
        "evidence": evidence_to_dict(step.evidence),
        "superseded": [evidence_to_dict(e) for e in step.superseded],
        "scheduling": step.scheduling,
    }


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    document = analysis.document
    return {
        "schema": analysis.schema,
        "next_steps_secured": analysis.next_steps_secured,
        "tier": str(analysis.tier),
        "outcome": str(analysis.outcome),
        "clear_no": evidence_to_dict(analysis.clear_no),
        "reason": analysis.reason,
        "steps": [step_to_dict(s, document.tz) for s in analysis.steps],
        "findings": [finding_to_dict(f) for f in analysis.findings],
        "conversation": {
            "kind": str(document.kind),
            "reference_time": when_to_json(document.reference_time, document.tz),
            "tz": document.tz,
            "rep": document.rep,
            "rep_guessed": document.rep_guessed,
            "participants": [
                {"name": p.name, "role": str(p.role), "email": p.email}
                for p in document.participants
            ],
            "subject": document.subject,
            "source": document.source,
            "turns": len(document.turns),
            "warnings": list(document.warnings),
        },
    }


def times_to_dict(
    text: str, reference_time: datetime, tz: str, times: list[TimeExpression]
) -> dict[str, Any]:
    """``nextstep when --format json``: the phrase, the reference time in the rep's zone
    and every time expression found."""
    from bot.engine.timex import timex_to_dict

    return {
        "schema": SCHEMA_VERSION,
        "text": text,
        "reference_time": when_to_json(reference_time, tz),
        "tz": tz,
        "times": [timex_to_dict(t) for t in times],
    }
