"""The read side through the command line, on SQLite and PostgreSQL: `conversations
list`, `show`, `steps list|done|drop`, `inputs list`, each in text and JSON; and what
`ingest` prints about each input it stores."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from bot.cli import db as db_cli
from bot.cli import ingest as ingest_cli
from bot.cli import read as read_cli
from bot.cli.context import CliState
from bot.config import Settings

DATA = Path(__file__).parent.parent / "data" / "ingest"
# A week after the Harbor Freight recap: its quote (due Fri 20 Nov) is overdue, the QBR
# (Thu 3 Dec) is not.
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
JORDAN = "jordan.blake@northwind-analytics.com"
runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    for module in (db_cli, ingest_cli, read_cli):
        module.register(app)
    return app


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("TZ", "America/New_York")
    monkeypatch.setenv("COLUMNS", "200")
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        database_url=database_url,
        bot_address="nextstep@northwind-analytics.com",
    )


def run(app: typer.Typer, settings: Settings, *args: str) -> Result:
    """One `nextstep` process: its Settings passed down as main() does, the clock pinned."""
    state = CliState(load=lambda: settings, clock=lambda: NOW)
    try:
        return runner.invoke(app, list(args), obj=state)
    finally:
        state.close()


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def stored(app: typer.Typer, settings: Settings, tmp_path: Path) -> Result:
    """A recap and the customer's reply (one conversation), a call and notes."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("recap_sent.eml", "recap_reply_accepts.eml", "contoso-rollout.vtt"):
        shutil.copy(DATA / name, folder / name)
    shutil.copy(DATA / "globex-notes.md", folder / "globex-notes.md")
    assert run(app, settings, "reps", "add", JORDAN, "--tz", "America/New_York").exit_code == 0
    result = run(app, settings, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    return result


def test_ingest_prints_the_id_of_every_input_and_its_conversation(stored: Result) -> None:
    lines = [line for line in stored.stdout.splitlines() if line.startswith("#")]

    assert len(lines) == 4
    assert lines[0].startswith("#1 ingested") and "recap_sent.eml → conversation #1" in lines[0]
    assert lines[1].startswith("#2 updated") and "→ conversation #1 (secured, gold)" in lines[1]
    assert {line.split()[0] for line in lines} == {"#1", "#2", "#3", "#4"}


@pytest.mark.usefixtures("stored")
def test_conversations_list_shows_each_with_its_verdict(
    app: typer.Typer, settings: Settings
) -> None:
    listed = as_json(run(app, settings, "conversations", "list", "--format", "json"))

    assert len(listed) == 3
    harbor = next(c for c in listed if c["subject"] and "Harbor Freight" in c["subject"])
    assert (harbor["next_steps_secured"], harbor["tier"], harbor["steps"]) == (True, "gold", 2)
    assert (harbor["rep"], harbor["rep_guessed"], harbor["kind"]) == (
        "Jordan Blake",
        False,
        "email",
    )
    text = run(app, settings, "conversations", "list")
    assert text.exit_code == 0
    assert "RE: Recap - Northwind x Harbor Freight pilot" in text.stdout
    assert "secured gold" in text.stdout


@pytest.mark.usefixtures("stored")
def test_conversations_list_filters_by_rep_since_and_unsecured(
    app: typer.Typer, settings: Settings
) -> None:
    def ids(*args: str) -> list[int]:
        found = as_json(run(app, settings, "conversations", "list", "--format", "json", *args))
        return [c["id"] for c in found]

    assert ids("--rep", JORDAN) == [1]
    assert ids("--since", "2026-11-19") == ids()
    assert ids("--since", "2099-01-01") == []
    assert 1 not in ids("--unsecured")
    unknown = run(app, settings, "conversations", "list", "--rep", "nobody@example.com")
    assert unknown.exit_code != 0
    assert "No rep has the address or id 'nobody@example.com'" in unknown.exception.message  # type: ignore[union-attr]
    bad = run(app, settings, "conversations", "list", "--since", "last week")
    assert "--since 'last week' is not an ISO 8601 time" in bad.exception.message  # type: ignore[union-attr]


@pytest.mark.usefixtures("stored")
def test_show_renders_the_stored_analysis_as_analyze_does(
    app: typer.Typer, settings: Settings
) -> None:
    shown = as_json(run(app, settings, "show", "1", "--format", "json"))

    assert (shown["schema"], shown["id"], shown["input_id"]) == (1, 1, 2)
    assert (shown["next_steps_secured"], shown["tier"]) == (True, "gold")
    assert shown["conversation"]["rep"] == "Jordan Blake"
    assert len(shown["steps"]) == 2
    assert [s["status"] for s in shown["steps"]] == ["open", "open"]
    assert all(isinstance(s["id"], int) for s in shown["steps"])
    text = run(app, settings, "show", "1")
    assert text.exit_code == 0
    assert text.stdout.startswith("SECURED  tier: gold")
    assert "qbr to review the pilot numbers" in text.stdout
    assert "rep: Jordan Blake" in text.stdout
    missing = run(app, settings, "show", "99")
    assert "No conversation has id 99" in missing.exception.message  # type: ignore[union-attr]


@pytest.mark.usefixtures("stored")
@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("open", {"send the renewal quote", "qbr to review the pilot numbers together"}),
        ("overdue", {"send the renewal quote"}),
        ("awaiting", {"bring her along"}),
        # "I'll bring her along" to the agreed Tuesday meeting is due that day: not vague
        ("vague", set()),
        ("unacknowledged", {"send the security questionnaire"}),
        ("done", set()),
    ],
)
def test_steps_list_each_view(
    app: typer.Typer, settings: Settings, view: str, expected: set[str]
) -> None:
    listed = as_json(run(app, settings, "steps", "list", "--status", view, "--format", "json"))

    actions = {s["action"] for s in listed}
    if view == "open":
        assert expected <= actions and len(listed) == 6
    else:
        assert actions == expected
    text = run(app, settings, "steps", "list", "--status", view)
    assert text.exit_code == 0
    for action in expected:
        assert action.split()[0] in text.stdout


