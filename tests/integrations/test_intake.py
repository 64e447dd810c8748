"""Intake as a mail server and an operator meet it: real SMTP on a loopback port, the
worker that analyses what was stored, and the commands that show and resume the queue.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import stat
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.application import Application
from bot.application.ingest import process_stored
from bot.application.worker import Worker
from bot.config import Settings
from bot.vocabulary import InputSource
from integrations.smtp import DatabaseIntake, SmtpListener
from storage.db import make_engine, session_scope
from storage.models import Conversation, InboundMessage
from storage.repo import add_rep

BOT = "nextstep@recaps.acme-robotics.com"
NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
REP = "dana.reyes@acme-robotics.com"


def recap(
    subject: str, body: str, *, message_id: str, customer: str = "priya@northwind.example"
) -> bytes:
    return (
        f"From: Dana Reyes <{REP}>\r\n"
        f"To: {customer}\r\n"
        "Date: Mon, 23 Nov 2026 07:00:00 -0800\r\n"
        f"Message-ID: <{message_id}>\r\n"
        f"Subject: {subject}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"{body}\r\n"
    ).encode()


CALL = (
    "Thanks for the time this morning. As agreed, we'll review the pilot proposal\r\n"
    "together Thursday at 10am with your operations lead.\r\n\r\n"
    "Sounds good, see you Thursday."
)


@pytest.fixture
def settings(db_settings: Settings) -> Settings:
    return db_settings.model_copy(
        update={"bot_address": BOT, "smtp_max_bytes": 8 * 1024 * 1024, "analysis_time_budget": 60}
    )


@pytest.fixture
def application(engine: Engine, settings: Settings) -> Application:
    with session_scope(engine) as session:
        add_rep(REP, name="Dana Reyes", tz="America/Los_Angeles", session=session)
    return Application(engine, settings)


@pytest.fixture
def listener(application: Application, settings: Settings) -> Iterator[SmtpListener]:
    server = SmtpListener(DatabaseIntake(application), settings, host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop(grace=5)


def send(listener: SmtpListener, raw: bytes, *, utf8: bool = False) -> tuple[int, str]:
    with smtplib.SMTP(*listener.address, timeout=30) as client:
        client.ehlo()
        options = ["SMTPUTF8"] if utf8 else []
        client.mail(REP, options)
        client.rcpt(BOT)
        code, reply = client.data(raw)
        return code, reply.decode()


def work(application: Application, *, budget: float = 60) -> None:
    worker = Worker(application, budget=budget)
    try:
        worker.run_once()
    finally:
        worker.close()


def inputs(engine: Engine) -> list[InboundMessage]:
    with Session(engine) as session:
        return list(session.exec(select(InboundMessage).order_by(col(InboundMessage.id))))


def conversations(engine: Engine) -> list[Conversation]:
    with Session(engine) as session:
        return list(session.exec(select(Conversation).order_by(col(Conversation.id))))


def test_the_250_comes_before_the_analysis_and_a_worker_finishes_it(
    listener: SmtpListener,
    application: Application,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    code, reply = send(listener, recap("Recap: Northwind pilot", CALL, message_id="a@acme"))

    assert (code, reply) == (250, "OK queued as 1 (received)")
    assert "OK queued as 1 (received)" in caplog.text
    assert "Northwind" not in caplog.text and "pilot proposal" not in caplog.text
    assert [i.status for i in inputs(engine)] == ["received"]
    work(application)
    [stored] = inputs(engine)
    assert (stored.status, stored.attempts, stored.error) == ("processed", 1, None)
    assert len(conversations(engine)) == 1


def test_ehlo_announces_the_size_limit(listener: SmtpListener) -> None:
    with smtplib.SMTP(*listener.address, timeout=10) as client:
        client.ehlo()
        assert client.esmtp_features["size"] == str(8 * 1024 * 1024)
        assert "smtputf8" in client.esmtp_features


def test_same_message_id_with_another_body_is_kept_too(
    listener: SmtpListener, application: Application, engine: Engine
) -> None:
    first = recap("Recap: pilot", CALL, message_id="same@acme")
    forged = recap("Recap: pilot", "Nothing was agreed.", message_id="same@acme")
    relayed = b"Received: from relay2.example by mx.example\r\n" + first

    replies = [send(listener, raw)[1] for raw in (first, forged, relayed)]

    assert replies == [
        "OK queued as 1 (received)",
        "OK queued as 2 (received)",
        "OK queued as 1 (duplicate)",
    ]
    assert [b"Nothing was agreed" in i.raw for i in inputs(engine)] == [False, True]


def test_two_recaps_sharing_a_quoted_line_stay_two_conversations(
    listener: SmtpListener, application: Application, engine: Engine
) -> None:
    quoted = "> Our standard terms apply to every pilot agreement and are attached here for you."
    one = recap(
        "Recap: Northwind pilot",
        f"{CALL}\r\n\r\n{quoted}",
        message_id="n1@acme",
        customer="priya@northwind.example",
    )
    two = recap(
        "Recap: Halcyon rollout",
        f"We'll send the rollout plan by Friday noon.\r\n\r\n{quoted}",
        message_id="h1@acme",
        customer="omar@halcyon.example",
    )
    send(listener, one)
    send(listener, two)
    work(application)

    found = conversations(engine)
    assert [c.subject for c in found] == ["Recap: Northwind pilot", "Recap: Halcyon rollout"]


def test_raw_utf8_headers_are_read(
    listener: SmtpListener, application: Application, engine: Engine
) -> None:
    raw = recap("Récap: projet pilote — jeudi", CALL, message_id="é1@acme.example")
    raw = raw.replace(b"Dana Reyes", "Dana Reyès".encode())

    code, _ = send(listener, raw, utf8=True)
    work(application)

    assert code == 250
    [stored] = inputs(engine)
    assert (stored.status, stored.error) == ("processed", None)
    assert stored.message_id == "é1@acme.example"
    [conversation] = conversations(engine)
    assert conversation.subject == "Récap: projet pilote — jeudi"


def test_a_body_over_the_text_limit_fails_with_the_reason_and_is_kept(
    listener: SmtpListener, application: Application, engine: Engine
) -> None:
    big = CALL + "\r\n" + ("Line of the transcript that goes on and on. " * 20 + "\r\n") * 6000

    code, _ = send(listener, recap("Recap: long", big, message_id="big@acme"))
    work(application)

    assert code == 250
    [stored] = inputs(engine)
    assert stored.status == "failed"
    assert "larger than nextstep analyses in one go" in (stored.error or "")
    assert len(stored.raw) > 5 * 1024 * 1024


def test_an_analysis_past_its_budget_is_stopped_failed_and_kept(
    listener: SmtpListener, application: Application, engine: Engine
) -> None:
    send(listener, recap("Recap: pilot", CALL, message_id="slow@acme"))

    started = time.monotonic()
    work(application, budget=0.001)

    assert time.monotonic() - started < 60
    [stored] = inputs(engine)
    assert stored.status == "failed"
    assert "took longer than 0.001 s" in (stored.error or "")
    assert stored.raw.endswith(b"see you Thursday.\r\n")
    assert conversations(engine) == []


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh' / 'nextstep.db'}")
    try:
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    finally:
        engine.dispose()
    assert mode == 2  # FULL: a commit is on disk before the 250
    assert stat.S_IMODE((tmp_path / "fresh" / "nextstep.db").stat().st_mode) == 0o600


# --- a database that accepts connections and never answers ----------------------------


@pytest.fixture
def hung_database() -> Iterator[str]:
    """A PostgreSQL URL whose server accepts the connection and never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"postgresql+psycopg://nextstep@127.0.0.1:{server.getsockname()[1]}/nextstep"
    stop.set()
    thread.join(5)
    for connection in held:
        connection.close()
    server.close()


