"""`nextstep tokens` and `nextstep webhooks` through the command line, on SQLite and
PostgreSQL; and `nextstep serve --api` as a process, answering over HTTP with a token
made by `tokens create`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
from typer.testing import CliRunner, Result

from bot.cli import api as api_cli
from bot.cli.context import CliState
from bot.config import Settings
from tests.http.conftest import NOW, Receiver
from tests.http.conftest import receiver as receiver  # the fixture

runner = CliRunner()
API_ONLY = ["--no-slack", "--no-smtp", "--no-scheduler", "--api"]


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    api_cli.register(app)
    return app


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        database_url=database_url,
        default_tz="America/New_York",
    )


def run(app: typer.Typer, settings: Settings, *args: str) -> Result:
    state = CliState(load=lambda: settings, clock=lambda: NOW)
    try:
        return runner.invoke(app, list(args), obj=state)
    finally:
        state.close()


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_tokens_are_shown_once_and_kept_hashed(app: typer.Typer, settings: Settings) -> None:
    made = run(app, settings, "tokens", "create", "--workspace", "T0TEAM", "--scope", "write")
    assert made.exit_code == 0, made.output
    secret = made.stdout.splitlines()[1]
    assert secret.startswith("ns_") and len(secret) > 40
    listed = run(app, settings, "tokens", "list")
    assert secret not in listed.stdout and secret[:10] in listed.stdout
    assert "write" in listed.stdout and "T0TEAM" in listed.stdout
    from sqlalchemy import create_engine, text

    engine = create_engine(settings.sqlalchemy_url)
    with engine.connect() as connection:
        stored = connection.execute(text("select secret_hash from api_token")).scalars().all()
    engine.dispose()
    import hashlib

    assert stored == [hashlib.sha256(secret.encode()).hexdigest()]
    token = as_json(run(app, settings, "tokens", "list", "--format", "json"))[0]
    revoked = run(app, settings, "tokens", "revoke", str(token["id"]))
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    assert as_json(run(app, settings, "tokens", "list", "--format", "json"))[0]["revoked_at"]
    missing = run(app, settings, "tokens", "revoke", "999")
    assert missing.exit_code != 0 and "No token has id 999" in str(missing.exception)
    bad = run(app, settings, "tokens", "create", "--scope", "admin")
    assert bad.exit_code == 2 and "admin" in bad.output


def test_webhooks_add_list_deliver_remove(
    app: typer.Typer, settings: Settings, receiver: Receiver
) -> None:
    events = ["--events", "conversation.secured", "--events", "step.overdue"]
    added = as_json(
        run(app, settings, "webhooks", "add", receiver.url, *events, "--format", "json")
    )
    assert added["events"] == ["conversation.secured", "step.overdue"]
    assert added["secret"].startswith("whsec_")
    listed = run(app, settings, "webhooks", "list")
    assert receiver.url in listed.stdout and added["secret"] not in listed.stdout
    wrong = run(app, settings, "webhooks", "add", "ftp://example.com", "--events", "step.overdue")
    assert wrong.exit_code != 0 and "not an http(s) URL" in str(wrong.exception)
    unknown = run(app, settings, "webhooks", "add", receiver.url, "--events", "deal.won")
    assert unknown.exit_code == 2 and "deal.won" in unknown.output
    delivered = run(app, settings, "webhooks", "deliver", "--once")
    assert delivered.exit_code == 0 and "0 delivery attempt(s)" in delivered.stdout
    removed = run(app, settings, "webhooks", "remove", str(added["id"]))
    assert removed.exit_code == 0
    assert as_json(run(app, settings, "webhooks", "list", "--format", "json")) == []


def test_serve_answers_the_api_with_a_token_it_made(
    app: typer.Typer, settings: Settings, tmp_path: Path
) -> None:
    made = as_json(run(app, settings, "tokens", "create", "--scope", "write", "--format", "json"))
    environment = {
        **os.environ,
        "DATABASE_URL": settings.sqlalchemy_url,
        "NEXTSTEP_DATA_DIR": str(tmp_path),
        "NEXTSTEP_DEFAULT_TZ": "America/New_York",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", "0", *API_ONLY],
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    base, lines = "", []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.stderr is not None:
            line = process.stderr.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("API v1: "):
                base = line.split()[2].removesuffix("/api/v1/")
            if line.startswith("Ready"):
                break
        assert base, "".join(lines)
        headers = {"Authorization": f"Bearer {made['token']}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            response = client.post(
                "/api/v1/inputs", json={"text": "Dana: I'll send the deck by Friday."}
            )
            assert response.status_code == 201, response.text
            listed = client.get("/api/v1/conversations").json()
            assert listed["total"] == 1
        assert httpx.get(base + "/api/v1/conversations").status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        rest = process.communicate(timeout=20)[1]
    assert process.returncode == 0, "".join(lines) + rest
    assert "Traceback" not in "".join(lines) + rest
