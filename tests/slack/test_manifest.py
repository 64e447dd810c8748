"""``manifest.yml`` and the listeners agree: every command, shortcut, action id, view
callback and event the manifest or the Block Kit names has a listener, and every
listener is reachable; the manifest has the shape Slack accepts, with minimal scopes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.slack import blocks
from bot.slack.app import BOT_SCOPES
from bot.slack.listeners import register_all
from bot.slack.model import (
    COMMAND,
    ActionId,
    AnalysisView,
    HomeView,
    ShortcutId,
    SlackPreferences,
    ViewId,
)
from bot.slack.service import InMemorySlackService
from tests.slack.limits import action_ids, walk
from tests.slack.test_blocks import NOW, SECURED, TZ, VAGUE

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
EVENT_OF_SUBSCRIPTION = {"message.im": "message", "app_home_opened": "app_home_opened"}
SCOPE_REASONS = {
    "chat:write": "DMs, replies and nudges",
    "im:write": "conversations.open for a DM",
    "im:history": "message.im: notes sent to the bot",
    "commands": "/nextstep",
    "users:read": "users.info: the rep's time zone",
    "users:read.email": "users.info with the email: a Slack user to a rep",
    "files:write": "files_upload_v2: the team chart",
}


class Recorder:
    """Stands in for Bolt's App and notes what each ``register`` asks for."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {
            k: [] for k in ("command", "action", "view", "shortcut", "event")
        }
        self.middleware: list[Callable[..., Any]] = []

    def _kind(self, kind: str, name: str) -> Callable[..., Any]:
        self.found[kind].append(str(name))

        def register(*args: Any, **kwargs: Any) -> Any:
            if kwargs:
                assert set(kwargs) == {"ack", "lazy"}, kwargs
                assert callable(kwargs["ack"]) and kwargs["lazy"], "ack first, the work after it"
            return args[0] if args else None

        return register

    def command(self, name: str) -> Callable[..., Any]:
        return self._kind("command", name)

    def action(self, name: str) -> Callable[..., Any]:
        return self._kind("action", name)

    def view(self, name: str) -> Callable[..., Any]:
        return self._kind("view", name)

    def shortcut(self, name: str) -> Callable[..., Any]:
        return self._kind("shortcut", name)

    def event(self, name: str) -> Callable[..., Any]:
        return self._kind("event", name)

    def use(self, middleware: Callable[..., Any]) -> None:
        self.middleware.append(middleware)


def registered() -> Recorder:
    recorder = Recorder()
    register_all(recorder, InMemorySlackService())  # type: ignore[arg-type]
    return recorder


def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text())


def every_payload() -> list[dict[str, Any]]:
    """One of each payload the builders make, with every button shown."""
    steps = (SECURED, VAGUE)
    home = HomeView(steps=steps, pattern=None, preferences=SlackPreferences(), tz=TZ)
    return [
        blocks.analysis_message(AnalysisView(True, "gold", "r", steps, save_token="t"), TZ),
        blocks.analysis_message(AnalysisView(True, "gold", "r", steps), TZ),
        blocks.post_meeting_message(AnalysisView(False, "none", "r", steps), TZ),
        blocks.home_view(home, NOW),
        blocks.help_message("x"),
        blocks.welcome_message(),
        blocks.notes_wanted_message("Acme review", "Thu 2pm"),
        blocks.set_due_modal(SECURED, TZ, NOW),
        blocks.paste_modal(),
        blocks.preferences_modal(SlackPreferences()),
    ]


def test_manifest_shape() -> None:
    data = manifest()
    assert set(data) == {"display_information", "features", "oauth_config", "settings"}
    info = data["display_information"]
    assert 0 < len(info["name"]) <= 35 and 0 < len(info["description"]) <= 140
    features = data["features"]
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    assert features["app_home"]["messages_tab_read_only_enabled"] is False
    assert 0 < len(features["bot_user"]["display_name"]) <= 80
    for command in features["slash_commands"]:
        assert command["command"].startswith("/") and len(command["description"]) <= 100
        assert isinstance(command["should_escape"], bool)
    for shortcut in features["shortcuts"]:
        assert shortcut["type"] in ("message", "global")
        assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 150
    settings = data["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert isinstance(settings["org_deploy_enabled"], bool)


def test_scopes_are_minimal_and_each_has_a_reason() -> None:
    scopes = manifest()["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes))
    assert set(scopes) == set(SCOPE_REASONS)
    assert set(scopes) == set(BOT_SCOPES)  # what OAuth asks for


def test_every_command_has_a_listener_and_the_reverse() -> None:
    commands = [c["command"] for c in manifest()["features"]["slash_commands"]]
    assert commands == [COMMAND]
    assert registered().found["command"] == commands


def test_every_shortcut_has_a_listener_and_the_reverse() -> None:
    shortcuts = {s["callback_id"] for s in manifest()["features"]["shortcuts"]}
    assert shortcuts == set(ShortcutId)
    assert set(registered().found["shortcut"]) == shortcuts


def test_every_event_has_a_listener_and_the_reverse() -> None:
    subscribed = manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert len(subscribed) == 2
    events = {EVENT_OF_SUBSCRIPTION[s] for s in subscribed}
    assert set(registered().found["event"]) == events


def test_every_action_id_in_the_blocks_has_a_listener_and_the_reverse() -> None:
    listened = registered().found["action"]
    assert len(listened) == len(set(listened)) == len(ActionId)
    assert set(listened) == set(ActionId)
    shown: set[str] = set()
    inputs: set[str] = set()
    for payload in every_payload():
        for node in walk(payload.get("blocks", [])):
            if node.get("type") == "input":
                inputs.add(node["element"]["action_id"])
        shown |= set(action_ids(payload))
    assert shown - inputs == set(listened)  # every button is listened to, every listener shown


def test_every_view_callback_has_a_listener_and_the_reverse() -> None:
    callbacks = {p["callback_id"] for p in every_payload() if p.get("type") == "modal"}
    assert callbacks == set(ViewId)
    assert set(registered().found["view"]) == callbacks
