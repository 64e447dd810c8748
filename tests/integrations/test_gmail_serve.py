"""`nextstep serve --gmail` when Google refuses the login: the Gmail poller stops with
the fix in the log (it does not retry every minute), and the process stays up for the
other parts until it is told to stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from storage.db import upgrade
from tests.integrations.google_server import google_server
from tests.integrations.test_gmail_cli import token_file

ROOT = Path(__file__).resolve().parents[2]


def test_a_refused_login_stops_the_gmail_poller_of_serve(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nextstep.db'}"
    upgrade(url)
    with google_server() as gmail:
        gmail.token_answer = (
            400,
            {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
        )
        token = token_file(tmp_path / "token.json", gmail, scopes=[], valid=False)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEXTSTEP_")}
        env.update(
            DATABASE_URL=url,
            NEXTSTEP_DATA_DIR=str(tmp_path),
            NEXTSTEP_GMAIL_CREDENTIALS=str(token),
            NEXTSTEP_GMAIL_API_URL=f"{gmail.url}/",
            NEXTSTEP_GOOGLE_TOKEN_URI=gmail.token_uri,
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--no-slack", "--no-smtp", "--no-scheduler",
             "--gmail"],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        lines: list[str] = []
        try:
            assert process.stderr is not None
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                line = process.stderr.readline()
                if not line:
                    break
                lines.append(line)
                if "Gmail polling stopped" in line:
                    break
            time.sleep(0.5)
            assert process.poll() is None, "".join(lines)  # serve itself keeps running
        finally:
            process.send_signal(signal.SIGTERM)
            _, rest = process.communicate(timeout=20)
        log = "".join(lines) + rest
    assert "Gmail polling stopped" in log, log
    assert "invalid_grant" in log and "Run `nextstep gmail connect` again." in log
    assert "Traceback" not in log
    assert len(gmail.token_forms) == 1  # asked once, not again and again
    assert gmail.requests == []
    assert process.returncode == 0, log
    assert json.loads(token.read_text())["refresh_token"] == "1//0g-test-refresh"
