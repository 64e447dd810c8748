"""Judge each step and the conversation against the rubric (shared/RUBRIC.md).

A step is secured when its action is specific, it has a specific time or a trigger
with a committed response, and the counterpart acknowledged it. The conversation is
secured when a secured step leads to continued interaction; its tier is its best step's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.engine import coaching
from bot.engine import lexicon as lx
from bot.engine.ack import Acknowledgment
from bot.engine.clauses import is_specific_action
from bot.engine.drafts import Draft
from bot.engine.model import (
    AckSource,
    Evidence,
    Finding,
    Grain,
    Owner,
    Step,
    StepKind,
    Tier,
)
from bot.engine.verdict import StepFacts, step_tier

_TIER_RANK = {Tier.GOLD: 3, Tier.SILVER: 2, Tier.BRONZE: 1, Tier.NONE: 0}


def build_step(draft: Draft, ack: Acknowledgment, tz: str | None = None) -> Step:
    time = draft.time
    due: datetime | date | None = None
    if draft.specific_time and time is not None and time.value is not None:
        due = time.value.date() if time.grain == Grain.DAY else time.value
    triggered = draft.trigger is not None and not draft.weak_trigger and _committed(draft)
    step = Step(
        action=draft.action,
        kind=draft.kind,
        owner=draft.owner,
        evidence=draft.unit.evidence(),
        owner_name=draft.owner_name,
        due=due,
        due_text=time.text if time else None,
        deadline=bool(time and time.deadline),
        time=time,
        trigger=draft.trigger,
        participants=draft.participants,
        purpose=draft.purpose,
        acknowledged=ack.acknowledged,
        ack_source=ack.source,
        ack_evidence=_ack_evidence(ack, tz),
        specific_action=draft.specific_action,
        superseded=[u.evidence() for u in draft.superseded],
    )
    step.scheduling = draft.kind in (
        StepKind.DELIVERABLE,
        StepKind.HOMEWORK,
    ) and bool(lx.SCHEDULING_DELIVERABLE.search(draft.clause))
    step.secured = step.specific_action and (due is not None or triggered) and step.acknowledged
    step.continues = _continues(step, draft, triggered)
    return step


def _ack_evidence(ack: Acknowledgment, tz: str | None) -> Evidence | None:
    """The words that agreed; a reply's carry when they were sent (its Date, in the
    rep's zone ``tz``)."""
    if ack.unit is None:
        return None
    evidence = ack.unit.evidence()
    if ack.source == AckSource.REPLY and evidence.timestamp is None:
        sent = ack.unit.at.astimezone(ZoneInfo(tz)) if tz else ack.unit.at
        return replace(evidence, timestamp=sent.isoformat())
    return evidence


def _committed(draft: Draft) -> bool:
    """A trigger counts when the response is committed: an action of ours or theirs."""
    trigger = draft.trigger
    if trigger is None or not trigger.response:
        return False
    if trigger.window is None and not is_specific_action(trigger.response):
        return False  # "once I know my shifts, I'll come back to you": nothing committed
    return bool(
        re.search(
            r"\b(?:i(?:'|’)ll|we(?:'|’)ll|i will|we will|ping|let me know|email|call|send|"
            r"schedule|book|text|reach out)\b",
            trigger.response,
            re.IGNORECASE,
        )
    )


def _continues(step: Step, draft: Draft, triggered: bool) -> bool:
    """Whether the step brings the two sides back together."""
    if step.kind in (StepKind.MEETING, StepKind.CALLBACK):
        return True
    if triggered:
        return True
    if step.kind == StepKind.DELIVERABLE:
        return lx.SCHEDULING_DELIVERABLE.search(draft.clause) is not None
    return lx.REPORT_BACK.search(draft.clause) is not None


def tier_of(step: Step) -> Tier:
    """The step's tier (``bot.engine.verdict.step_tier``, the one rule for it)."""
    return step_tier(facts_of(step))


def judge(steps: list[Step], drafts: list[Draft], ack: list[Acknowledgment]) -> Tier:
    """Attach findings and suggestions to every step; return the conversation's tier."""
    tiers = [tier_of(step) for step in steps]
    best = max(tiers, key=_TIER_RANK.__getitem__, default=Tier.NONE)
    for step, draft, answer in zip(steps, drafts, ack, strict=True):
        step.findings = _findings(step, draft, answer, secured_elsewhere=best != Tier.NONE)
        step.suggestion = next((f.suggestion for f in step.findings if f.suggestion), None)
    return best


def close_cleanly(steps: list[Step]) -> None:
    """A clear no is a clean ending: nothing left to nudge about on the open steps."""
    for step in steps:
        if not step.secured:
            step.findings = []
            step.suggestion = None


def _findings(
    step: Step, draft: Draft, answer: Acknowledgment, *, secured_elsewhere: bool
) -> list[Finding]:
    found: list[Finding] = []
    if not step.specific_action:
        found.append(coaching.vague_action(step, draft))
    if step.due is None and not (step.trigger and not draft.weak_trigger):
        if draft.weak_trigger:
            found.append(coaching.open_trigger(step, draft))
        elif draft.options:
            found.append(coaching.options_open(step, draft))
        elif draft.time is not None:
            found.append(coaching.vague_time(step, draft))
        else:
            found.append(coaching.no_time(step, draft))
    if step.trigger and not draft.weak_trigger and not _committed(draft):
        found.append(coaching.open_trigger(step, draft))
    if not step.acknowledged:
        found.append(coaching.not_acknowledged(step, draft, answer))
    if step.time is not None and step.time.ambiguous:
        found.append(coaching.ambiguous_time(step, draft))
    if (
        step.kind == StepKind.DELIVERABLE
        and step.owner in (Owner.REP, Owner.BOTH)
        and not step.continues
        and not secured_elsewhere
    ):
        found.append(coaching.deliverable_without_followup(step, draft))
    return found


def facts_of(step: Step) -> StepFacts:
    """What the tier of an analysed step rests on."""
    return StepFacts(
        action=step.action,
        kind=str(step.kind),
        secured=step.secured,
        continues=step.continues,
        timed=isinstance(step.due, datetime),
        has_due=step.due is not None,
        triggered=step.trigger is not None,
        scheduling=step.scheduling,
    )
