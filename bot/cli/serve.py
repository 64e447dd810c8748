"""``nextstep serve``: everything one process runs, each part switchable: the Slack app
(Socket Mode with NEXTSTEP_SLACK_APP_TOKEN, else HTTP on --port at /slack/events), the
SMTP listener, the Gmail poller and the nudge scheduler."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from bot.application import Application
from bot.application.process import setup_logging, stop_on_signals
from bot.cli.context import state
from bot.errors import ConfigError, UsageError

log = logging.getLogger("nextstep.serve")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address the Slack HTTP endpoint listens on.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="Port of the Slack HTTP endpoint (0: any free one).")
    ] = 3000,
    slack: Annotated[bool, typer.Option("--slack/--no-slack", help="Run the Slack app.")] = True,
    smtp: Annotated[bool, typer.Option("--smtp/--no-smtp", help="Run the SMTP listener.")] = True,
    gmail: Annotated[
        bool,
        typer.Option("--gmail/--no-gmail", help="Poll Gmail (needs NEXTSTEP_GMAIL_CREDENTIALS)."),
    ] = False,
    scheduler: Annotated[
        bool, typer.Option("--scheduler/--no-scheduler", help="Plan and send nudges.")
    ] = True,
    interval: Annotated[
        float, typer.Option(min=0.2, help="Seconds between scheduler passes.")
    ] = 2.0,
) -> None:
    """Run the bot: Slack app, SMTP listener, Gmail poller and nudge scheduler.

    Slack needs NEXTSTEP_SLACK_BOT_TOKEN and either NEXTSTEP_SLACK_APP_TOKEN (Socket
    Mode) or NEXTSTEP_SLACK_SIGNING_SECRET (HTTP on --port, requests at /slack/events).
    NEXTSTEP_SLACK_API_URL points the Web API client elsewhere (a test server). Runs
    until Ctrl-C or SIGTERM.
    """
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port (0-65535).")
    if not any((slack, smtp, gmail, scheduler)):
        raise UsageError("Everything is switched off; leave at least one part on.")
    if scheduler and not slack:
        raise UsageError("The scheduler sends nudges through Slack: use it with --slack.")
    settings = state(ctx).settings
    if gmail and settings.gmail_credentials is None:
        raise ConfigError(
            "--gmail needs NEXTSTEP_GMAIL_CREDENTIALS (a service account key or an "
            "installed-app token file); or run with --no-gmail."
        )
    setup_logging()
    application = state(ctx).application()
    stops: list[Callable[[], None]] = []
    try:
        with stop_on_signals() as stopping:
            if slack:
                _start_slack(application, host, port, scheduler, interval, stopping, stops)
            if smtp or gmail:
                _start_worker(application, stops)
            if smtp:
                _start_smtp(application, stops)
            if gmail:
                _start_gmail(application, stopping, stops)
            typer.echo("Ready; Ctrl-C stops.", err=True)
            while not stopping.wait(0.5):
                pass
    finally:
        for stop in reversed(stops):
            try:
                stop()
            except Exception:
                log.exception("stopping a part failed")


def _thread(target: Callable[[], None], name: str) -> threading.Thread:
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread


def _start_slack(
    application: Application,
    host: str,
    port: int,
    with_scheduler: bool,
    interval: float,
    stopping: threading.Event,
    stops: list[Callable[[], None]],
) -> None:
    from bot.slack.runtime import build_slack

    settings, engine = application.settings, application.engine
    side = build_slack(settings, engine)
    if side.secrets.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(side.app, side.secrets.app_token)
        handler.connect()
        stops.append(handler.close)
        typer.echo(f"Slack: Socket Mode, team {side.team_id}", err=True)
    else:
        from bot.slack.http import EVENTS_PATH, make_http_server, serve_in_thread

        try:
            server = make_http_server(side.app, host, port)
        except OSError as error:
            raise ConfigError(
                f"The Slack endpoint cannot listen on {host}:{port} ({error.strerror or error}); "
                "choose another with --host/--port."
            ) from None
        serve_in_thread(server)

        def stop_http() -> None:
            server.shutdown()
            server.server_close()

        stops.append(stop_http)
        base = f"http://{host}:{server.server_port}"
        serving = f"team {side.team_id}" if side.team_id else f"install at {base}/slack/install"
        typer.echo(f"Slack: HTTP on {base}{EVENTS_PATH}, {serving}", err=True)
    if with_scheduler:
        from bot.slack.scheduler import Scheduler

        worker = Scheduler(
            engine, side.outbox, default_tz=settings.default_tz or "UTC", team_id=side.team_id
        )
        thread = _thread(lambda: worker.run(stopping, interval), "nextstep-scheduler")
        stops.append(lambda: thread.join(timeout=10))
        typer.echo(f"Scheduler: every {interval:g} s", err=True)


def _start_smtp(application: Application, stops: list[Callable[[], None]]) -> None:
    from integrations.smtp import DatabaseIntake, SmtpListener

    settings = application.settings
    listener = SmtpListener(DatabaseIntake(application), settings)
    listener.start()
    stops.append(listener.stop)
    host, port = listener.address
    typer.echo(f"SMTP: recaps to {settings.bot_address} on {host}:{port}", err=True)


def _start_worker(application: Application, stops: list[Callable[[], None]]) -> None:
    """One worker analyses what the SMTP listener and the Gmail poller store."""
    from bot.application.worker import start_worker_thread

    stop_worker = threading.Event()
    worker = start_worker_thread(application, stop_worker)

    def stop_working() -> None:
        stop_worker.set()
        worker.join(timeout=30)

    stops.append(stop_working)


def _start_gmail(
    application: Application,
    stopping: threading.Event,
    stops: list[Callable[[], None]],
) -> None:
    from integrations.gmail import GmailMailbox, GmailPoller

    settings = application.settings
    credentials = Path(settings.gmail_credentials or "")
    mailbox = GmailMailbox.from_credentials_file(credentials, user=settings.gmail_user)
    poller = GmailPoller(mailbox, application=application, label=settings.gmail_label)
    thread = _thread(lambda: poller.run(interval=60, stop=stopping), "nextstep-gmail")
    stops.append(lambda: thread.join(timeout=10))
    typer.echo(f"Gmail: label {settings.gmail_label!r} every 60 s", err=True)
