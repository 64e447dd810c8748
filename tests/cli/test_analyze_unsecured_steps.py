"""Unsecured steps that must still be reported, through `nextstep analyze` as a user runs
it: every case of ``judgment_unsecured_cases.py`` through ``analyze --batch`` (JSON), and
each through ``analyze PATH`` (the text report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli import test_analyze_judgment as judgment
from tests.cli.judgment_unsecured_cases import UNSECURED_CASES
from tests.cli.test_analyze_cli import nextstep


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    return judgment.batch_results(UNSECURED_CASES, tmp_path_factory.mktemp("unsecured"))


@pytest.mark.parametrize("case", UNSECURED_CASES, ids=[c["id"] for c in UNSECURED_CASES])
def test_unsecured_step_as_json(case: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    assert len(results[case["id"]]["steps"]) >= len(case["expect"]["steps"])
    judgment.test_judgment_class(case, results)


def test_a_vague_week_after_a_document_stays_its_own_unscheduled_meeting(
    results: dict[str, dict[str, Any]],
) -> None:
    steps = results["u3-document-named-after-a-call-and-a-vague-week"]["steps"]
    assert sorted(s["kind"] for s in steps) == ["deliverable", "meeting"], steps
    meeting = next(s for s in steps if s["kind"] == "meeting")
    assert meeting["due"] is None and not meeting["secured"]
    assert {f["code"] for f in meeting["findings"]} & {"vague_time", "no_time"}


@pytest.mark.parametrize("case", UNSECURED_CASES, ids=[c["id"] for c in UNSECURED_CASES])
def test_unsecured_step_as_text(case: dict[str, Any], tmp_path: Path) -> None:
    source = tmp_path / "conversation.txt"
    source.write_text(case["text"], encoding="utf-8")
    result = nextstep(
        "analyze", str(source), "--tz", case["tz"], "--kind", case["kind"],
        "--at", case["at"], "--rep", case["rep"],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    expect = case["expect"]
    if expect["secured"]:
        assert out.splitlines()[0].startswith(f"SECURED  tier: {expect['tier']}"), out
    else:
        assert out.splitlines()[0].startswith("NOT SECURED"), out
    rows = [line for line in out.splitlines() if line.startswith(("│✘", "│✔"))]
    assert len(rows) >= len(expect["steps"]), out
    assert "Traceback" not in out + result.stderr
