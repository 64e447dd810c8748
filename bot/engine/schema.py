"""The engine's JSON form, ``"schema": 1``. Documented in the README; scripts rely on it,
so fields are only ever added, never renamed or removed, within a schema version."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.engine.model import Analysis, Evidence, Finding, Step, Trigger


def when_to_json(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return value.isoformat()


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


def step_to_dict(step: Step) -> dict[str, Any]:
    time = step.time
    return {
        "action": step.action,
        "kind": str(step.kind),
        "owner": str(step.owner),
        "owner_name": step.owner_name,
        "due": when_to_json(step.due),
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
        "steps": [step_to_dict(s) for s in analysis.steps],
        "findings": [finding_to_dict(f) for f in analysis.findings],
        "conversation": {
            "kind": str(document.kind),
            "reference_time": document.reference_time.isoformat(),
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
