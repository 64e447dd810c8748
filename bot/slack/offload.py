"""The slow half of ``/nextstep`` in a child process of its own, at a lower priority.

An acknowledgement must leave within Slack's three seconds, and people feel anything
above a few hundred milliseconds. In one interpreter, the analyses, database writes
and answers of the commands before it share the interpreter lock with each new
request, so acks queue behind them. ``nextstep serve`` therefore hands each command's
work (analysis, storage, the answer at ``response_url``, the welcome DM) to a child
that the scheduler runs after the serving process: the acks keep the processor,
the answers follow. A command past the analysis time budget gets a message, and the
child is replaced.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from multiprocessing.connection import Connection
from typing import Any

from slack_bolt.context.respond import Respond

from bot.application.worker import CHILD_NICENESS, ChildProcess
from bot.config import Settings
from bot.slack import blocks
from bot.slack.listeners.common import SORRY

log = logging.getLogger("nextstep.slack")


class CommandChild:
    """Answers ``/nextstep`` commands in a child process, one at a time; safe to call
    from several listener threads (they queue on a lock)."""

    def __init__(self, settings: Settings) -> None:
        self._budget = settings.analysis_time_budget
        self._child = ChildProcess(_child_main, settings)
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Start the child now rather than on the first command (errors are logged;
        the first command tries again)."""
        with self._lock:
            try:
                self._child.start()
            except Exception:
                log.exception("the command process did not start")

    def answer(self, body: dict[str, Any]) -> None:
        """Run the command in ``body`` in the child; if the child cannot answer, tell
        the user at the command's ``response_url``."""
        with self._lock:
            try:
                outcome, _ = self._child.call(body, self._budget)
            except Exception:
                log.exception("the command process did not start")
                outcome = "died"
        if outcome == "done":
            return
        if outcome == "timeout":
            text = (
                f"Checking those notes took longer than {self._budget:g} s, so I stopped. "
                "Nothing you sent is lost; try a shorter paste."
            )
            log.warning("a /nextstep command went over the %g s budget", self._budget)
        else:
            text = SORRY
            log.error("the command process ended without answering")
        with contextlib.suppress(Exception):
            Respond(response_url=body.get("response_url"))(blocks.error_message(text))

    def close(self) -> None:
        with self._lock:
            self._child.close()


def _child_main(conn: Connection, settings: Settings) -> None:
    """The child: the service and Slack clients over its own database connection;
    answers each command body it receives, then says "done"."""
    import bot.engine  # noqa: F401  (loaded before the first command)

    with contextlib.suppress(OSError):  # the serving process acknowledges first
        os.nice(CHILD_NICENESS)
    from bot.application.worker import _engine
    from bot.slack.listeners.commands import answer_command
    from bot.slack.runtime import check_slack_settings, command_service
    from storage.db import make_engine

    engine = _engine(settings, make_engine)
    service, client_for = command_service(settings, engine, check_slack_settings(settings))
    conn.send("ready")
    try:
        while True:
            try:
                body = conn.recv()
            except (EOFError, OSError):
                return
            try:
                client = client_for(body.get("team_id") or "")
                respond = Respond(response_url=body.get("response_url"))
                answer_command(body, respond, service, client)
            except Exception:  # answer_command tells the user; this is for the log
                log.exception("a /nextstep command failed in the command process")
            conn.send("done")
    finally:
        engine.dispose()
