"""The conversation's outcome: secured, clear_no or open (RUBRIC.md "A clear no is a clean
ending"), read from a short call whose last turns are the other side's answer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.engine import analyze
from bot.engine.model import Analysis, SourceKind
from bot.engine.outcome import DECLINE, FINAL, PHRASES, REVERSAL, SOFT, NoMeaning, Outcome
from bot.engine.patterns import CaseFree
from bot.loaders import load_text

AT = datetime(2026, 11, 18, 16, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
ASK = "Alex Kim: Could we book the pricing review Thursday at 2?"


def outcome_of(*answers: str) -> Outcome:
    text = "\n".join([ASK, *answers]) + "\n"
    document = load_text(
        text, kind=SourceKind.TRANSCRIPT, at=AT, tz="America/Los_Angeles", rep="Alex Kim"
    )
    return analyze(document).outcome


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # firm, final declines of the whole engagement by the other side
        (["Jo Park: We've decided to go with another vendor."], Outcome.CLEAR_NO),
        (["Jo Park: I've accepted an offer elsewhere, please withdraw me."], Outcome.CLEAR_NO),
        (["Jo Park: We won't be renewing. Please close the account."], Outcome.CLEAR_NO),
        (["Jo Park: We bought a house in Burbank last week, we're done looking."], Outcome.CLEAR_NO),
        (["Jo Park: We're not going ahead with it at all, please cancel the request."],
         Outcome.CLEAR_NO),
        # softened, then made final in the next sentence
        (["Jo Park: We're not extending the programme after this month.",
          "Jo Park: The decision is final."], Outcome.CLEAR_NO),
        # soft no's are stalls
        (["Jo Park: Not right now, maybe next quarter."], Outcome.OPEN),
        (["Jo Park: We'll pass for now, maybe in the spring."], Outcome.OPEN),
        (["Jo Park: Probably not this year, we'll think about it."], Outcome.OPEN),
        # a decline of one step is a scheduling answer
        (["Jo Park: Thursday doesn't work, I'm out all day."], Outcome.OPEN),
        (["Jo Park: No, we don't need the review, thanks."], Outcome.OPEN),
        # the rep's own no is not the other side's
        (["Jo Park: Can you do thirty percent off?",
          "Alex Kim: No, we're not going ahead with that discount, it's off the table."],
         Outcome.OPEN),
        # a no taken back later
        (["Jo Park: Honestly, we're going to pass.",
          "Alex Kim: We can cover the migration.",
          "Jo Park: Oh, that changes things. Let me think about it."], Outcome.OPEN),
        # a question is not an answer
        (["Jo Park: Are you worried we'll go with another vendor?"], Outcome.OPEN),
        (["Jo Park: Thursday at 2 works, see you then."], Outcome.SECURED),
    ],
)  # fmt: skip
def test_outcome(answers: list[str], expected: Outcome) -> None:
    assert outcome_of(*answers) == expected


def test_outcome_values_are_the_json_vocabulary() -> None:
    assert [str(o) for o in Outcome] == ["secured", "clear_no", "open"]


def test_every_meaning_has_distinct_phrases() -> None:
    assert set(PHRASES) == set(NoMeaning)
    for meaning, phrases in PHRASES.items():
        assert phrases, meaning
        assert len(set(phrases)) == len(phrases), f"{meaning} lists a phrase twice"


@pytest.mark.parametrize(
    ("sentence", "pattern"),
    [
        ("We signed with Northwind last week.", DECLINE),
        ("Please take us off the alerts.", DECLINE),
        ("It's final.", FINAL),
        ("Maybe next quarter.", SOFT),
        ("Forget what I said, we're still interested.", REVERSAL),
    ],
)
def test_patterns_are_built_from_the_table(sentence: str, pattern: CaseFree) -> None:
    assert pattern.search(sentence)


def analysis_of(*lines: str) -> Analysis:
    text = "\n".join(lines) + "\n"
    document = load_text(text, kind=SourceKind.TRANSCRIPT, at=AT, tz="America/Los_Angeles")
    return analyze(document)


def test_a_clear_no_gets_one_line_that_closes_the_loop() -> None:
    result = analysis_of(ASK, "Jo Park: We've decided to go with another vendor.")
    assert [f.code for f in result.findings] == ["clear_no"]
    line = result.findings[0]
    assert "We've decided to go with another vendor." in line.message
    assert line.suggestion is not None and "log the reason" in line.suggestion
    assert "What would have to change" in line.suggestion
    assert all(not step.findings for step in result.steps)


def test_a_tentative_yes_gets_a_follow_up_with_a_purpose() -> None:
    result = analysis_of(
        "Alex Kim: Does the twelve-week programme sound right for you?",
        "Jo Park: I think so. Probably yes, I just want to run the cost past my partner.",
    )
    assert result.outcome == Outcome.OPEN
    first = result.findings[0]
    assert first.code == "tentative_yes"
    assert "Probably yes" in first.message
    # said on Wednesday 18 November: two business days later is Friday
    assert first.suggestion == (
        "Try: \"Bring your doubts to a 15-minute call on Friday at 10 and we'll go through "
        'them together."'
    )


def test_a_secured_yes_is_not_coached_as_tentative() -> None:
    result = analysis_of(ASK, "Jo Park: I think so, Thursday at 2 works, see you then.")
    assert result.outcome == Outcome.SECURED
    assert "tentative_yes" not in [f.code for f in result.findings]
