"""``nextstep gmail connect`` and ``nextstep calendar connect``: one Google sign-in for
either or both. The rep consents once in the browser; the token is saved (0600) where
the Gmail poller and the calendar check read it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.context import state
from bot.config import Settings
from bot.errors import ConfigError, UsageError

ClientSecrets = Annotated[
    Path | None,
    typer.Option(
        "--client-secrets",
        help="The OAuth client (Desktop app) JSON. Default: NEXTSTEP_GOOGLE_CLIENT_SECRETS.",
    ),
]
Token = Annotated[
    Path | None,
    typer.Option("--token", help="Where to save the token. Default: the data directory."),
]
NoBrowser = Annotated[
    bool, typer.Option("--no-browser", help="Print the address instead of opening it.")
]
Port = Annotated[int, typer.Option(help="Local port for Google's answer (0: any).")]


def gmail_connect(
    ctx: typer.Context,
    client_secrets: ClientSecrets = None,
    token: Token = None,
    with_calendar: Annotated[
        bool,
        typer.Option("--with-calendar", help="Also let nextstep read --rep's calendar."),
    ] = False,
    rep: Annotated[
        str | None, typer.Option("--rep", help="The rep whose calendar to read (email).")
    ] = None,
    no_browser: NoBrowser = False,
    port: Port = 0,
) -> None:
    """Let nextstep read the Gmail mailbox (and label processed recaps, in label mode):
    sign in once in the browser; the token is saved for `nextstep gmail poll`."""
    from integrations.gmail import SCOPE_FOR, connected_token_path
    from integrations.google_oauth import CALENDAR_READONLY

    settings = state(ctx).settings
    if with_calendar and not rep:
        raise UsageError("--with-calendar needs --rep, the rep whose calendar to read.")
    gmail_scope = SCOPE_FOR[settings.gmail_mode]
    scopes = [gmail_scope]
    targets = [token or connected_token_path(settings)]
    if with_calendar and rep:
        scopes.append(CALENDAR_READONLY)
        targets.append(settings.calendar_token_path(rep))
    typer.echo(_asking(settings, scopes))
    _connect(
        settings, scopes, targets, client_secrets=client_secrets, port=port,
        open_browser=not no_browser, what="your Gmail" + (" and calendar" if with_calendar else ""),
    )  # fmt: skip
    typer.echo(f"Saved the Gmail token to {targets[0]}.")
    for other in targets[1:]:
        typer.echo(f"Saved {rep}'s calendar token to {other} (read-only access).")


def calendar_connect(
    ctx: typer.Context,
    rep: Annotated[str, typer.Option("--rep", help="The rep whose calendar to read (email).")],
    client_secrets: ClientSecrets = None,
    token: Token = None,
    with_gmail: Annotated[
        bool, typer.Option("--with-gmail", help="Also let nextstep read the rep's Gmail.")
    ] = False,
    no_browser: NoBrowser = False,
    port: Port = 0,
) -> None:
    """Let nextstep read a rep's Google Calendar (read-only): sign in once in the
    browser; the token is saved for `nextstep calendar check`."""
    from integrations.gmail import SCOPE_FOR, connected_token_path
    from integrations.google_oauth import CALENDAR_READONLY

    settings = state(ctx).settings
    scopes = [CALENDAR_READONLY]
    targets = [token or settings.calendar_token_path(rep)]
    if with_gmail:
        scopes.append(SCOPE_FOR[settings.gmail_mode])
        targets.append(connected_token_path(settings))
        typer.echo(_asking(settings, scopes))
    _connect(
        settings, scopes, targets, client_secrets=client_secrets, port=port,
        open_browser=not no_browser,
        what="your calendar" + (" and Gmail" if with_gmail else ""),
        whose=f"{rep}'s calendar (read-only)" + (" and Gmail" if with_gmail else ""),
    )  # fmt: skip
    typer.echo(f"Saved {rep}'s calendar token to {targets[0]} (read-only access).")
    for other in targets[1:]:
        typer.echo(f"Saved the Gmail token to {other}.")


def _asking(settings: Settings, scopes: list[str]) -> str:
    from integrations.google_oauth import short_scope

    mode = settings.gmail_mode
    does = "read recaps only" if mode == "readonly" else "read recaps and label them processed"
    asked = ", ".join(short_scope(s) for s in scopes)
    return f"Asking Google for {asked} (NEXTSTEP_GMAIL_MODE={mode.value}: {does})."


def _connect(
    settings: Settings,
    scopes: list[str],
    targets: list[Path],
    *,
    client_secrets: Path | None,
    port: int,
    open_browser: bool,
    what: str,
    whose: str | None = None,
) -> None:
    from integrations.google_oauth import authorise, read_client_config, save_token

    secrets = client_secrets or settings.google_client_secrets
    if secrets is None:
        raise ConfigError(
            "Pass --client-secrets or set NEXTSTEP_GOOGLE_CLIENT_SECRETS to the OAuth client "
            "JSON (type Desktop app) from the Google Cloud console."
        )
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port (0-65535).")
    config = read_client_config(secrets, token_uri=settings.google_token_uri)
    credentials = authorise(
        config,
        scopes,
        port=port,
        open_browser=open_browser,
        prompt=f"Open this address to let nextstep read {whose or what}:\n{{url}}",
        success=f"nextstep can now read {what}. You may close this window.",
    )
    save_token(credentials, targets)
