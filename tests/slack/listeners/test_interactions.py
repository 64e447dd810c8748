"""Buttons, menus, modals, the message shortcut and events, sent over real HTTP in
Slack's payload shapes (tests/data/slack/): the step changes, the message it came
from is updated, App Home is republished; retried events are processed once."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.slack import blocks
from bot.slack.model import AnalysisView, SlackUser
from tests.slack.conftest import RunningApp
from tests.slack.fake_slack import event_body, interactive_body, signed_post
from tests.slack.limits import check_limits, texts

DATA = Path(__file__).resolve().parents[2] / "data" / "slack"
DANA = SlackUser("T0ACME", "U0DANA")
NOTES = "Call with Priya\n- review the proposal Wednesday at 10\n- reconnect next week\n"


def payload(name: str, **replace: str) -> dict[str, Any]:
    text = (DATA / name).read_text()
    for key, value in replace.items():
        text = text.replace(key, value)
    return json.loads(text)


def saved(app: RunningApp, user: SlackUser = DANA) -> AnalysisView:
    token = app.service.analyze_text(user, NOTES).save_token
    assert token is not None
    return app.service.save_analysis(user, token)


def post(app: RunningApp, body: dict[str, Any]) -> int:
    return signed_post(app.url, interactive_body(body))[0]


@pytest.mark.parametrize(
    ("action_id", "expected_note", "check"),
    [
        ("mark_done", "Marked done.", lambda s: s.status == "done"),
        ("not_a_step", "Not a next step", lambda s: s.status == "dropped"),
        ("mark_acknowledged", "Marked acknowledged", lambda s: s.acknowledged),
        ("snooze", "Snoozed.", lambda s: s.snoozed_until is not None),
    ],
)
def test_a_dm_button_updates_the_step_the_message_and_app_home(
    running_app: RunningApp, action_id: str, expected_note: str, check: Any
) -> None:
    analysis = saved(running_app)
    step = analysis.steps[1]
    dm = blocks.post_meeting_message(analysis, "America/Los_Angeles")
    body = payload("block_actions_dm_button.json", RESPONSE_URL=running_app.api.response_url("dm"))
    body["message"]["blocks"] = dm["blocks"]
    body["actions"][0].update(action_id=action_id, value=str(step.id), block_id=f"step:{step.id}")
    assert post(running_app, body) == 200
    published = running_app.api.wait_for("views.publish")[0].params
    assert check(running_app.service.step(DANA, step.id or 0))
    replaced = running_app.api.wait_for("response_url")[0].params
    assert replaced["replace_original"] is True
    assert expected_note in texts(replaced)
    assert not any(b.get("block_id") == f"step:{step.id}" for b in replaced["blocks"])
    assert any(b.get("block_id") == f"step:{analysis.steps[0].id}" for b in replaced["blocks"])
    assert published["user_id"] == "U0DANA"
    check_limits(published["view"], view=True)


def test_a_button_on_someone_elses_step_changes_nothing(running_app: RunningApp) -> None:
    analysis = saved(running_app, SlackUser("T0OTHER", "U0DANA"))
    body = payload("block_actions_dm_button.json", RESPONSE_URL=running_app.api.response_url("dm"))
    body["actions"][0]["value"] = str(analysis.steps[0].id)
    assert post(running_app, body) == 200
    answer = running_app.api.wait_for("response_url")[0].params
    assert f"Step {analysis.steps[0].id} is not one of your next steps." in texts(answer)
    assert answer["replace_original"] is False
    assert (
        running_app.service.step(SlackUser("T0OTHER", "U0DANA"), analysis.steps[0].id or 0).status
        == "open"
    )


def test_the_home_menu_marks_done_and_republishes(running_app: RunningApp) -> None:
    analysis = saved(running_app)
    body = payload("block_actions_home_overflow.json")
    body["actions"][0]["selected_option"]["value"] = f"done:{analysis.steps[0].id}"
    assert post(running_app, body) == 200
    view = running_app.api.wait_for("views.publish")[0].params["view"]
    assert running_app.service.step(DANA, analysis.steps[0].id or 0).status == "done"
    assert "review the proposal" not in texts(view)
    assert "reconnect next week" in texts(view)


def test_set_date_opens_pickers_and_the_submission_sets_the_due(running_app: RunningApp) -> None:
    analysis = saved(running_app)
    step = analysis.steps[1]
    body = payload("block_actions_dm_button.json", RESPONSE_URL=running_app.api.response_url("dm"))
    body["actions"][0].update(action_id="set_due", value=str(step.id))
    assert post(running_app, body) == 200
    opened = running_app.api.wait_for("views.open")[0].params
    assert opened["trigger_id"] == "1337.42.trigger"
    assert opened["view"]["callback_id"] == "set_due_view"
    assert opened["view"]["private_metadata"] == str(step.id)

    submission = payload("view_submission_set_due.json")
    submission["view"]["private_metadata"] = str(step.id)
    status, answer = signed_post(running_app.url, interactive_body(submission))
    assert status == 200 and answer == ""
    running_app.api.wait_for("views.publish")
    due = running_app.service.step(DANA, step.id or 0).due
    assert due is not None
    assert (
        due.astimezone(ZoneInfo("America/Los_Angeles")).isoformat() == "2026-12-01T14:30:00-08:00"
    )


def test_a_submission_without_a_date_is_refused_in_the_modal(running_app: RunningApp) -> None:
    submission = payload("view_submission_set_due.json")
    submission["view"]["state"]["values"]["due_date"]["due_date"]["selected_date"] = None
    status, answer = signed_post(running_app.url, interactive_body(submission))
    assert status == 200
    assert json.loads(answer) == {
        "response_action": "errors",
        "errors": {"due_date": "Pick a date."},
    }


def test_save_tracks_the_steps(running_app: RunningApp) -> None:
    token = running_app.service.analyze_text(DANA, NOTES).save_token
    body = payload("block_actions_dm_button.json", RESPONSE_URL=running_app.api.response_url("cmd"))
    body["actions"][0].update(action_id="save_analysis", value=token)
    assert post(running_app, body) == 200
    replaced = running_app.api.wait_for("response_url")[0].params
    assert replaced["replace_original"] is True
    assert "mark_done" in json.dumps(replaced["blocks"])
    assert len(running_app.service.open_steps(DANA)) == 2
    running_app.api.wait_for("views.publish")


def test_the_message_shortcut_analyses_a_long_message(running_app: RunningApp) -> None:
    long_notes = NOTES + ("More notes. " * 600)
    assert len(long_notes) > 4000
    body = payload("message_shortcut.json", RESPONSE_URL=running_app.api.response_url("sc"))
    body["message"]["text"] = long_notes
    assert post(running_app, body) == 200
    answer = running_app.api.wait_for("response_url")[0].params
    assert "*Secured* (tier: gold)" in texts(answer)
    assert running_app.service.calls[0] == ("analyze_text", long_notes.strip())


def test_app_home_opened_publishes_home_and_welcomes_once(running_app: RunningApp) -> None:
    saved(running_app)
    event = payload("event_app_home_opened.json")
    assert (
        signed_post(
            running_app.url, event_body(event, event_id="Ev001"), content_type="application/json"
        )[0]
        == 200
    )
    view = running_app.api.wait_for("views.publish")[0].params["view"]
    assert view["type"] == "home"
    assert "reconnect next week" in texts(view)
    welcome = running_app.api.wait_for("chat.postMessage")[0].params
    assert "Hi!" in texts(welcome)
    assert (
        signed_post(
            running_app.url, event_body(event, event_id="Ev002"), content_type="application/json"
        )[0]
        == 200
    )
    running_app.api.wait_for("views.publish", 2)
    time.sleep(0.3)
    assert len(running_app.api.of("chat.postMessage")) == 1


def test_a_retried_event_is_processed_once(running_app: RunningApp) -> None:
    event = payload("event_message_im.json", MESSAGE_TEXT="- demo Tuesday at 2")
    body = event_body(event, event_id="Ev0RETRY")
    first = signed_post(running_app.url, body, content_type="application/json")
    retried = signed_post(
        running_app.url,
        body,
        content_type="application/json",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert first[0] == retried[0] == 200
    running_app.api.wait_for("chat.postMessage", 2)  # the welcome and the analysis
    time.sleep(0.4)
    assert [c for c in running_app.service.calls if c[0] == "analyze_text"] == [
        ("analyze_text", "- demo Tuesday at 2")
    ]
    assert len(running_app.api.of("chat.postMessage")) == 2


def test_a_first_delivery_that_is_a_retry_is_processed(running_app: RunningApp) -> None:
    """The first attempt may never have arrived: a retry number alone drops nothing."""
    event = payload("event_message_im.json", MESSAGE_TEXT="- demo Tuesday at 2")
    status, _ = signed_post(
        running_app.url,
        event_body(event, event_id="Ev0LOST"),
        content_type="application/json",
        headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"},
    )
    assert status == 200
    posted = running_app.api.wait_for("chat.postMessage", 2)
    assert any("demo Tuesday at 2" in texts(c.params) for c in posted)


def test_the_bots_own_messages_are_ignored(running_app: RunningApp) -> None:
    event = payload("event_message_im.json", MESSAGE_TEXT="hello")
    event["bot_id"] = "B0BOT"
    signed_post(
        running_app.url, event_body(event, event_id="Ev0BOT"), content_type="application/json"
    )
    time.sleep(0.4)
    assert running_app.service.calls == []


def test_a_rate_limited_publish_waits_and_retries(
    running_app: RunningApp, no_retry_sleep: list[float]
) -> None:
    running_app.api.rate_limit("views.publish", 2)
    event = payload("event_app_home_opened.json")
    signed_post(
        running_app.url, event_body(event, event_id="Ev0RL"), content_type="application/json"
    )
    running_app.api.wait_for("views.publish")
    assert len(running_app.api.of("views.publish:429")) == 1
    assert len(no_retry_sleep) == 1 and 2 <= no_retry_sleep[0] < 3
