"""The conversation's verdict from its steps as they stand: pure, no storage.

The analysis judges a conversation once, from its words. Later facts change its steps
(an accepted invite, a rep marking a step agreed, a time set by hand); the verdict then
follows from the steps alone: the conversation is secured when a secured step brings the
two sides back together, and its tier is that of its best step (RUBRIC.md, Tiers).
``step_tier`` is the one rule for a step's tier; ``bot.engine.rubric.tier_of`` uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine.model import StepKind, Tier

TIER_RANK = {Tier.NONE: 0, Tier.BRONZE: 1, Tier.SILVER: 2, Tier.GOLD: 3}


@dataclass(frozen=True)
class StepFacts:
    """What the tier of one step rests on."""

    action: str
    kind: str  # a StepKind
    secured: bool
    continues: bool  # leads to continued interaction with the counterpart
    timed: bool  # its due is a date and a time (not only a day)
    has_due: bool
    triggered: bool  # it has a trigger
    scheduling: bool = False  # a commitment to schedule the meeting


@dataclass(frozen=True)
class Verdict:
    secured: bool
    tier: Tier


def step_tier(step: StepFacts) -> Tier:
    """RUBRIC.md's tier of one step: gold a timed, agreed meeting or call; silver an
    agreed meeting with a day, or a commitment to schedule one; bronze homework with a
    report-back or a trigger-based commitment; none when it is not secured or does not
    bring the sides back together."""
    if not step.secured or not step.continues:
        return Tier.NONE
    if step.triggered and not step.has_due:
        return Tier.BRONZE
    if step.kind in (StepKind.MEETING, StepKind.CALLBACK):
        return Tier.GOLD if step.timed else Tier.SILVER
    if step.kind == StepKind.DELIVERABLE or step.scheduling:
        return Tier.SILVER
    return Tier.BRONZE


def best_step(steps: Iterable[StepFacts]) -> StepFacts | None:
    """The step the conversation's tier comes from (the first of the best), if any
    is secured."""
    best: StepFacts | None = None
    for step in steps:
        tier = step_tier(step)
        if tier != Tier.NONE and (best is None or TIER_RANK[tier] > TIER_RANK[step_tier(best)]):
            best = step
    return best


def verdict_of(steps: Iterable[StepFacts]) -> Verdict:
    """The conversation's verdict: secured when some step has a tier, at its best."""
    best = best_step(steps)
    if best is None:
        return Verdict(False, Tier.NONE)
    return Verdict(True, step_tier(best))


def reason_for(verdict: Verdict, best: StepFacts | None, how: str) -> str:
    """The one-line reason for a verdict recomputed after ``how`` (e.g. "accepted on
    the calendar", "marked agreed by cli")."""
    if verdict.secured and best is not None:
        return f"Secured ({verdict.tier}): {best.action}, {how}."
    return f"Not secured: no agreed step is left that brings you back together ({how})."
