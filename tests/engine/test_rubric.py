"""The rubric, case by case, through the loader and the engine as a user's text travels.

Each row: the words, when they were said, and what the engine must decide. The
reference time is Thursday 19 November 2026, 15:00 in Los Angeles unless a row says.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.engine import analyze
from bot.engine.model import Analysis, SourceKind
from bot.loaders import load_text

LA = "America/Los_Angeles"
THURSDAY = datetime(2026, 11, 19, 15, 0, tzinfo=ZoneInfo(LA))


def run(
    text: str, kind: SourceKind, *, at: datetime = THURSDAY, rep: str | None = "Dana"
) -> Analysis:
    return analyze(load_text(text, kind=kind, at=at, tz=LA, rep=rep))


def la(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(LA))  # type: ignore[misc]


T = SourceKind.TRANSCRIPT
N = SourceKind.NOTES

CASES: list[dict[str, Any]] = [
    dict(
        id="seed-true-proposal-and-review",
        kind=T,
        text="Dana: I'll send the proposal Monday and we'll review it Wednesday at 2pm.\n"
        "Sam: Works for me.\n",
        secured=True,
        tier="gold",
        steps=[
            ("deliverable", date(2026, 11, 23), True),
            ("meeting", la(2026, 11, 25, 14, 0), True),
        ],
    ),
    dict(
        id="seed-false-reconnect-next-week",
        kind=T,
        text="Dana: Let's reconnect next week.\nSam: Sure, sounds good.\n",
        secured=False,
        tier="none",
        steps=[("meeting", None, True)],
        codes={"vague_action", "vague_time"},
    ),
    dict(
        id="seed-false-send-some-info",
        kind=T,
        text="Dana: I'll send some information over.\nSam: Thanks.\n",
        secured=False,
        tier="none",
        steps=[("deliverable", None, None)],
        codes={"vague_action", "no_time"},
    ),
    dict(
        id="silence-after-proposal",
        kind=T,
        text="Dana: I'll send the proposal Monday.\nSam: By the way, how is your pricing structured?\n",
        secured=False,
        tier="none",
        steps=[("deliverable", date(2026, 11, 23), False)],
        codes={"not_acknowledged"},
    ),
    dict(
        id="revised-time-later-words-win",
        kind=T,
        text="Dana: Can we meet Tuesday at 2 to go over the pilot results?\n"
        "Sam: Actually, can we do Thursday at 10?\n"
        "Dana: Sure, Thursday at 10 it is.\n",
        secured=True,
        tier="gold",
        steps=[("meeting", la(2026, 11, 26, 10, 0), True)],
    ),
    dict(
        id="hedged-answer",
        kind=T,
        text="Dana: Does Tuesday at 2pm work for a demo with your CFO?\n"
        "Sam: Maybe, let me check my calendar and get back to you.\n",
        secured=False,
        tier="none",
        # the demo is not agreed; the answer Sam owes is a step of its own, unsecured
        steps=[("meeting", la(2026, 11, 24, 14, 0), False), ("homework", None, False)],
        codes={"not_acknowledged"},
    ),
    dict(
        id="one-way-deliverable-acknowledged",
        kind=T,
        text="Dana: I'll send the deck Monday.\nSam: Great, thanks, I'll take a look.\n",
        secured=False,
        tier="none",
        steps=[("deliverable", date(2026, 11, 23), True)],
        codes={"deliverable_without_followup"},
    ),
    dict(
        id="silver-calendar-options-eod",
        kind=T,
        text="Dana: Let's meet again once you've seen the numbers. I'll send calendar options by end of day.\n"
        "Sam: Sounds good.\n",
        secured=True,
        tier="silver",
        steps=[("deliverable", la(2026, 11, 19, 17, 0), True)],
    ),
    dict(
        id="trigger-with-committed-window",
        kind=T,
        text="Dana: Once IT confirms SSO is set up, I'll schedule the security review within 48 hours.\n"
        "Sam: That works for us.\n",
        secured=True,
        tier="bronze",
        steps=[("meeting", None, True)],
    ),
    dict(
        id="callback-by-4pm",
        kind=T,
        text="Dana: I'll call you by 4pm with an update on the outage.\nSam: Okay, thanks.\n",
        secured=True,
        tier="gold",
        steps=[("callback", la(2026, 11, 19, 16, 0), True)],
    ),
    dict(
        id="by-friday-said-thursday-evening",
        kind=T,
        at=la(2026, 11, 19, 19, 30),
        text="Dana: You'll have the contract redlines by Friday, and we'll walk through them together Monday at 9.\n"
        "Sam: Perfect, see you Monday.\n",
        secured=True,
        tier="gold",
        steps=[
            ("deliverable", la(2026, 11, 20, 17, 0), True),
            ("meeting", la(2026, 11, 23, 9, 0), True),
        ],
    ),
    dict(
        id="past-events-are-not-steps",
        kind=N,
        text="We met in March at the expo.\nI sent the deck last Tuesday.\nNo next steps were set.\n",
        secured=False,
        tier="none",
        steps=[],
    ),
    dict(
        id="notes-confirmed-viewing",
        kind=N,
        text="Showing at 14 Alder Lane went well.\n"
        "- Second viewing Saturday at 11am w/ the Okafors (confirmed)\n"
        "- I'll send the disclosure packet tonight\n",
        secured=True,
        tier="gold",
        steps=[
            ("meeting", la(2026, 11, 21, 11, 0), True),
            ("deliverable", la(2026, 11, 19, 21, 0), False),
        ],
    ),
    dict(
        id="notes-plan-without-confirmation",
        kind=N,
        text="Next steps:\n- Demo Tue 2p w/ Sarah\n- Send pricing EOD\n",
        secured=False,
        tier="none",
        steps=[
            ("meeting", la(2026, 11, 24, 14, 0), False),
            ("deliverable", la(2026, 11, 19, 17, 0), False),
        ],
        codes={"not_acknowledged"},
    ),
    dict(
        id="homework-with-report-back",
        kind=T,
        text="Dana: Could you pull last quarter's ticket volumes and send them to me by Friday so we can size the pilot?\n"
        "Sam: Yes, I'll have them to you by Friday.\n",
        secured=True,
        tier="bronze",
        steps=[("homework", la(2026, 11, 20, 17, 0), True)],
    ),
    dict(
        id="declined-without-new-time",
        kind=T,
        text="Dana: How about a call Monday at 10am to go through the offer?\n"
        "Sam: No, Monday doesn't work, I'm out of office all week.\n",
        secured=False,
        tier="none",
        steps=[("meeting", la(2026, 11, 23, 10, 0), False)],
        codes={"not_acknowledged"},
    ),
    dict(
        id="false-dates-may-and-second",
        kind=T,
        text="Dana: May from finance will join the second call.\n"
        "Dana: Let's lock in Tuesday at 3pm for that call to review the budget.\n"
        "Sam: Yes, that works.\n",
        secured=True,
        tier="gold",
        steps=[("meeting", la(2026, 11, 24, 15, 0), True)],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rubric_case(case: dict[str, Any]) -> None:
    analysis = run(case["text"], case["kind"], at=case.get("at", THURSDAY))
    assert analysis.next_steps_secured is case["secured"], analysis.reason
    assert str(analysis.tier) == case["tier"]
    got = [(str(s.kind), s.due, s.acknowledged) for s in analysis.steps]
    want = case["steps"]
    assert len(got) == len(want), got
    for (kind, due, acknowledged), step in zip(want, analysis.steps, strict=True):
        assert str(step.kind) == kind, step
        assert step.due == due, step
        if acknowledged is not None:
            assert step.acknowledged is acknowledged, step
    codes = {f.code for s in analysis.steps for f in s.findings}
    assert case.get("codes", set()) <= codes


def test_every_finding_has_a_suggestion_and_evidence() -> None:
    analysis = run("Dana: Let's touch base soon.\nSam: Sure.\n", T)
    findings = [f for s in analysis.steps for f in s.findings]
    assert findings
    for finding in findings:
        assert finding.suggestion and finding.suggestion.startswith("Try: ")
        assert finding.evidence is not None and finding.evidence.line == 1


def test_conversation_findings_carry_the_timestamp() -> None:
    text = "[28:45] Dana: I'll send the proposal Monday.\n[28:50] Sam: Anyway, about the budget.\n"
    analysis = analyze(load_text(text, kind=T, at=THURSDAY, tz=LA, rep="Dana"))
    from bot.engine.coaching import conversation_line

    lines = [conversation_line(f) for f in analysis.findings]
    assert any(line.startswith("[28:45] You stated the next step") for line in lines), lines


def test_ambiguous_next_weekday_is_reported() -> None:
    monday = la(2026, 11, 16, 10, 0)
    analysis = run("Dana: Let's meet next Tuesday at 2pm.\nSam: Sounds good.\n", T, at=monday)
    step = analysis.steps[0]
    assert step.due == la(2026, 11, 24, 14, 0)
    assert "ambiguous_time" in {f.code for f in step.findings}
