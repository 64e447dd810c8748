"""`nextstep db upgrade` and `nextstep reps add|list`, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import db as db_cli
from bot.errors import StorageError, TimeZoneError, UsageError
from storage.db import head_revision


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    db_cli.register(app)
    return app


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    """The commands' environment: the test database, nothing from the developer's."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("NEXTSTEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    return database_url


runner = CliRunner()


@pytest.mark.usefixtures("environment")
def test_db_upgrade_reports_an_up_to_date_database(app: typer.Typer) -> None:
    result = runner.invoke(app, ["db", "upgrade"])

    assert result.exit_code == 0, result.output
    assert f"is up to date (revision {head_revision()})" in result.stdout


def test_db_upgrade_creates_the_sqlite_file_in_the_data_dir(
    app: typer.Typer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NEXTSTEP_DATA_DIR", str(tmp_path / "fresh" / "data"))

    result = runner.invoke(app, ["db", "upgrade"])

    assert result.exit_code == 0, result.output
    assert f"upgraded from empty to revision {head_revision()}" in result.stdout
    assert (tmp_path / "fresh" / "data" / "nextstep.db").is_file()


def test_db_upgrade_on_an_unreachable_server_is_a_storage_error_without_password(
    app: typer.Typer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://bot:hunter2@127.0.0.1:1/nextstep?connect_timeout=2"
    )

    result = runner.invoke(app, ["db", "upgrade"])

    assert isinstance(result.exception, StorageError)
    assert "hunter2" not in result.exception.message
    assert "127.0.0.1:1" in result.exception.message


@pytest.mark.usefixtures("environment")
def test_reps_add_then_update_then_list(app: typer.Typer) -> None:
    added = runner.invoke(
        app,
        [
            "reps",
            "add",
            "Dana.Reyes@Acme.example",
            "--name",
            "Dana Reyes",
            "--slack-user",
            "U024BE7LH",
        ],
    )
    updated = runner.invoke(
        app,
        [
            "reps",
            "add",
            "dana.reyes@acme.example",
            "--tz",
            "America/Los_Angeles",
            "--quiet-hours",
            "19:00-8:00",
            "--digest",
        ],
    )
    listed = runner.invoke(app, ["reps", "list"])

    assert added.exit_code == updated.exit_code == listed.exit_code == 0
    assert "Registered dana.reyes@acme.example (rep #" in added.stdout
    assert "Updated dana.reyes@acme.example" in updated.stdout
    assert "America/Los_Angeles" in updated.stdout
    row = next(line for line in listed.stdout.splitlines() if "dana.reyes@acme.example" in line)
    for cell in ("Dana Reyes", "U024BE7LH", "America/Los_Angeles", "19:00-08:00", "yes"):
        assert cell in row


@pytest.mark.usefixtures("environment")
def test_reps_list_when_empty_says_how_to_add_one(app: typer.Typer) -> None:
    result = runner.invoke(app, ["reps", "list"])

    assert result.exit_code == 0
    assert "nextstep reps add EMAIL --tz ZONE" in result.stdout


@pytest.mark.usefixtures("environment")
@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (["--tz", "Mars/Olympus"], TimeZoneError, "'Mars/Olympus' is not an IANA time zone"),
        (["--quiet-hours", "evenings"], UsageError, "is not a range of times such as 19:00-08:00"),
        (["--quiet-hours", "25:00-08:00"], UsageError, "is not a range of times"),
    ],
)
def test_reps_add_refuses_bad_values(
    app: typer.Typer, args: list[str], error: type, message: str
) -> None:
    result = runner.invoke(app, ["reps", "add", "dana@acme.example", *args])

    assert isinstance(result.exception, error)
    assert message in result.exception.message
    assert "dana@acme.example" not in runner.invoke(app, ["reps", "list"]).stdout


def command_paths() -> list[list[str]]:
    """Every command of the `nextstep` app, as the words that run it (``["reps", "add"]``),
    read from the app itself, so a new command is checked without being listed here."""
    from bot.cli import build_app

    found: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        commands = getattr(command, "commands", None)  # a group
        if commands is None:
            found.append(path)
            return
        for name, sub in sorted(commands.items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(build_app()), [])
    return found


README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_has_help_and_a_readme_row(path: list[str]) -> None:
    from bot.cli import build_app

    result = runner.invoke(build_app(), [*path, "--help"])

    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) > 3
    assert f"`nextstep {' '.join(path)}" in README, f"README has no row for {path}"


def test_the_app_has_the_commands_a_user_expects() -> None:
    paths = {" ".join(p) for p in command_paths()}
    assert {"db upgrade", "reps add", "reps list", "show", "steps done", "inputs list"} <= paths
