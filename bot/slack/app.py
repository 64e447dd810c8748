"""The Bolt app, assembled: a Web API client, the listeners over a service. Thin."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack.listeners import register_all
from bot.slack.service import SlackService

SLACK_API_URL = "https://slack.com/api/"
# The bot scopes the app asks for (manifest.yml lists the same; a test checks).
BOT_SCOPES = (
    "chat:write",
    "im:write",
    "im:history",
    "commands",
    "users:read",
    "users:read.email",
    "files:write",
)
RATE_LIMIT_RETRIES = 3


def slack_client(token: str | None = None, base_url: str = SLACK_API_URL) -> WebClient:
    """The real ``WebClient``; 429s are retried after their Retry-After."""
    if not base_url.endswith("/"):
        base_url += "/"
    client = WebClient(token=token, base_url=base_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def build_app(
    service: SlackService,
    *,
    signing_secret: str,
    client: WebClient,
    token: str | None = None,
    authorize: Callable[..., AuthorizeResult] | None = None,
    token_verification: bool = False,
    command_offload: Any = None,
    **bolt: Any,
) -> App:
    """A Bolt ``App`` with every listener registered.

    One workspace: ``token`` (checked with ``auth.test`` unless ``token_verification``
    is off). Many: ``authorize`` or Bolt's OAuth settings in ``bolt``.

    ``process_before_response``: each ack function runs in the request's own thread
    and the response leaves as soon as it returns; the slow halves (lazy listeners)
    run on the listener executor. Without it Bolt runs the ack function on that
    executor too and polls for it every 10 ms, so acks queue behind slow work.
    ``command_offload`` (``bot.slack.offload.CommandChild``) takes ``/nextstep``'s slow
    half off this process altogether.
    """
    bolt.setdefault("process_before_response", True)
    app = App(
        signing_secret=signing_secret,
        client=client,
        token=None if client.token else token,  # the client's token is used
        authorize=authorize,
        token_verification_enabled=token_verification,
        logger=logging.getLogger("nextstep.slack.bolt"),
        **bolt,
    )
    register_all(app, service, command_offload)
    return app
