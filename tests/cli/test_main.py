"""`main()`: one Settings per process, handed to every command."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from bot.config import Settings

DATA = Path(__file__).parent.parent / "data" / "ingest"


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    from bot.cli import main

    monkeypatch.setattr(sys, "argv", ["nextstep", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    return code if isinstance(code, int) else 0


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> list[Settings]:
    """Every Settings made from now on."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("NEXTSTEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEXTSTEP_DEFAULT_TZ", "America/New_York")
    made: list[Settings] = []
    original = Settings.__init__

    def counting(self: Settings, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(Settings, "__init__", counting)
    return made


def test_settings_are_built_once_per_process(
    built: list[Settings], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(DATA / "globex-notes.md", folder)
    shutil.copy(DATA / "recap_sent.eml", folder)

    assert run_main(monkeypatch, "ingest", str(folder)) == 0

    assert len(built) == 1  # not once per file, command module or database step


def test_a_command_without_the_database_builds_no_settings(
    built: list[Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_main(monkeypatch, "when", "by Friday 3pm", "--tz", "UTC") == 0

    assert built == []
