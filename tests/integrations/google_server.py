"""A local stand-in for Google over real HTTP: the Gmail API answers from a script of
recorded responses, in order, and the OAuth token endpoint answers ``/token``.

Each scripted answer names the call it expects ("GET messages/19a8…", path below
``/gmail/v1/users/me/``); a call out of place gets a 500 and is recorded, so the test
sees it in ``calls``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).resolve().parents[1] / "data" / "gmail"
PREFIX = "/gmail/v1/users/me/"


def recorded(name: str) -> str:
    return (DATA / f"{name}.json").read_text()


@dataclass
class Answer:
    call: str  # "GET profile", "POST messages/ID/modify"
    body: str
    status: int = 200


@dataclass
class Request:
    call: str
    query: dict[str, list[str]]
    body: str


@dataclass
class GoogleServer:
    url: str = ""
    script: list[Answer] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    token_answer: tuple[int, dict[str, Any]] = (
        200,
        {"access_token": "ya29.a0-refreshed", "expires_in": 3599, "token_type": "Bearer"},
    )
    token_forms: list[dict[str, list[str]]] = field(default_factory=list)
    on_call: dict[str, Callable[[], None]] = field(default_factory=dict)  # run before answering
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, call: str, body: str, status: int = 200) -> None:
        self.script.append(Answer(call, body, status))

    def recorded(self, call: str, name: str, status: int = 200) -> None:
        self.answer(call, recorded(name), status)

    @property
    def calls(self) -> list[str]:
        return [r.call for r in self.requests]

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    def respond(self, method: str, target: str, body: str) -> tuple[int, str]:
        parts = urlsplit(target)
        if parts.path == "/token":
            self.token_forms.append(parse_qs(body))
            status, answer = self.token_answer
            return status, json.dumps(answer)
        call = f"{method} {parts.path.removeprefix(PREFIX)}"
        if call in self.on_call:
            self.on_call[call]()
        with self.lock:
            self.requests.append(Request(call, parse_qs(parts.query), body))
            if not self.script or self.script[0].call != call:
                expected = self.script[0].call if self.script else "nothing"
                return 500, json.dumps({"error": {"code": 500, "message": f"expected {expected}"}})
            answer = self.script.pop(0)
        return answer.status, answer.body


@contextmanager
def google_server() -> Iterator[GoogleServer]:
    server = GoogleServer()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode() if length else ""
            status, text = server.respond(self.command, self.path, body)
            data = text.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client is gone (a test killed it)
                pass

        do_GET = do_POST = _reply

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
