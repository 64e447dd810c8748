"""The nudge planner, table-driven with ``now`` pinned: which reason fires when, quiet
hours, digest, the daily cap, snooze, dedupe, and the words of each nudge."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.nudges.model import (
    CalendarState,
    ConversationFacts,
    NudgeReason,
    Preferences,
    RecentOutcome,
    RepFacts,
    StepFacts,
    StepState,
)
from bot.nudges.planner import (
    dedupe_key,
    digest_groups,
    next_digest_time,
    out_of_quiet,
    pattern_key,
    plan,
    reasons_for,
)

LA = ZoneInfo("America/Los_Angeles")
CALL = datetime(2026, 11, 19, 10, 0, tzinfo=LA)  # Thursday 10am
PREFS = Preferences(tz="America/Los_Angeles")
H = timedelta(hours=1)


def la(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LA)


def step(**changes: object) -> StepFacts:
    base = StepFacts(
        step_id=7,
        rep_id=1,
        conversation_id=3,
        action="review the proposal",
        kind="meeting",
        analysed_at=CALL + timedelta(minutes=5),
        conversation_at=CALL,
        evidence="Wednesday at 10 works.",
        due=la(25, 10),
        due_text="Wednesday at 10",
        acknowledged=True,
        counterpart="Priya",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


REASON_CASES = [
    # (name, step changes, now, expected reasons)
    ("secured meeting, no calendar word: nothing", {}, la(19, 11), []),
    (
        "vague right after analysis",
        {"findings": ("vague_action", "vague_time"), "acknowledged": False, "due": None},
        CALL + timedelta(minutes=5),
        [NudgeReason.VAGUE],
    ),
    (
        "vague not before the analysis",
        {"findings": ("vague_action",)},
        CALL,
        [],
    ),
    (
        "unacknowledged waits a day",
        {"acknowledged": False, "findings": ("not_acknowledged",)},
        la(20, 10, 4),
        [],
    ),
    (
        "unacknowledged after a day",
        {"acknowledged": False, "findings": ("not_acknowledged",)},
        la(20, 10, 6),
        [NudgeReason.UNACKNOWLEDGED],
    ),
    (
        "an accepted invite is the yes",
        {"acknowledged": False, "calendar": CalendarState.ACCEPTED},
        la(21, 10),
        [],
    ),
    (
        "clear no: no vague or unacknowledged nudge",
        {"acknowledged": False, "findings": ("vague_action",), "clear_no": True},
        la(22, 10),
        [],
    ),
    (
        "no invite before N hours: nothing",
        {"calendar": CalendarState.NO_INVITE},
        la(19, 13, 59),
        [],
    ),
    (
        "no invite after N hours",
        {"calendar": CalendarState.NO_INVITE},
        la(19, 14),
        [NudgeReason.NO_INVITE],
    ),
    (
        "no invite for a meeting already past: nothing",
        {"calendar": CalendarState.NO_INVITE},
        la(25, 11),
        [],
    ),
    (
        "awaiting for less than 24 hours",
        {"calendar": CalendarState.AWAITING, "calendar_changed_at": la(19, 12)},
        la(20, 11),
        [],
    ),
    (
        "not accepted after 24 hours",
        {"calendar": CalendarState.AWAITING, "calendar_changed_at": la(19, 12)},
        la(20, 12),
        [NudgeReason.NOT_ACCEPTED],
    ),
    (
        "tentative is not accepted",
        {"calendar": CalendarState.TENTATIVE, "calendar_changed_at": la(19, 12)},
        la(20, 13),
        [NudgeReason.NOT_ACCEPTED],
    ),
    ("declined at once", {"calendar": CalendarState.DECLINED}, la(19, 11), [NudgeReason.DECLINED]),
    (
        "cancelled at once",
        {"calendar": CalendarState.CANCELLED},
        la(19, 11),
        [NudgeReason.CANCELLED],
    ),
    ("moved at once", {"calendar": CalendarState.MOVED}, la(19, 11), [NudgeReason.MOVED]),
    ("unknown calendar: nothing", {"calendar": CalendarState.UNKNOWN}, la(21, 11), []),
    (
        "deliverable not yet due",
        {"kind": "deliverable", "due": la(23, 17), "action": "send the proposal"},
        la(23, 16, 59),
        [],
    ),
    (
        "deliverable overdue",
        {"kind": "deliverable", "due": la(23, 17), "action": "send the proposal"},
        la(23, 17),
        [NudgeReason.OVERDUE],
    ),
    (
        "a day-only due is overdue when the day ends",
        {"kind": "deliverable", "due": la(23, 0), "due_is_date": True},
        la(23, 23, 59),
        [],
    ),
    (
        "a day-only due, next day",
        {"kind": "deliverable", "due": la(23, 0), "due_is_date": True},
        la(24, 0),
        [NudgeReason.OVERDUE],
    ),
    ("a past meeting is never overdue", {}, la(26, 9), []),
    (
        "done: nothing at all",
        {"state": StepState.DONE, "kind": "deliverable", "calendar": CalendarState.DECLINED},
        la(30, 9),
        [],
    ),
    (
        "dropped: nothing at all",
        {"state": StepState.DROPPED, "findings": ("vague_action",)},
        la(30, 9),
        [],
    ),
    (
        "window not yet running out",
        {
            "kind": "homework",
            "due": None,
            "window": timedelta(hours=48),
            "window_ends_at": la(22, 10),
        },
        la(21, 21, 59),
        [],
    ),
    (
        "window running out (12 hours before)",
        {
            "kind": "homework",
            "due": None,
            "window": timedelta(hours=48),
            "window_ends_at": la(22, 10),
        },
        la(21, 22),
        [NudgeReason.TRIGGER_WINDOW],
    ),
    (
        "a short window warns a quarter before",
        {"kind": "callback", "due": None, "window": 4 * H, "window_ends_at": la(19, 14)},
        la(19, 13),
        [NudgeReason.TRIGGER_WINDOW],
    ),
    (
        "a closed window is no longer running out",
        {"kind": "callback", "due": None, "window": 4 * H, "window_ends_at": la(19, 14)},
        la(19, 14),
        [],
    ),
]


@pytest.mark.parametrize(
    ("changes", "now", "expected"),
    [pytest.param(c, n, e, id=name) for name, c, n, e in REASON_CASES],
)
def test_reasons(changes: dict, now: datetime, expected: list[NudgeReason]) -> None:
    assert reasons_for(step(**changes), PREFS, now) == expected


def reps(**prefs: object) -> dict[int, RepFacts]:
    return {1: RepFacts(rep_id=1, preferences=replace(PREFS, **prefs))}  # type: ignore[arg-type]


def test_a_nudge_says_why_quotes_and_offers_the_fix() -> None:
    nudges = plan([step(calendar=CalendarState.DECLINED)], reps(), la(19, 11))
    assert len(nudges) == 1
    nudge = nudges[0]
    assert nudge.dedupe_key == "step:7:declined"
    assert nudge.why == "Priya declined the Wednesday 25 Nov 10am invite for review the proposal."
    assert nudge.evidence == "Wednesday at 10 works."
    assert nudge.fix.startswith("Try: ")
    assert nudge.planned_for == la(19, 11).astimezone(UTC)


def test_vague_uses_the_engines_suggestion() -> None:
    vague = step(findings=("vague_action",), suggestion='Try: "Can we lock in Tuesday at 2pm?"')
    nudges = plan([vague], reps(), la(19, 11))
    assert [n.reason for n in nudges] == [NudgeReason.VAGUE]
    assert nudges[0].fix == 'Try: "Can we lock in Tuesday at 2pm?"'
    assert "no specific action or time" in nudges[0].why


def test_planned_once_per_step_and_reason() -> None:
    facts = [step(calendar=CalendarState.MOVED)]
    first = plan(facts, reps(), la(19, 11))
    assert len(first) == 1
    again = plan(facts, reps(), la(19, 12), planned_keys={n.dedupe_key for n in first})
    assert again == []


QUIET_CASES = [
    # (now, quiet start, quiet end, expected send time)
    (la(19, 11), time(19), time(8), la(19, 11)),
    (la(19, 19), time(19), time(8), la(20, 8)),
    (la(19, 23, 30), time(19), time(8), la(20, 8)),
    (la(20, 7, 59), time(19), time(8), la(20, 8)),
    (la(20, 8), time(19), time(8), la(20, 8)),
    (la(19, 12, 30), time(12), time(13), la(19, 13)),
    (la(19, 23, 30), None, None, la(19, 23, 30)),
]


@pytest.mark.parametrize(("now", "start", "end", "expected"), QUIET_CASES)
def test_quiet_hours_in_the_reps_zone(
    now: datetime, start: time | None, end: time | None, expected: datetime
) -> None:
    prefs = replace(PREFS, quiet_start=start, quiet_end=end)
    assert out_of_quiet(now, prefs) == expected
    nudges = plan(
        [step(calendar=CalendarState.DECLINED)], reps(quiet_start=start, quiet_end=end), now
    )
    assert len(nudges) == 1
    assert nudges[0].planned_for == expected.astimezone(UTC)


def test_quiet_hours_are_the_reps_wall_clock_not_utc() -> None:
    # 20:00 in Berlin is 11:00 in Los Angeles: quiet for a Berlin rep only.
    now = datetime(2026, 11, 19, 19, 0, tzinfo=UTC)
    berlin = plan([step(calendar=CalendarState.DECLINED)], reps(tz="Europe/Berlin"), now)
    pacific = plan([step(calendar=CalendarState.DECLINED)], reps(), now)
    assert len(berlin) == len(pacific) == 1
    assert berlin[0].planned_for == datetime(2026, 11, 20, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert pacific[0].planned_for == now


def test_quiet_hours_across_a_dst_change() -> None:
    # Sunday 1 Nov 2026 the clocks go back in Los Angeles; 08:00 is still 08:00 local.
    prefs = replace(PREFS)
    assert out_of_quiet(la(31, 22, month=10), prefs) == la(1, 8)
    assert la(1, 8).utcoffset() == timedelta(hours=-8)


def test_snooze_holds_a_step_back() -> None:
    snoozed = step(calendar=CalendarState.DECLINED, snoozed_until=la(20, 9))
    nudges = plan([snoozed], reps(), la(19, 11))
    assert [n.planned_for for n in nudges] == [la(20, 9).astimezone(UTC)]


def test_digest_groups_all_but_the_urgent() -> None:
    facts = [
        step(step_id=1, findings=("vague_action",)),
        step(step_id=2, kind="deliverable", due=la(18, 17), action="send the deck"),
        step(step_id=3, calendar=CalendarState.CANCELLED),
    ]
    nudges = plan(facts, reps(digest=True), la(19, 11))
    assert len(nudges) == 3
    by_reason = {n.reason: n for n in nudges}
    assert by_reason[NudgeReason.CANCELLED].digest is False
    assert by_reason[NudgeReason.CANCELLED].planned_for == la(19, 11)
    assert by_reason[NudgeReason.VAGUE].planned_for == la(20, 9)
    assert by_reason[NudgeReason.OVERDUE].planned_for == la(20, 9)
    groups = digest_groups(nudges)
    assert [[n.reason for n in g] for g in groups] == [
        [NudgeReason.CANCELLED],
        [NudgeReason.OVERDUE, NudgeReason.VAGUE],
    ]


def test_digest_time_is_today_when_still_ahead() -> None:
    assert next_digest_time(la(19, 7), PREFS) == la(19, 9)
    assert next_digest_time(la(19, 9, 1), PREFS) == la(20, 9)


def test_daily_cap_defers_the_least_urgent_to_the_next_morning() -> None:
    facts = [step(step_id=i, findings=("vague_action",)) for i in range(1, 5)]
    facts.append(step(step_id=9, calendar=CalendarState.DECLINED))
    nudges = plan(facts, reps(daily_cap=3), la(19, 11))
    assert len(nudges) == 5
    today = [n for n in nudges if n.planned_for == la(19, 11)]
    tomorrow = [n for n in nudges if n.planned_for == la(20, 9)]
    assert [n.reason for n in today] == [
        NudgeReason.DECLINED,
        NudgeReason.VAGUE,
        NudgeReason.VAGUE,
    ]
    assert len(tomorrow) == 2


def test_daily_cap_counts_what_was_planned_before() -> None:
    nudges = plan(
        [step(calendar=CalendarState.DECLINED)],
        reps(daily_cap=2),
        la(19, 11),
        planned_per_day={(1, date(2026, 11, 19)): 2},
    )
    assert [n.planned_for for n in nudges] == [la(20, 9).astimezone(UTC)]


def outcomes(*secured: bool, clear_no: int = 0) -> tuple[RecentOutcome, ...]:
    items = [
        RecentOutcome(
            conversation_id=i,
            at=CALL - timedelta(days=i),
            secured=s,
            failure=None if s else "vague_action",
        )
        for i, s in enumerate(secured)
    ]
    items += [
        RecentOutcome(conversation_id=100 + i, at=CALL, secured=False, clear_no=True)
        for i in range(clear_no)
    ]
    return tuple(items)


PATTERN_CASES = [
    # (recent, now, expected sentence or None)
    (
        (False, False, True, False, False),
        la(23, 9),
        "4 of your last 5 calls ended without a secured next step.",
    ),
    ((False, False, True, False, False), la(23, 8, 59), None),  # Monday before 9am
    (
        (False, False, True, True, False),
        la(23, 9),
        "3 of your last 5 calls ended without a secured next step.",
    ),
    ((False, True, True, True, False), la(23, 9), None),  # most were secured
    ((False, False, False), la(23, 9), None),  # fewer than five calls
]


@pytest.mark.parametrize(("recent", "now", "sentence"), PATTERN_CASES)
def test_weekly_pattern_note(recent: tuple[bool, ...], now: datetime, sentence: str | None) -> None:
    rep = {1: RepFacts(rep_id=1, preferences=PREFS, recent=outcomes(*recent))}
    nudges = plan([], rep, now)
    if sentence is None:
        assert nudges == []
        return
    assert len(nudges) == 1
    assert nudges[0].reason == NudgeReason.PATTERN
    assert nudges[0].why == sentence
    assert nudges[0].dedupe_key == pattern_key(1, date(2026, 11, 23)) == "rep:1:pattern:2026-W48"
    assert nudges[0].fix.startswith("Try: before you hang up")
    # once a week: the same week's later run plans nothing new
    assert plan([], rep, now + timedelta(days=3), planned_keys={nudges[0].dedupe_key}) == []


def test_a_clear_no_is_not_a_failure_in_the_pattern() -> None:
    rep = {1: RepFacts(rep_id=1, preferences=PREFS, recent=outcomes(False, True, clear_no=3))}
    assert plan([], rep, la(23, 9)) == []


def test_keys_are_stable() -> None:
    assert dedupe_key(7, NudgeReason.NO_INVITE) == "step:7:no_invite"


def test_planner_is_pure() -> None:
    """Importing the planner loads no Slack, database or Google module."""
    import subprocess

    code = (
        "import sys, bot.nudges.planner; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'slack_bolt', 'slack_sdk', 'sqlmodel', 'sqlalchemy', 'googleapiclient'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def talk(
    source: str = "email", analysed_at: datetime = CALL + timedelta(minutes=5)
) -> ConversationFacts:
    return ConversationFacts(conversation_id=3, rep_id=1, source=source, analysed_at=analysed_at)


def test_a_post_meeting_dm_at_once_even_in_quiet_hours_and_it_covers_vague() -> None:
    late = la(19, 22)  # quiet hours
    vague = step(findings=("vague_action",), analysed_at=late)
    nudges = plan([vague], reps(), late, conversations=[talk(analysed_at=late)])
    assert [(n.reason, n.covered) for n in nudges] == [
        (NudgeReason.POST_MEETING, False),
        (NudgeReason.VAGUE, True),
    ]
    assert nudges[0].dedupe_key == "conversation:3:post_meeting"
    assert nudges[0].planned_for == late
    again = plan(
        [vague],
        reps(),
        late,
        conversations=[talk(analysed_at=late)],
        planned_keys={n.dedupe_key for n in nudges},
    )
    assert again == []


@pytest.mark.parametrize(
    ("source", "analysed_at", "due"),
    [
        ("gmail", CALL, True),
        ("file", CALL, True),
        ("slack", CALL, False),  # a paste is answered where it was pasted
        ("email", CALL - timedelta(days=2), False),  # old history is not DMed on first run
    ],
)
def test_which_conversations_get_a_post_meeting_dm(
    source: str, analysed_at: datetime, due: bool
) -> None:
    nudges = plan([], reps(), la(19, 11), conversations=[talk(source, analysed_at)])
    assert [n.reason for n in nudges] == ([NudgeReason.POST_MEETING] if due else [])
