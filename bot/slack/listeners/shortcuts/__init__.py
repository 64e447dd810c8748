"""The message shortcut *Check next steps*: analyses a message of any length (slash
commands stop at 4,000 characters) and answers privately."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.listeners.common import guarded, send_dm, user_of
from bot.slack.model import ShortcutId
from bot.slack.service import SlackService


def register(app: App, service: SlackService) -> None:
    def acknowledge(ack: Ack) -> None:
        ack()

    def analyse(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        user = user_of(body)
        text = ((body.get("message") or {}).get("text") or "").strip()

        def tell(message: dict[str, Any]) -> None:
            if body.get("response_url"):
                respond(message)
            else:
                send_dm(client, user.user_id, message)

        def work() -> None:
            if not text:
                tell(blocks.error_message("That message has no text to check."))
                return
            tell(blocks.analysis_message(service.analyze_text(user, text), service.zone(user)))

        guarded(tell, work, "message shortcut")

    app.shortcut(ShortcutId.ANALYZE_MESSAGE)(ack=acknowledge, lazy=[analyse])
