"""Modal submissions: checked and acknowledged at once (errors shown in the modal),
the rest after the ack."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.blocks.modals import read_due, read_pasted, read_preferences
from bot.slack.listeners.common import guarded, publish_home, send_dm, user_of
from bot.slack.model import InputId, ViewId
from bot.slack.service import SlackService, SlackUseError


def register(app: App, service: SlackService) -> None:
    def dm(client: WebClient, body: dict[str, Any]) -> Any:
        return lambda message: send_dm(client, user_of(body).user_id, message)

    # --- paste notes ---
    def check_paste(ack: Ack, view: dict[str, Any]) -> None:
        if not read_pasted(view["state"]):
            ack(response_action="errors", errors={InputId.PASTED_TEXT: "Paste your notes first."})
        else:
            ack()

    def analyse_paste(body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = user_of(body)

        def work() -> None:
            analysis = service.analyze_text(user, read_pasted(view["state"]))
            send_dm(client, user.user_id, blocks.analysis_message(analysis, service.zone(user)))

        guarded(dm(client, body), work, "paste")

    app.view(ViewId.PASTE)(ack=check_paste, lazy=[analyse_paste])

    # --- set date and time ---
    def check_due(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = user_of(body)
        try:
            due = read_due(view["state"], service.zone(user))
        except ValueError as error:
            ack(response_action="errors", errors={InputId.DUE_DATE: str(error)})
            return
        try:
            service.set_due(user, int(view.get("private_metadata") or 0), due)
        except SlackUseError as error:
            ack(response_action="errors", errors={InputId.DUE_DATE: error.message})
            return
        ack()

    def after_due(body: dict[str, Any], client: WebClient) -> None:
        user = user_of(body)
        guarded(dm(client, body), lambda: publish_home(client, service, user), "set due")

    app.view(ViewId.SET_DUE)(ack=check_due, lazy=[after_due])

    # --- settings ---
    def save_preferences(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        prefs = read_preferences(view["state"])
        if (prefs.quiet_start is None) != (prefs.quiet_end is None):
            missing = InputId.QUIET_END if prefs.quiet_end is None else InputId.QUIET_START
            ack(
                response_action="errors",
                errors={missing: "Set both ends of the quiet hours, or neither."},
            )
            return
        service.set_preferences(user_of(body), prefs)
        ack()

    def after_preferences(body: dict[str, Any], client: WebClient) -> None:
        user = user_of(body)
        guarded(dm(client, body), lambda: publish_home(client, service, user), "settings")

    app.view(ViewId.PREFERENCES)(ack=save_preferences, lazy=[after_preferences])
