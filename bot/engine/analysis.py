"""``analyze``: the engine's one entry point, tying the passes together."""

from __future__ import annotations

from bot.engine import ack as acknowledgment
from bot.engine import coaching, rubric, steps, timex
from bot.engine.model import Analysis, Document, Finding, Step, StepKind, Tier
from bot.engine.units import Unit, split_units


def analyze(document: Document) -> Analysis:
    units = split_units(document)

    def find_times(unit: Unit) -> list:
        return timex.find_times(unit.text, now=unit.at, tz=document.tz)

    drafts = steps.detect(units, find_times)
    answers = [acknowledgment.acknowledge(d, units, document.kind) for d in drafts]
    found = [rubric.build_step(d, a) for d, a in zip(drafts, answers, strict=True)]
    tier = rubric.judge(found, drafts, answers)
    secured = tier != Tier.NONE
    return Analysis(
        document=document,
        steps=found,
        next_steps_secured=secured,
        reason=_reason(found, tier),
        tier=tier,
        findings=_conversation_findings(found),
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


def _conversation_findings(found: list[Step]) -> list[Finding]:
    if any(s.secured and s.continues for s in found):
        # The call is secured; keep only what still needs doing on the other steps.
        keep = {"not_acknowledged", "ambiguous_time", "no_time", "vague_time"}
        return [f for s in found if not s.secured for f in s.findings if f.code in keep]
    return [f for s in found for f in s.findings]
