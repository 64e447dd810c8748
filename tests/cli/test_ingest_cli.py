"""`nextstep ingest` and `nextstep reprocess` on real files, on both databases."""

from __future__ import annotations

import mailbox
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from bot.application.ingest import ingest_raw
from bot.cli import db as db_cli
from bot.cli import ingest as ingest_cli
from bot.config import Settings
from bot.errors import TimeZoneError, UsageError
from storage.db import make_engine
from storage.models import Conversation, InboundMessage, NextStep

DATA = Path(__file__).parent.parent / "data" / "ingest"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    db_cli.register(app)
    ingest_cli.register(app)
    return app


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("NEXTSTEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEXTSTEP_BOT_ADDRESS", "nextstep@northwind-analytics.com")
    monkeypatch.delenv("NEXTSTEP_DEFAULT_TZ", raising=False)
    monkeypatch.setenv("TZ", "America/New_York")
    monkeypatch.setenv("COLUMNS", "200")
    return database_url


def count(url: str, model: type) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.exec(select(func.count()).select_from(model)).one()
    finally:
        engine.dispose()


def summary(output: str) -> list[int]:
    """The numbers under "ingested updated duplicate failed" in the summary table."""
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if "ingested" in line and "failed" in line)
    row = next(line for line in lines[header + 1 :] if any(c.isdigit() for c in line))
    return [int(cell) for cell in row.replace("│", " ").split()]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A folder as a rep keeps it: a thread (reply sorting first by name), a call, notes,
    an mbox with a repeat and a mail carrying a transcript, things to skip."""
    root = tmp_path / "inbox"
    (root / "thread").mkdir(parents=True)
    shutil.copy(DATA / "recap_reply_accepts.eml", root / "thread" / "a-reply.eml")
    shutil.copy(DATA / "recap_sent.eml", root / "thread" / "b-recap.eml")
    (root / "calls").mkdir()
    shutil.copy(DATA / "contoso-rollout.vtt", root / "calls")
    shutil.copy(DATA / "globex-notes.md", root / "calls")
    (root / "archive").mkdir()
    box = mailbox.mbox(root / "archive" / "inbox.mbox")
    box.add((DATA / "recap_sent.eml").read_bytes())
    box.add((DATA / "recap_with_transcript.eml").read_bytes())
    box.close()
    (root / ".trash").mkdir()
    shutil.copy(DATA / "recap_sent.eml", root / ".trash" / "old.eml")
    (root / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    return root


@pytest.mark.usefixtures("environment")
def test_ingest_a_folder_reads_every_kind_once_and_threads_the_reply(
    app: typer.Typer, inbox: Path, database_url: str
) -> None:
    result = runner.invoke(app, ["ingest", str(inbox)])

    assert result.exit_code == 0, result.output
    # recap, call, notes, mbox mail + its transcript | the reply | the mbox's repeat | none
    assert summary(result.stdout) == [5, 1, 1, 0]
    assert count(database_url, Conversation) == 5
    assert count(database_url, InboundMessage) == 7  # + the invite kept for the calendar

    again = runner.invoke(app, ["ingest", str(inbox)])

    assert again.exit_code == 0
    assert summary(again.stdout) == [0, 0, 6, 0]
    assert count(database_url, Conversation) == 5


@pytest.mark.usefixtures("environment")
def test_reply_in_the_folder_acknowledges_the_recap(
    app: typer.Typer, inbox: Path, database_url: str
) -> None:
    runner.invoke(app, ["ingest", str(inbox / "thread")])

    engine = make_engine(database_url)
    with Session(engine) as session:
        meeting = session.exec(select(NextStep).where(NextStep.kind == "meeting")).one()
    engine.dispose()
    assert (meeting.acknowledged, meeting.ack_source, meeting.secured) == (True, "reply", True)


@pytest.mark.usefixtures("environment")
def test_unreadable_files_are_listed_kept_and_exit_4(
    app: typer.Typer, tmp_path: Path, database_url: str
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "broken.eml").write_bytes(b"%PDF-1.7\n%binary\n")
    (folder / "blank.txt").write_text("   \n\n")
    shutil.copy(DATA / "globex-notes.md", folder)

    result = runner.invoke(app, ["ingest", str(folder)])

    assert result.exit_code == 4
    assert summary(result.stdout) == [1, 0, 0, 2]
    failed_rows = [
        line for line in result.stdout.splitlines() if "broken.eml" in line or "blank.txt" in line
    ]
    assert any("This is a PDF document, not an email." in line for line in failed_rows)
    assert any("empty" in line.lower() for line in failed_rows)
    assert "nextstep reprocess --failed" in result.stdout
    assert count(database_url, InboundMessage) == 3  # the failures are kept


@pytest.mark.usefixtures("environment")
def test_reprocess_failed_after_registering_the_reps_zone(
    app: typer.Typer, tmp_path: Path, database_url: str
) -> None:
    engine = make_engine(database_url)
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    with Session(engine) as session:  # as the SMTP listener would have stored it
        kept = ingest_raw(
            (DATA / "recap_sent.eml").read_bytes(),
            source="smtp",
            session=session,
            settings=settings,
            now=NOW,
        )
    engine.dispose()
    assert kept.status == "failed"

    still = runner.invoke(app, ["reprocess", "--failed"])
    assert still.exit_code == 4
    assert "No time zone is known for jordan.blake@northwind-analytics.com" in still.stdout

    runner.invoke(
        app, ["reps", "add", "jordan.blake@northwind-analytics.com", "--tz", "America/New_York"]
    )
    fixed = runner.invoke(app, ["reprocess", "--failed"])

    assert fixed.exit_code == 0, fixed.output
    assert summary(fixed.stdout) == [1, 0, 0, 0]
    assert count(database_url, NextStep) == 2
    assert "Nothing to reprocess" in runner.invoke(app, ["reprocess", "--failed"]).stdout


@pytest.mark.usefixtures("environment")
def test_reprocess_by_id_updates_the_conversation_in_place(
    app: typer.Typer, inbox: Path, database_url: str
) -> None:
    runner.invoke(app, ["ingest", str(inbox / "calls" / "globex-notes.md")])

    result = runner.invoke(app, ["reprocess", "1"])

    assert result.exit_code == 0, result.output
    assert summary(result.stdout) == [0, 1, 0, 0]
    assert count(database_url, Conversation) == 1


@pytest.mark.usefixtures("environment")
@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (
            ["reprocess"],
            UsageError,
            "Name the inputs to reprocess by id, or pass --failed or --stuck.",
        ),
        (
            ["reprocess", "99", "100"],
            UsageError,
            "No stored input has id 99, 100; `nextstep inputs list` shows them.",
        ),
        (["reprocess", "3"], UsageError, "Input #3 is a calendar part"),
        (
            ["ingest", ".", "--tz", "Moon/Base"],
            TimeZoneError,
            "'Moon/Base' is not an IANA time zone",
        ),
        (["ingest", "."], UsageError, "No files to ingest"),
    ],
)
def test_commands_explain_what_was_wrong(
    app: typer.Typer, args: list[str], error: type, message: str, database_url: str
) -> None:
    engine = make_engine(database_url)
    settings = Settings(_env_file=None, default_tz="UTC")  # type: ignore[call-arg]
    with Session(engine) as session:  # inputs 1-3: a mail, its transcript, its invite
        mail = (DATA / "recap_with_transcript.eml").read_bytes()
        ingest_raw(mail, source="smtp", session=session, settings=settings, now=NOW)
    engine.dispose()

    result = runner.invoke(app, args)

    assert isinstance(result.exception, error)
    assert message in result.exception.message


@pytest.mark.usefixtures("environment")
def test_missing_path_is_a_usage_error(app: typer.Typer) -> None:
    result = runner.invoke(app, ["ingest", "no/such/folder"])

    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_installed_command_exits_4_without_a_traceback(environment: str, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "broken.eml").write_bytes(b"%PDF-1.7\n")
    shutil.copy(DATA / "globex-notes.md", folder)

    done = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NEXTSTEP_DEBUG": ""},
        check=False,
    )

    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "broken.eml" in done.stdout
