"""The Slack app over real HTTP: a local Web API (``FakeSlackApi``) and the Bolt app
served on a loopback port, over the in-memory service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from slack_bolt.authorization import AuthorizeResult

from bot.http.app import HttpServer, create_app
from bot.http.slack import EVENTS_PATH
from bot.slack.app import build_app, slack_client
from bot.slack.service import InMemorySlackService
from tests.slack.fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlackApi


@pytest.fixture(autouse=True)
def no_retry_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries after a 429 record how long they would wait instead of waiting."""
    import slack_sdk.http_retry.builtin_handlers as handlers

    slept: list[float] = []
    monkeypatch.setattr(handlers.time, "sleep", slept.append)
    return slept


@pytest.fixture
def api() -> Iterator[FakeSlackApi]:
    """The local Slack Web API server, recording every call."""
    server = FakeSlackApi().start()
    yield server
    server.stop()


def authorize(enterprise_id: str | None, team_id: str | None, **_: Any) -> AuthorizeResult:
    return AuthorizeResult(
        enterprise_id=enterprise_id,
        team_id=team_id,
        bot_token=BOT_TOKEN,
        bot_user_id="U0BOT",
        bot_id="B0BOT",
    )


@dataclass
class RunningApp:
    url: str  # the events URL
    service: InMemorySlackService
    api: FakeSlackApi


@pytest.fixture
def service() -> InMemorySlackService:
    return InMemorySlackService(managers={"U0BOSS"})


@pytest.fixture
def running_app(api: FakeSlackApi, service: InMemorySlackService) -> Iterator[RunningApp]:
    app = build_app(
        service,
        signing_secret=SIGNING_SECRET,
        client=slack_client(base_url=api.base_url),
        authorize=authorize,
        token_verification=False,
    )
    server = HttpServer(create_app(None, bolt=app)).start()  # as `nextstep serve` runs it
    yield RunningApp(f"{server.base_url}{EVENTS_PATH}", service, api)
    server.stop()
