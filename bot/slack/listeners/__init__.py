"""Bolt listeners, one package per kind, each with ``register(app, service)``.
Listeners only translate: ack first, parse, call the service, render, call Slack."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, shortcuts, views
from bot.slack.service import SlackService

KINDS = (events, commands, actions, views, shortcuts)


def register_all(app: App, service: SlackService) -> None:
    for kind in KINDS:
        kind.register(app, service)
