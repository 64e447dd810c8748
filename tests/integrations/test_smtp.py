"""The SMTP listener, spoken to with smtplib and raw sockets on a loopback port.

Protocol behaviour (who is refused, what each reply says, garbage, concurrency,
shutdown) runs against an in-memory intake; the end-to-end tests at the bottom run the
real intake on SQLite and PostgreSQL: the listener stores, a worker analyses.
"""

from __future__ import annotations

import logging
import re
import smtplib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.smtp import Envelope
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.application import Application
from bot.application.ingest import Stored
from bot.application.worker import Worker
from bot.config import Settings
from integrations.smtp import (
    DatabaseIntake,
    SenderCheck,
    SmtpListener,
    is_bot_address,
    message_as_received,
    reply_for,
)
from storage.db import session_scope
from storage.models import Conversation, InboundMessage
from storage.repo import add_rep

BOT = "nextstep@recaps.acme-robotics.com"
REP = "dana.reyes@acme-robotics.com"

RECAP = (
    b"From: Dana Reyes <dana.reyes@acme-robotics.com>\r\n"
    b"To: Priya Natarajan <priya.natarajan@northwind-logistics.com>\r\n"
    b"Date: Mon, 23 Nov 2026 07:00:00 -0800\r\n"
    b"Message-ID: <recap-northwind-1@acme-robotics.com>\r\n"
    b"Subject: Recap: Northwind pilot scoping call\r\n"
    b"\r\n"
    b"Hi Priya,\r\n\r\n"
    b"Thanks for the time this morning. As agreed on the call, we'll review the pilot\r\n"
    b"proposal together Thursday at 10am with your operations lead.\r\n\r\n"
    b"Sounds good, see you Thursday. -- Priya\r\n"
)


@dataclass
class MemoryIntake:
    """Registered senders and a list of what was stored."""

    reps: set[str] = field(default_factory=lambda: {REP})
    domains: set[str] = field(default_factory=set)
    received: list[bytes] = field(default_factory=list)
    release: threading.Event | None = None  # when set, store waits for it
    started: threading.Event = field(default_factory=threading.Event)
    ingest_fails: bool = False
    sender_check_fails: bool = False

    def check_sender(self, address: str) -> SenderCheck:
        if self.sender_check_fails:
            raise RuntimeError("database is gone")
        address = address.lower()
        if address in self.reps:
            return SenderCheck(allowed=True, rep_email=address)
        return SenderCheck(allowed=address.rpartition("@")[2] in self.domains)

    def store(self, raw: bytes, *, rep_email: str | None) -> Stored:
        self.started.set()
        if self.release is not None:
            assert self.release.wait(10)
        if self.ingest_fails:
            raise RuntimeError("database is gone: connection to 10.0.0.7 refused")
        if raw in self.received:
            return Stored(self.received.index(raw) + 1, duplicate=True)
        self.received.append(raw)
        return Stored(len(self.received), duplicate=False)


def settings_for(**overrides: object) -> Settings:
    values: dict[str, object] = {"bot_address": BOT, "smtp_max_bytes": 1024 * 1024}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg,arg-type]


@pytest.fixture
def intake() -> MemoryIntake:
    return MemoryIntake()


@pytest.fixture
def listener(intake: MemoryIntake) -> Iterator[SmtpListener]:
    server = SmtpListener(intake, settings_for(), host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop(grace=5)


def connect(listener: SmtpListener) -> smtplib.SMTP:
    host, port = listener.address
    return smtplib.SMTP(host, port, timeout=10)


def send(listener: SmtpListener, sender: str = REP, to: str = BOT, body: bytes = RECAP) -> str:
    """Send one message; the server's reply to the end of DATA."""
    with connect(listener) as client:
        client.ehlo()
        client.mail(sender)
        client.rcpt(to)
        code, reply = client.data(body)
        assert code == 250, reply
        return reply.decode()


# --- who may send, and to whom --------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "accepted"),
    [
        (BOT, True),
        ("NextStep@Recaps.Acme-Robotics.com", True),
        ("nextstep+northwind@recaps.acme-robotics.com", True),
        ("sales@recaps.acme-robotics.com", False),
        ("nextstep@acme-robotics.com", False),
        ("nextstep@recaps.acme-robotics.com.evil.example", False),
    ],
)
def test_only_the_bot_address_is_a_recipient(address: str, accepted: bool) -> None:
    assert is_bot_address(address, BOT) is accepted


