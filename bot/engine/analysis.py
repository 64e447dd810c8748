"""``analyze``: the engine's one entry point, tying the passes together."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from bot.engine import ack as acknowledgment
from bot.engine import coaching, rubric, steps, timex
from bot.engine import outcome as ending
from bot.engine.model import (
    Analysis,
    Document,
    Finding,
    Step,
    StepKind,
    Tier,
    TimeExpression,
)
from bot.engine.units import Unit, split_units


def analyze(document: Document) -> Analysis:
    with _no_cycle_collection():
        return _analyze(document)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The engine builds many small objects and no reference cycles that need collecting
    mid-run; Python's cycle collector would rescan them all again and again on a large
    input (a third of the time on a 2 MB note). Results are the same either way."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyze(document: Document) -> Analysis:
    units = split_units(document)
    # The same words said at the same time resolve the same way ("Sounds good.", "Yes,
    # Tuesday at 2 works."): read each once per document.
    seen: dict[tuple[str, datetime], list[TimeExpression]] = {}

    def find_times(unit: Unit) -> list[TimeExpression]:
        key = (unit.text, unit.at)
        if key not in seen:
            seen[key] = timex.find_times(unit.text, now=unit.at, tz=document.tz)
        return seen[key]

    drafts = steps.detect(units, find_times)
    answers = [acknowledgment.acknowledge(d, units, document.kind) for d in drafts]
    found = [rubric.build_step(d, a, document.tz) for d, a in zip(drafts, answers, strict=True)]
    tier = rubric.judge(found, drafts, answers)
    secured = tier != Tier.NONE
    refusal = None if secured else ending.clear_no(units)
    if refusal is not None:
        rubric.close_cleanly(found)
    return Analysis(
        document=document,
        steps=found,
        next_steps_secured=secured,
        reason=_clear_no_reason(refusal) if refusal else _reason(found, tier),
        tier=tier,
        findings=_closing_findings(units, found, refusal, tier),
        outcome=ending.outcome_of(tier, refusal),
        clear_no=refusal.evidence() if refusal else None,
    )


def _closing_findings(
    units: list[Unit], found: list[Step], refusal: Unit | None, tier: Tier
) -> list[Finding]:
    """A clear no gets one line that closes the loop; a tentative yes left open gets a
    follow-up with a purpose first, then the steps' own lines."""
    if refusal is not None:
        return [coaching.clear_no(refusal.evidence())]
    findings = _conversation_findings(found)
    maybe = ending.tentative_yes(units) if tier == Tier.NONE else None
    if maybe is not None:
        findings.insert(0, coaching.tentative_yes(maybe.evidence(), maybe.at.date()))
    return findings


def _clear_no_reason(refusal: Unit) -> str:
    return (
        f'Clear no: the other side closed it ("{coaching.quote(refusal.text)}"). Not secured, '
        "but not a stall either: a clean ending, nothing to chase."
    )


def _reason(found: list[Step], tier: Tier) -> str:
    if tier != Tier.NONE:
        best = next(s for s in found if rubric.tier_of(s) == tier)
        ack = best.ack_evidence
        said = f' ("{coaching.quote(ack.quote)}")' if ack else ""
        if best.trigger is not None and best.due is None:
            return (
                f"Secured ({tier}): clear trigger with a committed follow-up: "
                f"{best.trigger.condition}, then {best.action}; the other side agreed{said}."
            )
        return (
            f"Secured ({tier}): {best.action}, {coaching.when(best)}, agreed by the other "
            f"side{said}."
        )
    if not found:
        return "Not secured: no next step was committed; the conversation ended without one."
    secured = [s for s in found if s.secured]
    if secured and all(s.kind == StepKind.DELIVERABLE for s in secured):
        return (
            "Not secured: the only agreed step is one-way "
            f'("{coaching.quote(secured[0].evidence.quote)}"); nothing brings you back together.'
        )
    worst = found[-1]
    codes = ", ".join(f.code for f in worst.findings) or "not secured"
    return f'Not secured: "{coaching.quote(worst.evidence.quote)}" ({codes}).'


# One coaching line per step: the problem that matters most, the others stay on the step.
_FIRST = (
    "vague_action",
    "open_trigger",
    "options_open",
    "not_acknowledged",
    "vague_time",
    "no_time",
    "ambiguous_time",
    "deliverable_without_followup",
)


def _conversation_findings(found: list[Step]) -> list[Finding]:
    secured = any(s.secured and s.continues for s in found)
    # When the call is secured, keep only what still needs doing on the other steps.
    keep = {"not_acknowledged", "ambiguous_time", "no_time", "vague_time"} if secured else None
    lines: list[Finding] = []
    for step in found:
        if secured and step.secured:
            continue
        candidates = [f for f in step.findings if keep is None or f.code in keep]
        if candidates:
            lines.append(min(candidates, key=_rank))
    return lines


def _rank(finding: Finding) -> int:
    return _FIRST.index(finding.code) if finding.code in _FIRST else len(_FIRST)
