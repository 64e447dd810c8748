"""Bolt listeners, one package per kind, each with ``register(app, service)``.
Listeners only translate: ack first, parse, call the service, render, call Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, shortcuts, views
from bot.slack.service import SlackService

KINDS = (events, commands, actions, views, shortcuts)


def register_all(app: App, service: SlackService, command_offload: Any = None) -> None:
    """``command_offload``: where ``/nextstep``'s slow half runs (``bot.slack.offload``);
    None: on the app's listener threads."""
    for kind in KINDS:
        if kind is commands:
            commands.register(app, service, command_offload)
        else:
            kind.register(app, service)
