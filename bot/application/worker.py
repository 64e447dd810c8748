"""The intake worker: claims stored inputs (``storage.queue``) and analyses them.

Each input is analysed in a child process with a time budget: past it the child is
killed and the input marked failed with the reason, kept for ``nextstep reprocess``.
The child also keeps a long analysis off the serving process's interpreter, so the
SMTP listener beside one worker answers other senders meanwhile.

``nextstep work`` runs workers on their own (several processes on PostgreSQL);
``nextstep smtp`` and ``nextstep serve`` run one in-process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from sqlalchemy.engine import Engine

from bot.application.doorbell import INPUT_ANALYSED, INPUT_STORED
from bot.config import Settings
from bot.errors import StorageError
from bot.vocabulary import InputStatus

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 1.0
STOP_POLL_SECONDS = 0.25  # how soon a stopping worker notices, mid-analysis
CHILD_START_SECONDS = 120.0
CHILD_NICENESS = 10
LEASE_OVER_BUDGET = 2  # a lease lasts at least twice the time budget


def worker_name() -> str:
    """A name unique to this worker: host, process and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class WorkTally:
    """What a worker did: inputs analysed, failed, and over their time budget."""

    processed: int = 0
    failed: int = 0
    timed_out: int = 0
    ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.processed + self.failed

    def __str__(self) -> str:
        over = f" ({self.timed_out} over the time budget)" if self.timed_out else ""
        return (
            f"{self.total} inputs analysed: {self.processed} processed, {self.failed} failed{over}"
        )


class ChildProcess:
    """A spawned child process that answers one request at a time over a pipe; killed
    and replaced when one takes longer than its budget. ``target(conn, *args)`` sends
    "ready" once it has started, then answers each request it receives."""

    def __init__(self, target: Any, *args: Any) -> None:
        self._target = target
        self._args = args
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def start(self) -> Connection:
        """The running child's pipe, starting the child first if there is none."""
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self.close()
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=self._target, args=(child_end, *self._args), daemon=True
        )
        process.start()
        child_end.close()
        self._process, self._conn = process, parent_end
        # The budget counts the request, not the child's start (imports, connection).
        try:
            ready = parent_end.poll(CHILD_START_SECONDS) and parent_end.recv() == "ready"
        except EOFError:
            ready = False
        if not ready:
            self.close()
            raise StorageError("The analysis process did not start.")
        return parent_end

    def call(
        self, request: Any, budget: float, stop: threading.Event | None = None
    ) -> tuple[str, Any]:
        """("done", the child's answer); ("timeout", None) past the budget, ("stopped",
        None) when ``stop`` was set first (the child is killed in both), or ("died",
        None) when the child ended without answering."""
        conn = self.start()
        conn.send(request)
        deadline = time.monotonic() + budget
        while not conn.poll(min(STOP_POLL_SECONDS, max(0.0, deadline - time.monotonic()))):
            if stop is not None and stop.is_set():
                self.close()
                return "stopped", None
            if time.monotonic() >= deadline:
                self.close()
                return "timeout", None
        try:
            return "done", conn.recv()
        except EOFError:  # the child died (killed, out of memory)
            self.close()
            return "died", None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        self._process = self._conn = None


