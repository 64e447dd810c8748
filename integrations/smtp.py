"""The SMTP listener: reps forward recaps to the bot's address and they are ingested as
they arrive.

An aiosmtpd server. Mail is accepted only for the bot's address. Registered reps and
allowed domains may send anything; anyone else only a reply into a thread the bot
holds, decided at the end of DATA before anything is stored, with sender
authentication where configured (``integrations.smtp_trust``); limits, STARTTLS and
AUTH live in ``smtp_limits`` and ``smtp_tls``. Refusals come while the sender's server
is still talking to us, so it tells them why. The message itself goes, exactly as
received, to the ingestion service on a worker thread so the server keeps answering
other connections meanwhile.

Replies to DATA (the end of a message):

- ``250 OK queued as <id> (received)``: the message is stored and committed; a worker
  (``bot.application.worker``) analyses it apart from the SMTP conversation. What the
  250 promises is in the README (Durability).
- ``250 OK queued as <id> (duplicate)``: the same bytes were stored before.
- ``451 4.3.0 ...``: the message could not be stored (database down or hung, our own
  bug); nothing was kept, so the sender's server retries later. No internal error text
  is sent back.
- ``552`` (from aiosmtpd): over the size announced in EHLO (``SIZE``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from bot.application import Application
from bot.application.ingest import Stored
from bot.config import Settings
from bot.errors import ConfigError
from bot.vocabulary import InputSource
from integrations.smtp_limits import SENDER_RATE, TOO_MANY_RECIPIENTS, LimitedSMTP, Limits
from integrations.smtp_tls import smtp_options
from integrations.smtp_trust import Delivery, MailGate, gate_for
from storage.repo import normalise_address

log = logging.getLogger(__name__)

SOURCE = InputSource.SMTP
# Lines longer than RFC 5321's 1000 octets do arrive from real mail clients (unwrapped
# HTML); refusing them would lose a recap, and the size limit still bounds the message.
LINE_LENGTH_LIMIT = 64 * 1024
SHUTDOWN_GRACE_SECONDS = 30.0

REFUSED_SENDER = (
    "550 5.7.1 <{address}>: sender not registered; ask your admin to run `nextstep reps add`"
)
REFUSED_RECIPIENT = "550 5.1.1 <{address}>: no such mailbox here; forward recaps to <{bot_address}>"
NOT_STORED = "451 4.3.0 The message could not be stored; please try again later"
ACCEPTED = "250 OK queued as {inbound_id} ({status})"

_REPLY_UNSAFE = re.compile(r"[^\x20-\x7e]+")
_SUBADDRESS = re.compile(r"\+[^@]*@")

T = TypeVar("T")


@dataclass(frozen=True)
class SenderCheck:
    """Whether a sender may mail the bot, and the rep's address when it is a rep."""

    allowed: bool
    rep_email: str | None = None


class MailIntake(Protocol):
    """What the listener needs from the rest of nextstep."""

    def check_sender(self, address: str) -> SenderCheck: ...

    def store(self, raw: bytes, *, rep_email: str | None) -> Stored: ...


class DatabaseIntake:
    """The real intake: the application's reps and ingestion service."""

    def __init__(self, application: Application) -> None:
        self._application = application

    def check_sender(self, address: str) -> SenderCheck:
        if self._application.is_rep(address):
            return SenderCheck(allowed=True, rep_email=normalise_address(address))
        return SenderCheck(allowed=self._application.sender_allowed(address))

    def store(self, raw: bytes, *, rep_email: str | None) -> Stored:
        return self._application.store(raw, source=SOURCE, rep_email=rep_email)

    def reply_thread(self, message_ids: list[str], sender: str) -> int | None:
        return self._application.reply_thread(message_ids, sender)


class RecapEnvelope(Envelope):
    """An envelope that remembers which rep sent it."""

    def __init__(self) -> None:
        super().__init__()
        self.rep_email: str | None = None
        self.allowed = False  # a rep or an allowed domain (others: replies only)


