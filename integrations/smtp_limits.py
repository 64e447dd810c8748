"""Limits of the SMTP listener, so one sender or a flood cannot hold it.

- Recipients per message (NEXTSTEP_SMTP_MAX_RECIPIENTS): past it, ``452`` at RCPT.
- Messages per sender per minute (NEXTSTEP_SMTP_SENDER_RATE): past it, ``450`` at MAIL.
- Open connections (NEXTSTEP_SMTP_MAX_CONNECTIONS): past it, ``421`` and the new
  connection is closed before the greeting.
- Idle time (NEXTSTEP_SMTP_IDLE_TIMEOUT seconds without a command): ``421`` and close.
- The message size (NEXTSTEP_SMTP_MAX_BYTES) is aiosmtpd's: announced as SIZE in the
  EHLO reply, ``552`` past it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from aiosmtpd.smtp import SMTP

log = logging.getLogger(__name__)

TOO_MANY_RECIPIENTS = "452 4.5.3 Too many recipients; at most {limit} per message"
SENDER_RATE = "450 4.7.1 <{address}>: too many messages this minute; try again later"
TOO_MANY_CONNECTIONS = "421 4.7.0 {host} Too many connections; try again later\r\n"
IDLE = "421 4.4.2 {host} Idle too long; closing the connection\r\n"
RATE_WINDOW_SECONDS = 60.0


class Limits:
    """The counters behind the limits, shared by every connection of one listener."""

    def __init__(
        self,
        *,
        max_recipients: int,
        max_connections: int,
        sender_rate: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_recipients = max_recipients
        self.max_connections = max_connections
        self.sender_rate = sender_rate
        self._clock = clock
        self._lock = threading.Lock()
        self._open = 0
        self._sent: dict[str, deque[float]] = {}

    @property
    def open_connections(self) -> int:
        return self._open

    def open_connection(self) -> bool:
        """Count a new connection; False (and not counted) when there are too many."""
        with self._lock:
            if self._open >= self.max_connections:
                return False
            self._open += 1
            return True

    def close_connection(self) -> None:
        with self._lock:
            self._open = max(0, self._open - 1)

    def recipient_allowed(self, accepted: int) -> bool:
        return accepted < self.max_recipients

    def sender_allowed(self, address: str) -> bool:
        """Count a message from ``address``; False when it is over its rate."""
        now = self._clock()
        key = address.strip().lower()
        with self._lock:
            times = self._sent.setdefault(key, deque())
            while times and now - times[0] >= RATE_WINDOW_SECONDS:
                times.popleft()
            if len(times) >= self.sender_rate:
                return False
            times.append(now)
            if len(self._sent) > 10_000:  # forget senders quiet for a window
                for stale in [k for k, v in self._sent.items() if not v or v[-1] < now - 60]:
                    del self._sent[stale]
            return True


class LimitedSMTP(SMTP):
    """aiosmtpd's SMTP with a connection limit and a 421 before an idle close."""

    def __init__(self, handler: Any, *, limits: Limits | None = None, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._limits = limits
        self._counted = False
        self._turned_away = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        starttls = self._original_transport is not None
        if self._limits is not None and not starttls and not self._counted:
            if not self._limits.open_connection():
                self._turned_away = True
                log.warning("Refused a connection: %d open", self._limits.open_connections)
                reply = TOO_MANY_CONNECTIONS.format(host=self.hostname)
                transport.write(reply.encode("ascii"))  # type: ignore[attr-defined]
                transport.close()
                return
            self._counted = True
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        if self._turned_away:
            return
        if self._counted and self._limits is not None:
            self._counted = False
            self._limits.close_connection()
        super().connection_lost(error)

    def eof_received(self) -> bool | None:
        if self._turned_away:
            return False
        return super().eof_received()

    def _timeout_cb(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(IDLE.format(host=self.hostname).encode("ascii"))  # type: ignore[attr-defined]
        super()._timeout_cb()  # type: ignore[no-untyped-call]