def test_mail_to_another_address_is_refused_with_the_right_address(
    listener: SmtpListener, intake: MemoryIntake
) -> None:
    with connect(listener) as client, pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        client.sendmail(REP, ["sales@recaps.acme-robotics.com"], RECAP)
    code, text = refused.value.recipients["sales@recaps.acme-robotics.com"]
    assert code == 550
    assert text.decode().startswith("5.1.1 <sales@recaps.acme-robotics.com>: no such mailbox")
    assert BOT in text.decode()
    assert intake.received == []


def test_unknown_sender_is_refused_and_logged(
    listener: SmtpListener, intake: MemoryIntake, caplog: pytest.LogCaptureFixture
) -> None:
    stranger = "lee@unknown-vendor.example"
    with (
        caplog.at_level(logging.INFO, logger="integrations.smtp"),
        connect(listener) as client,
        pytest.raises(smtplib.SMTPSenderRefused) as refused,
    ):
        client.sendmail(stranger, [BOT], RECAP)
    assert refused.value.smtp_code == 550
    assert refused.value.smtp_error.decode() == (
        f"5.7.1 <{stranger}>: sender not registered; ask your admin to run `nextstep reps add`"
    )
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any(stranger in r.getMessage() for r in warnings)
    assert intake.received == []


def test_sender_in_an_allowed_domain_is_accepted(
    listener: SmtpListener, intake: MemoryIntake
) -> None:
    intake.domains.add("acme-robotics.com")
    send(listener, sender="new.hire@acme-robotics.com")
    assert len(intake.received) == 1


# --- what DATA replies ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "reply"),
    [
        (Stored(41, duplicate=False), "250 OK queued as 41 (received)"),
        (Stored(7, duplicate=True), "250 OK queued as 7 (duplicate)"),
    ],
)
def test_data_reply_says_what_happened(stored: Stored, reply: str) -> None:
    assert reply_for(stored) == reply


@given(st.binary(max_size=4096), st.lists(st.emails(), min_size=1, max_size=3), st.emails())
def test_the_message_as_received_keeps_every_byte(
    content: bytes, rcpts: list[str], sender: str
) -> None:
    envelope = Envelope()
    envelope.mail_from, envelope.rcpt_tos, envelope.original_content = sender, rcpts, content
    raw = message_as_received(envelope)
    assert raw.endswith(content)
    trace = raw[: len(raw) - len(content)].decode()
    assert trace.splitlines() == [f"Return-Path: <{sender}>"] + [
        f"Delivered-To: {r}" for r in rcpts
    ]


def test_accepted_message_reaches_intake_as_received_with_the_envelope(
    listener: SmtpListener, intake: MemoryIntake
) -> None:
    reply = send(listener)
    assert reply == "OK queued as 1 (received)"
    raw = intake.received[0]
    assert raw.startswith(f"Return-Path: <{REP}>\r\nDelivered-To: {BOT}\r\n".encode())
    assert raw.endswith(RECAP)


def test_intake_crash_asks_the_sender_to_retry(
    listener: SmtpListener, intake: MemoryIntake
) -> None:
    intake.ingest_fails = True
    with connect(listener) as client:
        client.ehlo()
        client.mail(REP)
        client.rcpt(BOT)
        code, reply = client.data(RECAP)
    assert (code, reply.decode()) == (
        451,
        "4.3.0 The message could not be stored; please try again later",
    )
    assert intake.received == []  # a 451 means nothing was kept
    intake.ingest_fails = False
    send(listener)
    assert len(intake.received) == 1


def test_sender_check_crash_asks_the_sender_to_retry(
    listener: SmtpListener, intake: MemoryIntake, caplog: pytest.LogCaptureFixture
) -> None:
    intake.sender_check_fails = True
    with connect(listener) as client, pytest.raises(smtplib.SMTPSenderRefused) as refused:
        client.sendmail(REP, [BOT], RECAP)
    assert refused.value.smtp_code == 451
    assert refused.value.smtp_error == b"4.3.0 Temporary local problem; please try again later"
    assert any(r.exc_info and "database is gone" in str(r.exc_info[1]) for r in caplog.records)


def test_oversized_message_is_refused_at_mail_from_when_announced(
    listener: SmtpListener, intake: MemoryIntake
) -> None:
    big = RECAP + b"x" * (2 * 1024 * 1024)
    with connect(listener) as client, pytest.raises(smtplib.SMTPSenderRefused) as refused:
        client.sendmail(REP, [BOT], big)  # smtplib announces SIZE=
    assert refused.value.smtp_code == 552
    assert intake.received == []


# --- garbage leaves the server serving -------------------------------------------------


