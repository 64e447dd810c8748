"""``nextstep analyze --calendar``, ``nextstep calendar check`` and
``nextstep calendar connect``: the calendar beside the steps."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from bot.cli import render
from bot.cli.common import Format
from bot.config import Settings
from bot.engine.model import Analysis


def analysis_with_calendar(
    analysis: Analysis, locations: list[str], *, rep: str | None, output: Format
) -> None:
    """Check the meeting steps against the calendars named, then show the analysis with
    each meeting step's status (JSON: a "calendar" object on each meeting step)."""
    from bot.calendar.schema import check_to_dict
    from bot.engine.schema import analysis_to_dict
    from integrations.calendar.check import check_analysis, ics_source

    settings = Settings()
    source = ics_source(
        locations, tz=analysis.document.tz, cache_dir=settings.data_dir / "calendar-cache"
    )
    rep_emails = [rep] if rep and "@" in rep else []
    checked, checks = check_analysis(analysis, source, now=datetime.now(UTC), rep_emails=rep_emails)
    if output == Format.JSON:
        data = analysis_to_dict(checked)
        for index, check in checks.items():
            data["steps"][index]["calendar"] = check_to_dict(check, checked.document.tz)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    render.analysis(checked)
    console = Console()
    console.print()
    console.print("[bold]Calendar[/bold]")
    for index, check in checks.items():
        step = checked.steps[index]
        event = check.event
        when = f" {_local(event.start, checked.document.tz)}" if event is not None else ""
        title = f" '{event.title}'{when}" if event is not None else ""
        why = f" ({check.reason})" if check.reason else ""
        console.print(f"- {step.action}: [bold]{check.status}[/bold]{title}{why}")


def _local(value: datetime | date, tz: str) -> str:
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y %H:%M")
    return value.strftime("%a %d %b %Y")
