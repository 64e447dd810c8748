"""``nextstep db upgrade`` and ``nextstep reps add|list``: the database and who is in it."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated

import typer
from sqlalchemy.engine import Engine, make_url

from bot.config import Settings
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


def open_database(settings: Settings) -> Engine:
    """The configured database, brought to this version's schema first."""
    from storage.db import make_engine, upgrade

    upgrade(settings.sqlalchemy_url)
    return make_engine(settings.sqlalchemy_url)


def db_upgrade() -> None:
    """Create the database, or migrate it to this version's schema.

    The database is DATABASE_URL, else nextstep.db in the data directory
    (NEXTSTEP_DATA_DIR). Every command that needs it upgrades it too.
    """
    from storage.db import current_revision, upgrade

    url = Settings().sqlalchemy_url
    shown = make_url(url).render_as_string(hide_password=True)
    before = current_revision(url)
    after = upgrade(url)
    if before == after:
        typer.echo(f"{shown} is up to date (revision {after}).")
    else:
        typer.echo(f"{shown} upgraded from {before or 'empty'} to revision {after}.")


def reps_add(
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
    from storage.db import session_scope
    from storage.repo import add_rep, find_rep_by_email

    hours = parse_quiet_hours(quiet_hours) if quiet_hours is not None else None
    engine = open_database(Settings())
    try:
        with session_scope(engine) as session:
            known = find_rep_by_email(email, session=session) is not None
            rep = add_rep(
                email,
                name=name,
                slack_user_id=slack_user,
                tz=tz,
                quiet_hours=hours,
                digest=digest,
                session=session,
            )
            summary = f"rep #{rep.id}, {rep.display_name or 'no name'}, {rep.tz or 'no time zone'}"
    finally:
        engine.dispose()
    typer.echo(f"{'Updated' if known else 'Registered'} {email.strip().lower()} ({summary}).")


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


def reps_list() -> None:
    """Show the registered reps, their addresses, time zones and nudge settings."""
    from rich.console import Console
    from rich.table import Table

    from storage.db import session_scope
    from storage.repo import list_reps

    engine = open_database(Settings())
    try:
        with session_scope(engine) as session:
            reps = list_reps(session=session)
    finally:
        engine.dispose()
    if not reps:
        typer.echo("No reps yet: add one with `nextstep reps add EMAIL --tz ZONE`.")
        return
    table = Table("id", "name", "email", "slack", "time zone", "quiet hours", "digest")
    for rep, addresses in reps:
        quiet = "-"
        if rep.quiet_hours_start and rep.quiet_hours_end:
            quiet = f"{rep.quiet_hours_start:%H:%M}-{rep.quiet_hours_end:%H:%M}"
        table.add_row(
            str(rep.id),
            rep.display_name or "-",
            "\n".join(addresses),
            rep.slack_user_id or "-",
            rep.tz or "-",
            quiet,
            "yes" if rep.digest else "no",
        )
    Console().print(table)
