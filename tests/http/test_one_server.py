"""Slack's signed requests and API v1 on one server, as `nextstep serve` runs them:
a /nextstep command is acked and a bad signature refused on the same port that answers
the API; an oversized Slack body is refused before Bolt sees it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.application import Application
from bot.application.api import ApiUseCases
from bot.http.app import HttpServer, create_app
from bot.http.slack import EVENTS_PATH
from bot.slack.app import build_app, slack_client
from bot.slack.service import InMemorySlackService
from bot.vocabulary import TokenScope
from tests.slack.conftest import authorize
from tests.slack.fake_slack import SIGNING_SECRET, FakeSlackApi, command_body, signed_post


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    api = FakeSlackApi().start()
    yield api
    api.stop()


def test_slack_and_the_api_share_the_port(
    application: Application, slack_api: FakeSlackApi
) -> None:
    service = InMemorySlackService()
    bolt = build_app(
        service,
        signing_secret=SIGNING_SECRET,
        client=slack_client(base_url=slack_api.base_url),
        authorize=authorize,
        token_verification=False,
    )
    use = ApiUseCases(application)
    _, token = use.create_token("default", TokenScope.READ)
    server = HttpServer(create_app(use, bolt=bolt, max_body_bytes=4096)).start()
    try:
        events = server.base_url + EVENTS_PATH
        body = command_body("list", slack_api.response_url("one-server"))
        status, _ = signed_post(events, body)
        assert status == 200
        answered = slack_api.wait_for("response_url")[0].params
        assert answered["text"] == "You have no open next steps."
        status, _ = signed_post(events, body, bad_signature=True)
        assert status == 401
        status, _ = signed_post(events, command_body("x" * 8000, slack_api.response_url("big")))
        assert status == 413
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            answer = client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200 and answer.json()["items"] == []
            assert client.get("/slack/install").status_code == 404  # no OAuth configured
    finally:
        server.stop()
