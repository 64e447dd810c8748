"""The general judgment rules through `nextstep analyze`, as a user runs it: every case
of ``judgment_rule_cases.py`` through ``analyze --batch`` (JSON), and each through
``analyze PATH`` (the text report's verdict line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli import test_analyze_judgment as judgment
from tests.cli.judgment_rule_cases import RULE_CASES
from tests.cli.test_analyze_cli import nextstep


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    return judgment.batch_results(RULE_CASES, tmp_path_factory.mktemp("rules"))


@pytest.mark.parametrize("case", RULE_CASES, ids=[c["id"] for c in RULE_CASES])
def test_rule_as_json(case: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    judgment.test_judgment_class(case, results)


def test_the_other_sides_half_of_a_trigger_is_no_step_of_its_own(
    results: dict[str, dict[str, Any]],
) -> None:
    steps = results["r4-trigger-answered-by-their-half"]["steps"]
    assert len(steps) == 1, [s["evidence"]["quote"] for s in steps]


def test_a_compound_question_keeps_the_stall_as_its_own_vague_step(
    results: dict[str, dict[str, Any]],
) -> None:
    steps = results["r3-split-verb-and-stall"]["steps"]
    assert len(steps) == 2, [s["action"] for s in steps]
    stall = next(s for s in steps if s["kind"] != "deliverable")
    assert stall["due"] is None and not stall["secured"]
    assert {f["code"] for f in stall["findings"]} & {"vague_action", "vague_time"}


@pytest.mark.parametrize("case", RULE_CASES, ids=[c["id"] for c in RULE_CASES])
def test_rule_as_text(case: dict[str, Any], tmp_path: Path) -> None:
    source = tmp_path / ("conversation.eml" if case["kind"] == "email" else "conversation.txt")
    source.write_text(case["text"], encoding="utf-8")
    args = ["analyze", str(source), "--tz", case["tz"], "--kind", case["kind"]]
    if case["at"]:
        args += ["--at", case["at"]]
    args += ["--rep", case["rep"]]
    result = nextstep(*args)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    expect = case["expect"]
    if expect["secured"]:
        assert first.startswith(f"SECURED  tier: {expect['tier']}"), first
    else:
        assert first.startswith("NOT SECURED"), first
    assert "Traceback" not in result.stdout + result.stderr