@pytest.mark.usefixtures("stored")
def test_steps_done_and_drop_change_what_is_listed(app: typer.Typer, settings: Settings) -> None:
    open_steps = as_json(run(app, settings, "steps", "list", "--rep", JORDAN, "--format", "json"))
    assert len(open_steps) == 2
    quote = next(s for s in open_steps if s["action"] == "send the renewal quote")
    qbr = next(s for s in open_steps if s["action"] != "send the renewal quote")

    done = run(app, settings, "steps", "done", str(quote["id"]))
    dropped = as_json(run(app, settings, "steps", "drop", str(qbr["id"]), "--format", "json"))

    assert done.stdout.strip() == f"Step #{quote['id']} done: send the renewal quote."
    assert dropped["status"] == "dropped"
    assert as_json(run(app, settings, "steps", "list", "--rep", JORDAN, "--format", "json")) == []
    finished = as_json(run(app, settings, "steps", "list", "--status", "done", "--format", "json"))
    assert [s["id"] for s in finished] == [quote["id"]]
    missing = run(app, settings, "steps", "done", "999")
    assert "No next step has id 999" in missing.exception.message  # type: ignore[union-attr]


def test_inputs_list_shows_failures_with_their_reason(
    app: typer.Typer, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "broken.eml").write_bytes(b"%PDF-1.7\n%binary\n")
    shutil.copy(DATA / "recap_with_transcript.eml", folder)
    assert run(app, settings, "reps", "add", JORDAN, "--tz", "America/New_York").exit_code == 0
    assert run(app, settings, "ingest", str(folder)).exit_code == 4

    everything = as_json(run(app, settings, "inputs", "list", "--format", "json"))
    failed = as_json(run(app, settings, "inputs", "list", "--status", "failed", "--format", "json"))
    processed = as_json(
        run(app, settings, "inputs", "list", "--status", "processed", "--format", "json")
    )

    assert len(everything) == 4  # the PDF, the recap, its transcript, its invite
    assert [(i["filename"], i["status"]) for i in failed] == [("broken.eml", "failed")]
    assert "This is a PDF document, not an email." in failed[0]["error"]
    # The invite was read by the calendar check as it came in.
    invites = [i for i in processed if i["source"] == "ics"]
    assert len(invites) == 1 and invites[0]["parent_id"] is not None
    text = run(app, settings, "inputs", "list", "--status", "failed")
    assert "broken.eml" in text.stdout and "nextstep reprocess" in text.stdout
    empty = run(app, settings, "inputs", "list", "--status", "duplicate")
    assert empty.stdout.strip() == "No duplicate inputs."
