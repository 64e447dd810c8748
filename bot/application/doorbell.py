"""In-process wake-ups. A stored input wakes the intake worker at once, and an
analysed one wakes the nudge scheduler, instead of each waiting for its next poll
(the post-meeting DM then follows the recap within the analysis time). Only within
one process: other processes still find the work by polling."""

from __future__ import annotations

import threading
import time

STOP_CHECK_SECONDS = 0.1  # how soon a waiter notices its stop event


class Doorbell:
    def __init__(self) -> None:
        self._rung = threading.Event()

    def ring(self) -> None:
        self._rung.set()

    def wait(self, stop: threading.Event, timeout: float) -> bool:
        """Until the bell rings (True: it is cleared for the next ring), ``stop`` is set
        or ``timeout`` seconds pass (False)."""
        deadline = time.monotonic() + timeout
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self._rung.wait(min(left, STOP_CHECK_SECONDS)):
                self._rung.clear()
                return True
        return False


INPUT_STORED = Doorbell()  # rung by Application.store, heard by the intake worker
INPUT_ANALYSED = Doorbell()  # rung by the worker and by ingest, heard by the scheduler
