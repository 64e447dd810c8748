"""The Block Kit people see: what each payload says, which buttons it has, and that it
stays within Slack's limits however much there is to show."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.nudges.model import NudgeReason, PlannedNudge
from bot.slack import blocks
from bot.slack.blocks.modals import read_due, read_pasted, read_preferences
from bot.slack.model import (
    ActionId,
    AnalysisView,
    Delivery,
    HomeView,
    PatternView,
    SlackPreferences,
    StepGroup,
    StepView,
    TeamRow,
    TeamView,
    ViewId,
)
from tests.slack.limits import action_ids, check_limits, texts

TZ = "America/Los_Angeles"
LA = ZoneInfo(TZ)
NOW = datetime(2026, 11, 19, 15, 0, tzinfo=LA)

SECURED = StepView(
    id=11,
    action="review the proposal",
    kind="meeting",
    secured=True,
    acknowledged=True,
    evidence="Wednesday at 10 works.",
    speaker="Priya Shah",
    due=datetime(2026, 11, 25, 10, 0, tzinfo=LA),
    due_text="Wednesday at 10",
    calendar="accepted",
)
VAGUE = StepView(
    id=12,
    action="reconnect",
    kind="meeting",
    secured=False,
    acknowledged=False,
    vague=True,
    evidence="Let's reconnect next week.",
    due_text="next week",
    problem='"Let\'s reconnect next week" has no specific action or date.',
    fix='Try: "Can we lock in Tuesday at 2pm to review this together?"',
)
ANALYSIS = AnalysisView(
    secured=True,
    tier="gold",
    reason="Secured (gold): review the proposal, Wednesday at 10am.",
    steps=(replace(SECURED, id=None), replace(VAGUE, id=None)),
    save_token="pending-42",
)


def test_analysis_reply_shows_verdict_steps_evidence_fix_and_save() -> None:
    payload = blocks.analysis_message(ANALYSIS, TZ)
    check_limits(payload)
    words = texts(payload)
    assert payload["response_type"] == "ephemeral"
    assert "*Secured* (tier: gold)" in words
    assert "*1. review the proposal*  ·  Wed 25 Nov 10am  ·  :white_check_mark: secured" in words
    assert "> Priya Shah: “Wednesday at 10 works.”" in words
    assert "*2. reconnect*  ·  next week  ·  :warning: vague" in words
    assert '*Try: "Can we lock in Tuesday at 2pm to review this together?"*' in words
    assert action_ids(payload) == [ActionId.SAVE_ANALYSIS]
    save = payload["blocks"][-1]["elements"][0]
    assert save["value"] == "pending-42"
    assert payload["text"] == "Secured: 2 next steps found"


def test_a_saved_analysis_has_step_buttons_instead_of_save() -> None:
    saved = replace(ANALYSIS, save_token=None, steps=(SECURED, VAGUE))
    payload = blocks.analysis_message(saved, TZ)
    check_limits(payload)
    assert ActionId.SAVE_ANALYSIS not in action_ids(payload)
    assert action_ids(payload).count(ActionId.MARK_DONE) == 2


def test_post_meeting_dm_has_the_five_buttons() -> None:
    view = AnalysisView(
        secured=False,
        tier="none",
        reason='Not secured: "Let\'s reconnect next week." (vague_action, vague_time).',
        steps=(VAGUE,),
        conversation_id=3,
        subject="Re: Pilot recap",
    )
    payload = blocks.post_meeting_message(view, TZ)
    check_limits(payload)
    assert payload["text"] == "Not secured: Re: Pilot recap"
    assert "response_type" not in payload
    assert action_ids(payload) == [
        ActionId.MARK_ACKNOWLEDGED,
        ActionId.SET_DUE,
        ActionId.MARK_DONE,
        ActionId.NOT_A_STEP,
        ActionId.SNOOZE,
    ]
    buttons = payload["blocks"][-1]["elements"]
    assert [b["text"]["text"] for b in buttons] == [
        "Mark acknowledged",
        "Set date/time",
        "Mark done",
        "Not a next step",
        "Snooze",
    ]
    assert {b["value"] for b in buttons} == {"12"}
    assert ":warning: *Not secured* · Re: Pilot recap" in texts(payload)


def test_an_acknowledged_step_has_no_acknowledge_button() -> None:
    payload = blocks.post_meeting_message(
        AnalysisView(secured=True, tier="gold", reason="ok", steps=(SECURED,)), TZ
    )
    assert ActionId.MARK_ACKNOWLEDGED not in action_ids(payload)


@pytest.mark.parametrize("count", [1, 20, 24, 25, 80])
def test_many_steps_stay_within_50_blocks(count: int) -> None:
    steps = tuple(replace(VAGUE, id=i, action=f"step {i}") for i in range(count))
    view = AnalysisView(secured=False, tier="none", reason="r", steps=steps)
    for payload in (blocks.post_meeting_message(view, TZ), blocks.analysis_message(view, TZ)):
        check_limits(payload)
        shown = sum(
            1
            for b in payload["blocks"]
            if b["type"] == "section" and ". step " in b["text"]["text"]
        )
        if count * 2 + 2 > 50:
            assert shown < count
            assert "more steps; all of them are in the App Home tab" in texts(payload)
        else:
            assert shown == count


def test_long_evidence_is_cut_to_3000_characters() -> None:
    huge = replace(VAGUE, evidence="word " * 2000, problem="p" * 4000)
    payload = blocks.post_meeting_message(
        AnalysisView(secured=False, tier="none", reason="x" * 5000, steps=(huge,)), TZ
    )
    check_limits(payload)
    assert max(len(b["text"]["text"]) for b in payload["blocks"] if b["type"] == "section") == 3000


def test_mrkdwn_control_characters_are_escaped() -> None:
    tricky = replace(VAGUE, evidence="<!channel> & <https://evil|click>")
    payload = blocks.post_meeting_message(
        AnalysisView(secured=False, tier="none", reason="r", steps=(tricky,)), TZ
    )
    assert "&lt;!channel&gt; &amp; &lt;https://evil|click&gt;" in texts(payload)
    assert "<!channel>" not in texts(payload)


def home(steps: tuple[StepView, ...], pattern: PatternView | None = None) -> HomeView:
    return HomeView(steps=steps, pattern=pattern, preferences=SlackPreferences(), tz=TZ)


GROUP_CASES = [
    (
        "past due deliverable",
        {"kind": "deliverable", "due": NOW - timedelta(hours=1)},
        StepGroup.OVERDUE,
    ),
    (
        "a day-only due is not overdue on the day",
        {"due": datetime(2026, 11, 19, 0, 0, tzinfo=LA), "due_is_date": True},
        StepGroup.ON_TRACK,
    ),
    ("no invite", {"calendar": "no_invite"}, StepGroup.NEEDS_INVITE),
    ("declined needs a new invite", {"calendar": "declined"}, StepGroup.NEEDS_INVITE),
    ("awaiting", {"calendar": "awaiting"}, StepGroup.AWAITING),
    ("tentative", {"calendar": "tentative"}, StepGroup.AWAITING),
    ("unacknowledged", {"acknowledged": False}, StepGroup.VAGUE_OR_UNACKNOWLEDGED),
    ("vague", {"vague": True}, StepGroup.VAGUE_OR_UNACKNOWLEDGED),
    ("secured and accepted", {}, StepGroup.ON_TRACK),
]


@pytest.mark.parametrize(
    ("changes", "group"), [pytest.param(c, g, id=n) for n, c, g in GROUP_CASES]
)
def test_home_groups(changes: dict, group: StepGroup) -> None:
    assert blocks.home_group(replace(SECURED, **changes), NOW, TZ) == group


def test_home_shows_groups_pattern_and_settings() -> None:
    steps = (
        SECURED,
        VAGUE,
        replace(
            SECURED, id=13, action="send the deck", kind="deliverable", due=NOW - timedelta(days=1)
        ),
        replace(SECURED, id=14, status="done", action="finished thing"),
    )
    pattern = PatternView(
        calls=5,
        unsecured=4,
        clear_no=0,
        most_common_failure="vague_time",
        sentence="4 of your last 5 calls ended without a secured next step.",
    )
    view = blocks.home_view(home(steps, pattern), NOW)
    check_limits(view, view=True)
    assert view["type"] == "home"
    words = texts(view)
    order = [
        words.index(t)
        for t in (
            ":red_circle: Overdue",
            ":warning: Vague or unacknowledged",
            ":white_check_mark: On track",
        )
    ]
    assert order == sorted(order)
    assert "Needs an invite" not in words  # empty groups are left out
    assert "finished thing" not in words  # done steps are not open
    assert "4 of your last 5 calls ended without a secured next step." in words
    assert "*Quiet hours:* 19:00–08:00 (America/Los_Angeles)" in words
    assert "*Nudges:* as they happen" in words
    assert "*Snooze:* 1 day" in words
    ids = action_ids(view)
    assert ids.count(ActionId.STEP_MENU) == 3
    assert ActionId.OPEN_PREFERENCES in ids and ActionId.OPEN_PASTE in ids


def test_home_with_hundreds_of_steps_stays_within_100_blocks() -> None:
    steps = tuple(
        replace(VAGUE, id=i, action=f"step {i}", calendar=["no_invite", "awaiting", None][i % 3])
        for i in range(300)
    )
    view = blocks.home_view(home(steps), NOW)
    check_limits(view, view=True)
    assert len(view["blocks"]) >= 90
    assert "more" in texts(view)


def test_help_and_wrong_use() -> None:
    payload = blocks.help_message("`done` needs a step number, e.g. `/nextstep done 2`.")
    check_limits(payload)
    words = texts(payload)
    for usage in (
        "/nextstep list",
        "/nextstep done N",
        "/nextstep pattern",
        "/nextstep team",
        "/nextstep help",
    ):
        assert usage in words
    assert payload["text"].startswith("`done` needs a step number")


def test_pattern_message() -> None:
    pattern = PatternView(
        5, 4, 0, "not_acknowledged", "4 of your last 5 calls ended without a secured next step."
    )
    payload = blocks.pattern_message(pattern)
    check_limits(payload)
    assert payload["text"] == "4 of your last 5 calls ended without a secured next step."
    assert "Most common miss: no yes from the other side." in texts(payload)


def test_team_message() -> None:
    team = TeamView(
        rows=(TeamRow("Dana Reyes", 5, 1, "vague_time"), TeamRow("Sam Ito", 4, 4, None))
    )
    payload = blocks.team_message(team)
    check_limits(payload)
    words = texts(payload)
    assert "*Dana Reyes*: 1/5 secured (20%) · most common miss: no specific time" in words
    assert "*Sam Ito*: 4/4 secured (100%)" in words


def test_nudge_and_digest() -> None:
    nudge = PlannedNudge(
        dedupe_key="step:12:vague",
        rep_id=1,
        step_id=12,
        reason=NudgeReason.VAGUE,
        planned_for=NOW.astimezone(UTC),
        why='"reconnect" has no specific action or time: it is a stall, not a step.',
        evidence="Let's reconnect next week.",
        fix='Try: "Can we lock in Tuesday at 2pm?"',
    )
    payload = blocks.nudge_message(nudge, VAGUE)
    check_limits(payload)
    words = texts(payload)
    assert "*A vague next step:*" in words and "> “Let's reconnect next week.”" in words
    assert '*Try: "Can we lock in Tuesday at 2pm?"*' in words
    assert ActionId.MARK_DONE in action_ids(payload)
    many = [
        (replace(nudge, dedupe_key=f"k{i}", step_id=i), replace(VAGUE, id=i)) for i in range(30)
    ]
    digest = blocks.digest_message(many)
    check_limits(digest)
    assert digest["text"] == "30 next steps need you today"
    assert "more in the App Home tab" in texts(digest)


def test_welcome_and_notes_wanted() -> None:
    check_limits(blocks.welcome_message())
    wanted = blocks.notes_wanted_message("Acme pilot review", "Thu 19 Nov 2pm")
    check_limits(wanted)
    assert action_ids(wanted) == [ActionId.OPEN_PASTE]


def test_set_due_modal_in_the_reps_zone_and_reading_it_back() -> None:
    view = blocks.set_due_modal(SECURED, TZ, NOW)
    check_limits(view, view=True)
    assert view["callback_id"] == ViewId.SET_DUE and view["private_metadata"] == "11"
    pickers = {b["element"]["type"]: b["element"] for b in view["blocks"] if "element" in b}
    assert pickers["datepicker"]["initial_date"] == "2026-11-25"
    assert pickers["timepicker"]["initial_time"] == "10:00"
    state = {
        "values": {
            "due_date": {"due_date": {"selected_date": "2026-12-01"}},
            "due_time": {"due_time": {"selected_time": "14:30"}},
        }
    }
    assert read_due(state, TZ) == datetime(2026, 12, 1, 14, 30, tzinfo=LA)
    with pytest.raises(ValueError, match="Pick a date"):
        read_due({"values": {}}, TZ)


def test_paste_and_preferences_modals() -> None:
    paste = blocks.paste_modal()
    check_limits(paste, view=True)
    assert paste["blocks"][0]["element"]["max_length"] == 3000
    assert (
        read_pasted({"values": {"pasted_text": {"pasted_text": {"value": "  notes  "}}}}) == "notes"
    )
    prefs = SlackPreferences(
        quiet_start=time(20), quiet_end=time(7), delivery=Delivery.DIGEST, snooze=timedelta(hours=4)
    )
    modal = blocks.preferences_modal(prefs)
    check_limits(modal, view=True)
    state = {
        "values": {
            "quiet_start": {"quiet_start": {"selected_time": "20:00"}},
            "quiet_end": {"quiet_end": {"selected_time": "07:00"}},
            "delivery": {"delivery": {"selected_option": {"value": "digest"}}},
            "snooze_hours": {"snooze_hours": {"selected_option": {"value": "4"}}},
        }
    }
    assert read_preferences(state) == prefs
    initial = {b["block_id"]: b["element"] for b in modal["blocks"]}
    assert initial["delivery"]["initial_option"]["value"] == "digest"
    assert initial["snooze_hours"]["initial_option"]["value"] == "4"


def test_builders_are_pure() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bot.slack.blocks; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'slack_bolt', 'slack_sdk', 'sqlmodel', 'sqlalchemy', 'googleapiclient'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
