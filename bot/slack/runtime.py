"""Putting the Slack side together from Settings: the checks (every missing or wrong
setting its own message), the Bolt app over the database, the outbox and how it is
served (Socket Mode with an app-level token, else HTTP). Secrets are never logged."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.errors import ConfigError
from bot.slack.outbox import SlackOutbox

log = logging.getLogger("nextstep.slack")

LAZY_WORKERS = 4


@dataclass(frozen=True)
class SlackSecrets:
    bot_token: str
    signing_secret: str | None  # not needed in Socket Mode
    app_token: str | None  # set: Socket Mode
    api_url: str

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return text.strip() or None


def check_slack_settings(settings: Settings) -> SlackSecrets:
    """The Slack settings, or a ConfigError that names the one to fix and how."""
    settings.check_secrets()
    bot_token = _secret(settings.slack_bot_token)
    app_token = _secret(settings.slack_app_token)
    signing_secret = _secret(settings.slack_signing_secret)
    api_url = settings.slack_api_url.strip()
    if bot_token is None:
        raise ConfigError(
            "NEXTSTEP_SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) "
            "from your app's OAuth & Permissions page, or run with --no-slack."
        )
    if not bot_token.startswith("xoxb-"):
        raise ConfigError(
            "NEXTSTEP_SLACK_BOT_TOKEN does not look like a bot token: it should start with "
            "xoxb- (an xoxp- user token or an xapp- app token will not do)."
        )
    if app_token is not None and not app_token.startswith("xapp-"):
        raise ConfigError(
            "NEXTSTEP_SLACK_APP_TOKEN does not look like an app-level token: it should start "
            "with xapp- and have the connections:write scope (Basic Information → App-Level "
            "Tokens). Unset it to serve HTTP instead."
        )
    if app_token is None and signing_secret is None:
        raise ConfigError(
            "NEXTSTEP_SLACK_SIGNING_SECRET is not set: HTTP mode checks every request's "
            "signature with it (Basic Information → Signing Secret). Or set "
            "NEXTSTEP_SLACK_APP_TOKEN to use Socket Mode."
        )
    parsed = urlparse(api_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(
            f"NEXTSTEP_SLACK_API_URL {api_url!r} is not an http(s) URL "
            "(the default is https://slack.com/api/)."
        )
    if not api_url.endswith("/"):
        api_url += "/"
    return SlackSecrets(bot_token, signing_secret, app_token, api_url)


@dataclass
class SlackSide:
    app: Any  # slack_bolt.App
    outbox: SlackOutbox
    team_id: str
    secrets: SlackSecrets


def build_slack(settings: Settings, engine: Engine) -> SlackSide:
    """The Bolt app for one workspace (the bot token's), over the database."""
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import build_app, slack_client
    from bot.slack.service_impl import StorageSlackService, WebDirectory
    from storage import slack as repo

    secrets = check_slack_settings(settings)
    client = slack_client(secrets.bot_token, secrets.api_url)
    try:
        who = client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error") if hasattr(error.response, "get") else None
        raise ConfigError(
            f"Slack refused NEXTSTEP_SLACK_BOT_TOKEN ({code or error.response.status_code}); "
            "reinstall the app and copy the new bot token."
        ) from None
    except OSError as error:
        raise ConfigError(
            f"Slack's Web API at {secrets.api_url} cannot be reached ({error}); check "
            "NEXTSTEP_SLACK_API_URL and the network."
        ) from None
    team_id = who["team_id"]
    with Session(engine) as session:
        workspace = repo.workspace_for(team_id, who.get("enterprise_id"), session=session)
        assert workspace.id is not None
        bound = repo.bind_unbound_reps(workspace.id, session=session)
        session.commit()
    if bound:
        log.info("%d registered rep(s) bound to Slack team %s", bound, team_id)
    service = StorageSlackService(
        engine,
        settings,
        directory=WebDirectory(client),
        managers=frozenset(settings.slack_managers),
    )
    app = build_app(
        service,
        signing_secret=secrets.signing_secret or "unused-in-socket-mode",
        client=client,
        token=secrets.bot_token,
        # Bolt keeps this auth.test answer, so requests never wait for one.
        token_verification=True,
        request_verification_enabled=not secrets.socket_mode,
        # The slow halves of listeners queue here rather than crowd out the acks.
        listener_executor=ThreadPoolExecutor(
            max_workers=LAZY_WORKERS, thread_name_prefix="slack-lazy"
        ),
    )
    return SlackSide(app, SlackOutbox(lambda _team: client), team_id, secrets)
