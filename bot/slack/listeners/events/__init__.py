"""Events: App Home opened (publish it; welcome a first visitor), a DM to the bot
(analyse it). A redelivered event (same ``event_id``) is acknowledged and not
processed again; a first delivery is processed even when it carries a retry number,
since the earlier attempt may never have arrived."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.listeners.common import guarded, log, publish_home, user_of, welcome_once
from bot.slack.service import SlackService


def register(app: App, service: SlackService) -> None:
    def once_per_event(body: dict[str, Any], next: Any) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not service.first_delivery(event_id, team_id=body.get("team_id", "")):
            log.info("event %s delivered again; already processed", event_id)
            return BoltResponse(status=200, body="")
        return next()

    app.use(once_per_event)

    def home_opened(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        user = user_of(body)
        if event.get("tab") == "home":
            guarded(_log_only, lambda: publish_home(client, service, user), "publish home")
        guarded(_log_only, lambda: welcome_once(client, service, user), "welcome")

    def direct_message(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        user = user_of(body)
        text = (event.get("text") or "").strip()
        channel = event["channel"]

        def tell(message: dict[str, Any]) -> None:
            payload = {k: v for k, v in message.items() if k != "response_type"}
            client.chat_postMessage(channel=channel, **payload)

        def work() -> None:
            welcome_once(client, service, user)
            if text:
                analysis = service.analyze_text(user, text)
                tell(blocks.analysis_message(analysis, service.zone(user)))

        guarded(tell, work, "direct message")

    app.event("app_home_opened")(ack=_ack, lazy=[home_opened])
    app.event("message")(ack=_ack, lazy=[direct_message])


def _ack(ack: Ack) -> None:
    ack()


def _log_only(message: dict[str, Any]) -> None:
    log.warning("not shown to the user: %s", message.get("text"))
