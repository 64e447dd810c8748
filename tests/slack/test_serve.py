"""``nextstep serve`` as a process: a recap over SMTP from a mapped rep becomes a DM on
the local Slack server; a button click updates the step and republishes App Home; a
signed ``/nextstep`` is answered at its response_url. And each wrong setting gets its
own message, with no secret in the output."""

from __future__ import annotations

import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from bot.errors import UsageError
from storage.db import make_engine, upgrade
from storage.models import NextStep
from storage.repo import add_rep
from tests.slack.fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlackApi,
    command_body,
    interactive_body,
    signed_post,
)
from tests.slack.limits import texts

pytestmark = pytest.mark.slow

BOT = "nextstep@bot.example"
RECAP = """Hi Priya,

Thanks for the call today. Recap of what we agreed:
Let's reconnect next week about the rollout.

Best,
Dana
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def environment(tmp_path: Path, api: FakeSlackApi) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'nextstep.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        add_rep(
            "dana@acme.example",
            name="Dana Reyes",
            slack_user_id="U0DANA",
            tz="America/Los_Angeles",
            session=session,
        )
        session.commit()
    engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXTSTEP_")}
    env.update(
        DATABASE_URL=url,
        NEXTSTEP_DATA_DIR=str(tmp_path),
        NEXTSTEP_BOT_ADDRESS=BOT,
        NEXTSTEP_SMTP_HOST="127.0.0.1",
        NEXTSTEP_SMTP_PORT=str(free_port()),
        NEXTSTEP_SLACK_BOT_TOKEN=BOT_TOKEN,
        NEXTSTEP_SLACK_SIGNING_SECRET=SIGNING_SECRET,
        NEXTSTEP_SLACK_API_URL=api.base_url,
    )
    return env


class Served:
    def __init__(self, env: dict[str, str], *options: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", "0", "--interval", "0.3", *options],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.url = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stderr.readline() if self.process.stderr else ""
            if not line:
                break
            self.lines.append(line)
            if line.startswith("Slack: HTTP on "):
                self.url = line.split()[3].rstrip(",")
            if line.startswith("Ready"):
                return
        self.stop()
        raise AssertionError("serve did not start:\n" + "".join(self.lines))

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        rest = self.process.stderr.read() if self.process.stderr else ""
        self.lines.append(rest)
        return self.process.returncode


def test_recap_to_dm_button_to_home_and_a_slash_command(
    environment: dict[str, str], api: FakeSlackApi
) -> None:
    served = Served(environment)
    try:
        assert served.url.endswith("/slack/events")
        # 1. a recap by email from the mapped rep becomes a DM with the verdict
        recap = EmailMessage()
        recap["From"] = "Dana Reyes <dana@acme.example>"
        recap["To"] = BOT
        recap["Subject"] = "Acme rollout call"
        recap["Date"] = "Thu, 19 Nov 2026 15:00:00 -0800"
        recap["Message-ID"] = "<recap-1@acme.example>"
        recap.set_content(RECAP)
        with smtplib.SMTP("127.0.0.1", int(environment["NEXTSTEP_SMTP_PORT"]), timeout=10) as smtp:
            smtp.send_message(recap)
        welcome, dm = api.wait_for("chat.postMessage", 2, timeout=20)
        assert "Hi!" in texts(welcome.params)  # the rep's first message from the bot
        assert dm.params["metadata"]["event_payload"]["keys"].startswith("conversation:")
        assert api.of("conversations.open")[0].params["users"] == "U0DANA"
        words = texts(dm.params)
        assert ":warning: *Not secured* · Acme rollout call" in words
        assert "reconnect" in words and "Try:" in words
        done = next(
            e
            for b in dm.params["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == "mark_done"
        )
        # 2. the rep clicks Mark done: the step is done and App Home is republished
        click = json.loads(
            (
                Path(__file__).parents[1] / "data" / "slack" / "block_actions_dm_button.json"
            ).read_text()
        )
        click["response_url"] = api.response_url("dm")
        click["message"]["blocks"] = dm.params["blocks"]
        click["actions"][0].update(value=done["value"], block_id=f"step:{done['value']}")
        assert signed_post(served.url, interactive_body(click))[0] == 200
        home = api.wait_for("views.publish", timeout=20)[0].params
        assert home["user_id"] == "U0DANA" and home["view"]["type"] == "home"
        assert "reconnect" not in texts(home["view"])
        engine = make_engine(environment["DATABASE_URL"])
        with Session(engine) as session:
            step = session.get(NextStep, int(done["value"]))
            assert step is not None and step.status == "done" and step.status_changed_by == "U0DANA"
        engine.dispose()
        # 3. a signed /nextstep is acked at once and answered at its response_url
        body = command_body(
            "Dana Reyes: Can we review the proposal Wednesday at 10am?\nPriya Shah: Wednesday at 10 works.",
            api.response_url("cmd"),
        )
        status, ack = signed_post(served.url, body)
        assert status == 200 and "Checking your notes" in ack
        answer = next(
            c for c in api.wait_for("response_url", 2, timeout=20) if c.path.endswith("/cmd")
        )
        assert "*Secured* (tier: gold)" in texts(answer.params)
        # a bad signature is refused by the running process
        assert signed_post(served.url, body, bad_signature=True)[0] == 401
    finally:
        code = served.stop()
    output = "".join(served.lines)
    assert code == 0, output
    assert BOT_TOKEN not in output and SIGNING_SECRET not in output


ENV_CASES = [
    ({"NEXTSTEP_SLACK_BOT_TOKEN": ""}, "NEXTSTEP_SLACK_BOT_TOKEN is not set"),
    ({"NEXTSTEP_SLACK_BOT_TOKEN": "xoxp-user-token"}, "should start with xoxb-"),
    (
        {"NEXTSTEP_SLACK_APP_TOKEN": "xoxb-wrong-kind"},
        "NEXTSTEP_SLACK_APP_TOKEN does not look like",
    ),
    ({"NEXTSTEP_SLACK_SIGNING_SECRET": ""}, "NEXTSTEP_SLACK_SIGNING_SECRET is not set"),
    (
        {"NEXTSTEP_SLACK_API_URL": "slack.com/api"},
        "NEXTSTEP_SLACK_API_URL 'slack.com/api' is not an http(s) URL",
    ),
    ({"NEXTSTEP_SLACK_API_URL": "http://127.0.0.1:9/api/"}, "cannot be reached"),
    (
        {"NEXTSTEP_ENVIRONMENT": "production", "NEXTSTEP_SLACK_SIGNING_SECRET": "changeme"},
        "placeholder",
    ),
]


@pytest.mark.parametrize(("changes", "message"), ENV_CASES)
def test_each_wrong_setting_has_its_own_message(
    environment: dict[str, str], changes: dict[str, str], message: str
) -> None:
    env = {**environment, **changes}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "0", "--no-smtp"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 7, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert BOT_TOKEN not in done.stderr + done.stdout


def test_a_refused_token_is_named(environment: dict[str, str], api: FakeSlackApi) -> None:
    api.failing["auth.test"] = "invalid_auth"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "0", "--no-smtp"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 7
    assert "Slack refused NEXTSTEP_SLACK_BOT_TOKEN (invalid_auth)" in done.stderr


def test_usage_errors() -> None:
    from bot.cli import build_app

    runner = CliRunner()
    result = runner.invoke(
        build_app(),
        ["serve", "--no-slack", "--no-api", "--no-smtp", "--no-scheduler", "--no-calendar"],
    )
    assert isinstance(result.exception, UsageError) and result.exception.exit_code == 2
    assert "Everything is switched off" in str(result.exception)
    result = runner.invoke(build_app(), ["serve", "--no-slack"])
    assert "The scheduler sends nudges through Slack" in str(result.exception)