def test_a_hung_database_gets_451_within_seconds(hung_database: str, tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        bot_address=BOT,
        database_url=hung_database,
        db_connect_timeout=2,
    )
    engine = make_engine(settings.sqlalchemy_url, connect_timeout=2)
    server = SmtpListener(
        DatabaseIntake(Application(engine, settings)), settings, host="127.0.0.1", port=0
    )
    server.start()
    try:
        started = time.monotonic()
        with smtplib.SMTP(*server.address, timeout=30) as client:
            client.ehlo()
            code, reply = client.mail(REP)
        elapsed = time.monotonic() - started
    finally:
        server.stop(grace=5)
        engine.dispose()
    assert code == 451
    assert b"Traceback" not in reply and b"psycopg" not in reply
    assert elapsed < 10


def test_db_upgrade_on_a_hung_database_exits_5(hung_database: str, tmp_path: Path) -> None:
    import subprocess

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        env={
            "DATABASE_URL": hung_database,
            "NEXTSTEP_DB_CONNECT_TIMEOUT": "2",
            "NEXTSTEP_DATA_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 5, done.stderr
    assert done.stderr.startswith("nextstep: The database could not be used.")
    assert "timeout" in done.stderr.lower()
    assert time.monotonic() - started < 30


def test_two_first_messages_of_one_thread_at_once_make_one_conversation(
    application: Application, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second worker looked for the thread before the first committed it: its
    conversation insert hits the unique thread key, and it retries into the thread."""
    import storage.threads

    first = recap("Recap: pilot", CALL, message_id="t1@acme")
    reply = recap("Re: Recap: pilot", "Confirmed for Thursday at 10am.", message_id="t2@acme")
    reply = reply.replace(
        b"Subject:", b"References: <t1@acme>\r\nIn-Reply-To: <t1@acme>\r\nSubject:"
    )
    application.store(first, source=InputSource.SMTP, rep_email=REP)
    application.store(reply, source=InputSource.SMTP, rep_email=REP)
    real = storage.threads.find_thread
    missed: list[int] = []

    def late(clues: storage.threads.ThreadClues, *, session: Session) -> Conversation | None:
        if clues.named_ids and not missed:
            missed.append(1)
            return None  # as if the first message's conversation were not committed yet
        return real(clues, session=session)

    monkeypatch.setattr("bot.application.ingest.find_thread", late)
    with application.session() as session:
        for inbound_id in (1, 2):
            stored = session.get(InboundMessage, inbound_id)
            assert stored is not None
            process_stored(stored, session=session, settings=application.settings, now=NOW)

    assert missed == [1]
    [conversation] = conversations(engine)
    assert [(i.status, i.attempts, i.conversation_id) for i in inputs(engine)] == [
        ("processed", 1, conversation.id),
        ("processed", 1, conversation.id),
    ]


def test_a_stopping_worker_puts_the_input_in_hand_back_at_once(
    listener: SmtpListener, application: Application, engine: Engine
) -> None:
    line = "Action item: we'll send the order form by Thursday 3pm and you confirm by Friday.\r\n"
    send(listener, recap("Recap: long workshop", line * 40_000, message_id="long@acme"))
    worker = Worker(application, budget=600)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,))
    thread.start()
    deadline = time.monotonic() + 60
    while inputs(engine)[0].status != "processing" and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)

    stopped_at = time.monotonic()
    stop.set()
    thread.join(30)

    assert not thread.is_alive()
    assert time.monotonic() - stopped_at < 10
    [stored] = inputs(engine)
    assert (stored.status, stored.claimed_by, stored.attempts) == ("received", None, 0)
