"""The judgment classes through `nextstep analyze`, as a user runs it (a real process).

The table is in ``judgment_cases.py``; every case runs once through ``analyze --batch``
(JSON, one process for all) and a sample of them through ``analyze PATH`` (the text report).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli.judgment_cases import CASES
from tests.cli.test_analyze_cli import nextstep


def batch_results(cases: list[dict[str, Any]], folder: Path) -> dict[str, dict[str, Any]]:
    """Every case through one ``nextstep analyze --batch`` process: its JSON by case id."""
    batch = folder / "cases.jsonl"
    with batch.open("w", encoding="utf-8") as out:
        for case in cases:
            record = {k: case[k] for k in ("id", "kind", "rep", "at", "tz", "text")}
            out.write(json.dumps({k: v for k, v in record.items() if v is not None}) + "\n")
    result = nextstep("analyze", "--batch", str(batch))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(cases)
    return {line["id"]: line for line in lines}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    return batch_results(CASES, tmp_path_factory.mktemp("judgment"))


def _step(report: dict[str, Any], quote: str | None) -> dict[str, Any]:
    steps = report["steps"]
    if quote is None:
        assert len(steps) >= 1, report["reason"]
        return steps[0]
    found = [s for s in steps if quote.lower() in " ".join(s["evidence"]["quote"].split()).lower()]
    assert found, (quote, [s["evidence"]["quote"] for s in steps])
    # Two steps read from one sentence share its words: the quote names the one whose
    # action it repeats ("we can catch up sometime next week" after "I'll get the quote").
    words = set(quote.lower().split())
    return max(found, key=lambda s: len(words & set(s["action"].lower().split())))


def _messages(report: dict[str, Any]) -> list[str]:
    return [f["message"] for s in report["steps"] for f in s["findings"]]


def _suggestions(report: dict[str, Any]) -> list[str]:
    found = [f["suggestion"] or "" for s in report["steps"] for f in s["findings"]]
    return found + [f["suggestion"] or "" for f in report["findings"]]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_judgment_class(case: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    report = results[case["id"]]
    assert "error" not in report, report.get("error")
    expect = case["expect"]
    if "secured" in expect:
        assert report["next_steps_secured"] is expect["secured"], report["reason"]
    if "tier" in expect:
        assert report["tier"] == expect["tier"], report["reason"]
    if "outcome" in expect:
        assert report["outcome"] == expect["outcome"], report["reason"]
    for wanted in expect.get("steps", []):
        step = _step(report, wanted.get("quote"))
        for field in ("secured", "acknowledged", "due", "kind"):
            if field in wanted:
                assert step[field] == wanted[field], (field, step)
        codes = {f["code"] for f in step["findings"]}
        if "codes_any" in wanted:
            assert codes & set(wanted["codes_any"]), (codes, step["evidence"]["quote"])
        messages = " ".join(f["message"] for f in step["findings"])
        if "quoting" in wanted:
            assert wanted["quoting"] in messages, messages
        if "not_quoting" in wanted:
            assert wanted["not_quoting"] not in messages, messages
    if "no_due_between" in expect:
        low, high = expect["no_due_between"]
        dues = [s["due"][:10] for s in report["steps"] if s["due"]]
        assert not [d for d in dues if low <= d <= high], dues
    suggestions = _suggestions(report)
    for day in expect.get("try_not_proposing", []):
        proposing = re.compile(rf"\b(?:book|on|for|lock in)\s+(?:20 minutes on\s+)?{day}\b")
        assert not [s for s in suggestions if proposing.search(s)], suggestions
    for words in expect.get("try_not_containing", []):
        assert not [s for s in suggestions if words in s], suggestions
    if expect.get("no_doubled_words"):
        lines = suggestions + _messages(report)
        assert lines
        doubled = [s for s in lines if re.search(r"\b(\w+ \w+)\b.{0,6}\b\1\b", s)]
        assert not doubled, doubled
    if "max_conversation_findings" in expect:
        assert 1 <= len(report["findings"]) <= expect["max_conversation_findings"], [
            f["message"] for f in report["findings"]
        ]
    conversation_codes = {f["code"] for f in report["findings"]}
    if "no_conversation_codes" in expect:
        assert not conversation_codes & set(expect["no_conversation_codes"]), conversation_codes
        unsecured_codes = {f["code"] for s in report["steps"] for f in s["findings"]}
        assert not unsecured_codes & set(expect["no_conversation_codes"]), unsecured_codes
    if "conversation_codes_any" in expect:
        assert conversation_codes & set(expect["conversation_codes_any"]), conversation_codes


# One case per class through the text report a person reads.
TEXT_CASES = [
    "c2-stall-chew-on-pricing",
    "c3-send-and-regroup",
    "c4-send-times-by-eod-thursday",
    "c5-time-withdrawn",
    "c6-exec-sponsor-review",
    "c7-thursday-better",
    "c9-hedge-quoted",
    "no-clear-other-vendor",
]


@pytest.mark.parametrize("case_id", TEXT_CASES)
def test_judgment_class_text_report(
    case_id: str, tmp_path: Path, results: dict[str, dict[str, Any]]
) -> None:
    case = next(c for c in CASES if c["id"] == case_id)
    source = tmp_path / ("conversation.eml" if case["kind"] == "email" else "conversation.txt")
    source.write_text(case["text"], encoding="utf-8")
    args = ["analyze", str(source), "--tz", case["tz"], "--kind", case["kind"]]
    if case["at"]:
        args += ["--at", case["at"]]
    if case["rep"]:
        args += ["--rep", case["rep"]]
    result = nextstep(*args)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    expect = case["expect"]
    if expect["secured"]:
        assert first.startswith(f"SECURED  tier: {expect['tier']}"), first
    else:
        assert first.startswith("NOT SECURED"), first
    # Outside the steps table, the report says what the JSON says: the reason and each
    # coaching line, quoting the same words.
    prose = " ".join(
        " ".join(line for line in result.stdout.splitlines() if "│" not in line).split()
    )
    report = results[case_id]
    assert " ".join(report["reason"].split()) in prose, (report["reason"], prose)
    if expect.get("outcome") == "clear_no":
        assert report["reason"].startswith("Clear no"), report["reason"]
    for finding in report["findings"]:
        assert " ".join(finding["message"].split()) in prose, (finding["message"], prose)
    for wanted in expect.get("steps", []):
        if wanted.get("quoting"):
            assert wanted["quoting"] in prose, prose


@pytest.mark.parametrize(
    ("answer", "outcome", "nudged"),
    [
        ("We've decided to go with another vendor, please close this out.", "clear_no", False),
        ("This isn't a fit for us this year, so we'll pass.", "clear_no", False),
        ("Not right now, maybe next quarter.", "open", True),
        ("Thursday at 2 works, see you then.", "secured", False),
    ],
    ids=["other-vendor", "not-a-fit", "soft-no", "yes"],
)
def test_outcome_in_json(answer: str, outcome: str, nudged: bool) -> None:
    notes = f"Alex Kim: Could we book the security review Thursday at 2?\nJordan Blake: {answer}\n"
    result = nextstep(
        "analyze", "-", "--kind", "transcript", "--rep", "Alex Kim", "--tz", "America/Los_Angeles",
        "--at", "2026-11-18T16:00", "--format", "json", stdin=notes.encode(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["outcome"] == outcome, report["reason"]
    assert report["next_steps_secured"] is (outcome == "secured")
    assert (report["tier"] == "none") is (outcome != "secured")
    codes = [f["code"] for f in report["findings"]]
    if outcome == "clear_no":  # one line that closes the loop, nothing about the steps
        assert codes == ["clear_no"], codes
        assert "What would have to change" in report["findings"][0]["suggestion"]
        assert all(not s["findings"] for s in report["steps"])
    else:
        assert bool(codes) is nudged, codes
    if outcome == "clear_no":
        assert report["clear_no"]["quote"] == answer
        assert report["clear_no"]["speaker"] == "Jordan Blake"
    else:
        assert report["clear_no"] is None
