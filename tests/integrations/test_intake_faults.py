"""Crash tests: processes killed with SIGKILL in the middle of a batch, then restarted.
Every stored input must end up analysed exactly once (one attempt, one conversation).

SQLite: the serving process (``nextstep smtp``, listener and worker in one) is killed
while mail arrives over real SMTP. PostgreSQL: two ``nextstep work`` processes share
the queue and one is killed.
"""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.application import Application
from bot.config import Settings
from bot.vocabulary import InputSource
from storage.db import make_engine, session_scope
from storage.repo import add_rep

BOT = "nextstep@recaps.acme-robotics.com"
REP = "dana.reyes@acme-robotics.com"
LEASE_SECONDS = "3"
BUDGET_SECONDS = "1.5"
DEADLINE_SECONDS = 150


def recap(n: int) -> bytes:
    return (
        f"From: Dana Reyes <{REP}>\r\n"
        f"To: buyer{n}@customer{n}.example\r\n"
        "Date: Mon, 23 Nov 2026 07:00:00 -0800\r\n"
        f"Message-ID: <recap-{n}@acme-robotics.com>\r\n"
        f"Subject: Recap: call {n}\r\n"
        "\r\n"
        f"Thanks for call {n}. As agreed, we'll send the pilot proposal by Friday noon\r\n"
        "and review it together next Tuesday at 10am.\r\n\r\nSounds good. -- Buyer\r\n"
    ).encode()


def environment(url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "NEXTSTEP_DATA_DIR": str(data_dir),
        "NEXTSTEP_BOT_ADDRESS": BOT,
        "NEXTSTEP_WORKER_LEASE_SECONDS": LEASE_SECONDS,
        "NEXTSTEP_ANALYSIS_TIME_BUDGET": BUDGET_SECONDS,
    }


def register_rep(url: str) -> None:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            add_rep(REP, name="Dana Reyes", tz="America/Los_Angeles", session=session)
    finally:
        engine.dispose()


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("select status, count(*) from inbound_message group by status")
            ).all()
    finally:
        engine.dispose()
    return {str(status): int(n) for status, n in rows}


def wait_until(check: object, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def exactly_once(url: str, expected: int) -> None:
    """Every input processed, in one attempt, into a conversation of its own."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("select status, attempts, conversation_id from inbound_message")
            ).all()
            conversations = connection.execute(sa.text("select count(*) from conversation")).one()
    finally:
        engine.dispose()
    assert len(rows) == expected
    assert sorted({(status, attempts) for status, attempts, _ in rows}) == [("processed", 1)]
    assert len({conversation for _, _, conversation in rows}) == expected
    assert conversations[0] == expected


def kill(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(10)


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                kill(process)


# --- SQLite: the serving process killed while mail arrives ------------------------------


def start_smtp(env: dict[str, str], started: list[subprocess.Popen[str]]) -> int:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "smtp", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    started.append(process)
    assert process.stdout is not None
    line = process.stdout.readline()  # "Listening for recaps to ... on HOST:PORT"
    assert "Listening" in line, line
    return int(line.rsplit(":", 1)[1])


def deliver(port: int, numbers: list[int], accepted: list[int]) -> None:
    for n in numbers:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
                client.sendmail(REP, [BOT], recap(n))
            accepted.append(n)
        except (OSError, smtplib.SMTPException):
            return  # the server is gone: the sender's server would retry later


@pytest.mark.slow
def test_sqlite_serving_process_killed_mid_batch_loses_and_repeats_nothing(
    tmp_path: Path, started: list[subprocess.Popen[str]]
) -> None:
    url = f"sqlite:///{tmp_path / 'nextstep.db'}"
    env = environment(url, tmp_path)
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, check=True)
    register_rep(url)
    port = start_smtp(env, started)
    accepted: list[int] = []
    senders = [
        threading.Thread(target=deliver, args=(port, list(range(k, 24, 4)), accepted))
        for k in range(4)
    ]
    for sender in senders:
        sender.start()
    wait_until(lambda: len(accepted) >= 8, "eight 250 replies")
    kill(started[0])
    for sender in senders:
        sender.join(30)
    first_run = counts(url)
    assert sum(first_run.values()) >= len(accepted)  # every 250 was stored

    port = start_smtp(env, started)
    rest = sorted(set(range(24)) - set(accepted))
    deliver(port, rest, accepted)
    assert sorted(accepted) == list(range(24))
    wait_until(lambda: counts(url) == {"processed": 24}, "every input analysed")
    exactly_once(url, 24)


# --- PostgreSQL: two workers, one killed ------------------------------------------------


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_worker_killed_mid_batch_leaves_every_input_analysed_once(
    postgres_url: str, tmp_path: Path, started: list[subprocess.Popen[str]]
) -> None:
    from tests.conftest import clear_tables

    clear_tables(postgres_url)
    register_rep(postgres_url)
    settings = Settings(_env_file=None, database_url=postgres_url)  # type: ignore[call-arg]
    engine = make_engine(postgres_url)
    try:
        application = Application(engine, settings)
        for n in range(30):
            application.store(recap(n), source=InputSource.SMTP, rep_email=REP)
    finally:
        engine.dispose()
    env = environment(postgres_url, tmp_path)

    def work() -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "work"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        started.append(process)
        return process

    doomed, survivor = work(), work()
    wait_until(lambda: counts(postgres_url).get("processed", 0) >= 6, "six inputs analysed")
    kill(doomed)
    assert counts(postgres_url).get("processed", 0) < 30  # killed mid-batch
    work()  # the restart
    wait_until(lambda: counts(postgres_url) == {"processed": 30}, "every input analysed")
    assert survivor.poll() is None
    exactly_once(postgres_url, 30)
    clear_tables(postgres_url)
