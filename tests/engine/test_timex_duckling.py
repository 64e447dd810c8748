"""Duckling's English time corpus, future-scheduling subset, through the time layer.

The table is tests/data/duckling/en_time.jsonl, made by benchmarks/duckling/convert.py
from facebook/duckling's Duckling/Time/EN/Corpus.hs (BSD licence, notice beside the
table). Each case is pinned to Duckling's reference time (Tuesday 12 February 2013,
04:30 at UTC-02:00). A case agrees when the longest phrase found resolves to Duckling's
value at Duckling's grain, or to the rubric's value where the table lists a deliberate
difference with its reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine.model import Grain
from bot.engine.timex import find_times

TABLE = Path(__file__).resolve().parents[1] / "data" / "duckling" / "en_time.jsonl"
FLOOR = 0.90  # just under the measured share (see README, Measurements); fails on regression
Resolver = Callable[[str, datetime, str], datetime | date | None]


def load_cases() -> list[dict[str, Any]]:
    with TABLE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def subset() -> list[dict[str, Any]]:
    return [case for case in load_cases() if case["subset"]]


def _key(value: datetime | date, grain: str) -> tuple[int, ...]:
    if not isinstance(value, datetime):
        return (value.year, value.month, value.day)[: {"month": 2, "quarter": 2}.get(grain, 3)]
    parts = value.timetuple()[:5]
    size = {"second": 5, "minute": 5, "hour": 4, "month": 2, "quarter": 2}.get(grain, 3)
    return tuple(parts[:size])


def expected(case: dict[str, Any]) -> tuple[datetime, str]:
    """Duckling's point: the start of a value or interval; the end of a "by" interval
    (from the reference time to a deadline); the bound of a "before" interval."""
    rubric = case["rubric"]
    if rubric:
        point = datetime.fromisoformat(rubric["value"])
        return point, rubric["grain"]
    value = datetime.fromisoformat(case["value"])
    reference = datetime.fromisoformat(case["reference_time"])
    if case["kind"] == "interval" and value == reference and case["end"]:
        end = datetime.fromisoformat(case["end"])
        return end, "minute" if (end.hour, end.minute) != (0, 0) else "day"
    return value, case["grain"]


def agrees(case: dict[str, Any], resolver: Resolver) -> bool:
    reference = datetime.fromisoformat(case["reference_time"])
    found = resolver(case["text"], reference, case["tz"])
    if case["rubric"] and case["rubric"]["value"] is None:
        return found is None  # the rubric gives no specific time here
    if found is None:
        return False
    point, grain = expected(case)
    if isinstance(found, datetime):
        if found.tzinfo is None:
            found = found.replace(tzinfo=ZoneInfo(case["tz"]))
        found = found.astimezone(reference.tzinfo)
        if point.tzinfo is None:
            point = point.replace(tzinfo=reference.tzinfo)
        if grain in ("day", "week") and isinstance(found, datetime):
            return found.date() == point.date()
    return _key(found, grain) == _key(point, grain)


def nextstep(text: str, reference: datetime, tz: str) -> datetime | None:
    """The value of the longest time phrase the time layer finds in ``text``."""
    found = find_times(text, now=reference, tz=tz)
    if not found:
        return None
    longest = max(found, key=lambda t: t.end - t.start)
    if not longest.specific and longest.grain in (Grain.MINUTE, Grain.DAY, Grain.UNKNOWN):
        return None  # "in a few minutes", "soon": no time to compare
    return longest.value


def score(resolver: Resolver) -> tuple[int, int, list[str]]:
    cases = subset()
    misses = [c["text"] for c in cases if not agrees(c, resolver)]
    return len(cases) - len(misses), len(cases), misses


def test_the_table_holds_the_subset_and_the_reasons_for_the_rest() -> None:
    cases = load_cases()
    assert len(cases) > 900
    chosen = [c for c in cases if c["subset"]]
    assert 150 < len(chosen) < len(cases)
    assert all(c["excluded"] is None for c in chosen)
    assert all(c["excluded"] for c in cases if not c["subset"])
    assert {c["reference_time"] for c in chosen} >= {"2013-02-12T04:30:00-02:00"}


def test_the_rubric_differences_are_listed_with_their_reason() -> None:
    differing = [c for c in subset() if c["rubric"]]
    assert len(differing) >= 10
    assert all(c["rubric"]["why"] for c in differing)
    eod = next(c for c in differing if c["text"] == "by EOD")
    assert eod["rubric"]["value"] == "2013-02-12T17:00"


def test_the_future_scheduling_subset_scores_at_least_the_floor() -> None:
    agreed, total, misses = score(nextstep)
    assert total > 150
    assert agreed / total >= FLOOR, f"{agreed}/{total}; misses: {misses}"


# "4a" reads as 4am, as "3p" reads as 3pm: a deliberate shorthand in notes.
KNOWN_NEGATIVES = {"4a", "4a."}


def test_the_negative_corpus_finds_no_time() -> None:
    negative = [c for c in load_cases() if c["section"] == "negative"]
    assert len(negative) > 20
    found = {}
    for case in negative:
        reference = datetime.fromisoformat(case["reference_time"])
        times = [t.text for t in find_times(case["text"], now=reference, tz=case["tz"])]
        if times:
            found[case["text"]] = times
    assert set(found) <= KNOWN_NEGATIVES, found
