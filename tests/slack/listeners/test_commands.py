"""``/nextstep`` over real HTTP: signed requests, the ack at once, the answer at the
command's response_url, every subcommand, wrong use, refused signatures."""

from __future__ import annotations

import json
import time

import pytest

from bot.slack.listeners.commands.parse import parse
from bot.slack.model import Subcommand
from tests.slack.conftest import RunningApp
from tests.slack.fake_slack import command_body, signed_post
from tests.slack.limits import check_limits, texts

NOTES = """Call with Priya, Acme
- review the proposal Wednesday at 10
- reconnect next week
"""


def command(
    app: RunningApp, text: str, *, user: str = "U0DANA", team: str = "T0ACME"
) -> tuple[int, str]:
    body = command_body(
        text, app.api.response_url(f"{team}-{user}-{time.monotonic_ns()}"), user=user, team=team
    )
    return signed_post(app.url, body)


def test_a_paste_is_acked_at_once_and_answered_at_the_response_url(running_app: RunningApp) -> None:
    status, body = command(running_app, NOTES)
    assert status == 200
    assert json.loads(body) == {
        "text": "Checking your notes for a secured next step…",
        "response_type": "ephemeral",
    }
    answer = running_app.api.wait_for("response_url")[0].params
    check_limits(answer)
    assert answer["response_type"] == "ephemeral"
    words = texts(answer)
    assert "*Secured* (tier: gold)" in words
    assert "review the proposal Wednesday at 10" in words
    assert "reconnect next week" in words and "Try:" in words
    assert answer["blocks"][-1]["elements"][0]["action_id"] == "save_analysis"
    assert running_app.service.calls[0] == ("analyze_text", NOTES.strip())


def test_first_contact_gets_a_welcome_once(running_app: RunningApp) -> None:
    command(running_app, "list")
    command(running_app, "list")
    running_app.api.wait_for("response_url", 2)
    posted = running_app.api.wait_for("chat.postMessage")
    time.sleep(0.3)
    assert len(running_app.api.of("chat.postMessage")) == 1
    assert "Hi!" in texts(posted[0].params)
    assert running_app.api.of("conversations.open")[0].params["users"] == "U0DANA"


def test_list_and_done(running_app: RunningApp) -> None:
    from bot.slack.model import SlackUser

    dana = SlackUser("T0ACME", "U0DANA")
    service = running_app.service
    token = service.analyze_text(dana, NOTES).save_token
    assert token is not None
    service.save_analysis(dana, token)
    command(running_app, "list")
    listed = running_app.api.wait_for("response_url")[0].params
    assert "*1.* review the proposal Wednesday at 10" in texts(listed)
    assert "*2.* reconnect next week" in texts(listed)
    command(running_app, "done 2")
    done = running_app.api.wait_for("response_url", 2)[1].params
    assert "Marked done: *2. reconnect next week*" in texts(done)
    assert [s.action for s in service.open_steps(dana)] == ["review the proposal Wednesday at 10"]


def test_done_beyond_the_list_says_so(running_app: RunningApp) -> None:
    command(running_app, "done 3")
    answer = running_app.api.wait_for("response_url")[0].params
    assert "You have 0 open steps; `/nextstep list` shows their numbers." in texts(answer)


def test_pattern_and_team(running_app: RunningApp) -> None:
    command(running_app, "pattern")
    pattern = running_app.api.wait_for("response_url")[0].params
    assert "No conversations of yours yet" in texts(pattern)
    command(running_app, "team")
    refused = running_app.api.wait_for("response_url", 2)[1].params
    assert "The team view is for managers." in texts(refused)
    command(running_app, "team", user="U0BOSS")
    team = running_app.api.wait_for("response_url", 3)[2].params
    assert "No conversations in this workspace yet." in texts(team)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", None),
        ("help", None),
        ("lst", "`lst` is not a /nextstep command."),
        ("done", "`done` needs a step number"),
        ("done two", "`done` needs a step number"),
        ("list all", "`list` takes nothing after it."),
    ],
)
def test_wrong_use_gets_help_in_the_ack(
    running_app: RunningApp, text: str, problem: str | None
) -> None:
    status, body = command(running_app, text)
    assert status == 200
    answer = json.loads(body)
    check_limits(answer)
    words = texts(answer)
    assert "/nextstep done N" in words
    if problem:
        assert problem in words
    time.sleep(0.2)
    assert running_app.api.of("response_url") == []


def test_bad_signature_and_stale_timestamp_are_refused(running_app: RunningApp) -> None:
    body = command_body(NOTES, running_app.api.response_url())
    assert signed_post(running_app.url, body, bad_signature=True)[0] == 401
    assert signed_post(running_app.url, body, timestamp=int(time.time()) - 6 * 60)[0] == 401
    assert signed_post(running_app.url, body, secret="another-apps-secret")[0] == 401
    time.sleep(0.2)
    assert running_app.service.calls == []
    assert running_app.api.calls == []


def test_a_paste_near_the_4000_character_limit_points_to_the_shortcut(
    running_app: RunningApp,
) -> None:
    command(running_app, NOTES + "x" * 3950)
    answer = running_app.api.wait_for("response_url")[0].params
    assert "Slack cuts a command at 4,000 characters" in texts(answer)


def test_workspaces_are_apart(running_app: RunningApp) -> None:
    from bot.slack.model import SlackUser

    service = running_app.service
    acme = SlackUser("T0ACME", "U0DANA")
    token = service.analyze_text(acme, NOTES).save_token
    assert token is not None
    service.save_analysis(acme, token)
    # the same user id in another workspace sees none of it
    command(running_app, "list", team="T0OTHER")
    answer = running_app.api.wait_for("response_url")[0].params
    assert "You have no open next steps." in texts(answer)


PARSE_CASES = [
    ("list", Subcommand.LIST, None),
    ("  LIST ", Subcommand.LIST, None),
    ("done 4", Subcommand.DONE, 4),
    ("pattern", Subcommand.PATTERN, None),
    ("team", Subcommand.TEAM, None),
    ("done deal, we meet Tuesday at 2", None, None),
    ("Call notes\nlist", None, None),
]


@pytest.mark.parametrize(("text", "sub", "number"), PARSE_CASES)
def test_parse(text: str, sub: Subcommand | None, number: int | None) -> None:
    request = parse(text)
    assert (request.subcommand, request.number, request.problem) == (sub, number, None)


def test_team_shows_rates_and_shares_a_chart(running_app: RunningApp) -> None:
    from bot.slack.model import SlackUser

    service = running_app.service
    for user, notes in (("U0DANA", NOTES), ("U0SAM", "- reconnect next week\n")):
        token = service.analyze_text(SlackUser("T0ACME", user), notes).save_token
        assert token is not None
        service.save_analysis(SlackUser("T0ACME", user), token)
    command(running_app, "team", user="U0BOSS")
    answer = running_app.api.wait_for("response_url")[0].params
    assert "*U0DANA*: 1/1 secured (100%)" in texts(answer)
    assert "*U0SAM*: 0/1 secured (0%)" in texts(answer)
    (upload,) = running_app.api.wait_for("file_upload")
    assert upload.params["bytes"].startswith(b"\x89PNG\r\n\x1a\n")
    (complete,) = running_app.api.wait_for("files.completeUploadExternal")
    assert complete.params["channel_id"] == "D0BOSS"
    assert "secured rate" in complete.params["initial_comment"]