class AnalysisChild(ChildProcess):
    """The worker's child: analyses one stored input at a time."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(_child_main, settings)

    def analyse(
        self, inbound_id: int, worker: str, budget: float, stop: threading.Event | None = None
    ) -> tuple[str, str | None]:
        """The input's status after analysis and the error; ("timeout", None) past the
        budget, ("stopped", None) when ``stop`` was set first (the child is killed)."""
        outcome, answer = self.call((inbound_id, worker), budget, stop)
        if outcome == "done":
            status: tuple[str, str | None] = answer
            return status
        if outcome == "died":
            return InputStatus.FAILED, "The analysis process ended unexpectedly."
        return outcome, None


def _child_main(conn: Connection, settings: Settings) -> None:
    """The child's loop: an input id in, its status and error out, until the pipe
    closes (the worker stopped or died)."""
    import bot.engine  # noqa: F401  (loaded before the first budget starts)

    with contextlib.suppress(OSError):  # the listener beside it answers senders first
        os.nice(CHILD_NICENESS)
    from bot.application.app import Application
    from storage.db import make_engine

    engine = _engine(settings, make_engine)
    application = Application(engine, settings)
    conn.send("ready")
    try:
        while True:
            try:
                inbound_id, worker = conn.recv()
            except (EOFError, OSError):
                return
            conn.send(analyse_claimed(application, inbound_id, worker))
    finally:
        engine.dispose()


def _engine(settings: Settings, make: Any) -> Engine:
    engine: Engine = make(
        settings.sqlalchemy_url,
        connect_timeout=settings.db_connect_timeout,
        statement_timeout=settings.db_statement_timeout,
    )
    return engine


def analyse_claimed(application: Any, inbound_id: int, worker: str) -> tuple[str, str | None]:
    """Analyse an input ``worker`` claimed, unless its lease was taken over meanwhile."""
    from bot.application.ingest import process_stored
    from storage.models import InboundMessage
    from storage.queue import holds

    with application.session() as session:
        if not holds(inbound_id, worker, session=session):
            return "skipped", None
        inbound = session.get(InboundMessage, inbound_id)
        if inbound is None:
            return "skipped", None
        result = process_stored(
            inbound, session=session, settings=application.settings, now=application.clock()
        )
        session.commit()
    return ("failed", result.error) if result.error else ("processed", None)


class Worker:
    """Claims inputs one at a time and analyses each in the child within the budget."""

    def __init__(
        self,
        application: Any,
        *,
        name: str | None = None,
        budget: float | None = None,
        lease: timedelta | None = None,
    ) -> None:
        settings: Settings = application.settings
        self.application = application
        self.name = name or worker_name()
        self.budget = budget if budget is not None else settings.analysis_time_budget
        floor = timedelta(seconds=self.budget * LEASE_OVER_BUDGET)
        self.lease = max(lease or timedelta(seconds=settings.worker_lease_seconds), floor)
        self._child = AnalysisChild(settings)

    def step(self, stop: threading.Event | None = None) -> int | None:
        """Claim and analyse one input; its id, or None when nothing waits. When
        ``stop`` is set mid-analysis the input goes back to the queue at once."""
        from storage.queue import claim, release

        with self.application.session() as session:
            claimed = claim(self.name, now=_now(), lease=self.lease, session=session)
        if not claimed:
            return None
        inbound_id = claimed[0]
        status, error = self._child.analyse(inbound_id, self.name, self.budget, stop)
        if status == "stopped":
            with self.application.session() as session:
                release([inbound_id], session=session)
            return None
        if status == "timeout":
            self._time_out(inbound_id)
        elif status == "failed":
            log.warning("Input #%d failed: %s", inbound_id, error)
        return inbound_id

    def run_once(self) -> WorkTally:
        """Analyse everything waiting, then return what was done."""
        tally = WorkTally()
        while (inbound_id := self.step()) is not None:
            tally.ids.append(inbound_id)
        self._count(tally)
        return tally

    def run(self, stop: threading.Event) -> None:
        """Analyse inputs as they arrive until ``stop`` is set."""
        log.info("Worker %s started", self.name)
        try:
            while not stop.is_set():
                try:
                    if self.step(stop) is None:
                        INPUT_STORED.wait(stop, IDLE_POLL_SECONDS)
                    else:
                        INPUT_ANALYSED.ring()
                except Exception:  # the database went away: the inputs stay queued
                    log.exception("Worker %s could not claim or record an input", self.name)
                    stop.wait(IDLE_POLL_SECONDS * 5)
        finally:
            self.close()
            log.info("Worker %s stopped", self.name)

    def close(self) -> None:
        self._child.close()

    def _time_out(self, inbound_id: int) -> None:
        from storage.models import InboundMessage
        from storage.queue import holds

        reason = (
            f"The analysis took longer than {self.budget:g} s (NEXTSTEP_ANALYSIS_TIME_BUDGET) "
            f"and was stopped; the input is kept: `nextstep reprocess {inbound_id}` tries again."
        )
        log.warning("Input #%d: analysis stopped after %g s", inbound_id, self.budget)
        with self.application.session() as session:
            if not holds(inbound_id, self.name, session=session):
                return
            inbound = session.get(InboundMessage, inbound_id)
            if inbound is not None:
                inbound.status = InputStatus.FAILED
                inbound.error = reason
                inbound.attempts += 1
                inbound.claimed_by = inbound.lease_until = None
                session.add(inbound)

    def _count(self, tally: WorkTally) -> None:
        from storage.models import InboundMessage

        with self.application.session() as session:
            for inbound_id in tally.ids:
                inbound = session.get(InboundMessage, inbound_id)
                if inbound is None:
                    continue
                if inbound.status == InputStatus.FAILED:
                    tally.failed += 1
                    tally.timed_out += bool(inbound.error and "took longer" in inbound.error)
                else:
                    tally.processed += 1


def drain(application: Any) -> WorkTally:
    """Analyse everything waiting, here and now (``work --once``, ``gmail poll --once``)."""
    worker = Worker(application)
    try:
        return worker.run_once()
    finally:
        worker.close()


def start_worker_thread(application: Any, stop: threading.Event) -> threading.Thread:
    """One worker on a thread of this process (``nextstep smtp`` and ``serve``)."""
    worker = Worker(application)
    thread = threading.Thread(target=worker.run, args=(stop,), name="nextstep-worker", daemon=True)
    thread.start()
    return thread


def _now() -> datetime:
    return datetime.now(UTC)
