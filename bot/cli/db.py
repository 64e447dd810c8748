"""``nextstep db upgrade`` and ``nextstep reps add|list``: the database and who is in it."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated

import typer

from bot.cli.common import Format, state
from bot.errors import UsageError

_QUIET_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?\s*$")


def register(app: typer.Typer) -> None:
    db = typer.Typer(
        name="db", help="The database nextstep keeps its memory in.", no_args_is_help=True
    )
    db.command("upgrade")(db_upgrade)
    app.add_typer(db, name="db")
    reps = typer.Typer(
        name="reps",
        help="The reps whose mail nextstep accepts, and how to reach them.",
        no_args_is_help=True,
    )
    reps.command("add")(reps_add)
    reps.command("list")(reps_list)
    app.add_typer(reps, name="reps")


def db_upgrade(ctx: typer.Context) -> None:
    """Create the database, or migrate it to this version's schema.

    The database is DATABASE_URL, else nextstep.db in the data directory
    (NEXTSTEP_DATA_DIR). Every command that needs it upgrades it too.
    """
    from sqlalchemy.engine import make_url

    from storage.db import current_revision, upgrade

    settings = state(ctx).settings
    url = settings.sqlalchemy_url
    shown = make_url(url).render_as_string(hide_password=True)
    before = current_revision(url, connect_timeout=settings.db_connect_timeout)
    after = upgrade(
        url,
        connect_timeout=settings.db_connect_timeout,
        statement_timeout=settings.db_statement_timeout,
    )
    if before == after:
        typer.echo(f"{shown} is up to date (revision {after}).")
    else:
        typer.echo(f"{shown} upgraded from {before or 'empty'} to revision {after}.")


def reps_add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The address the rep sends and forwards from.")],
    name: Annotated[str | None, typer.Option(help="The rep's name as it appears in calls.")] = None,
    slack_user: Annotated[str | None, typer.Option(help="The rep's Slack user id (U...).")] = None,
    tz: Annotated[str | None, typer.Option(help="The rep's time zone (IANA name).")] = None,
    quiet_hours: Annotated[
        str | None, typer.Option(help="No nudges between these local times, e.g. 19:00-08:00.")
    ] = None,
    digest: Annotated[
        bool | None,
        typer.Option("--digest/--no-digest", help="One daily digest instead of nudges."),
    ] = None,
) -> None:
    """Register a rep, or update the rep who has this address (only what is given)."""
    hours = parse_quiet_hours(quiet_hours) if quiet_hours is not None else None
    rep, new = (
        state(ctx)
        .application()
        .add_rep(
            email, name=name, slack_user_id=slack_user, tz=tz, quiet_hours=hours, digest=digest
        )
    )
    summary = f"rep #{rep.id}, {rep.name or 'no name'}, {rep.tz or 'no time zone'}"
    typer.echo(f"{'Registered' if new else 'Updated'} {email.strip().lower()} ({summary}).")


def parse_quiet_hours(value: str) -> tuple[time, time]:
    """ "19:00-08:00" (or "19-8") as (start, end) local times."""
    found = _QUIET_HOURS.match(value)
    try:
        if found is None:
            raise ValueError(value)
        h1, m1, h2, m2 = found.groups()
        return time(int(h1), int(m1 or 0)), time(int(h2), int(m2 or 0))
    except ValueError:
        raise UsageError(
            f"--quiet-hours {value!r} is not a range of times such as 19:00-08:00."
        ) from None


def reps_list(
    ctx: typer.Context,
    output: Annotated[
        Format, typer.Option("--format", help="text (a table) or json.")
    ] = Format.TEXT,
) -> None:
    """Show the registered reps, their addresses, time zones and nudge settings."""
    import json

    from rich.console import Console
    from rich.table import Table

    reps = state(ctx).application().list_reps()
    if output == Format.JSON:
        typer.echo(json.dumps([rep.to_dict() for rep in reps], indent=2, ensure_ascii=False))
        return
    if not reps:
        typer.echo("No reps yet: add one with `nextstep reps add EMAIL --tz ZONE`.")
        return
    table = Table("id", "name", "email", "slack", "time zone", "quiet hours", "digest")
    for rep in reps:
        table.add_row(
            str(rep.id),
            rep.name or "-",
            "\n".join(rep.emails),
            rep.slack_user_id or "-",
            rep.tz or "-",
            rep.quiet_hours or "-",
            "yes" if rep.digest else "no",
        )
    Console().print(table)
