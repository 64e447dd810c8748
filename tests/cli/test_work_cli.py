"""`nextstep work`, `inputs list --status received|processing` and `reprocess --stuck`:
the queue as an operator sees it after a crash, through the command line."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from bot.application import Application
from bot.cli import build_app
from bot.config import Settings
from bot.vocabulary import InputSource
from storage.db import make_engine
from storage.queue import claim

DATA = Path(__file__).parent.parent / "data" / "ingest"
runner = CliRunner()


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("NEXTSTEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEXTSTEP_DEFAULT_TZ", "America/New_York")
    monkeypatch.setenv("COLUMNS", "200")
    return database_url


def store(url: str, *names: str) -> list[int]:
    """Inputs as the SMTP listener leaves them: stored, not analysed."""
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    engine = make_engine(url)
    try:
        application = Application(engine, settings)
        return [
            application.store((DATA / name).read_bytes(), source=InputSource.SMTP).inbound_id
            for name in names
        ]
    finally:
        engine.dispose()


def listed(status: str) -> list[dict[str, object]]:
    result = runner.invoke(build_app(), ["inputs", "list", "--status", status, "--format", "json"])
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.output)
    return found


def test_work_once_analyses_what_waits(environment: str) -> None:
    ids = store(environment, "recap_sent.eml")
    assert [i["id"] for i in listed("received")] == ids

    result = runner.invoke(build_app(), ["work", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 inputs analysed: 1 processed, 0 failed"
    assert listed("received") == []
    assert [i["id"] for i in listed("processed")] == ids


def test_reprocess_stuck_takes_what_a_dead_worker_held(environment: str) -> None:
    [inbound_id] = store(environment, "recap_sent.eml")
    engine = make_engine(environment)
    try:
        with Session(engine) as session:
            past = datetime.now(UTC) - timedelta(hours=1)
            assert claim("dead-worker", now=past, lease=timedelta(minutes=5), session=session) == [
                inbound_id
            ]
    finally:
        engine.dispose()
    assert [i["id"] for i in listed("processing")] == [inbound_id]

    result = runner.invoke(build_app(), ["reprocess", "--stuck"])

    assert result.exit_code == 0, result.output
    assert listed("processing") == []
    [done] = listed("processed")
    assert done["id"] == inbound_id
    again = runner.invoke(build_app(), ["reprocess", "--stuck"])
    assert "Nothing to reprocess: no stored input has failed or is stuck." in again.output


def test_several_worker_processes_need_postgresql(
    environment: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'one.db'}")
    assert run_main(monkeypatch, "work", "--processes", "2") == 2


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "postgresql://nextstep@db.internal:54x2/nextstep"),
        ("DATABASE_URL", "mysql://nextstep@db.internal/nextstep"),
        ("NEXTSTEP_SMTP_PORT", "70000"),
        ("NEXTSTEP_DB_CONNECT_TIMEOUT", "soon"),
    ],
)
def test_a_wrong_database_or_port_setting_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert run_main(monkeypatch, "smtp") == 7
    error = capsys.readouterr().err
    assert error.startswith(f"nextstep: The configuration is not valid. {variable}:")
    assert "Traceback" not in error


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    from bot.cli import main

    monkeypatch.setattr(sys, "argv", ["nextstep", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    return code if isinstance(code, int) else 0
