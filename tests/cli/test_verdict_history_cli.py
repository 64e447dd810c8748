"""A late acknowledgment (an accepted invite, `nextstep steps ack`) works the
conversation's verdict and tier out again, and `nextstep show` tells the history; on
SQLite and PostgreSQL, through the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import calendar as calendar_cli
from bot.cli import db as db_cli
from bot.cli import ingest as ingest_cli
from bot.cli import read as read_cli

ICS = Path(__file__).parent.parent / "data" / "ics"
runner = CliRunner()

# The rep proposes a time; the other side has not said yes in the text.
RECAP = b"""From: Dana Reyes <dana@northwind.example>
To: Priya Shah <priya@acme.example>
Subject: Proposal review
Date: Thu, 19 Nov 2026 15:30:00 -0800
Message-ID: <recap-proposed-7@northwind.example>
Content-Type: text/plain; charset=utf-8

Hi Priya,

Thanks for your time today. How about we review the proposal together with Miguel on
Wednesday at 10am?

Dana
"""


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    for module in (db_cli, ingest_cli, calendar_cli, read_cli):
        module.register(app)
    return app


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("NEXTSTEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEXTSTEP_BOT_ADDRESS", "nextstep@northwind.example")
    monkeypatch.delenv("NEXTSTEP_DEFAULT_TZ", raising=False)
    monkeypatch.delenv("NEXTSTEP_GOOGLE_CLIENT_SECRETS", raising=False)
    monkeypatch.delenv("NEXTSTEP_GOOGLE_CALENDAR_CREDENTIALS", raising=False)
    monkeypatch.setenv("COLUMNS", "240")
    recap = tmp_path / "recap.eml"
    recap.write_bytes(RECAP)
    return recap


def run(app: typer.Typer, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def shown(app: typer.Typer, conversation_id: int) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(run(app, "show", str(conversation_id), "--format", "json"))
    return found


def listed(app: typer.Typer) -> dict[str, Any]:
    [only] = json.loads(run(app, "conversations", "list", "--format", "json"))
    found: dict[str, Any] = only
    return found


def ingest_recap(app: typer.Typer, recap: Path) -> tuple[int, int]:
    """The recap stored, not secured: its conversation id and its meeting step's id."""
    run(app, "reps", "add", "dana@northwind.example", "--tz", "America/Los_Angeles")
    run(app, "ingest", str(recap))
    conversation = listed(app)
    assert (conversation["next_steps_secured"], conversation["tier"]) == (False, "none")
    [step] = json.loads(run(app, "steps", "list", "--format", "json"))
    assert step["kind"] == "meeting" and not step["acknowledged"]
    return conversation["id"], step["id"]


def test_a_manual_mark_secures_the_conversation_and_show_tells_when(
    app: typer.Typer, environment: Path
) -> None:
    conversation_id, step_id = ingest_recap(app, environment)
    before = shown(app, conversation_id)
    assert [f["code"] for f in before["findings"]] == ["not_acknowledged"]

    output = run(app, "steps", "ack", str(step_id), "--note", "Priya said yes on the phone")
    assert f"Conversation #{conversation_id}: secured, tier gold." in output

    assert (listed(app)["next_steps_secured"], listed(app)["tier"]) == (True, "gold")
    after = shown(app, conversation_id)
    assert (after["next_steps_secured"], after["tier"], after["outcome"]) == (
        True,
        "gold",
        "secured",
    )
    assert after["findings"] == []  # "the other side didn't confirm" no longer holds
    assert [s["acknowledged"] for s in after["steps"]] == [True]
    first, mark = after["history"]
    assert (first["cause"], first["secured_before"], first["secured_after"]) == (
        "analysis",
        None,
        False,
    )
    assert mark["cause"] == "manual" and mark["step_id"] == step_id
    assert (mark["secured_before"], mark["tier_before"]) == (False, "none")
    assert (mark["secured_after"], mark["tier_after"]) == (True, "gold")
    assert (mark["evidence"], mark["who"]) == ("Priya said yes on the phone", "cli")

    text = run(app, "show", str(conversation_id))
    assert text.startswith("SECURED  tier: gold")
    assert "History" in text
    assert 'marked by cli on the command line "Priya said yes on the phone"' in text
    assert "didn't confirm" not in text

    # Marking it again changes nothing: no new history.
    run(app, "steps", "ack", str(step_id))
    assert len(shown(app, conversation_id)["history"]) == 2


def test_an_accepted_invite_secures_it_and_a_cancellation_undoes_it(
    app: typer.Typer, environment: Path
) -> None:
    conversation_id, _ = ingest_recap(app, environment)
    run(app, "ingest", str(ICS / "google-invite-awaiting.ics"))
    assert listed(app)["tier"] == "none"  # invited, not yet accepted
    assert len(shown(app, conversation_id)["history"]) == 1

    run(app, "ingest", str(ICS / "google-reply-accepted.ics"))
    assert (listed(app)["next_steps_secured"], listed(app)["tier"]) == (True, "gold")
    accepted = shown(app, conversation_id)
    assert accepted["reason"].startswith("Secured (gold): ")
    change = accepted["history"][-1]
    assert (change["cause"], change["secured_after"], change["tier_after"]) == (
        "calendar",
        True,
        "gold",
    )
    assert change["who"] == "priya@acme.example"
    assert change["evidence"].startswith("Accepted the calendar invite")
    text = run(app, "show", str(conversation_id))
    assert "calendar: accepted by priya@acme.example" in text

    run(app, "ingest", str(ICS / "google-cancel.ics"))
    assert (listed(app)["next_steps_secured"], listed(app)["tier"]) == (False, "none")
    history = shown(app, conversation_id)["history"]
    assert [(h["cause"], h["secured_after"]) for h in history] == [
        ("analysis", False),
        ("calendar", True),
        ("calendar", False),
    ]


def test_dropping_the_agreed_step_unsecures_the_conversation(
    app: typer.Typer, environment: Path
) -> None:
    conversation_id, step_id = ingest_recap(app, environment)
    run(app, "steps", "ack", str(step_id))
    run(app, "steps", "drop", str(step_id))
    assert (listed(app)["next_steps_secured"], listed(app)["tier"]) == (False, "none")
    history = shown(app, conversation_id)["history"]
    assert [(h["cause"], h["tier_after"]) for h in history] == [
        ("analysis", "none"),
        ("manual", "gold"),
        ("manual", "none"),
    ]
    assert history[-1]["reason"].startswith("Not secured: ")


def test_ack_of_an_unknown_step_says_so(app: typer.Typer, environment: Path) -> None:
    result = runner.invoke(app, ["steps", "ack", "999"])
    assert result.exit_code != 0
    assert "No next step has id 999" in result.exception.message  # type: ignore[union-attr]
