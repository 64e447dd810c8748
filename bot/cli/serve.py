"""``nextstep serve``: everything one process runs, each part switchable: the Slack app
(Socket Mode with NEXTSTEP_SLACK_APP_TOKEN, else HTTP on --port at /slack/events), the
HTTP API v1 and its webhook deliveries (on the same port), the SMTP listener, the Gmail
poller and the nudge scheduler."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import Annotated

import typer

from bot.application import Application
from bot.application.process import setup_logging, stop_on_signals
from bot.cli.context import state
from bot.config import Settings
from bot.errors import ConfigError, UsageError

log = logging.getLogger("nextstep.serve")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address the HTTP server (Slack, API) listens on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the HTTP server (0: any free one).")] = 3000,
    slack: Annotated[bool, typer.Option("--slack/--no-slack", help="Run the Slack app.")] = True,
    api: Annotated[
        bool,
        typer.Option("--api/--no-api", help="Serve the HTTP API v1 and deliver webhooks."),
    ] = True,
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
    calendar: Annotated[
        bool,
        typer.Option(
            "--calendar/--no-calendar",
            help="Recheck meeting steps against the calendars and ask for missing notes.",
        ),
    ] = True,
    calendar_every: Annotated[
        float, typer.Option(min=1.0, help="Seconds between calendar passes.")
    ] = 900.0,
) -> None:
    """Run the bot: Slack app, SMTP listener, Gmail poller, nudge scheduler and the
    calendar pass (every --calendar-every seconds: meeting steps rechecked against the
    stored invitations and connected Google Calendars; with Slack, reps asked for the
    notes of meetings with outsiders that ended without any).

    Slack needs NEXTSTEP_SLACK_BOT_TOKEN and either NEXTSTEP_SLACK_APP_TOKEN (Socket
    Mode) or NEXTSTEP_SLACK_SIGNING_SECRET (HTTP on --port, requests at /slack/events).
    NEXTSTEP_SLACK_API_URL points the Web API client elsewhere (a test server). Runs
    until Ctrl-C or SIGTERM.
    """
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port (0-65535).")
    if not any((slack, api, smtp, gmail, scheduler, calendar)):
        raise UsageError("Everything is switched off; leave at least one part on.")
    if scheduler and not slack:
        raise UsageError("The scheduler sends nudges through Slack: use it with --slack.")
    settings = state(ctx).settings
    if gmail and settings.gmail_credentials is None and not _gmail_connected(settings):
        raise ConfigError(
            "--gmail needs `nextstep gmail connect` or NEXTSTEP_GMAIL_CREDENTIALS (a service "
            "account key or an installed-app token file); or run with --no-gmail."
        )
    setup_logging()
    application = state(ctx).application()
    stops: list[Callable[[], None]] = []
    try:
        with stop_on_signals() as stopping:
            bolt = None
            if slack:
                bolt = _start_slack(application, scheduler, interval, stopping, stops)
            if api or bolt is not None:
                _start_http(application, bolt, api, host, port, stopping, stops)
            if smtp or gmail:
                _start_worker(application, stops)
            if smtp:
                _start_smtp(application, stops)
            if gmail:
                _start_gmail(application, stopping, stops)
            if calendar:
                _start_calendar(application, calendar_every, slack, stopping, stops)
            _settle_heap()
            typer.echo("Ready; Ctrl-C stops.", err=True)
            while not stopping.wait(0.5):
                pass
    finally:
        for stop in reversed(stops):
            try:
                stop()
            except Exception:
                log.exception("stopping a part failed")


def _settle_heap() -> None:
    """Everything loaded so far (the engine's patterns, the libraries) lives as long as
    the process: frozen out of the collector, a full collection no longer walks it and
    stalls requests mid-burst (measured: a 200 ms pause in benchmarks/bench_slack.py)."""
    gc.collect()
    gc.freeze()


def _thread(target: Callable[[], None], name: str) -> threading.Thread:
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread


def _start_slack(
    application: Application,
    with_scheduler: bool,
    interval: float,
    stopping: threading.Event,
    stops: list[Callable[[], None]],
) -> tuple[object, str] | None:
    """Socket Mode starts here; in HTTP mode the Bolt app (and whom it serves) is
    returned, for the HTTP server to serve at /slack/events."""
    from bot.slack.runtime import build_slack

    settings, engine = application.settings, application.engine
    side = build_slack(settings, engine, offload_commands=True)
    stops.append(side.close)
    if side.commands is not None:  # its start (imports, connection) off the first command
        _thread(side.commands.warm, "nextstep-commands-start")
    if side.secrets.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(side.app, side.secrets.app_token)
        handler.connect()
        stops.append(handler.close)
        typer.echo(f"Slack: Socket Mode, team {side.team_id}", err=True)
        bolt = None
    else:
        serving = f"team {side.team_id}" if side.team_id else "install at {base}/slack/install"
        bolt = (side.app, serving)
    if with_scheduler:
        from bot.slack.scheduler import Scheduler

        worker = Scheduler(
            engine, side.outbox, default_tz=settings.default_tz or "UTC", team_id=side.team_id
        )
        thread = _thread(lambda: worker.run(stopping, interval), "nextstep-scheduler")
        stops.append(lambda: thread.join(timeout=10))
        typer.echo(f"Scheduler: every {interval:g} s", err=True)
    return bolt


def _start_http(
    application: Application,
    bolt: tuple[object, str] | None,
    api: bool,
    host: str,
    port: int,
    stopping: threading.Event,
    stops: list[Callable[[], None]],
) -> None:
    """One ASGI server (uvicorn) for Slack's requests and the API; with the API, the
    webhook delivery loop too."""
    from bot.application.api import ApiUseCases
    from bot.http.app import HttpServer, create_app

    settings = application.settings
    app = create_app(
        ApiUseCases(application) if api else None,
        bolt=bolt[0] if bolt is not None else None,
        rate_limit=settings.api_rate_limit,
        max_body_bytes=settings.api_max_body_bytes,
    )
    try:
        server = HttpServer(app, host, port)
    except OSError as error:
        raise ConfigError(
            f"The HTTP server cannot listen on {host}:{port} ({error.strerror or error}); "
            "choose another with --host/--port."
        ) from None
    server.start()
    stops.append(server.stop)
    if bolt is not None:
        serving = bolt[1].replace("{base}", server.base_url)
        typer.echo(f"Slack: HTTP on {server.base_url}/slack/events, {serving}", err=True)
    if api:
        from bot.application.webhooks import WebhookDeliverer

        typer.echo(f"API v1: {server.base_url}/api/v1/ (OpenAPI at /api/v1/openapi.json)", err=True)
        deliverer = WebhookDeliverer(application)
        every = settings.webhook_interval
        thread = _thread(lambda: deliverer.run(stopping, every), "nextstep-webhooks")
        stops.append(lambda: thread.join(timeout=10))


def _start_smtp(application: Application, stops: list[Callable[[], None]]) -> None:
    from integrations.smtp import DatabaseIntake, SmtpListener

    settings = application.settings
    listener = SmtpListener(DatabaseIntake(application), settings)
    listener.start()
    stops.append(listener.stop)
    host, port = listener.address
    typer.echo(f"SMTP: recaps to {settings.bot_address} on {host}:{port}", err=True)


def _gmail_connected(settings: Settings) -> bool:
    from integrations.gmail import connected_token_path

    return connected_token_path(settings).is_file()


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
    from integrations.gmail import poller_from_settings

    settings = application.settings
    poller = poller_from_settings(application)

    def poll() -> None:
        try:
            poller.run(interval=60, stop=stopping)
        except ConfigError:  # a refused login, logged with its fix; the other parts go on
            return

    thread = _thread(poll, "nextstep-gmail")
    stops.append(lambda: thread.join(timeout=10))
    typer.echo(f"Gmail: label {settings.gmail_label!r} every 60 s", err=True)


def _start_calendar(
    application: Application,
    every: float,
    ask_for_notes: bool,
    stopping: threading.Event,
    stops: list[Callable[[], None]],
) -> None:
    from bot.cli.calendar import google_calendars
    from bot.slack.calendar_watch import CalendarWatch

    settings = application.settings
    watch = CalendarWatch(
        application,
        lambda rep_id, addresses: google_calendars(addresses, application=application),
        default_tz=settings.default_tz or "UTC",
        ask_for_notes=ask_for_notes,
    )
    thread = _thread(lambda: watch.run(stopping, every), "nextstep-calendar")
    stops.append(lambda: thread.join(timeout=30))
    asks = "; notes asked for in Slack" if ask_for_notes else ""
    typer.echo(f"Calendar: rechecked every {every:g} s{asks}", err=True)
