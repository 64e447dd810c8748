"""``nextstep smtp`` and ``nextstep gmail poll`` as a user runs them: a real process."""

from __future__ import annotations

import json
import os
import re
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from bot.application.process import stop_on_signals
from bot.cli.inbox import register
from bot.errors import ConfigError, UsageError
from storage.db import make_engine, session_scope, upgrade
from storage.models import Conversation, InboundMessage
from storage.repo import add_rep

BOT = "nextstep@recaps.acme-robotics.com"
REP = "dana.reyes@acme-robotics.com"
RECAP = (
    b"From: Dana Reyes <dana.reyes@acme-robotics.com>\r\n"
    b"To: Priya Natarajan <priya.natarajan@northwind-logistics.com>\r\n"
    b"Date: Mon, 24 Nov 2026 07:00:00 -0800\r\n"
    b"Message-ID: <recap-northwind-cli@acme-robotics.com>\r\n"
    b"Subject: Recap: Northwind pilot scoping call\r\n"
    b"\r\n"
    b"As agreed, we'll review the pilot proposal together Thursday at 10am.\r\n"
)


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXTSTEP_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'nextstep.db'}",
        NEXTSTEP_DATA_DIR=str(tmp_path),
        NEXTSTEP_BOT_ADDRESS=BOT,
        PYTHONUNBUFFERED="1",
    )
    return env


def nextstep(*args: str) -> list[str]:
    return [sys.executable, "-c", "from bot.cli import main; main()", *args]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_smtp_serves_until_a_signal_then_exits_cleanly(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    url = environment(tmp_path)["DATABASE_URL"]
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        add_rep(REP, tz="America/Los_Angeles", session=session)
    engine.dispose()
    process = subprocess.Popen(
        nextstep("smtp", "--host", "127.0.0.1", "--port", "0"),
        env=environment(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline().decode()
        match = re.search(rf"Listening for recaps to {BOT} on 127\.0\.0\.1:(\d+)", banner)
        assert match, banner + process.stderr.read().decode()  # type: ignore[union-attr]
        with smtplib.SMTP("127.0.0.1", int(match[1]), timeout=10) as client:
            client.ehlo()
            client.mail(REP)
            client.rcpt(BOT)
            code, reply = client.data(RECAP)
        assert (code, reply) == (250, b"OK queued as 1 (received)")
        # The worker running beside the listener analyses what was stored.
        assert wait_for_status(url, 1, "processed", timeout=90), process.poll()
        process.send_signal(stop_signal)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err.decode()
    log = err.decode()
    assert re.search(
        rf"Mail from {re.escape(REP)} \(\d+ bytes\): 250 OK queued as 1 \(received\)", log
    )
    assert "SMTP listener stopped" in log
    assert re.search(r"Worker \S+ stopped", log)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            [conversation] = session.exec(select(Conversation)).all()
            assert conversation.subject == "Recap: Northwind pilot scoping call"
    finally:
        engine.dispose()


def wait_for_status(url: str, inbound_id: int, status: str, *, timeout: float) -> bool:
    """Whether stored input ``inbound_id`` reaches ``status`` within ``timeout`` seconds."""
    engine = make_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with Session(engine) as session:
                inbound = session.get(InboundMessage, inbound_id)
                if inbound is not None and inbound.status == status:
                    return True
            time.sleep(0.2)
        return False
    finally:
        engine.dispose()


def invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str, **env: str) -> Result:
    """Run the inbox commands in this process, with the test environment."""
    for name in [n for n in os.environ if n.startswith("NEXTSTEP_")]:
        monkeypatch.delenv(name)
    for name, value in (environment(tmp_path) | env).items():
        monkeypatch.setenv(name, value)
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, list(args))


def test_smtp_rejects_a_port_that_is_not_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke(tmp_path, monkeypatch, "smtp", "--port", "70000")
    assert isinstance(result.exception, UsageError)
    assert result.exception.exit_code == 2
    assert "--port 70000 is not a TCP port" in result.exception.message


def test_gmail_poll_without_credentials_says_how_to_give_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke(tmp_path, monkeypatch, "gmail", "poll", "--once")
    assert isinstance(result.exception, ConfigError)
    assert "Gmail is not connected: run `nextstep gmail connect`" in result.exception.message


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            {"type": "service_account", "client_email": "poller@acme.iam.gserviceaccount.com"},
            "pass --user",
        ),
        ({"type": "authorized_user", "client_id": "x"}, "Cannot read Gmail credentials"),
        ("not json at all", "Cannot read Gmail credentials"),
        ("[1, 2]", "Cannot read Gmail credentials"),
    ],
)
def test_gmail_poll_with_unusable_credentials_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: object, message: str
) -> None:
    path = tmp_path / "key.json"
    path.write_text(key if isinstance(key, str) else json.dumps(key))
    result = invoke(tmp_path, monkeypatch, "gmail", "poll", "--once", "--credentials", str(path))
    assert isinstance(result.exception, ConfigError)
    assert result.exception.exit_code == 7
    assert message in result.exception.message


@pytest.mark.parametrize("inherited", [signal.default_int_handler, signal.SIG_IGN])
def test_first_signal_asks_to_stop_and_a_second_one_interrupts(inherited: object) -> None:
    """Whatever SIGINT handler the process inherited (a shell that starts pytest in the
    background hands it an ignored SIGINT): the second Ctrl-C interrupts."""
    original = signal.signal(signal.SIGINT, inherited)  # type: ignore[arg-type]
    try:
        _first_asks_to_stop_second_interrupts()
    finally:
        signal.signal(signal.SIGINT, original)


def _first_asks_to_stop_second_interrupts() -> None:
    before = signal.getsignal(signal.SIGINT)
    with stop_on_signals() as stopping:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C: finish the work in hand
        assert stopping.wait(5)
        with pytest.raises(KeyboardInterrupt):  # Ctrl-C again: stop now
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
    assert signal.getsignal(signal.SIGINT) is before


def test_gmail_poll_once_runs_one_pass_and_reports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from googleapiclient.http import HttpMockSequence

    from integrations.gmail import GmailMailbox

    data = Path(__file__).resolve().parents[1] / "data" / "gmail"
    answers = [
        "labels_list_with_processed",
        "profile",
        "messages_list_page2",
        "message_raw_19a8c3e1f04b7d21",
        "message_modified",
    ]
    http = HttpMockSequence(
        [({"status": "200"}, (data / f"{a}.json").read_text()) for a in answers]
    )
    opened: list[tuple[Path, str | None]] = []

    def from_credentials_file(path: Path, *, user: str | None = None, **_: object) -> GmailMailbox:
        opened.append((path, user))
        return GmailMailbox.from_http(http, num_retries=0)

    monkeypatch.setattr(GmailMailbox, "from_credentials_file", from_credentials_file)
    token = tmp_path / "token.json"

    result = invoke(
        tmp_path,
        monkeypatch,
        "gmail",
        "poll",
        "--once",
        "--label",
        "nextstep",
        "--credentials",
        str(token),
        NEXTSTEP_DEFAULT_TZ="America/Los_Angeles",
    )

    assert result.exit_code == 0, result.output
    assert "Gmail full sync: 1 ingested, 0 duplicates, 0 failed, 0 skipped" in result.output
    assert opened == [(token, None)]
    assert http._iterable == []  # every recorded answer was asked for
