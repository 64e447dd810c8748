"""The HTTP server as `nextstep serve` runs it (uvicorn on a free loopback port, in a
thread) over the test database, with the clock pinned; tokens of two workspaces; and
a webhook receiver (a local http.server) that records what it is sent."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.application import Application
from bot.application.api import ApiUseCases
from bot.config import Settings
from bot.http.app import HttpServer, create_app
from bot.vocabulary import InputSource, TokenScope

DATA = Path(__file__).parent.parent / "data" / "ingest"
# The day after the Harbor Freight recap: its quote is due today (end of day).
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
JORDAN = "jordan.blake@northwind-analytics.com"  # a rep outside Slack: workspace 'default'
OTHER_TEAM = "T0OTHER"
OTHER_REP = "priya.rep@contoso-sales.example"


@dataclass
class Served:
    url: str
    use: ApiUseCases
    application: Application
    read: str  # a read token of 'default'
    write: str  # a write token of 'default'
    other: str  # a write token of the other workspace
    other_conversation: int  # a conversation of the other workspace

    def client(self, token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def make_settings(database_url: str, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        database_url=database_url,
        bot_address="nextstep@northwind-analytics.com",
        default_tz="America/New_York",
        **extra,
    )


def other_workspace_conversation(application: Application) -> int:
    """A call of a rep bound to another Slack team, stored straight through intake."""
    from storage.models import Rep
    from storage.repo import find_rep_by_email
    from storage.slack import workspace_for

    application.add_rep(OTHER_REP, name="Priya Rep", tz="America/New_York")
    with Session(application.engine) as session:
        workspace = workspace_for(OTHER_TEAM, None, session=session)
        rep = find_rep_by_email(OTHER_REP, session=session)
        assert rep is not None and isinstance(rep, Rep)
        rep.workspace_id = workspace.id
        session.add(rep)
        session.commit()
    result = application.ingest(
        (DATA / "contoso-rollout.vtt").read_bytes(),
        source=InputSource.FILE,
        filename="contoso-rollout.vtt",
        rep_email=OTHER_REP,
        at=datetime(2026, 11, 18, 17, 0, tzinfo=UTC),
    )
    assert result.conversation_id is not None, result.error
    return result.conversation_id


def serve(application: Application, **limits: Any) -> HttpServer:
    return HttpServer(create_app(ApiUseCases(application), **limits)).start()


@pytest.fixture
def application(engine: Engine, database_url: str, tmp_path: Path) -> Application:
    return Application(engine, make_settings(database_url, tmp_path), clock=lambda: NOW)


@pytest.fixture
def served(application: Application) -> Iterator[Served]:
    use = ApiUseCases(application)
    application.add_rep(JORDAN, name="Jordan Blake", tz="America/New_York")
    other_conversation = other_workspace_conversation(application)
    server = serve(application, max_body_bytes=64 * 1024)
    try:
        yield Served(
            server.base_url,
            use,
            application,
            use.create_token("default", TokenScope.READ)[1],
            use.create_token("default", TokenScope.WRITE)[1],
            use.create_token(OTHER_TEAM, TokenScope.WRITE)[1],
            other_conversation,
        )
    finally:
        server.stop()


@dataclass
class Receiver:
    """A webhook endpoint: answers 500 to the first ``failures`` posts, then 204."""

    failures: int = 0
    posts: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def delivered(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body, status in self.posts if status == 204]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    record = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                status = 500 if record.failures > 0 else 204
                record.failures -= 1 if record.failures > 0 else 0
                record.posts.append((dict(self.headers.items()), body, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    record.url = f"http://127.0.0.1:{server.server_port}/hooks"
    record._server = server
    yield record
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
