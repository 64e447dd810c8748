"""``nextstep analyze --calendar``, ``nextstep calendar check`` and
``nextstep calendar connect``: the calendar beside the steps."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from bot.cli import render
from bot.cli.common import Format
from bot.cli.context import state
from bot.cli.google import calendar_connect
from bot.config import load_settings
from bot.engine.model import Analysis

if TYPE_CHECKING:
    from bot.application import Application
    from bot.calendar.model import CalendarSource

calendar_app = typer.Typer(
    help="Check meeting steps against the calendar: invites, answers, moves.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")
    calendar_app.command("check")(calendar_check)
    calendar_app.command("connect")(calendar_connect)  # shared with Gmail: bot.cli.google


def analysis_with_calendar(
    analysis: Analysis, locations: list[str], *, rep: str | None, output: Format
) -> None:
    """Check the meeting steps against the calendars named, then show the analysis with
    each meeting step's status (JSON: a "calendar" object on each meeting step)."""
    from bot.application.calendar import check_analysis
    from bot.calendar.schema import check_to_dict
    from bot.engine.schema import analysis_to_dict
    from integrations.calendar.sources import ics_source

    settings = load_settings()
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


def calendar_check(
    ctx: typer.Context,
    rep: Annotated[
        str | None, typer.Option("--rep", help="Only this rep's steps (an email address).")
    ] = None,
    output: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.TEXT,
) -> None:
    """Recheck every open meeting step against the calendar and print what changed.

    Reads the invitations and replies that came in by mail or `nextstep ingest`, and each
    rep's Google Calendar where one is connected (`nextstep calendar connect`) or a
    service account is configured (NEXTSTEP_GOOGLE_CALENDAR_CREDENTIALS).
    """
    cli = state(ctx)
    application = cli.application()
    run = application.check_calendars(
        lambda rep_id, addresses: google_calendars(addresses, application=application),
        rep=rep,
    )
    changed = run.changed
    if output == Format.JSON:
        typer.echo(
            json.dumps(
                {
                    "checked": run.checked,
                    "inputs_read": run.inputs_read,
                    "inputs_failed": [{"id": i, "error": e} for i, e in run.inputs_failed],
                    "changed": [
                        {
                            "step_id": c.step_id,
                            "action": c.action,
                            "from": c.previous,
                            "to": c.status,
                            "reason": c.reason,
                        }
                        for c in changed
                    ],
                },
                indent=2,
            )
        )
        return
    for input_id, error in run.inputs_failed:
        typer.echo(f"input #{input_id} not read: {error}")
    steps = "step" if run.checked == 1 else "steps"
    typer.echo(f"Checked {run.checked} open meeting {steps}; {len(changed)} changed.")
    for change in changed:
        why = f" ({change.reason})" if change.reason else ""
        typer.echo(
            f"  #{change.step_id} {change.action}: {change.previous or 'not checked'} → "
            f"{change.status}{why}"
        )


def google_calendars(
    addresses: tuple[str, ...], *, application: Application
) -> list[CalendarSource]:
    """A rep's Google Calendars: a connected token, else a service account with
    domain-wide delegation; each synced once per run from its saved sync token."""
    from integrations.calendar.google import GoogleCalendarSource, SyncedCalendar, SyncReport

    settings = application.settings
    found: list[CalendarSource] = []
    for address in addresses:
        key = f"calendar:google:{address}"
        saved = application.get_cursor(key) or {}
        keep: dict[str, Any] = {
            "name": f"google:{address}",
            "sync_token": saved.get("sync_token"),
            "cache": settings.data_dir / "calendar-cache" / f"google-{address}.json",
        }
        token = settings.calendar_token_path(address)
        if token.is_file():
            google = GoogleCalendarSource.from_credentials_file(token, **keep)
        elif settings.google_calendar_credentials is not None:
            google = GoogleCalendarSource.from_credentials_file(
                settings.google_calendar_credentials, subject=address, **keep
            )
        else:
            continue

        def synced(report: SyncReport, key: str = key) -> None:
            application.save_cursor(key, {"sync_token": report.sync_token})

        found.append(SyncedCalendar(google, on_synced=synced))
    return found


def _local(value: datetime | date, tz: str) -> str:
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y %H:%M")
    return value.strftime("%a %d %b %Y")
