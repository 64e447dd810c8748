"""Time phrases are rule records (name, pattern, reader) in one table, and the fast
pre-filter is derived from that table: adding a rule, or a word to a rule, is one edit."""

from __future__ import annotations

from datetime import datetime, timedelta
from re import Match
from zoneinfo import ZoneInfo

import pytest

from bot.engine import timecalendar as tc
from bot.engine.model import Grain, TimeExpression
from bot.engine.timebuild import expr, midnight
from bot.engine.timefilter import DIGIT, cues, prefilter
from bot.engine.timex import PRECHECK, RULES, Rule, find_times

LA = "America/Los_Angeles"
THU = datetime(2026, 11, 19, 15, 0, tzinfo=ZoneInfo(LA))


def read_payroll(m: Match[str], scene: tc.Scene) -> TimeExpression:
    """The 15th of the month, or the next month's once it has passed (a made-up rule)."""
    day = scene.today.replace(day=15)
    if day <= scene.today:
        day = (day + timedelta(days=31)).replace(day=15)
    return expr(m, scene, midnight(day, scene), grain=Grain.DAY, specific=True)


PAYROLL = Rule("payroll", r"\bon\s+payroll\b", read_payroll)


def test_a_rule_added_to_the_table_is_found_with_no_second_edit() -> None:
    text = "Let's regroup on payroll."
    assert find_times(text, now=THU, tz=LA) == []
    assert not PRECHECK.search(text.lower())
    found = find_times(text, now=THU, tz=LA, rules=(*RULES, PAYROLL))
    assert [(t.text, t.value.date().isoformat() if t.value else None) for t in found] == [
        ("on payroll", "2026-12-15")
    ]


def test_a_word_added_to_a_rule_pattern_reaches_the_prefilter() -> None:
    widened = tuple(
        Rule(r.name, r.pattern.replace("eventually", "eventually|anon"), r.read)
        if r.name == "vague" else r
        for r in RULES
    )  # fmt: skip
    assert not PRECHECK.search("we'll talk anon")
    found = find_times("We'll talk anon.", now=THU, tz=LA, rules=widened)
    assert [(t.text, t.specific) for t in found] == [("anon", False)]


@pytest.mark.parametrize(
    "phrase",
    ["eventually", "shortly", "down the road", "asap", "after Thanksgiving", "five-thirty",
     "quarter to ten", "EOW", "end of tomorrow", "3 Fridays from now", "tonight", "tmrw"],
)  # fmt: skip
def test_the_derived_prefilter_lets_every_rule_phrase_through(phrase: str) -> None:
    assert PRECHECK.search(phrase.lower())
    assert find_times(phrase, now=THU, tz=LA)


def test_every_rule_has_cues_and_the_prefilter_holds_them_all() -> None:
    assert len(RULES) >= 10
    for rule in RULES:
        found = cues(rule.pattern)
        assert found, rule.name
    assert PRECHECK.pattern == prefilter(r.pattern for r in RULES).pattern
    assert cues(r"\d+\s*days?") == frozenset([DIGIT])


@pytest.mark.parametrize(
    "sentence",
    ["So the main thing we want to understand is how your team hands work over.",
     "Could you walk me through how approvals work on your side of the house?",
     "Who else should be part of the evaluation besides you and the operations lead?"],
)  # fmt: skip
def test_most_sentences_without_a_time_stop_at_the_prefilter(sentence: str) -> None:
    assert find_times(sentence, now=THU, tz=LA) == []


def test_the_derived_guards_never_reject_a_match() -> None:
    """Each rule runs behind a look-ahead read off its own pattern; on every phrase of
    the Duckling table it finds exactly what the bare pattern finds."""
    import json
    import re
    from pathlib import Path

    from bot.engine.timefilter import guard

    table = Path(__file__).resolve().parents[1] / "data" / "duckling" / "en_time.jsonl"
    phrases = [json.loads(line)["text"].lower() for line in table.open(encoding="utf-8")]
    assert len(phrases) > 900
    guarded = [rule for rule in RULES if guard(rule.pattern)]
    assert len(guarded) >= len(RULES) - 1
    for rule in guarded:
        bare = re.compile(r"(?<!\w)(?=[\w@])(?:" + rule.pattern + ")")
        for phrase in phrases:
            assert [m.span() for m in rule.compiled.finditer(phrase)] == [
                m.span() for m in bare.finditer(phrase)
            ], (rule.name, phrase)
