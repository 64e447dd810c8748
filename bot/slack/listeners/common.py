"""What every listener does the same way: who is asking, publishing App Home, sending
a DM, and telling the user when something did not work."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.model import HomeView, SlackUser
from bot.slack.service import SlackService, SlackUseError

log = logging.getLogger("nextstep.slack")

SORRY = "Something went wrong on our side; nothing you sent is lost. Please try again."


def user_of(body: dict[str, Any]) -> SlackUser:
    """The Slack user behind a command, action, view submission, shortcut or event."""
    enterprise = body.get("enterprise_id") or (body.get("enterprise") or {}).get("id")
    if "user_id" in body:  # a slash command
        return SlackUser(body["team_id"], body["user_id"], enterprise)
    if isinstance(body.get("user"), dict):  # actions, views, shortcuts
        user = body["user"]
        team = user.get("team_id") or (body.get("team") or {}).get("id") or ""
        return SlackUser(team, user["id"], enterprise)
    event = body.get("event") or {}  # an Events API envelope
    return SlackUser(body.get("team_id", ""), event.get("user", ""), enterprise)


def publish_home(client: WebClient, service: SlackService, user: SlackUser) -> None:
    """Build and publish the user's App Home."""
    view = HomeView(
        steps=tuple(service.open_steps(user)),
        pattern=_pattern_or_none(service, user),
        preferences=service.preferences(user),
        tz=service.zone(user),
    )
    client.views_publish(user_id=user.user_id, view=blocks.home_view(view, service.now()))


def _pattern_or_none(service: SlackService, user: SlackUser) -> Any:
    pattern = service.pattern(user)
    return pattern if pattern.calls else None


def send_dm(client: WebClient, user_id: str, message: dict[str, Any]) -> tuple[str, str]:
    """Open (or find) the DM with ``user_id`` and post ``message``; (channel, ts)."""
    opened = client.conversations_open(users=user_id)
    channel = opened["channel"]["id"]
    payload = {k: v for k, v in message.items() if k != "response_type"}
    posted = client.chat_postMessage(channel=channel, **payload)
    return channel, posted["ts"]


def welcome_once(client: WebClient, service: SlackService, user: SlackUser) -> None:
    if user.user_id and service.first_contact(user):
        send_dm(client, user.user_id, blocks.welcome_message())


def guarded(
    tell: Callable[[dict[str, Any]], object], work: Callable[[], object], what: str
) -> None:
    """Run ``work``; a ``SlackUseError`` is told to the user as it is, anything else is
    logged with its traceback and the user told we failed (never a traceback)."""
    try:
        work()
    except SlackUseError as error:
        tell(blocks.error_message(error.message))
    except Exception:
        log.exception("Slack %s failed", what)
        try:
            tell(blocks.error_message(SORRY))
        except Exception:
            log.exception("Could not tell the user that %s failed", what)
