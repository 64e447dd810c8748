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
from typer.testing import CliRunner

from bot.cli.inbox import register, stop_on_signals

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
    added = run(tmp_path, "reps", "add", REP, "--tz", "America/Los_Angeles")
    assert added.returncode == 0, added.stderr
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
            client.sendmail(REP, [BOT], RECAP)
        process.send_signal(stop_signal)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err.decode()
    log = err.decode()
    assert f"Mail from {REP}: 250 OK queued as 1 (ingested)" in log
    assert "SMTP listener stopped" in log


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        nextstep(*args),
        env=environment(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_smtp_rejects_a_port_that_is_not_one(tmp_path: Path) -> None:
    result = run(tmp_path, "smtp", "--port", "70000")
    assert result.returncode == 2
    assert "--port 70000 is not a TCP port" in result.stderr


def test_gmail_poll_without_credentials_says_how_to_give_them(tmp_path: Path) -> None:
    result = run(tmp_path, "gmail", "poll", "--once")
    assert result.returncode == 2
    assert "Pass --credentials (or set NEXTSTEP_GMAIL_CREDENTIALS)" in result.stderr


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
    tmp_path: Path, key: object, message: str
) -> None:
    path = tmp_path / "key.json"
    path.write_text(key if isinstance(key, str) else json.dumps(key))
    result = run(tmp_path, "gmail", "poll", "--once", "--credentials", str(path))
    assert result.returncode == 7, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_first_signal_asks_to_stop_and_a_second_one_interrupts() -> None:
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

    def from_credentials_file(path: Path, *, user: str | None = None) -> GmailMailbox:
        opened.append((path, user))
        return GmailMailbox.from_http(http, num_retries=0)

    monkeypatch.setattr(GmailMailbox, "from_credentials_file", from_credentials_file)
    for name, value in environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NEXTSTEP_DEFAULT_TZ", "America/Los_Angeles")
    app = typer.Typer()
    register(app)
    token = tmp_path / "token.json"

    result = CliRunner().invoke(
        app, ["gmail", "poll", "--once", "--label", "nextstep", "--credentials", str(token)]
    )

    assert result.exit_code == 0, result.output
    assert "Gmail full sync: 1 ingested, 0 duplicates, 0 failed, 0 skipped" in result.output
    assert opened == [(token, None)]
    assert http._iterable == []  # every recorded answer was asked for
