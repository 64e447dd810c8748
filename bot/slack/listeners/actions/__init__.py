"""Buttons and menus: acknowledged at once; the change is made after the ack, the
message it came from updated and App Home republished."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.blocks.analysis import with_step_note
from bot.slack.listeners.common import guarded, publish_home, send_dm, user_of
from bot.slack.model import ActionId, SlackUser, StepView
from bot.slack.service import SlackService, SlackUseError

NOTES = {
    "done": ":white_check_mark: Marked done.",
    "acknowledged": ":handshake: Marked acknowledged: the other side agreed.",
    "dropped": ":heavy_multiplication_x: Not a next step; it won't be tracked.",
    "snooze": ":zzz: Snoozed.",
}


def _ack(ack: Ack) -> None:
    ack()


def step_id_of(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise SlackUseError("That button no longer points at a step.") from None


def change(service: SlackService, user: SlackUser, what: str, step_id: int) -> StepView:
    operations: dict[str, Callable[[SlackUser, int], StepView]] = {
        "done": service.mark_done,
        "acknowledged": service.mark_acknowledged,
        "dropped": service.mark_dropped,
        "snooze": service.snooze,
    }
    if what not in operations:
        raise SlackUseError(f"Unknown choice {what!r}.")
    return operations[what](user, step_id)


def teller(body: dict[str, Any], respond: Any, client: WebClient) -> Callable[[dict], object]:
    """How to tell the user something: in the thread of the click, else by DM."""
    if body.get("response_url"):
        return lambda message: respond({**message, "replace_original": False})
    user = user_of(body)
    return lambda message: send_dm(client, user.user_id, message)


def register(app: App, service: SlackService) -> None:
    def step_button(what: str) -> Callable[..., None]:
        def handle(
            body: dict[str, Any], action: dict[str, Any], respond: Any, client: WebClient
        ) -> None:
            user = user_of(body)

            def work() -> None:
                step_id = step_id_of(action.get("value", ""))
                change(service, user, what, step_id)
                message = body.get("message")
                if message and body.get("response_url"):
                    respond(
                        {
                            "replace_original": True,
                            "text": message.get("text", ""),
                            "blocks": with_step_note(
                                message.get("blocks", []), step_id, NOTES[what]
                            ),
                        }
                    )
                publish_home(client, service, user)

            guarded(teller(body, respond, client), work, f"action {what}")

        return handle

    for action_id, what in (
        (ActionId.MARK_DONE, "done"),
        (ActionId.MARK_ACKNOWLEDGED, "acknowledged"),
        (ActionId.NOT_A_STEP, "dropped"),
        (ActionId.SNOOZE, "snooze"),
    ):
        app.action(action_id)(ack=_ack, lazy=[step_button(what)])

    def menu(body: dict[str, Any], action: dict[str, Any], respond: Any, client: WebClient) -> None:
        user = user_of(body)

        def work() -> None:
            what, _, raw_id = (action.get("selected_option") or {}).get("value", "").partition(":")
            step_id = step_id_of(raw_id)
            if what == "set_due":
                step = service.step(user, step_id)
                view = blocks.set_due_modal(step, service.zone(user), service.now())
                client.views_open(trigger_id=body["trigger_id"], view=view)
                return
            change(service, user, what, step_id)
            publish_home(client, service, user)

        guarded(teller(body, respond, client), work, "home menu")

    app.action(ActionId.STEP_MENU)(ack=_ack, lazy=[menu])

    def set_due(
        body: dict[str, Any], action: dict[str, Any], respond: Any, client: WebClient
    ) -> None:
        user = user_of(body)

        def work() -> None:
            step = service.step(user, step_id_of(action.get("value", "")))
            view = blocks.set_due_modal(step, service.zone(user), service.now())
            client.views_open(trigger_id=body["trigger_id"], view=view)

        guarded(teller(body, respond, client), work, "set due")

    app.action(ActionId.SET_DUE)(ack=_ack, lazy=[set_due])

    def save(body: dict[str, Any], action: dict[str, Any], respond: Any, client: WebClient) -> None:
        user = user_of(body)

        def work() -> None:
            saved = service.save_analysis(user, action.get("value", ""))
            message = blocks.analysis_message(saved, service.zone(user))
            message.pop("response_type", None)
            if body.get("response_url"):
                respond({**message, "replace_original": True})
            publish_home(client, service, user)

        guarded(teller(body, respond, client), work, "save")

    app.action(ActionId.SAVE_ANALYSIS)(ack=_ack, lazy=[save])

    def open_paste(
        body: dict[str, Any], action: dict[str, Any], respond: Any, client: WebClient
    ) -> None:
        meta = action.get("value", "")

        def work() -> None:
            client.views_open(trigger_id=body["trigger_id"], view=blocks.paste_modal(meta))

        guarded(teller(body, respond, client), work, "open paste")

    app.action(ActionId.OPEN_PASTE)(ack=_ack, lazy=[open_paste])

    def open_preferences(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        user = user_of(body)

        def work() -> None:
            view = blocks.preferences_modal(service.preferences(user))
            client.views_open(trigger_id=body["trigger_id"], view=view)

        guarded(teller(body, respond, client), work, "open settings")

    app.action(ActionId.OPEN_PREFERENCES)(ack=_ack, lazy=[open_preferences])
