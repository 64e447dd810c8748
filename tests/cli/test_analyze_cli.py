"""`nextstep analyze`, `when` and `eval` as a user runs them: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
LA = "America/Los_Angeles"


def nextstep(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEXTSTEP_DEBUG": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_analyze_a_transcript_as_json() -> None:
    result = nextstep(
        "analyze", str(EXAMPLES / "discovery-call.vtt"), "--rep", "Dana Reyes", "--tz", LA,
        "--at", "2026-11-19T15:00", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == 1
    assert report["next_steps_secured"] is True
    assert report["tier"] == "gold"
    review = next(s for s in report["steps"] if s["kind"] == "meeting" and s["due"])
    # "Tuesday at 2?" ... "Actually, can we do Wednesday at 10 instead?" ... "Wednesday at 10 works."
    assert review["due"] == "2026-11-25T10:00:00-08:00"
    assert review["acknowledged"] is True
    assert any("Tuesday at 2" in e["quote"] for e in review["superseded"])
    assert review["evidence"]["timestamp"] == "00:28:06.000"


def test_analyze_a_forwarded_email_takes_its_date_and_the_reply() -> None:
    result = nextstep(
        "analyze", str(EXAMPLES / "recap-reply.eml"), "--tz", "America/New_York", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["conversation"]["kind"] == "email"
    assert report["conversation"]["reference_time"].startswith("2026-11-20T09:14")
    qbr = next(s for s in report["steps"] if "qbr" in s["action"].lower())
    assert qbr["due"] == "2026-11-26T11:00:00-05:00"  # "Thursday at 11am" written on Thu 19 Nov
    assert qbr["acknowledged"] is True and qbr["ack_source"] == "reply"
    assert report["next_steps_secured"] is True


def test_analyze_text_report_quotes_its_evidence() -> None:
    result = nextstep(
        "analyze", str(EXAMPLES / "open-house-notes.md"), "--tz", LA, "--at", "2026-11-19T15:00"
    )
    assert result.returncode == 0, result.stderr
    assert "NOT SECURED" in result.stdout
    assert "Let's reconnect next week." in result.stdout
    assert 'Try: "' in result.stdout


def test_analyze_reads_standard_input() -> None:
    notes = b"Demo Tue 2pm w/ Sarah (confirmed)\n"
    result = nextstep(
        "analyze", "-", "--tz", LA, "--at", "2026-11-19T15:00", "--format", "json", stdin=notes
    )
    assert result.returncode == 0, result.stderr
    step = json.loads(result.stdout)["steps"][0]
    assert step["due"] == "2026-11-24T14:00:00-08:00" and step["acknowledged"] is True


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (["analyze", "-", "--tz", LA, "--at", "2026-11-19T15:00"], b"", 3, "no text"),
        (
            ["analyze", "-", "--tz", LA, "--at", "2026-11-19T15:00"],
            b"%PDF-1.7\x00\x01\x02",
            3,
            "PDF",
        ),
        (
            ["analyze", "-", "--tz", "Mars/Olympus", "--at", "2026-11-19T15:00"],
            b"hi",
            2,
            "time zone",
        ),
        (["analyze", "-", "--tz", LA, "--at", "next tuesday"], b"hi", 2, "ISO 8601"),
        (["analyze", "/no/such/file.txt", "--tz", LA], None, 2, "no such file"),
        (["analyze"], None, 2, "give a file"),
    ],
    ids=["empty", "binary", "bad-zone", "bad-at", "missing-file", "no-path"],
)
def test_bad_input_gets_a_message_and_an_exit_code(
    args: list[str], stdin: bytes | None, code: int, message: str
) -> None:
    result = nextstep(*args, stdin=stdin)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert message.lower() in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_batch_keeps_ids_and_survives_a_bad_line(tmp_path: Path) -> None:
    batch = tmp_path / "history.jsonl"
    batch.write_text(
        json.dumps({"id": "a1", "text": "Dana: Let's meet Tuesday at 2pm.\nSam: Works for me.\n",
                    "at": "2026-11-19T15:00:00-08:00", "tz": LA, "kind": "transcript", "rep": "Dana"})
        + "\nnot json\n"
        + json.dumps({"id": "a3", "text": "", "at": "2026-11-19T15:00:00-08:00", "tz": LA})
        + "\n"
        + json.dumps({"id": "a4", "text": "I'll send some info over.", "at": "2026-11-19T15:00:00-08:00", "tz": LA})
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = nextstep("analyze", "--batch", str(batch))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a1", 2, "a3", "a4"]
    assert lines[0]["tier"] == "gold"
    assert lines[1]["error"]["code"] == "invalid_json"
    assert lines[2]["error"]["code"] == "EmptyInputError"
    assert lines[3]["next_steps_secured"] is False
    assert {f["code"] for f in lines[3]["steps"][0]["findings"]} >= {"vague_action", "no_time"}


def test_when_resolves_business_time() -> None:
    # Thursday 19:30 Pacific is already Friday in UTC: "by Friday" is still this Friday.
    result = nextstep(
        "when", "by Friday", "--at", "2026-11-19T19:30:00-08:00", "--tz", LA, "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["times"]
    assert [(t["value"], t["deadline"]) for t in found] == [("2026-11-20T17:00:00-08:00", True)]


def test_when_batch(tmp_path: Path) -> None:
    batch = tmp_path / "phrases.jsonl"
    batch.write_text(
        json.dumps({"id": 1, "text": "EOD", "at": "2026-11-19T10:00:00-05:00", "tz": "America/New_York"})
        + "\n"
        + json.dumps({"id": 2, "text": "Jan 15", "at": "2026-11-19T10:00:00-05:00", "tz": "America/New_York"})
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = nextstep("when", "--batch", str(batch))
    assert result.returncode == 0, result.stderr
    values = [json.loads(line)["times"][0]["value"] for line in result.stdout.splitlines()]
    assert values == ["2026-11-19T17:00:00-05:00", "2027-01-15"]


def test_eval_scores_a_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "tiny.jsonl"
    record = {
        "id": "t1", "vertical": "sales", "kind": "transcript", "at": "2026-11-19T15:00:00-08:00",
        "tz": LA, "rep": "Dana", "text": "Dana: Can we meet Tuesday at 2pm?\nSam: Sounds good.\n",
        "expected": {"secured": True, "tier": "gold", "steps": [
            {"quote": "Tuesday at 2pm", "kind": "meeting", "owner": "both",
             "due": "2026-11-24T14:00:00-08:00", "acknowledged": True, "secured": True}]},
    }  # fmt: skip
    wrong = {**record, "id": "t2", "expected": {**record["expected"], "tier": "silver"}}
    corpus.write_text(json.dumps(record) + "\n" + json.dumps(wrong) + "\n", encoding="utf-8")
    result = nextstep("eval", str(corpus), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["conversations"] == 2
    assert report["verdict_accuracy"] == 1.0
    assert report["tier_accuracy"] == 0.5
    assert report["step_f1"] == 1.0 and report["due_exactness"] == 1.0
    assert report["errors"] == [{"id": "t2", "problems": ["tier: expected silver, got gold"]}]


def test_every_command_has_help_and_a_readme_row() -> None:
    from bot.cli import build_app

    app = build_app()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = []
    for command in app.registered_commands:
        names.append(command.name or command.callback.__name__)  # type: ignore[union-attr]
        assert (command.callback.__doc__ or command.help or "").strip(), command.name  # type: ignore[union-attr]
    for group in app.registered_groups:
        names.append(group.name or "")
    assert names
    for name in names:
        assert f"`nextstep {name}" in readme, f"README has no row for nextstep {name}"
