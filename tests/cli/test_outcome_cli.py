"""The outcome through the command line: stored with each conversation and filtered on
(`nextstep conversations list --outcome clear_no`), on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer
from typer.testing import Result

from bot.config import Settings
from tests.cli.test_analyze_cli import nextstep
from tests.cli.test_read_cli import DATA, JORDAN, app, as_json, run, settings

OUTCOME_DATA = Path(__file__).parent.parent / "data" / "outcome"
__all__ = ["app", "settings"]  # pytest fixtures, shared with the read-side tests


def _ingest(app: typer.Typer, settings: Settings, tmp_path: Path) -> Result:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(DATA / "contoso-rollout.vtt", folder / "contoso-rollout.vtt")
    for fixture in OUTCOME_DATA.iterdir():
        shutil.copy(fixture, folder / fixture.name)
    assert run(app, settings, "reps", "add", JORDAN, "--tz", "America/New_York").exit_code == 0
    result = run(app, settings, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    return result


def test_conversations_list_filters_by_outcome(
    app: typer.Typer, settings: Settings, tmp_path: Path
) -> None:
    _ingest(app, settings, tmp_path)
    listed = as_json(run(app, settings, "conversations", "list", "--format", "json"))
    assert len(listed) == 3
    by_outcome = {c["outcome"]: c for c in listed}
    assert set(by_outcome) == {"secured", "clear_no", "open"}

    def subjects(outcome: str) -> list[str | None]:
        found = as_json(
            run(app, settings, "conversations", "list", "--outcome", outcome, "--format", "json")
        )
        return [c["subject"] for c in found]

    assert subjects("clear_no") == ["Re: Final terms"]
    assert by_outcome["clear_no"]["next_steps_secured"] is False
    assert len(subjects("open")) == 1
    assert len(subjects("secured")) == 1
    text = run(app, settings, "conversations", "list", "--outcome", "clear_no")
    assert text.exit_code == 0, text.output
    assert "clear no" in text.stdout and "Re: Final terms" in text.stdout


def test_an_unknown_outcome_is_refused_with_the_choices(
    app: typer.Typer, settings: Settings
) -> None:
    result = run(app, settings, "conversations", "list", "--outcome", "maybe")
    assert result.exit_code == 2
    assert "maybe" in result.output and "clear_no" in result.output


def test_analyze_prints_the_outcome_first_and_coaches_a_tentative_yes() -> None:
    call = (
        "Rachel Kim: So, does the twelve-week program sound right for you?\n"
        "Derek Hollis: I think so. Probably yes. I just want to run the cost past my wife.\n"
        "Rachel Kim: Of course. Let's talk next week then.\n"
        "Derek Hollis: Sounds good.\n"
    )
    result = nextstep(
        "analyze", "-", "--kind", "transcript", "--rep", "Rachel Kim", "--tz",
        "America/New_York", "--at", "2026-11-17T19:30", stdin=call.encode(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.split() == ["NOT", "SECURED", "tier:", "none", "outcome:", "open"]
    prose = " ".join(result.stdout.split())
    assert "Bring your doubts to a 15-minute call on Thursday at 10" in prose
