"""`nextstep eval` scores every labelled outcome (secured, clear_no, open) and counts the
conversations it called a clear no against their label: a soft no must stay open."""

from __future__ import annotations

from pathlib import Path

from bot.evaluate import evaluate_files
from tests.cli.test_analyze_cli import nextstep
from tests.test_evaluate import AGREED, MEETING, record, unsecured, write

CLOSED = "Dana: Can we meet Tuesday at 2pm?\nSam: We've decided to go with another vendor.\n"
SOFT = "Dana: Can we meet Tuesday at 2pm?\nSam: Not right now, maybe next quarter.\n"


def test_each_labelled_outcome_is_scored(tmp_path: Path) -> None:
    records = [
        record("yes", AGREED, tier="gold", steps=[MEETING], expected={"outcome": "secured"}),
        record("no", CLOSED, tier="none", steps=[unsecured(MEETING)],
               expected={"outcome": "clear_no"}),
        record("soft", SOFT, tier="none", steps=[unsecured(MEETING)],
               expected={"outcome": "open"}),
        # labelled open against the guide: the engine's clear no is counted as wrong
        record("mislabelled", CLOSED, tier="none", steps=[unsecured(MEETING)],
               expected={"outcome": "open"}),
    ]  # fmt: skip
    report = evaluate_files([write(tmp_path / "blind" / "part.jsonl", *records)])
    assert [c.outcome_checked for c in report.cases] == [True, True, True, True]
    assert [c.outcome_ok for c in report.cases] == [True, True, True, False]
    assert report.outcome_accuracy == 0.75
    assert report.clear_no_wrongly == 1
    assert "outcome: expected open, got clear_no" in report.cases[3].problems


def test_eval_prints_the_outcome_measures(tmp_path: Path) -> None:
    soft = record("soft", SOFT, tier="none", steps=[unsecured(MEETING)],
                  expected={"outcome": "open"})  # fmt: skip
    path = write(tmp_path / "blind" / "part.jsonl", soft)
    result = nextstep("eval", str(path))
    assert result.returncode == 0, result.stderr
    assert "outcome: 100.0% of 1, clear no on another outcome: 0 (target 0)" in result.stdout
