"""The verdict from the steps as they stand (bot.engine.verdict), rule by rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine.model import Tier
from bot.engine.verdict import StepFacts, Verdict, best_step, reason_for, step_tier, verdict_of

MEETING = StepFacts(
    action="review the proposal together",
    kind="meeting",
    secured=True,
    continues=True,
    timed=True,
    has_due=True,
    triggered=False,
)
DECK = replace(MEETING, action="send the deck", kind="deliverable", continues=False)
HOMEWORK = replace(MEETING, action="confirm with procurement", kind="homework", timed=False)


@pytest.mark.parametrize(
    ("step", "tier"),
    [
        (MEETING, Tier.GOLD),
        (replace(MEETING, timed=False), Tier.SILVER),  # a day, no hour
        (replace(MEETING, kind="callback"), Tier.GOLD),
        (replace(MEETING, secured=False), Tier.NONE),  # not agreed
        (DECK, Tier.NONE),  # one-way: nothing brings them back
        (replace(DECK, continues=True), Tier.SILVER),  # "I'll send calendar options by EOD"
        (HOMEWORK, Tier.BRONZE),
        (replace(HOMEWORK, scheduling=True), Tier.SILVER),  # "they'll send availability"
        (replace(MEETING, triggered=True, has_due=False, timed=False), Tier.BRONZE),
        (replace(MEETING, triggered=True), Tier.GOLD),  # the trigger met, the time set
    ],
)
def test_step_tier(step: StepFacts, tier: Tier) -> None:
    assert step_tier(step) == tier


def test_the_best_step_gives_the_verdict() -> None:
    steps = [HOMEWORK, replace(MEETING, timed=False), DECK]
    assert verdict_of(steps) == Verdict(True, Tier.SILVER)
    assert best_step(steps) == steps[1]
    assert verdict_of([DECK, replace(MEETING, secured=False)]) == Verdict(False, Tier.NONE)
    assert verdict_of([]) == Verdict(False, Tier.NONE)


def test_reasons_name_the_step_and_what_happened() -> None:
    verdict = verdict_of([MEETING])
    assert reason_for(verdict, MEETING, "accepted on the calendar") == (
        "Secured (gold): review the proposal together, accepted on the calendar."
    )
    assert reason_for(Verdict(False, Tier.NONE), None, "calendar: invite cancelled").startswith(
        "Not secured: "
    )