def talk(listener: SmtpListener, *lines: bytes, close_early: bool = False) -> bytes:
    """Send raw lines on a fresh connection; everything the server said."""
    with socket.create_connection(listener.address, timeout=10) as sock:
        sock.recv(1024)  # banner
        for line in lines:
            sock.sendall(line)
        if close_early:
            return b""
        sock.shutdown(socket.SHUT_WR)
        replies = b""
        while chunk := sock.recv(65536):
            replies += chunk
        return replies


def codes(replies: bytes) -> list[str]:
    """The reply codes, one per reply (the lines of a multi-line reply count once)."""
    return [line[:3].decode() for line in replies.split(b"\r\n") if line[3:4] == b" "]


def envelope() -> list[bytes]:
    return [
        b"EHLO client.example\r\n",
        f"MAIL FROM:<{REP}>\r\n".encode(),
        f"RCPT TO:<{BOT}>\r\n".encode(),
    ]


def test_garbage_then_a_good_message_lands(listener: SmtpListener, intake: MemoryIntake) -> None:
    replies = talk(
        listener,
        b"\x00\xff\xfe HELLO?\r\n",
        b"FROB the server\r\n",
        b"MAIL FROM:<%s>\r\n" % REP.encode(),
        b"EHLO client.example\r\n",
        b"MAIL FROM:\r\n",
        b"RCPT TO:<%s>\r\n" % BOT.encode(),
        b"DATA\r\n",
    )
    assert codes(replies) == ["500", "500", "503", "250", "501", "503", "503"]

    binary = bytes(range(256)) * 40
    talk(
        listener, *envelope(), b"DATA\r\n", binary.replace(b"\r\n.\r\n", b"") + b"\r\n.\r\nQUIT\r\n"
    )

    huge = (b"y" * 998 + b"\r\n") * (30 * 1024 * 1024 // 1000)  # 30 MB, no SIZE announced
    replies = talk(listener, *envelope(), b"DATA\r\n", huge, b".\r\nQUIT\r\n")
    assert codes(replies)[-2:] == ["552", "221"]

    talk(listener, *envelope(), b"DATA\r\n", b"Subject: cut off\r\n\r\nhalf a me", close_early=True)

    received_before = len(intake.received)
    assert send(listener).startswith("OK queued as")
    assert intake.received[-1].endswith(RECAP)
    assert len(intake.received) == received_before + 1


def test_slow_ingest_does_not_block_other_connections(
    listener: SmtpListener, intake: MemoryIntake
) -> None:
    intake.release = threading.Event()
    sender = threading.Thread(target=send, args=(listener,))
    sender.start()
    try:
        assert intake.started.wait(5)
        with connect(listener) as other:
            assert other.ehlo()[0] == 250
            assert other.mail(REP)[0] == 250
    finally:
        intake.release.set()
        sender.join(10)
    assert len(intake.received) == 1


def test_stop_lets_a_running_ingest_finish(intake: MemoryIntake) -> None:
    intake.release = threading.Event()
    server = SmtpListener(intake, settings_for(), host="127.0.0.1", port=0)
    server.start()
    replies: list[str] = []
    sender = threading.Thread(target=lambda: replies.append(send(server)))
    sender.start()
    assert intake.started.wait(5)
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    threading.Timer(0.3, intake.release.set).start()
    stopper.join(10)
    sender.join(10)
    assert replies == ["OK queued as 1 (received)"]
    with pytest.raises(OSError):
        socket.create_connection(server.address, timeout=2)


def test_busy_port_is_a_clear_error(listener: SmtpListener, intake: MemoryIntake) -> None:
    from bot.errors import ConfigError

    host, port = listener.address
    second = SmtpListener(intake, settings_for(), host=host, port=port)
    with pytest.raises(ConfigError, match=f"cannot listen on {host}:{port}"):
        second.start()


# --- end to end: the real intake on SQLite and PostgreSQL --------------------------------

SMTP_DATA = Path(__file__).resolve().parents[1] / "data" / "smtp"
NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def message(name: str) -> bytes:
    """A fixture message with the CRLF line ends SMTP carries."""
    return (SMTP_DATA / name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@pytest.fixture
def live(engine: Engine, db_settings: Settings) -> Iterator[SmtpListener]:
    """The listener on the test database, with Dana registered as a rep."""
    settings = db_settings.model_copy(
        update={
            "bot_address": BOT,
            "smtp_max_bytes": 256 * 1024,
            "allowed_sender_domains": ["acme-robotics.com"],
        }
    )
    with session_scope(engine) as session:
        add_rep(REP, name="Dana Reyes", tz="America/Los_Angeles", session=session)
    server = SmtpListener(
        DatabaseIntake(Application(engine, settings, clock=lambda: NOW)),
        settings,
        host="127.0.0.1",
        port=0,
    )
    server.start()
    yield server
    server.stop(grace=5)


def work(live: SmtpListener) -> None:
    """Run a worker over what the listener stored, as ``nextstep smtp`` does."""
    intake = live.handler._intake
    assert isinstance(intake, DatabaseIntake)
    worker = Worker(intake._application, budget=60)
    try:
        worker.run_once()
    finally:
        worker.close()


def inputs(engine: Engine) -> list[InboundMessage]:
    with Session(engine) as session:
        return list(session.exec(select(InboundMessage).order_by(col(InboundMessage.id))))


def stored_conversations(engine: Engine) -> list[Conversation]:
    with Session(engine) as session:
        return list(session.exec(select(Conversation)))


def test_forwarded_recap_becomes_an_analysed_conversation(
    live: SmtpListener, engine: Engine
) -> None:
    reply = send(live, body=message("forwarded_reply.eml"))

    queued = re.fullmatch(r"OK queued as (\d+) \(received\)", reply)
    assert queued, reply
    [stored] = inputs(engine)
    assert (stored.id, stored.status) == (int(queued[1]), "received")
    assert stored_conversations(engine) == []  # the answer did not wait for the analysis
    work(live)
    [inbound] = inputs(engine)
    assert inbound.id == int(queued[1])
    assert (inbound.source, inbound.rep_email, inbound.status) == ("smtp", REP, "processed")
    assert inbound.raw.startswith(f"Return-Path: <{REP}>\r\nDelivered-To: {BOT}\r\n".encode())
    [conversation] = stored_conversations(engine)
    assert conversation.id == inbound.conversation_id
    assert (conversation.tier, conversation.next_steps_secured) == ("gold", True)
    [step] = conversation.analysis["steps"]
    assert step["due"] == "2026-11-25T14:00:00-08:00"
    assert step["acknowledged"] is True


def test_duplicate_delivery_is_one_conversation(live: SmtpListener, engine: Engine) -> None:
    first = send(live, body=message("recap_sent.eml"))
    work(live)
    second = send(live, body=message("recap_sent.eml"))
    work(live)

    assert first.endswith("(received)")
    assert second == first.replace("(received)", "(duplicate)")
    assert len(inputs(engine)) == 1
    assert len(stored_conversations(engine)) == 1


def test_unregistered_sender_is_refused_and_nothing_stored(
    live: SmtpListener, engine: Engine
) -> None:
    # Decided at the end of DATA: a stranger may only answer a thread already held.
    with connect(live) as client, pytest.raises(smtplib.SMTPDataError) as refused:
        client.sendmail("priya.natarajan@northwind-logistics.com", [BOT], message("recap_sent.eml"))
    assert refused.value.smtp_code == 550
    assert b"not a reply to a thread nextstep holds" in refused.value.smtp_error
    assert inputs(engine) == []


def test_colleague_in_an_allowed_domain_is_accepted(live: SmtpListener, engine: Engine) -> None:
    reply = send(live, sender="sam.ortiz@acme-robotics.com", body=message("recap_sent.eml"))
    assert reply.startswith("OK queued as")
    assert [i.source for i in inputs(engine)] == ["smtp"]


def test_wrong_recipient_is_refused_and_nothing_stored(live: SmtpListener, engine: Engine) -> None:
    with connect(live) as client, pytest.raises(smtplib.SMTPRecipientsRefused):
        client.sendmail(REP, ["priya.natarajan@northwind-logistics.com"], message("recap_sent.eml"))
    assert inputs(engine) == []


def test_oversized_message_is_refused_and_nothing_stored(
    live: SmtpListener, engine: Engine
) -> None:
    padding = b"\r\n" + (b"z" * 78 + b"\r\n") * 4000  # about 320 kB, over the 256 kB limit
    with connect(live) as client, pytest.raises(smtplib.SMTPSenderRefused) as refused:
        client.sendmail(REP, [BOT], message("recap_sent.eml") + padding)
    assert refused.value.smtp_code == 552
    replies = talk(
        live, *envelope(), b"DATA\r\n", message("recap_sent.eml") + padding, b".\r\nQUIT\r\n"
    )
    assert codes(replies)[-2:] == ["552", "221"]
    assert inputs(engine) == []


def test_unreadable_message_is_kept_for_reprocessing(live: SmtpListener, engine: Engine) -> None:
    reply = send(live, body=b"\x00\x01\x02\xff\xfe binary \x00 junk\r\n" * 20)

    assert re.fullmatch(r"OK queued as \d+ \(received\)", reply), reply
    work(live)
    [inbound] = inputs(engine)
    assert inbound.status == "failed"
    assert b"binary" in inbound.raw
    assert stored_conversations(engine) == []
