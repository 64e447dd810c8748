"""``nextstep work``: workers that analyse stored inputs (``bot.application.worker``).

``nextstep smtp`` and ``nextstep serve`` run one worker in-process; ``work`` runs them
on their own, several processes at once on PostgreSQL (``--processes``), or drains the
queue once (``--once``).
"""

from __future__ import annotations

import multiprocessing
from typing import Annotated

import typer

from bot.application.process import setup_logging, stop_on_signals
from bot.cli.context import state
from bot.config import Settings
from bot.errors import UsageError


def register(app: typer.Typer) -> None:
    app.command("work")(work)


def work(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Analyse everything waiting, then exit.")
    ] = False,
    processes: Annotated[
        int, typer.Option(min=1, help="Worker processes to run (more than one: PostgreSQL only).")
    ] = 1,
) -> None:
    """Analyse stored inputs (mail received by SMTP, inputs left waiting by a crash).

    Each input gets NEXTSTEP_ANALYSIS_TIME_BUDGET seconds; an input whose worker died
    is taken again after NEXTSTEP_WORKER_LEASE_SECONDS. Runs until Ctrl-C or SIGTERM,
    or with --once until nothing waits.
    """
    settings = state(ctx).settings
    if processes > 1 and settings.sqlalchemy_url.startswith("sqlite"):
        raise UsageError(
            "--processes above 1 needs PostgreSQL (DATABASE_URL); SQLite takes one worker."
        )
    application = state(ctx).application()  # migrates the database first
    setup_logging()
    if processes == 1:
        _run(application, once)
        return
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(target=_child, args=(settings, once), name=f"nextstep-work-{n}")
        for n in range(processes)
    ]
    with stop_on_signals() as stopping:
        for child in children:
            child.start()
        typer.echo(f"{processes} workers started; Ctrl-C stops.", err=True)
        while any(c.is_alive() for c in children) and not stopping.wait(0.5):
            pass
        for child in children:
            if child.is_alive():
                child.terminate()  # each finishes its input in hand (SIGTERM)
        for child in children:
            child.join()
    failed = [c.name for c in children if c.exitcode not in (0, None)]
    if once and failed:
        raise typer.Exit(1)


def _run(application: object, once: bool) -> None:
    from bot.application.worker import Worker, drain

    if once:
        typer.echo(str(drain(application)))
        return
    worker = Worker(application)
    with stop_on_signals() as stopping:
        typer.echo(f"Worker {worker.name} analysing stored inputs; Ctrl-C stops.", err=True)
        worker.run(stopping)


def _child(settings: Settings, once: bool) -> None:
    from bot.application import Application

    setup_logging()
    with Application.from_settings(settings) as application:
        _run(application, once)
