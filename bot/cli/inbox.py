"""``nextstep smtp`` and ``nextstep gmail poll``: the two live inboxes.

Both run until Ctrl-C or SIGTERM: the first signal lets the work in hand finish (an
ingest in progress, the current poll), a second one stops at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.application.process import setup_logging, stop_on_signals
from bot.cli.context import state
from bot.cli.google import gmail_connect
from bot.errors import UsageError

__all__ = ["register", "setup_logging", "stop_on_signals"]


def register(app: typer.Typer) -> None:
    app.command("smtp")(smtp)
    gmail = typer.Typer(
        name="gmail", help="Read forwarded recaps from a Gmail label.", no_args_is_help=True
    )
    gmail.command("poll")(gmail_poll)
    gmail.command("connect")(gmail_connect)
    app.add_typer(gmail, name="gmail")


def smtp(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on. [default: NEXTSTEP_SMTP_HOST]")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on. [default: NEXTSTEP_SMTP_PORT]")
    ] = None,
) -> None:
    """Receive forwarded recaps by SMTP; a worker in this process analyses them.

    Mail is accepted for NEXTSTEP_BOT_ADDRESS only, from registered reps and
    NEXTSTEP_ALLOWED_SENDER_DOMAINS, and from others only as replies into threads
    it holds (NEXTSTEP_SMTP_SENDER_AUTH: none, trusted-mta, verify). Runs until
    Ctrl-C or SIGTERM.
    """
    from bot.application.worker import start_worker_thread
    from integrations.smtp import DatabaseIntake, SmtpListener

    if port is not None and not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port (0-65535).")
    settings = state(ctx).settings
    setup_logging()
    intake = DatabaseIntake(state(ctx).application())
    listener = SmtpListener(intake, settings, host=host, port=port)
    with stop_on_signals() as stopping:
        listener.start()
        worker = start_worker_thread(state(ctx).application(), stopping)  # analyses what is stored
        host_now, port_now = listener.address
        typer.echo(f"Listening for recaps to {settings.bot_address} on {host_now}:{port_now}")
        try:
            while not stopping.wait(1.0):
                pass
        finally:
            listener.stop()
            stopping.set()
            worker.join()


def gmail_poll(
    ctx: typer.Context,
    label: Annotated[
        str | None,
        typer.Option(help="The Gmail label that holds the recaps. [default: NEXTSTEP_GMAIL_LABEL]"),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one pass and exit.")] = False,
    interval: Annotated[
        float, typer.Option(min=5, help="Seconds between passes when not --once.")
    ] = 60,
    credentials: Annotated[
        Path | None,
        typer.Option(
            envvar="NEXTSTEP_GMAIL_CREDENTIALS",
            help="A service account key (with --user) or an installed-app token file. "
            "Default: the token `nextstep gmail connect` saved.",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            envvar="NEXTSTEP_GMAIL_USER",
            help="The mailbox to read, for a service account with domain-wide delegation.",
        ),
    ] = None,
    query: Annotated[
        str | None, typer.Option(help="A Gmail search that narrows the first full sync.")
    ] = None,
) -> None:
    """Ingest recaps filed under a Gmail label; in label mode (NEXTSTEP_GMAIL_MODE)
    each analysed one is marked nextstep/processed.

    The first pass reads everything under the label, later passes only what arrived
    since. Runs every --interval seconds until Ctrl-C, or once with --once.
    """
    from bot.application.worker import drain, start_worker_thread
    from integrations.gmail import poller_from_settings

    setup_logging()
    application = state(ctx).application()
    poller = poller_from_settings(
        application, credentials=credentials, user=user, label=label, query=query
    )
    if once:
        typer.echo(f"Gmail {poller.poll()}")
        typer.echo(str(drain(application)))  # analyse what the pass stored, as ingest does
        late = poller.label_analysed()
        if late.labelled_late:
            typer.echo(f"{late.labelled_late} labelled processed")
        return
    with stop_on_signals() as stopping:
        typer.echo(f"Polling Gmail every {interval:g} s; Ctrl-C stops.")
        thread = start_worker_thread(application, stopping)
        try:
            poller.run(interval=interval, stop=stopping)
        finally:
            stopping.set()
            thread.join()
