"""``nextstep smtp`` and ``nextstep gmail poll``: the two live inboxes.

Both run until Ctrl-C or SIGTERM: the first signal lets the work in hand finish (an
ingest in progress, the current poll), a second one stops at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from bot.cli.db import open_database
from bot.config import Settings
from bot.errors import UsageError

log = logging.getLogger("nextstep.inbox")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def register(app: typer.Typer) -> None:
    app.command("smtp")(smtp)
    gmail = typer.Typer(
        name="gmail", help="Read forwarded recaps from a Gmail label.", no_args_is_help=True
    )
    gmail.command("poll")(gmail_poll)
    app.add_typer(gmail, name="gmail")


def smtp(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on. [default: NEXTSTEP_SMTP_HOST]")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on. [default: NEXTSTEP_SMTP_PORT]")
    ] = None,
) -> None:
    """Receive forwarded recaps by SMTP and analyse each as it arrives.

    Mail is accepted for NEXTSTEP_BOT_ADDRESS only, from registered reps and
    NEXTSTEP_ALLOWED_SENDER_DOMAINS. Runs until Ctrl-C or SIGTERM.
    """
    from integrations.smtp import DatabaseIntake, SmtpListener

    settings = Settings()
    if port is not None and not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port (0-65535).")
    setup_logging()
    engine = open_database(settings)
    listener = SmtpListener(DatabaseIntake(engine, settings), settings, host=host, port=port)
    try:
        with stop_on_signals() as stopping:
            listener.start()
            host_now, port_now = listener.address
            typer.echo(f"Listening for recaps to {settings.bot_address} on {host_now}:{port_now}")
            try:
                while not stopping.wait(1.0):
                    pass
            finally:
                listener.stop()
    finally:
        engine.dispose()


def gmail_poll(
    label: Annotated[str, typer.Option(help="The Gmail label that holds the recaps.")] = "nextstep",
    once: Annotated[bool, typer.Option("--once", help="Run one pass and exit.")] = False,
    interval: Annotated[
        float, typer.Option(min=5, help="Seconds between passes when not --once.")
    ] = 60,
    credentials: Annotated[
        Path | None,
        typer.Option(
            envvar="NEXTSTEP_GMAIL_CREDENTIALS",
            help="A service account key (with --user) or an installed-app token file.",
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
    """Ingest recaps filed under a Gmail label; each is marked nextstep/processed.

    The first pass reads everything under the label, later passes only what arrived
    since. Runs every --interval seconds until Ctrl-C, or once with --once.
    """
    from integrations.gmail import GmailMailbox, GmailPoller

    if credentials is None:
        raise UsageError(
            "Pass --credentials (or set NEXTSTEP_GMAIL_CREDENTIALS) to a service account "
            "key or an installed-app token file with the gmail.modify scope."
        )
    settings = Settings()
    setup_logging()
    engine = open_database(settings)
    mailbox = GmailMailbox.from_credentials_file(credentials, user=user)
    poller = GmailPoller(mailbox, engine=engine, settings=settings, label=label, query=query)
    try:
        if once:
            typer.echo(f"Gmail {poller.poll()}")
            return
        with stop_on_signals() as stopping:
            typer.echo(f"Polling Gmail label {label!r} every {interval:g} s; Ctrl-C stops.")
            poller.run(interval=interval, stop=stopping)
    finally:
        engine.dispose()


def setup_logging() -> None:
    """INFO lines on stderr, unless the process configured logging already."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by the first SIGINT or SIGTERM; a second one acts as usual."""
    stopping = threading.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    previous: dict[int, Any] = {sig: signal.getsignal(sig) for sig in signals}

    def handle(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received: finishing the work in hand", signal.Signals(signum).name)
        stopping.set()
        signal.signal(signum, previous[signum] or signal.SIG_DFL)

    for sig in signals:
        signal.signal(sig, handle)
    try:
        yield stopping
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler or signal.SIG_DFL)
