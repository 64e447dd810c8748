"""The life of a long-running process (the SMTP listener, the Gmail poller, the Slack
app, the scheduler): logging on stderr, and stopping gracefully on a signal."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

log = logging.getLogger("nextstep.process")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# What a second signal does: Ctrl-C raises KeyboardInterrupt, SIGTERM ends the process.
AT_ONCE: dict[int, Any] = {
    signal.SIGINT: signal.default_int_handler,
    signal.SIGTERM: signal.SIG_DFL,
}


def setup_logging() -> None:
    """INFO lines on stderr, unless the process configured logging already."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by the first SIGINT or SIGTERM; a second one stops at once
    (KeyboardInterrupt, or the end of the process), whatever handler the process
    inherited (a shell starting it in the background ignores SIGINT). The handlers in
    place before are put back at the end."""
    stopping = threading.Event()
    previous: dict[int, Any] = {sig: signal.getsignal(sig) for sig in AT_ONCE}

    def handle(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received: finishing the work in hand", signal.Signals(signum).name)
        stopping.set()
        signal.signal(signum, AT_ONCE[signum])

    for sig in AT_ONCE:
        signal.signal(sig, handle)
    try:
        yield stopping
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
