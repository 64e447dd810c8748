"""`nextstep calendar connect` end to end, offline: the real installed-app flow in a
real process, Google's sign-in answered by this test, the token endpoint a local server."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from integrations.calendar.google import CALENDAR_READONLY, load_credentials

ROOT = Path(__file__).resolve().parents[2]


class TokenEndpoint(BaseHTTPRequestHandler):
    forms: ClassVar[list[dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        type(self).forms.append(parse_qs(self.rfile.read(length).decode()))
        body = json.dumps(
            {
                "access_token": "ya29.a0-test",
                "expires_in": 3599,
                "refresh_token": "1//0g-test-refresh",
                "scope": CALENDAR_READONLY,
                "token_type": "Bearer",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def token_uri() -> Iterator[str]:
    TokenEndpoint.forms = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), TokenEndpoint)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/token"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_connect_saves_a_read_only_token(tmp_path: Path, token_uri: str) -> None:
    secrets = tmp_path / "client_secret.json"
    secrets.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": "123-test.apps.googleusercontent.com",
                    "client_secret": "GOCSPX-test",
                    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                    "token_uri": token_uri,
                    "redirect_uris": ["http://localhost"],
                }
            }
        )
    )
    token = tmp_path / "tokens" / "dana.json"
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "OAUTHLIB_INSECURE_TRANSPORT": "1",  # the test's token endpoint is plain HTTP
        "NEXTSTEP_DATA_DIR": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "calendar", "connect", "--rep", "dana@northwind.example",
         "--client-secrets", str(secrets), "--token", str(token), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        address = ""
        for line in process.stdout:
            if line.startswith("https://accounts.google.com/o/oauth2/auth?"):
                address = line.strip()
                break
        assert address, process.stderr.read() if process.stderr else ""
        asked = parse_qs(urlparse(address).query)
        assert asked["scope"] == [CALENDAR_READONLY]
        assert asked["access_type"] == ["offline"] or "access_type" not in asked
        redirect = asked["redirect_uri"][0]
        assert redirect.startswith("http://127.0.0.1:")
        answer = urlencode(
            {"state": asked["state"][0], "code": "4/0test-code", "scope": CALENDAR_READONLY}
        )
        with urllib.request.urlopen(f"{redirect}?{answer}", timeout=30) as response:
            assert b"nextstep can now read your calendar" in response.read()
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert f"Saved dana@northwind.example's calendar token to {token}" in out
    assert TokenEndpoint.forms and TokenEndpoint.forms[0]["code"] == ["4/0test-code"]
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    saved = json.loads(token.read_text())
    assert saved["refresh_token"] == "1//0g-test-refresh"
    credentials = load_credentials(token, subject=None)
    assert credentials.refresh_token == "1//0g-test-refresh"
    assert credentials.scopes == [CALENDAR_READONLY]
