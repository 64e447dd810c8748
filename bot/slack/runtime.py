"""Putting the Slack side together from Settings: the checks (every missing or wrong
setting its own message), the Bolt app over the database, the outbox and how it is
served (Socket Mode with an app-level token, else HTTP). Secrets are never logged."""

from __future__ import annotations

import logging
from collections.abc import Callable
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
    bot_token: str | None  # one workspace; None with OAuth
    signing_secret: str | None  # not needed in Socket Mode
    app_token: str | None  # set: Socket Mode
    api_url: str
    client_id: str | None = None  # set: OAuth, many workspaces
    client_secret: str | None = None

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @property
    def oauth(self) -> bool:
        return self.client_id is not None


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
    client_id = (settings.slack_client_id or "").strip() or None
    client_secret = _secret(settings.slack_client_secret)
    if client_id is not None:
        if client_secret is None:
            raise ConfigError(
                "NEXTSTEP_SLACK_CLIENT_SECRET is not set: OAuth (NEXTSTEP_SLACK_CLIENT_ID) needs "
                "the app's Client Secret from Basic Information → App Credentials."
            )
        if app_token is not None:
            raise ConfigError(
                "NEXTSTEP_SLACK_APP_TOKEN and NEXTSTEP_SLACK_CLIENT_ID are both set: OAuth "
                "for many workspaces runs over HTTP; unset one of them."
            )
        bot_token = None  # each workspace's token comes from its installation
    elif bot_token is None:
        raise ConfigError(
            "NEXTSTEP_SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) "
            "from your app's OAuth & Permissions page, or run with --no-slack."
        )
    if bot_token is not None and not bot_token.startswith("xoxb-"):
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
    return SlackSecrets(bot_token, signing_secret, app_token, api_url, client_id, client_secret)


@dataclass
class SlackSide:
    app: Any  # slack_bolt.App
    outbox: SlackOutbox
    team_id: str | None  # one workspace; None with OAuth
    secrets: SlackSecrets
    commands: Any = None  # bot.slack.offload.CommandChild, when commands run apart

    def close(self) -> None:
        if self.commands is not None:
            self.commands.close()


def build_slack(settings: Settings, engine: Engine, *, offload_commands: bool = False) -> SlackSide:
    """The Bolt app over the database: for the bot token's workspace, or, with OAuth
    credentials, for every workspace that installs it. ``offload_commands``: the slow
    half of ``/nextstep`` runs in a child process (``bot.slack.offload``), started on
    the first command or by ``SlackSide.commands.warm()``."""
    secrets = check_slack_settings(settings)
    offload = None
    if offload_commands:
        from bot.slack.offload import CommandChild

        offload = CommandChild(settings)
    if secrets.oauth:
        side = _many_workspaces(settings, engine, secrets, offload)
    else:
        side = _one_workspace(settings, engine, secrets, offload)
    side.commands = offload
    return side


def command_service(
    settings: Settings, engine: Engine, secrets: SlackSecrets
) -> tuple[Any, Callable[[str], Any]]:
    """The service and a team's Web API client, for a process that answers commands
    without the Bolt app (``bot.slack.offload``): no ``auth.test``, no tables made."""
    from bot.slack.app import slack_client

    if secrets.oauth:
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

        assert secrets.client_id is not None
        installations = SQLAlchemyInstallationStore(client_id=secrets.client_id, engine=engine)
        client_for = _installed_client(installations, secrets)
    else:
        client = slack_client(secrets.bot_token, secrets.api_url)

        def client_for(_team: str) -> Any:
            return client

    return _service(settings, engine, client_for), client_for


def _installed_client(installations: Any, secrets: SlackSecrets) -> Callable[[str], Any]:
    from bot.slack.app import slack_client

    def client_for(team_id: str) -> Any:
        bot = installations.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise ConfigError(f"nextstep is not installed in Slack team {team_id}.")
        return slack_client(bot.bot_token, secrets.api_url)

    return client_for


def _service(settings: Settings, engine: Engine, client: Any) -> Any:
    from bot.application import Application
    from bot.slack.service_impl import StorageSlackService, WebDirectory

    return StorageSlackService(
        Application(engine, settings),
        directory=WebDirectory(client),
        managers=frozenset(settings.slack_managers),
    )


def _executor() -> ThreadPoolExecutor:
    # The slow halves of listeners queue here rather than crowd out the acks.
    return ThreadPoolExecutor(max_workers=LAZY_WORKERS, thread_name_prefix="slack-lazy")


def _one_workspace(
    settings: Settings, engine: Engine, secrets: SlackSecrets, offload: Any
) -> SlackSide:
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import build_app, slack_client
    from storage import slack as repo

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
    app = build_app(
        _service(settings, engine, client),
        signing_secret=secrets.signing_secret or "unused-in-socket-mode",
        client=client,
        token=secrets.bot_token,
        token_verification=True,  # Bolt keeps the answer: no auth.test on first requests
        request_verification_enabled=not secrets.socket_mode,
        listener_executor=_executor(),
        command_offload=offload,
    )
    return SlackSide(app, SlackOutbox(lambda _team: client), team_id, secrets)


def _many_workspaces(
    settings: Settings, engine: Engine, secrets: SlackSecrets, offload: Any
) -> SlackSide:
    """HTTP with OAuth: /slack/install and /slack/oauth_redirect; each workspace's bot
    token from Bolt's SQLAlchemy installation store in the bot's database."""
    from slack_bolt.oauth.oauth_settings import OAuthSettings
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    from bot.slack.app import BOT_SCOPES, build_app, slack_client

    assert secrets.client_id is not None
    installations = SQLAlchemyInstallationStore(client_id=secrets.client_id, engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
    try:
        installations.create_tables()  # slack_bots, slack_installations (if missing)
        states.metadata.create_all(engine)  # slack_oauth_states
    except Exception as error:
        raise ConfigError(f"The Slack installation tables cannot be created: {error}") from None

    client_for = _installed_client(installations, secrets)
    oauth = OAuthSettings(
        client_id=secrets.client_id,
        client_secret=secrets.client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installations,
        state_store=states,
    )
    app = build_app(
        _service(settings, engine, client_for),
        signing_secret=secrets.signing_secret or "",
        client=slack_client(None, secrets.api_url),
        oauth_settings=oauth,
        installation_store=installations,
        listener_executor=_executor(),
        command_offload=offload,
    )
    return SlackSide(app, SlackOutbox(client_for), None, secrets)