def is_bot_address(address: str, bot_address: str) -> bool:
    """The bot's address, any case, with or without a ``+tag`` on the local part."""
    plain = _SUBADDRESS.sub("@", address, count=1)
    return plain.casefold() == bot_address.casefold()


def message_as_received(envelope: Envelope) -> bytes:
    """The message with the envelope recorded the way a final delivery does (RFC 5321
    4.4): ``Return-Path`` and ``Delivered-To`` lines on top of the bytes as sent."""
    trace = f"Return-Path: <{envelope.mail_from}>\r\n"
    trace += "".join(f"Delivered-To: {rcpt}\r\n" for rcpt in envelope.rcpt_tos)
    return trace.encode("utf-8", "surrogateescape") + (envelope.original_content or b"")


def reply_for(stored: Stored) -> str:
    """The DATA reply for a stored message (see the module docstring)."""
    status = "duplicate" if stored.duplicate else "received"
    return ACCEPTED.format(inbound_id=stored.inbound_id, status=status)


class RecapHandler:
    """aiosmtpd hooks: refuse strangers early, ingest the message on a worker thread."""

    def __init__(
        self,
        intake: MailIntake,
        *,
        bot_address: str,
        executor: ThreadPoolExecutor,
        gate: MailGate | None = None,
        limits: Limits | None = None,
    ):
        self._intake = intake
        self._bot_address = bot_address
        self._executor = executor
        self._gate = gate  # None: only registered senders, decided at MAIL
        self.limits = limits
        self._busy = 0
        self._idle = threading.Condition()

    async def _off_loop(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        with self._idle:
            self._busy += 1
        try:
            return await loop.run_in_executor(self._executor, lambda: call(*args, **kwargs))
        finally:
            # This runs on the loop in the same step that hands aiosmtpd the reply to
            # write, so once ``wait_idle`` sees zero the reply is on its way.
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until no ingest is running (True) or the timeout passes (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: RecapEnvelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self.limits is not None and not self.limits.sender_allowed(address):
            log.warning("Deferred mail from %s (%s): over its rate", address, session.peer)
            return SENDER_RATE.format(address=address)
        check = await self._off_loop(self._intake.check_sender, address)
        if not check.allowed and self._gate is None:
            log.warning("Refused mail from %s (%s): sender not registered", address, session.peer)
            return REFUSED_SENDER.format(address=address)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        envelope.rep_email = check.rep_email
        envelope.allowed = check.allowed
        return "250 OK"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: RecapEnvelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.limits is not None and not self.limits.recipient_allowed(len(envelope.rcpt_tos)):
            return TOO_MANY_RECIPIENTS.format(limit=self.limits.max_recipients)
        if not is_bot_address(address, self._bot_address):
            log.info(
                "Refused mail from %s to %s: not the bot's address", envelope.mail_from, address
            )
            return REFUSED_RECIPIENT.format(address=address, bot_address=self._bot_address)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: RecapEnvelope) -> str:
        raw = message_as_received(envelope)
        rep_email = envelope.rep_email
        if self._gate is not None:  # who may send this, decided before anything is stored
            try:
                decision = await self._off_loop(self._gate.decide, delivery(session, envelope))
            except Exception:
                log.exception("Could not decide on mail from %s", envelope.mail_from)
                return NOT_STORED
            if not decision.accepted:
                log.warning("Refused mail from %s: %s", envelope.mail_from, decision.reason)
                return decision.reply or NOT_STORED
            rep_email = decision.rep_email
        try:
            stored = await self._off_loop(self._intake.store, raw, rep_email=rep_email)
        except Exception:  # nothing was committed: the sender's server retries
            log.exception("Could not store mail from %s (%d bytes)", envelope.mail_from, len(raw))
            return NOT_STORED
        reply = reply_for(stored)
        log.info("Mail from %s (%d bytes): %s", envelope.mail_from, len(raw), reply)
        return reply

    async def handle_exception(self, error: Exception) -> str:
        # Called by aiosmtpd inside its except block, so the traceback is available.
        log.exception("SMTP session error: %s", error)
        return "451 4.3.0 Temporary local problem; please try again later"


def delivery(session: Session, envelope: RecapEnvelope) -> Delivery:
    """What the gate needs to know about a message at the end of DATA."""
    peer = session.peer if isinstance(session.peer, tuple) else None
    return Delivery(
        raw=envelope.original_content or b"",
        mail_from=envelope.mail_from or "",
        rep_email=envelope.rep_email,
        allowed=envelope.allowed,
        peer_ip=str(peer[0]) if peer else None,
        helo=session.host_name,
        logged_in=bool(session.authenticated),
    )


class RecapSMTP(LimitedSMTP):
    line_length_limit = LINE_LENGTH_LIMIT

    def _create_envelope(self) -> RecapEnvelope:
        return RecapEnvelope()


class RecapController(Controller):
    """aiosmtpd's threaded controller, serving ``RecapSMTP`` and able to bind port 0."""

    def factory(self) -> RecapSMTP:
        limits = getattr(self.handler, "limits", None)
        return RecapSMTP(self.handler, limits=limits, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def probe_bind(host: str, port: int) -> None:
    """Raise the OSError that binding ``host:port`` would raise, as asyncio binds it."""
    for family, kind, proto, _name, address in socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    ):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)


