"""What a calendar status does to a step. Pure: a step and a check in, a new step out.

- Acceptance by someone from the other side is acknowledgment (``ack_source``
  "calendar"), so a step the text left unconfirmed can become secured.
- A step with no time that gets an invite takes the event's time as its due.
- A declined or cancelled invite unsecures the step, whatever the text said.
- ``unknown`` changes nothing: a calendar that could not be read proves nothing.

``calendar_effect`` works on plain values so the storage side can apply it to a stored
row; ``apply_to_step`` and ``apply_to_analysis`` apply it to the engine's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from bot.calendar.model import CalendarCheck, CalendarStatus
from bot.engine import rubric
from bot.engine.model import AckSource, Analysis, Evidence, Finding, Step, StepKind, Tier

# Findings a step keeps whoever acknowledges it (as in storage.steps).
BLOCKING = frozenset({"vague_action", "vague_time", "no_time", "options_open", "open_trigger"})
# Findings an event's time answers: the meeting now has a day and an hour.
ANSWERED_BY_EVENT_TIME = frozenset({"no_time", "vague_time", "options_open"})
CALENDAR_CODES = frozenset(
    {
        "no_invite",
        "invite_not_accepted",
        "invite_tentative",
        "invite_declined",
        "invite_cancelled",
        "invite_moved",
        "calendar_unknown",
    }
)
UNSECURING = frozenset({CalendarStatus.DECLINED, CalendarStatus.CANCELLED})
_RANK = {Tier.NONE: 0, Tier.BRONZE: 1, Tier.SILVER: 2, Tier.GOLD: 3}


@dataclass(frozen=True)
class CalendarEffect:
    acknowledge: bool = False  # record the acceptance as the other side's yes
    ack_quote: str | None = None
    ack_by: str | None = None
    due: datetime | date | None = None  # the event's time, for a step that had none
    unsecure: bool = False
    finding: Finding | None = None  # what the rep is told (declined, cancelled, ...)


def is_meeting(kind: str) -> bool:
    return kind == StepKind.MEETING


def calendar_effect(
    check: CalendarCheck, *, has_due: bool, acknowledged: bool, ack_source: str | None
) -> CalendarEffect:
    """The changes ``check`` makes to a step with these facts."""
    event = check.event
    if check.status == CalendarStatus.UNKNOWN or event is None:
        return CalendarEffect(finding=_finding(check))
    invited = check.status in (
        CalendarStatus.AWAITING,
        CalendarStatus.ACCEPTED,
        CalendarStatus.TENTATIVE,
    )
    due = event.start if not has_due and invited else None
    if check.status in UNSECURING:
        return CalendarEffect(unsecure=True, finding=_finding(check))
    accepted = check.accepted_by
    if accepted and not (acknowledged and ack_source != AckSource.CALENDAR):
        title = event.title or "the invite"
        return CalendarEffect(
            acknowledge=True,
            ack_quote=f"Accepted the calendar invite '{title}'",
            ack_by=accepted[0],
            due=due,
            finding=_finding(check),
        )
    return CalendarEffect(due=due, finding=_finding(check))


def apply_to_step(step: Step, check: CalendarCheck) -> Step:
    """``step`` as the calendar leaves it (a new object; ``step`` is not changed)."""
    effect = calendar_effect(
        check,
        has_due=step.due is not None,
        acknowledged=step.acknowledged,
        ack_source=step.ack_source,
    )
    findings = list(step.findings)
    changes: dict[str, object] = {}
    if effect.due is not None:
        changes["due"] = effect.due
        changes["due_text"] = step.due_text or "the calendar invite"
        findings = [f for f in findings if f.code not in ANSWERED_BY_EVENT_TIME]
    if effect.acknowledge:
        changes["acknowledged"] = True
        changes["ack_source"] = AckSource.CALENDAR
        changes["ack_evidence"] = Evidence(
            quote=effect.ack_quote or "", line=0, speaker=effect.ack_by
        )
        findings = [f for f in findings if f.code != "not_acknowledged"]
    waiting_for_trigger = step.trigger is not None and step.due is None
    if effect.finding is not None and not (
        waiting_for_trigger and check.status == CalendarStatus.NO_INVITE
    ):
        findings.append(effect.finding)  # no invite is expected before the trigger
    acknowledged = bool(changes.get("acknowledged", step.acknowledged))
    secured = (
        False
        if effect.unsecure
        else (step.secured or (acknowledged and step.specific_action))
        and not any(f.code in BLOCKING for f in findings)
    )
    changes["secured"] = secured
    changes["findings"] = findings
    changes["suggestion"] = next((f.suggestion for f in findings if f.suggestion), None)
    return replace(step, **changes)  # type: ignore[arg-type]


def apply_to_analysis(analysis: Analysis, checks: dict[int, CalendarCheck]) -> Analysis:
    """The analysis with each checked step (by position) as the calendar leaves it; the
    tier and verdict follow the steps."""
    steps = [
        apply_to_step(step, checks[i]) if i in checks else step
        for i, step in enumerate(analysis.steps)
    ]
    tier = max((rubric.tier_of(s) for s in steps), key=_RANK.__getitem__, default=Tier.NONE)
    reason = analysis.reason
    if tier != analysis.tier:
        reason = _reason(steps, tier, checks)
    return replace(
        analysis,
        steps=steps,
        tier=tier,
        next_steps_secured=tier != Tier.NONE,
        reason=reason,
        findings=[
            *analysis.findings,
            *(f for i in checks for f in steps[i].findings if f.code in CALENDAR_CODES),
        ],
    )


def _reason(steps: list[Step], tier: Tier, checks: dict[int, CalendarCheck]) -> str:
    if tier != Tier.NONE:
        best = next(s for s in steps if rubric.tier_of(s) == tier)
        return f"Secured ({tier}): {best.action}, confirmed on the calendar."
    changed = [(steps[i], c) for i, c in checks.items() if c.status in UNSECURING]
    if changed:
        step, check = changed[0]
        return f"Not secured: the invite for '{step.action}' was {check.status} ({check.reason})."
    return "Not secured: no agreed step is left that brings you back together."


def _finding(check: CalendarCheck) -> Finding | None:
    """What the rep is told about a status that needs something done."""
    event = check.event
    title = f"'{event.title}'" if event is not None and event.title else "the meeting"
    reason = check.reason or ""
    match check.status:
        case CalendarStatus.NO_INVITE:
            return Finding(
                "no_invite",
                f"The meeting has no calendar invite yet. {reason}".strip(),
                "Try: send the invite now, while the time is fresh for both of you.",
            )
        case CalendarStatus.AWAITING:
            return Finding(
                "invite_not_accepted",
                f"The invite for {title} is not accepted yet. {reason}".strip(),
                'Try: "Does the time still work on your end? Accept the invite if so."',
            )
        case CalendarStatus.TENTATIVE:
            return Finding("invite_tentative", f"{title} is only tentatively accepted. {reason}")
        case CalendarStatus.DECLINED:
            return Finding(
                "invite_declined",
                f"The invite for {title} was declined ({reason.rstrip('.')}).",
                "Try: propose two new times in one message.",
            )
        case CalendarStatus.CANCELLED:
            return Finding(
                "invite_cancelled",
                f"{title[0].upper()}{title[1:]} was cancelled.",
                "Try: ask for a new time before the thread goes cold.",
            )
        case CalendarStatus.MOVED:
            return Finding("invite_moved", f"{title} moved. {reason}".strip())
        case CalendarStatus.UNKNOWN:
            return Finding("calendar_unknown", f"The calendar could not be checked: {reason}")
    return None
