"""Many workspaces: HTTP mode with OAuth. /slack/install hands out a state, the
redirect stores the installation (Bolt's SQLAlchemy store in the bot's database), and
that workspace's requests are then served with its own bot token."""

from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path

import pytest

from bot.config import Settings
from bot.http.app import HttpServer, create_app
from bot.http.slack import EVENTS_PATH
from bot.slack.runtime import build_slack
from storage.db import make_engine, upgrade
from tests.slack.fake_slack import SIGNING_SECRET, FakeSlackApi, command_body, signed_post
from tests.slack.limits import texts


def get(url: str, cookie: str | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), ""


def test_install_then_serve_that_workspace(tmp_path: Path, api: FakeSlackApi) -> None:
    url = f"sqlite:///{tmp_path / 'nextstep.db'}"
    upgrade(url)
    engine = make_engine(url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        database_url=url,
        default_tz="America/Los_Angeles",
        slack_client_id="1111.2222",
        slack_client_secret="client-secret-for-tests",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.base_url,
    )
    side = build_slack(settings, engine)
    assert side.team_id is None and side.secrets.oauth
    server = HttpServer(create_app(None, bolt=side.app)).start()
    base = server.base_url
    try:
        status, page, cookie = get(base + "/slack/install")
        assert status == 200
        link = re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', page)
        assert link is not None
        assert "client_id=1111.2222" in link.group(1) and "users:read.email" in link.group(1)
        state = re.search(r"state=([^&\"]+)", link.group(1))
        assert state is not None and cookie
        status, page, _ = get(
            f"{base}/slack/oauth_redirect?code=abc&state={state.group(1)}", cookie.split(";")[0]
        )
        assert status == 200, page
        assert api.of("oauth.v2.access")[0].params["code"] == "abc"
        # a command from the installed workspace is served with that workspace's token
        body = command_body("list", api.response_url("globex"), team="T0GLOBEX", user="U0ANA")
        assert signed_post(base + EVENTS_PATH, body)[0] == 200
        answer = api.wait_for("response_url")[0].params
        assert "You have no open next steps." in texts(answer)
        info = api.wait_for("users.info")[0]
        assert info.headers.get("Authorization") == "Bearer xoxb-installed-abc"
        # a workspace that never installed the app is told so by Bolt, and not served
        other = command_body("list", api.response_url("nope"), team="T0NOPE", user="U0BOB")
        assert signed_post(base + EVENTS_PATH, other)[0] == 200
        time.sleep(0.5)
        (refused,) = [c for c in api.of("response_url") if c.path.endswith("/nope")]
        assert "open next steps" not in str(refused.params)
        assert "U0BOB" not in str([c.params for c in api.of("users.info")])
        # the outbox finds each workspace's token
        delivered = side.outbox.deliver("T0GLOBEX", "U0ANA", {"text": "hello"}, ["k1"])
        assert delivered.channel == "D0ANA"
        assert (
            api.of("chat.postMessage")[-1].headers.get("Authorization")
            == "Bearer xoxb-installed-abc"
        )
    finally:
        server.stop()
        engine.dispose()


def test_oauth_needs_its_secret(tmp_path: Path) -> None:
    from bot.errors import ConfigError
    from bot.slack.runtime import check_slack_settings

    settings = Settings(
        _env_file=None, data_dir=tmp_path, slack_client_id="1111.2222", slack_signing_secret="s"
    )  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="NEXTSTEP_SLACK_CLIENT_SECRET is not set"):
        check_slack_settings(settings)
    both = settings.model_copy(update={"slack_client_secret": "x", "slack_app_token": "xapp-1"})
    with pytest.raises(ConfigError, match="both set"):
        check_slack_settings(both)
