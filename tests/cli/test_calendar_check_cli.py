"""`nextstep ingest invite.ics`, iTIP mail, `nextstep calendar check` and
`nextstep calendar connect`, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner

from bot.cli import calendar as calendar_cli
from bot.cli import db as db_cli
from bot.cli import ingest as ingest_cli
from storage.calendar import calendar_history, calendar_of
from storage.db import make_engine
from storage.models import InboundMessage, NextStep

ICS = Path(__file__).parent.parent / "data" / "ics"
MAIL = Path(__file__).parent.parent / "data" / "calendar" / "mail"
runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    for module in (db_cli, ingest_cli, calendar_cli):
        module.register(app)
    return app


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("NEXTSTEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEXTSTEP_BOT_ADDRESS", "nextstep@northwind.example")
    monkeypatch.delenv("NEXTSTEP_DEFAULT_TZ", raising=False)
    monkeypatch.delenv("NEXTSTEP_GOOGLE_CLIENT_SECRETS", raising=False)
    monkeypatch.delenv("NEXTSTEP_GOOGLE_CALENDAR_CREDENTIALS", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return database_url


def run(app: typer.Typer, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def meeting(url: str) -> tuple[NextStep, dict | None, list[str]]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            steps = session.exec(select(NextStep).where(NextStep.kind == "meeting")).all()
            assert len(steps) == 1
            step = steps[0]
            assert step.id is not None
            link = calendar_of(step.id, session=session)
            history = [h.status for h in calendar_history(step.id, session=session)]
            status = {"status": link.status, "uid": link.ical_uid} if link else None
            return step, status, history
    finally:
        engine.dispose()


def test_invite_then_reply_files_update_the_stored_step(app: typer.Typer, environment: str) -> None:
    run(app, "reps", "add", "dana@northwind.example", "--tz", "America/Los_Angeles")
    run(app, "ingest", str(MAIL / "recap-review-wednesday.eml"))
    assert meeting(environment)[1] is None
    run(app, "ingest", str(ICS / "google-invite-awaiting.ics"))
    assert meeting(environment)[1] == {
        "status": "awaiting",
        "uid": "5k2q9v3hb1c0u7o0j0v8p5s1ds@google.com",
    }
    run(app, "ingest", str(ICS / "google-reply-accepted.ics"))
    step, link, history = meeting(environment)
    assert link is not None and link["status"] == "accepted"
    assert history == ["awaiting", "accepted"]
    assert step.acknowledged and step.secured
    output = run(app, "calendar", "check")
    assert "Checked 1 open meeting step; 0 changed." in output


def test_itip_reply_by_mail_and_check_prints_what_changed(
    app: typer.Typer, environment: str
) -> None:
    run(app, "reps", "add", "dana@northwind.example", "--tz", "America/Los_Angeles")
    # The invitation and the acceptance arrive before the recap is stored.
    run(app, "ingest", str(ICS / "google-invite-awaiting.ics"))
    run(app, "ingest", str(MAIL / "gmail-reply-accepted.eml"))
    run(app, "ingest", str(MAIL / "recap-review-wednesday.eml"))
    assert meeting(environment)[1] is None
    output = run(app, "calendar", "check", "--rep", "dana@northwind.example")
    assert "Checked 1 open meeting step; 1 changed." in output
    assert "review the proposal together with Miguel: not checked → accepted" in output
    again = json.loads(run(app, "calendar", "check", "--format", "json"))
    assert again == {"checked": 1, "inputs_read": 0, "inputs_failed": [], "changed": []}
    engine = make_engine(environment)
    with Session(engine) as session:
        parts = session.exec(select(InboundMessage).where(InboundMessage.source == "ics")).all()
    engine.dispose()
    assert len(parts) == 2  # the invite file and the mail's reply (its copy is a duplicate)
    assert {p.status for p in parts} == {"processed"}


def test_an_ics_that_is_not_icalendar_is_kept_and_failed(
    app: typer.Typer, environment: str, tmp_path: Path
) -> None:
    bad = tmp_path / "invite.ics"
    bad.write_bytes(b"this is not a calendar\r\n")
    result = runner.invoke(app, ["ingest", str(bad)])
    assert result.exit_code == 4
    assert "is not iCalendar" in result.output
    engine = make_engine(environment)
    with Session(engine) as session:
        rows = session.exec(select(InboundMessage)).all()
    engine.dispose()
    assert len(rows) == 1
    assert rows[0].status == "failed" and rows[0].raw == b"this is not a calendar\r\n"


def test_unknown_rep_is_a_usage_error(app: typer.Typer, environment: str) -> None:
    result = runner.invoke(app, ["calendar", "check", "--rep", "nobody@example.com"])
    assert result.exit_code != 0
    assert "No rep has the address or id 'nobody@example.com'" in str(result.exception)


def test_connect_needs_a_desktop_client(app: typer.Typer, environment: str, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["calendar", "connect", "--rep", "dana@northwind.example"])
    assert "NEXTSTEP_GOOGLE_CLIENT_SECRETS" in str(missing.exception)
    web = tmp_path / "web.json"
    web.write_text(json.dumps({"web": {"client_id": "x"}}))
    wrong = runner.invoke(
        app,
        ["calendar", "connect", "--rep", "dana@northwind.example", "--client-secrets", str(web)],
    )
    assert "is not a Desktop-app OAuth client (it has 'web')" in str(wrong.exception)