class SmtpListener:
    """The listener's life cycle: start, serve until told to stop, stop gracefully."""

    def __init__(
        self,
        intake: MailIntake,
        settings: Settings,
        *,
        host: str | None = None,
        port: int | None = None,
        workers: int = 4,
        gate: MailGate | None = None,
    ) -> None:
        options = smtp_options(settings)  # a ConfigError before anything starts
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="nextstep-smtp")
        self.handler = RecapHandler(
            intake,
            bot_address=settings.bot_address,
            executor=self._executor,
            gate=gate or gate_for(intake, settings),
            limits=Limits(
                max_recipients=settings.smtp_max_recipients,
                max_connections=settings.smtp_max_connections,
                sender_rate=settings.smtp_sender_rate,
            ),
        )
        self.controller = RecapController(
            self.handler,
            hostname=settings.smtp_host if host is None else host,
            port=settings.smtp_port if port is None else port,
            data_size_limit=settings.smtp_max_bytes,  # announced as SIZE in EHLO
            enable_SMTPUTF8=True,
            # The banner names the bot's domain; it also spares a reverse DNS lookup.
            server_hostname=settings.bot_address.rpartition("@")[2] or "localhost",
            **options,
        )

    @property
    def address(self) -> tuple[str, int]:
        return self.controller.hostname, self.controller.port

    def start(self) -> None:
        host, port = self.address
        try:
            probe_bind(host, port)  # fails fast; the controller only reports after a timeout
            self.controller.start()
        except OSError as error:
            raise ConfigError(
                f"The SMTP listener cannot listen on {host}:{port} ({error.strerror or error});"
                " choose another with --host/--port or NEXTSTEP_SMTP_HOST/NEXTSTEP_SMTP_PORT."
            ) from error
        log.info("Listening for recaps on %s:%d", *self.address)

    def stop(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Stop accepting connections, let running ingests finish, then shut down."""
        server, loop = self.controller.server, self.controller.loop
        if server is not None and loop.is_running():
            loop.call_soon_threadsafe(server.close)
        if not self.handler.wait_idle(grace):
            log.warning("Stopping with ingests still running after %.0f s", grace)
        self.controller.stop(no_assert=True)
        self._executor.shutdown(wait=True)
        log.info("SMTP listener stopped")

    def __enter__(self) -> SmtpListener:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
