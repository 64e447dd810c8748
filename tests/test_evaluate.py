"""`nextstep eval` scores the own and the blind corpus parts apart, with the
independent-set measures: small records in, each measure made to pass and to fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.evaluate import BLIND_PART, OWN_PART, default_corpus, evaluate_files, evaluate_record
from tests.cli.test_analyze_cli import nextstep

LA = "America/Los_Angeles"
AT = "2026-11-19T15:00:00-08:00"
AGREED = "Dana: Can we meet Tuesday at 2pm?\nSam: Sounds good.\n"
HEDGED = "Dana: Can we meet Tuesday at 2pm?\nSam: Let me check my calendar and see.\n"
MEETING = {"quote": "Tuesday at 2pm", "kind": "meeting", "owner": "both",
           "due": "2026-11-24T14:00:00-08:00", "acknowledged": True, "secured": True}  # fmt: skip


def record(id: str, text: str, *, tier: str, steps: list[dict[str, Any]], **extra: Any) -> dict:
    expected = {"secured": tier != "none", "tier": tier, "steps": steps}
    expected.update(extra.pop("expected", {}))
    return {"id": id, "vertical": "sales", "kind": "transcript", "at": AT, "tz": LA,
            "rep": "Dana", "text": text, "expected": expected, **extra}  # fmt: skip


def unsecured(step: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**step, "acknowledged": False, "secured": False, **changes}


def write(path: Path, *records: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_an_unsecured_step_reported_counts_and_one_never_reported_does_not(tmp_path: Path) -> None:
    reported = record("hedged", HEDGED, tier="none", steps=[unsecured(MEETING)])
    chatter = "Dana: Can we meet Tuesday at 2pm?\nSam: Sounds good.\nDana: The weather is lovely.\n"
    missed = record("missed", chatter, tier="gold", steps=[
        MEETING, unsecured(MEETING, quote="The weather is lovely", due=None)])  # fmt: skip
    report = evaluate_files([write(tmp_path / "own.jsonl", reported, missed)])
    assert [c.unsecured_expected for c in report.cases] == [1, 1]
    assert [c.unsecured_reported for c in report.cases] == [1, 0]
    assert report.unsecured_reported == 0.5
    assert 'missed step: "The weather is lovely" (meeting)' in report.cases[1].problems


def test_a_step_the_engine_secures_against_the_label_is_counted(tmp_path: Path) -> None:
    right = record("right", AGREED, tier="gold", steps=[MEETING])
    mislabelled = record("wrong", AGREED, tier="none", steps=[unsecured(MEETING)])
    report = evaluate_files([write(tmp_path / "own.jsonl", right, mislabelled)])
    assert [c.wrongly_secured for c in report.cases] == [0, 1]
    assert report.wrongly_secured == 1
    assert 'wrongly secured: "Tuesday at 2pm" is expected unsecured' in report.cases[1].problems


def test_a_pasted_record_is_loaded_without_its_kind_and_a_refusal_is_counted() -> None:
    # A transcript labelled `email` is refused when the kind is passed to the loader;
    # marked as pasted, the loader's detection decides and it loads.
    as_email = {**record("as-email", AGREED, tier="gold", steps=[MEETING]), "kind": "email"}
    pasted = {**as_email, "id": "pasted", "paste": True}
    refused = evaluate_record(as_email, where="x.jsonl:1")
    loaded = evaluate_record(pasted, where="x.jsonl:2")
    assert refused.refused and refused.problems[0].startswith("x.jsonl:1: input refused:")
    assert refused.unsecured_expected == 0 and refused.matched == 0
    assert not loaded.refused and loaded.problems == [] and loaded.matched == 1


def test_an_expected_outcome_is_scored_and_a_missing_one_is_not(tmp_path: Path) -> None:
    ended = record("ended", AGREED, tier="gold", steps=[MEETING],
                   expected={"outcome": "clear_no"})  # fmt: skip
    plain = record("plain", AGREED, tier="gold", steps=[MEETING])
    report = evaluate_files([write(tmp_path / "own.jsonl", ended, plain)])
    assert [c.outcome_checked for c in report.cases] == [True, False]
    assert report.outcome_accuracy == 0.0
    assert any(p.startswith("outcome: expected clear_no, got ") for p in report.cases[0].problems)


def test_eval_reports_own_and_blind_parts_apart_as_json(tmp_path: Path) -> None:
    own = write(tmp_path / "own.jsonl", record("o1", AGREED, tier="gold", steps=[MEETING]))
    blind = write(
        tmp_path / "blind" / "part_x.jsonl",
        record("b1", HEDGED, tier="none", steps=[unsecured(MEETING)]),
        {**record("b2", AGREED, tier="gold", steps=[MEETING]), "kind": "email"},
    )
    result = nextstep("eval", str(own), str(blind), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["conversations"] == 3
    assert list(report["parts"]) == [OWN_PART, BLIND_PART]
    own_part, blind_part = report["parts"][OWN_PART], report["parts"][BLIND_PART]
    assert own_part["conversations"] == 1 and own_part["verdict_accuracy"] == 1.0
    assert own_part["inputs_refused"] == 0 and own_part["unsecured_steps_expected"] == 0
    assert blind_part["conversations"] == 2 and blind_part["inputs_refused"] == 1
    assert blind_part["unsecured_steps_expected"] == 1
    assert blind_part["unsecured_steps_reported"] == 1.0
    assert blind_part["steps_wrongly_secured"] == 0
    assert [e["id"] for e in blind_part["errors"]] == ["b2"]


def test_eval_prints_a_table_and_the_measures_for_each_part(tmp_path: Path) -> None:
    own = write(tmp_path / "own.jsonl", record("o1", AGREED, tier="gold", steps=[MEETING]))
    blind = write(tmp_path / "blind" / "part_x.jsonl",
                  record("b1", AGREED, tier="none", steps=[unsecured(MEETING)]))  # fmt: skip
    result = nextstep("eval", str(own), str(blind))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("own part") < out.index("blind part")
    assert out.count("nextstep eval: 1 conversations") == 2
    own_text, blind_text = out.split("blind part")
    assert "steps wrongly called secured: 0" in own_text
    assert "steps wrongly called secured: 1" in blind_text
    assert "unsecured steps reported at all: 100.0%" in blind_text
    assert "inputs refused: 0" in blind_text


def test_the_default_corpus_holds_both_parts() -> None:
    parts = {path.parent.name == "blind" for path in default_corpus()}
    assert parts == {True, False}


def test_eval_reports_each_corpus_file_apart(tmp_path: Path) -> None:
    own = write(tmp_path / "own.jsonl", record("o1", AGREED, tier="gold", steps=[MEETING]))
    right = write(tmp_path / "blind" / "part_x.jsonl",
                  record("b1", AGREED, tier="gold", steps=[MEETING]))  # fmt: skip
    wrong = write(tmp_path / "blind" / "part_y.jsonl",
                  record("b2", AGREED, tier="none", steps=[unsecured(MEETING)]))  # fmt: skip
    as_json = nextstep("eval", str(own), str(right), str(wrong), "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    files = json.loads(as_json.stdout)["files"]
    assert list(files) == ["own.jsonl", "blind/part_x.jsonl", "blind/part_y.jsonl"]
    assert files["blind/part_x.jsonl"]["verdict_accuracy"] == 1.0
    assert files["blind/part_y.jsonl"]["verdict_accuracy"] == 0.0
    assert files["blind/part_y.jsonl"]["steps_wrongly_secured"] == 1
    as_text = nextstep("eval", str(own), str(right), str(wrong))
    assert as_text.returncode == 0, as_text.stderr
    rows = {line.split()[1]: line for line in as_text.stdout.splitlines() if ".jsonl" in line}
    assert set(rows) == {"own.jsonl", "blind/part_x.jsonl", "blind/part_y.jsonl"}
    assert "100.0%" in rows["blind/part_x.jsonl"] and "0.0%" in rows["blind/part_y.jsonl"]
