"""Which time a step takes, coaching lines that read as said, and words that are no step,
through `nextstep analyze` as a user runs it: every case of ``judgment_due_cases.py``
through one ``analyze --batch`` (JSON), and the steps each reports."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli import test_analyze_judgment as judgment
from tests.cli.judgment_due_cases import COACHING_CASES, DUE_CASES, NOT_A_STEP_CASES


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    cases = DUE_CASES + COACHING_CASES + NOT_A_STEP_CASES
    return judgment.batch_results(cases, tmp_path_factory.mktemp("due"))


@pytest.mark.parametrize("case", DUE_CASES, ids=[c["id"] for c in DUE_CASES])
def test_due_rule_as_json(case: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    judgment.test_judgment_class(case, results)


def test_their_own_appointments_leave_one_step(results: dict[str, dict[str, Any]]) -> None:
    steps = results["d-their-own-appointments-are-no-steps"]["steps"]
    assert len(steps) == 1, [s["evidence"]["quote"] for s in steps]
    assert steps[0]["kind"] == "meeting"


@pytest.mark.parametrize("case", COACHING_CASES, ids=[c["id"] for c in COACHING_CASES])
def test_coaching_reads_as_said(case: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    judgment.test_judgment_class(case, results)
    report = results[case["id"]]
    if "action_starts" in case:
        actions = [s["action"] for s in report["steps"]]
        assert any(a.startswith(case["action_starts"]) for a in actions), actions
    if "try_containing" in case:
        lines = [f["suggestion"] or "" for s in report["steps"] for f in s["findings"]]
        assert any(case["try_containing"] in line for line in lines), lines


@pytest.mark.parametrize("case", NOT_A_STEP_CASES, ids=[c["id"] for c in NOT_A_STEP_CASES])
def test_words_that_are_no_step(case: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    judgment.test_judgment_class(case, results)
    steps = results[case["id"]]["steps"]
    assert len(steps) == case["steps_exactly"], [s["evidence"]["quote"] for s in steps]
