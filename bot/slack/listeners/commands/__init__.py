"""``/nextstep``: acknowledged at once; the work (analysis, the database) runs after the
ack and answers at the command's ``response_url``."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.blocks.common import COMMAND_TEXT, context
from bot.slack.listeners.commands.parse import Request, parse
from bot.slack.listeners.common import guarded, user_of, welcome_once
from bot.slack.model import COMMAND, Subcommand
from bot.slack.service import SlackService, SlackUseError

CHECKING = "Checking your notes for a secured next step…"
NEAR_LIMIT = COMMAND_TEXT - 100


def register(app: App, service: SlackService, offload: Any = None) -> None:
    """``offload`` (a ``bot.slack.offload.CommandChild``): the slow half runs in its
    child process instead of on this process's listener threads."""

    def acknowledge(ack: Ack, body: dict[str, Any]) -> None:
        request = parse(body.get("text") or "")
        if request.subcommand == Subcommand.HELP:
            ack(blocks.help_message(request.problem))
        elif request.subcommand is None:
            ack(response_type="ephemeral", text=CHECKING)
        else:
            ack()

    def answer(body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        if parse(body.get("text") or "").subcommand == Subcommand.HELP:
            return  # answered in the ack
        if offload is not None:
            offload.answer(body)
        else:
            answer_command(body, respond, service, client)

    app.command(COMMAND)(ack=acknowledge, lazy=[answer])


def answer_command(
    body: dict[str, Any], respond: Respond, service: SlackService, client: WebClient
) -> None:
    """The slow half of a command: the work, the answer at ``response_url`` and, on a
    first contact, the welcome."""
    request = parse(body.get("text") or "")
    if request.subcommand == Subcommand.HELP:
        return
    user = user_of(body)
    guarded(respond, lambda: run(request, body, respond, service, client), f"command {COMMAND}")
    guarded(respond, lambda: welcome_once(client, service, user), "welcome")


def share_chart(client: WebClient, user_id: str, rows: Any) -> None:
    """The team chart as a PNG in the manager's DM (files cannot be ephemeral)."""
    from bot.slack.chart import team_chart_png

    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        file=team_chart_png(rows),
        filename="nextstep-team.png",
        title="Secured next steps by rep",
        initial_comment="Your team's secured rate over their recent calls:",
    )


def run(
    request: Request,
    body: dict[str, Any],
    respond: Respond,
    service: SlackService,
    client: WebClient | None = None,
) -> None:
    user = user_of(body)
    zone = service.zone(user)
    match request.subcommand:
        case None:
            message = blocks.analysis_message(service.analyze_text(user, request.text), zone)
            if len(request.text) >= NEAR_LIMIT:
                message["blocks"].insert(
                    1,
                    context(
                        "Slack cuts a command at 4,000 characters. For longer notes use "
                        "*Paste call notes* in my Home tab or the *Check next steps* shortcut."
                    ),
                )
            respond(message)
        case Subcommand.LIST:
            respond(blocks.list_message(service.open_steps(user), zone))
        case Subcommand.DONE:
            steps = service.open_steps(user)
            number = request.number or 0
            if number > len(steps):
                raise SlackUseError(
                    f"You have {len(steps)} open steps; `{COMMAND} list` shows their numbers."
                )
            done = service.mark_done(user, steps[number - 1].id or 0)
            respond(blocks.done_message(done, number))
        case Subcommand.PATTERN:
            respond(blocks.pattern_message(service.pattern(user)))
        case Subcommand.TEAM:
            team = service.team(user)
            respond(blocks.team_message(team))
            if team.rows and client is not None:
                share_chart(client, user.user_id, team.rows)
