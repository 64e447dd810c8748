"""Time phrases, resolved exactly: the "Time" rules of tests/corpus/GUIDE.md, row by row.

Every row pins the reference time and names the rep's zone. 2026-11-21 is a Saturday.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.engine.model import Grain, TimeExpression
from bot.engine.timex import find_times, resolve, timex_to_dict
from bot.errors import TimeZoneError

LA, NY, LONDON = "America/Los_Angeles", "America/New_York", "Europe/London"


def at(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))  # type: ignore[misc]


THU = at(LA, 2026, 11, 19, 15, 0)  # Thursday 15:00
THU_EVENING = datetime(2026, 11, 20, 3, 30, tzinfo=UTC)  # Thursday 19:30 in Los Angeles
FRI = at(LA, 2026, 11, 20, 10, 0)
FRI_3PM = at(LA, 2026, 11, 20, 15, 0)
SAT = at(LA, 2026, 11, 21, 10, 0)
MON = at(LA, 2026, 11, 23, 10, 0)
DEC_2 = at(LA, 2026, 12, 2, 10, 0)
NEW_YEARS_EVE = at(LA, 2026, 12, 31, 10, 0)


def only(text: str, now: datetime, tz: str = LA) -> TimeExpression:
    found = find_times(text, now=now, tz=tz)
    assert len(found) == 1, [t.text for t in found]
    return found[0]


def local(value: datetime | None, tz: str = LA) -> tuple[int, ...] | None:
    """The wall time in the rep's zone, checking the value is in that zone."""
    if value is None:
        return None
    assert str(value.tzinfo) == tz
    return value.timetuple()[:5]


# (phrase, now, tz, expected wall time in tz (y, m, d, h, min), grain, deadline)
SPECIFIC = [
    pytest.param("by Friday", THU_EVENING, LA, (2026, 11, 20, 17, 0), Grain.MINUTE, True,
                 id="by-friday-said-thursday-evening-pacific-is-tomorrow"),
    pytest.param("Monday", MON, LA, (2026, 11, 30, 0, 0), Grain.DAY, False,
                 id="monday-said-on-a-monday-is-a-week-later"),
    pytest.param("today at 4", MON, LA, (2026, 11, 23, 16, 0), Grain.MINUTE, False,
                 id="today-at-4"),
    pytest.param("next Friday", SAT, LA, (2026, 11, 27, 0, 0), Grain.DAY, False,
                 id="next-friday-said-saturday-is-next-weeks"),
    pytest.param("Jan 15", FRI, LA, (2027, 1, 15, 0, 0), Grain.DAY, False,
                 id="jan-15-in-november-is-next-year"),
    pytest.param("the 3rd", FRI, LA, (2026, 12, 3, 0, 0), Grain.DAY, False,
                 id="the-3rd-said-nov-20"),
    pytest.param("the 3rd", DEC_2, LA, (2026, 12, 3, 0, 0), Grain.DAY, False,
                 id="the-3rd-said-dec-2"),
    pytest.param("EOW", SAT, LA, (2026, 11, 27, 17, 0), Grain.MINUTE, True,
                 id="eow-said-saturday-is-next-friday"),
    pytest.param("end of the week", THU, LA, (2026, 11, 20, 17, 0), Grain.MINUTE, True,
                 id="end-of-week-said-thursday"),
    pytest.param("end of month", FRI, LA, (2026, 11, 30, 17, 0), Grain.MINUTE, True,
                 id="end-of-month-nov-20"),
    pytest.param("end of month", NEW_YEARS_EVE, LA, (2026, 12, 31, 17, 0), Grain.MINUTE, True,
                 id="end-of-month-on-its-last-day"),
    pytest.param("2pm ET", at(LA, 2026, 11, 19, 8, 0), LA, (2026, 11, 19, 11, 0), Grain.MINUTE,
                 False, id="2pm-eastern-for-a-pacific-rep"),
    pytest.param("Monday at 9", at(LONDON, 2027, 3, 26, 12, 0), LONDON, (2027, 3, 29, 9, 0),
                 Grain.MINUTE, False, id="london-across-the-march-dst-change"),
    pytest.param("Monday at 9", at(NY, 2026, 10, 30, 12, 0), NY, (2026, 11, 2, 9, 0),
                 Grain.MINUTE, False, id="new-york-across-the-november-dst-change"),
    pytest.param("12/3", FRI, LA, (2026, 12, 3, 0, 0), Grain.DAY, False, id="us-month-day"),
    pytest.param("tomorrow morning", THU, LA, (2026, 11, 20, 0, 0), Grain.DAY, False,
                 id="morning-gives-the-day-only"),
    pytest.param("Wednesday afternoon at 2:30", THU, LA, (2026, 11, 25, 14, 30), Grain.MINUTE,
                 False, id="afternoon-makes-2-30-pm"),
    pytest.param("noon Thursday", THU, LA, (2026, 11, 26, 12, 0), Grain.MINUTE, False,
                 id="noon-thursday"),
    pytest.param("COB tomorrow", THU, LA, (2026, 11, 20, 17, 0), Grain.MINUTE, True,
                 id="cob-tomorrow"),
    pytest.param("end of next week", THU, LA, (2026, 11, 27, 17, 0), Grain.MINUTE, True,
                 id="end-of-next-week"),
    pytest.param("first thing Monday", THU, LA, (2026, 11, 23, 9, 0), Grain.MINUTE, False,
                 id="first-thing-monday"),
    pytest.param("tonight", THU, LA, (2026, 11, 19, 21, 0), Grain.MINUTE, False, id="tonight"),
    pytest.param("in 3 days", THU, LA, (2026, 11, 22, 0, 0), Grain.DAY, False, id="in-3-days"),
    pytest.param("three days from today", THU, LA, (2026, 11, 22, 0, 0), Grain.DAY, False,
                 id="three-days-from-today"),
    pytest.param("in 2 hours", THU, LA, (2026, 11, 19, 17, 0), Grain.MINUTE, False,
                 id="in-2-hours"),
    pytest.param("Tuesday at 2", THU, LA, (2026, 11, 24, 14, 0), Grain.MINUTE, False,
                 id="bare-hour-2-is-pm"),
    pytest.param("Tuesday at 8", THU, LA, (2026, 11, 24, 8, 0), Grain.MINUTE, False,
                 id="bare-hour-8-is-am"),
    pytest.param("Tuesday at 12", THU, LA, (2026, 11, 24, 12, 0), Grain.MINUTE, False,
                 id="bare-hour-12-is-noon"),
    pytest.param("Tues 2p", THU, LA, (2026, 11, 24, 14, 0), Grain.MINUTE, False, id="tues-2p"),
    pytest.param("Wed @ 10:30am", THU, LA, (2026, 11, 25, 10, 30), Grain.MINUTE, False,
                 id="wed-at-sign"),
    pytest.param("Thursday, 3 pm", THU, LA, (2026, 11, 26, 15, 0), Grain.MINUTE, False,
                 id="thursday-comma-3-pm"),
    pytest.param("2pm on Thursday", THU, LA, (2026, 11, 26, 14, 0), Grain.MINUTE, False,
                 id="time-before-day"),
    pytest.param("Thursday the 26th at 11", THU, LA, (2026, 11, 26, 11, 0), Grain.MINUTE, False,
                 id="weekday-ordinal-and-hour"),
    pytest.param("by Friday 5pm", THU, LA, (2026, 11, 20, 17, 0), Grain.MINUTE, True,
                 id="deadline-with-a-time"),
    pytest.param("no later than Monday", THU, LA, (2026, 11, 23, 17, 0), Grain.MINUTE, True,
                 id="no-later-than"),
    pytest.param("before Friday", THU, LA, (2026, 11, 20, 17, 0), Grain.MINUTE, True,
                 id="before-friday-is-a-friday-deadline"),
    pytest.param("by 4pm", THU, LA, (2026, 11, 19, 16, 0), Grain.MINUTE, True, id="by-4pm"),
    pytest.param("by 2pm", THU, LA, (2026, 11, 20, 14, 0), Grain.MINUTE, True,
                 id="by-2pm-once-passed-is-tomorrow"),
    pytest.param("at 9 in the morning", THU, LA, (2026, 11, 20, 9, 0), Grain.MINUTE, False,
                 id="clock-alone-tomorrow-once-passed"),
    pytest.param("EOD", THU, LA, (2026, 11, 19, 17, 0), Grain.MINUTE, True, id="eod"),
    pytest.param("tomorrow at 9 in the morning", THU, LA, (2026, 11, 20, 9, 0), Grain.MINUTE,
                 False, id="day-clock-and-part-of-day"),
    pytest.param("by tonight", THU, LA, (2026, 11, 19, 21, 0), Grain.MINUTE, True,
                 id="by-tonight"),
    pytest.param("tonight at 8", THU, LA, (2026, 11, 19, 20, 0), Grain.MINUTE, False,
                 id="tonight-makes-8-pm"),
    pytest.param("this Friday", SAT, LA, (2026, 11, 27, 0, 0), Grain.DAY, False,
                 id="this-friday-once-passed-is-the-next"),
    pytest.param("this Friday", FRI, LA, (2026, 11, 20, 0, 0), Grain.DAY, False,
                 id="this-friday-said-friday-is-today"),
    pytest.param("Tuesday next week", THU, LA, (2026, 11, 24, 0, 0), Grain.DAY, False,
                 id="tuesday-next-week"),
    pytest.param("next week Tuesday", MON, LA, (2026, 12, 1, 0, 0), Grain.DAY, False,
                 id="next-week-tuesday"),
    pytest.param("Friday after next", THU, LA, (2026, 11, 27, 0, 0), Grain.DAY, False,
                 id="friday-after-next"),
    pytest.param("January 15th", FRI, LA, (2027, 1, 15, 0, 0), Grain.DAY, False,
                 id="january-15th"),
    pytest.param("15 January", FRI, LA, (2027, 1, 15, 0, 0), Grain.DAY, False,
                 id="15-january"),
    pytest.param("3rd of December 2026", FRI, LA, (2026, 12, 3, 0, 0), Grain.DAY, False,
                 id="ordinal-of-month-year"),
    pytest.param("3-Dec-2026", FRI, LA, (2026, 12, 3, 0, 0), Grain.DAY, False,
                 id="odd-format-through-dateparser"),
    pytest.param("2026-12-03", FRI, LA, (2026, 12, 3, 0, 0), Grain.DAY, False, id="iso-date"),
    pytest.param("Dec 2 at 3pm", FRI, LA, (2026, 12, 2, 15, 0), Grain.MINUTE, False,
                 id="date-with-a-time"),
    pytest.param("Nov 20", FRI, LA, (2026, 11, 20, 0, 0), Grain.DAY, False,
                 id="todays-date-is-today"),
    pytest.param("by year-end", FRI, LA, (2026, 12, 31, 17, 0), Grain.MINUTE, True,
                 id="year-end"),
    pytest.param("in the morning", THU, LA, (2026, 11, 20, 0, 0), Grain.DAY, False,
                 id="in-the-morning-said-in-the-afternoon-is-tomorrow"),
    pytest.param("in the afternoon", FRI, LA, (2026, 11, 20, 0, 0), Grain.DAY, False,
                 id="in-the-afternoon-said-in-the-morning-is-today"),
    pytest.param("around 3pm", FRI, LA, (2026, 11, 20, 15, 0), Grain.MINUTE, False,
                 id="around-3pm"),
]  # fmt: skip


@pytest.mark.parametrize(("phrase", "now", "tz", "wall", "grain", "deadline"), SPECIFIC)
def test_specific_phrases_resolve_to_the_rubric_day_and_time(
    phrase: str, now: datetime, tz: str, wall: tuple[int, ...], grain: Grain, deadline: bool
) -> None:
    found = only(phrase, now, tz)
    assert found.text == phrase
    assert local(found.value, tz) == wall
    assert (found.grain, found.deadline, found.specific, found.past) == (
        grain,
        deadline,
        True,
        False,
    )
    assert not found.ambiguous


def test_friday_5pm_said_friday_morning_is_next_week_and_says_why() -> None:
    # The guide: a bare weekday said on that weekday is a week later unless "today" is
    # said; with a time still ahead today the phrase could mean today, so it is reported.
    found = only("Friday 5pm", FRI)
    assert local(found.value) == (2026, 11, 27, 17, 0)
    assert (
        found.ambiguity == "a Friday time said on a Friday is next week's; 'today' would mean today"
    )
    assert local(only("today 5pm", FRI).value) == (2026, 11, 20, 17, 0)


def test_friday_9am_said_friday_at_10_is_next_week() -> None:
    assert local(only("Friday at 9am", FRI).value) == (2026, 11, 27, 9, 0)


def test_next_tuesday_said_monday_is_next_weeks_and_reported_ambiguous() -> None:
    found = only("next Tuesday", MON)
    assert local(found.value) == (2026, 12, 1, 0, 0)
    assert found.ambiguous
    assert found.ambiguity == "'next Tuesday' is the Tuesday of next week, not this week's"


def test_a_weekday_that_contradicts_its_date_keeps_the_date_and_says_so() -> None:
    found = only("Thursday the 27th at 11", THU)
    assert local(found.value) == (2026, 11, 27, 11, 0)
    assert found.ambiguity == "November 27 is a Friday, not a Thursday; the date was used"


def test_eod_said_after_five_is_tomorrow_and_reported() -> None:
    found = only("EOD", at(LA, 2026, 11, 19, 19, 0))
    assert local(found.value) == (2026, 11, 20, 17, 0)
    assert found.ambiguous


@pytest.mark.parametrize(
    ("phrase", "now", "wall", "window"),
    [
        pytest.param("within 48 hours", THU, (2026, 11, 21, 15, 0), timedelta(hours=48), id="48h"),
        pytest.param("in the next 24 hours", THU, (2026, 11, 20, 15, 0), timedelta(hours=24),
                     id="next-24h"),
        pytest.param("within 2 business days", FRI_3PM, (2026, 11, 24, 15, 0), timedelta(days=2),
                     id="friday-3pm-plus-2-business-days-is-tuesday-3pm"),
        pytest.param("within 2 business days", SAT, (2026, 11, 24, 17, 0), timedelta(days=2),
                     id="from-a-weekend-monday-is-day-one-ending-at-5pm"),
        pytest.param("within the hour", THU, (2026, 11, 19, 16, 0), timedelta(hours=1),
                     id="within-the-hour"),
        pytest.param("within 4 business hours", THU, (2026, 11, 20, 11, 0), timedelta(hours=4),
                     id="business-hours-stop-at-5pm-and-resume-at-9am"),
        pytest.param("within 4 business hours", SAT, (2026, 11, 23, 13, 0), timedelta(hours=4),
                     id="business-hours-from-a-weekend-start-monday-9am"),
        pytest.param("within 48 business hours", FRI_3PM, (2026, 11, 30, 15, 0),
                     timedelta(hours=48), id="48-business-hours-are-2h-friday-5-days-and-6h"),
    ],
)  # fmt: skip
def test_windows_count_from_now_and_are_deadlines(
    phrase: str, now: datetime, wall: tuple[int, ...], window: timedelta
) -> None:
    found = only(phrase, now)
    assert (local(found.value), found.window) == (wall, window)
    assert found.deadline and found.specific


def test_a_window_in_hours_is_elapsed_time_across_a_dst_change() -> None:
    found = only("within 48 hours", at(NY, 2026, 10, 31, 12, 0), NY)  # clocks go back Nov 1
    assert local(found.value, NY) == (2026, 11, 2, 11, 0)
    assert found.window == timedelta(hours=48)


@pytest.mark.parametrize(
    ("phrase", "now", "wall"),
    [
        ("2pm PT", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 14, 0)),
        ("10am Pacific", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 10, 0)),
        ("2pm EST", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 11, 0)),
        ("2pm Eastern", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 11, 0)),
        ("2pm CT", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 12, 0)),
        ("2pm MT", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 13, 0)),
        ("7pm GMT", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 11, 0)),
        ("7pm UTC", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 11, 0)),
        ("8pm CET", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 11, 0)),
        ("7pm London time", at(LA, 2026, 11, 19, 8), (2026, 11, 19, 11, 0)),
        ("Tuesday at 2pm ET", THU, (2026, 11, 24, 11, 0)),
        ("3pm BST", at(LA, 2026, 7, 1, 1), (2026, 7, 1, 7, 0)),
        ("2pm EDT", at(LA, 2026, 7, 1, 8), (2026, 7, 1, 11, 0)),
    ],
)
def test_a_zone_in_the_text_is_converted_to_the_reps(
    phrase: str, now: datetime, wall: tuple[int, ...]
) -> None:
    assert local(only(phrase, now).value) == wall


@pytest.mark.parametrize(
    ("phrase", "grain", "start", "end"),
    [
        ("next week", Grain.WEEK, (2026, 11, 23, 0, 0), (2026, 11, 29, 23, 59)),
        ("early next month", Grain.MONTH, (2026, 12, 1, 0, 0), (2026, 12, 10, 23, 59)),
        ("later this week", Grain.WEEK, (2026, 11, 20, 0, 0), (2026, 11, 22, 23, 59)),
        ("this week", Grain.WEEK, (2026, 11, 19, 0, 0), (2026, 11, 22, 23, 59)),
        ("next month", Grain.MONTH, (2026, 12, 1, 0, 0), (2026, 12, 31, 23, 59)),
        ("in a few weeks", Grain.WEEK, (2026, 12, 3, 0, 0), (2026, 12, 17, 23, 59)),
        ("Q1", Grain.MONTH, (2027, 1, 1, 0, 0), (2027, 3, 31, 23, 59)),
        ("in March", Grain.MONTH, (2027, 3, 1, 0, 0), (2027, 3, 31, 23, 59)),
        ("in November", Grain.MONTH, (2026, 11, 19, 0, 0), (2026, 11, 30, 23, 59)),
        ("the week of Dec 7", Grain.WEEK, (2026, 12, 7, 0, 0), (2026, 12, 13, 23, 59)),
        ("next year", Grain.YEAR, (2027, 1, 1, 0, 0), (2027, 12, 31, 23, 59)),
        ("this weekend", Grain.WEEK, (2026, 11, 21, 0, 0), (2026, 11, 22, 23, 59)),
        ("the following week", Grain.WEEK, (2026, 11, 23, 0, 0), (2026, 11, 29, 23, 59)),
        ("mid-March", Grain.MONTH, (2027, 3, 11, 0, 0), (2027, 3, 20, 23, 59)),
        ("the second week of December", Grain.WEEK, (2026, 12, 8, 0, 0), (2026, 12, 14, 23, 59)),
        ("the last week of December", Grain.WEEK, (2026, 12, 25, 0, 0), (2026, 12, 31, 23, 59)),
    ],
)
def test_vague_periods_are_not_specific_and_span_their_period(
    phrase: str, grain: Grain, start: tuple[int, ...], end: tuple[int, ...]
) -> None:
    found = only(phrase, THU)
    assert (found.specific, found.grain, found.past) == (False, grain, False)
    assert (local(found.value), local(found.end_value)) == (start, end)


def test_next_week_ends_on_sunday_at_the_last_second() -> None:
    assert only("next week", THU).end_value == at(LA, 2026, 11, 29, 23, 59, 59)


@pytest.mark.parametrize(
    "phrase",
    ["soon", "sometime", "after the holidays", "down the road", "in the near future", "later",
     "at some point", "in a bit", "in a minute", "after Thanksgiving", "before Christmas"],
)  # fmt: skip
def test_vague_words_have_no_value(phrase: str) -> None:
    found = only(phrase, THU)
    assert (found.value, found.specific, found.grain, found.past) == (
        None, False, Grain.UNKNOWN, False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("phrase", "grain", "wall"),
    [
        ("in two weeks", Grain.WEEK, (2026, 12, 3, 0, 0)),
        ("two weeks from now", Grain.WEEK, (2026, 12, 3, 0, 0)),
        ("in 3 months", Grain.MONTH, (2027, 2, 19, 0, 0)),
    ],
)
def test_weeks_and_months_ahead_are_not_specific(
    phrase: str, grain: Grain, wall: tuple[int, ...]
) -> None:
    found = only(phrase, THU)
    assert (found.specific, found.grain, local(found.value)) == (False, grain, wall)


@pytest.mark.parametrize(
    ("text", "phrase", "wall"),
    [
        ("I sent it last Tuesday.", "last Tuesday", (2026, 11, 17, 0, 0)),
        ("We spoke yesterday.", "yesterday", (2026, 11, 18, 0, 0)),
        ("That was two weeks ago.", "two weeks ago", (2026, 11, 5, 0, 0)),
        ("We met on Nov 3.", "on Nov 3", (2026, 11, 3, 0, 0)),
        ("We met in March.", "in March", (2026, 3, 1, 0, 0)),
        ("The pilot ended Nov 3, 2025.", "Nov 3, 2025", (2025, 11, 3, 0, 0)),
        ("They signed on the 3rd.", "on the 3rd", (2026, 11, 3, 0, 0)),
        ("Good to see you the other day.", "the other day", None),
        ("Last week was busy.", "Last week", (2026, 11, 9, 0, 0)),
    ],
)
def test_past_references_are_marked_past(text: str, phrase: str, wall: tuple[int, ...]) -> None:
    found = only(text, THU)
    assert (found.text, found.past, local(found.value)) == (phrase, True, wall)


def test_a_date_without_a_year_said_in_the_future_rolls_forward() -> None:
    found = only("Let's meet on Nov 3.", THU)
    assert (local(found.value), found.past) == ((2027, 11, 3, 0, 0), False)


# Words that look like dates to a naive parser and are not.
NOT_TIMES = [
    "May said she would send the contract.",
    "Can you ask May about the invoice?",
    "I'll loop in May from finance.",
    "cc May on the thread please.",
    "We may need legal to review it.",
    "Let's set up a second call with your team.",
    "Just a second, let me pull that up.",
    "We agreed on the pilot scope.",
    "We sat down with their VP of sales.",
    "Sat down with Jane to go over pricing.",
    "The sun was out all afternoon",
    "It's a 30 minute call.",
    "We can talk for an hour.",
    "Book a 30-min slot.",
    "The workshop is 2 hours long.",
    "They signed a 1 year contract.",
    "Support is 24/7.",
    "The band kept marching.",
    "We're on v2.1 of the API.",
    "The license is $2,000 per seat.",
    "Adoption is up 30% across the board.",
    "Call me at 812-924-7085.",
    "They have a 10-person team.",
    "At the end of the day it's about value.",
    "We're at 3 of 5 approvals.",
    "10/10 would recommend.",
    "The 2nd option is cheaper.",
    "C'mon, that's a great deal.",
    "They wed last year in Maine.",
    "See section 3a of the contract.",
    "Timestamp 00:28:45 in the recording.",
    "We have around 3 or 4 sites.",
    "We're at 2 and need 4.",
]


@pytest.mark.parametrize("text", NOT_TIMES)
def test_false_dates_are_not_times(text: str) -> None:
    found = find_times(text, now=THU, tz=LA)
    assert [t.text for t in found if t.text.lower() not in ("last year", "afternoon")] == []


def test_q3_revenue_is_a_vague_period_not_a_date() -> None:
    found = only("Q3 revenue was strong", THU)
    assert (found.text, found.specific, found.grain) == ("Q3", False, Grain.MONTH)


def test_a_may_date_with_a_day_is_a_date() -> None:
    found = only("Can we do May 5th?", THU)
    assert local(found.value) == (2027, 5, 5, 0, 0)


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("Tuesday or Wednesday works", ["Tuesday", "Wednesday"]),
        ("Tuesday at 2pm works for me", ["Tuesday at 2pm"]),
        ("I'll send the proposal Monday and we'll review it Wednesday at 2pm.",
         ["Monday", "Wednesday at 2pm"]),
        ("Thursday at 10? Actually, can we do Thursday at 11?", ["Thursday at 10", "Thursday at 11"]),
        ("Send it by Friday 5pm and we'll talk next week", ["by Friday 5pm", "next week"]),
        ("Let's say 2-3pm Tuesday.", ["2-3pm Tuesday"]),
        ("Happy to meet the 1st or 2nd week of December.", ["2nd week of December"]),
    ],
)  # fmt: skip
def test_phrases_come_left_to_right_longest_first(text: str, phrases: list[str]) -> None:
    found = find_times(text, now=THU, tz=LA)
    assert [t.text for t in found] == phrases
    assert all(text[t.start : t.end] == t.text for t in found)


def test_a_clock_range_keeps_its_end() -> None:
    found = only("2-3pm Tuesday", THU)
    assert (local(found.value), local(found.end_value)) == (
        (2026, 11, 24, 14, 0),
        (2026, 11, 24, 15, 0),
    )


def test_abbreviations_that_are_also_words_need_a_date_context() -> None:
    assert find_times("Sun works", now=THU, tz=LA) == []
    assert find_times("we sat on it", now=THU, tz=LA) == []
    assert find_times("ping me mon", now=THU, tz=LA) == []
    assert local(only("on Sun", THU).value) == (2026, 11, 22, 0, 0)
    assert local(only("Sat 2pm", THU).value) == (2026, 11, 21, 14, 0)


@pytest.mark.parametrize(
    ("line", "text", "wall"),
    [
        ("- Will send CMA Mon (she agreed)", "Mon", (2026, 11, 23, 0, 0)),
        ("- f/u Thu", "Thu", (2026, 11, 26, 0, 0)),
        ("Booked next session for Wed, client confirmed", "Wed", (2026, 11, 25, 0, 0)),
    ],
)
def test_a_capitalised_weekday_abbreviation_in_notes_is_a_day(
    line: str, text: str, wall: tuple[int, ...]
) -> None:
    found = only(line, THU)
    assert (found.text, local(found.value)) == (text, wall)


def test_a_clock_alone_takes_the_day_named_in_its_clause() -> None:
    day, clock = find_times("- Closing Jan 11 at Lakeshore Title, 1pm (confirmed)", now=THU, tz=LA)
    assert (day.text, local(day.value), day.grain) == ("Jan 11", (2027, 1, 11, 0, 0), Grain.DAY)
    assert (clock.text, local(clock.value)) == ("1pm", (2027, 1, 11, 13, 0))


def test_a_clock_in_another_clause_keeps_today_or_tomorrow() -> None:
    _, clock = find_times("I'll send it Monday; call me at 2pm", now=THU, tz=LA)
    assert local(clock.value) == (2026, 11, 20, 14, 0)
    _, eod = find_times("I'll send the deck Monday, and the notes by EOD", now=THU, tz=LA)
    assert local(eod.value) == (2026, 11, 19, 17, 0)


def test_a_date_just_passed_in_a_past_tense_clause_is_past() -> None:
    april_3 = at(LONDON, 2025, 4, 3, 12)
    text = "It was a pleasure to meet you at the HR Leaders breakfast on 27 March."
    found = only(text, april_3, LONDON)
    assert (local(found.value, LONDON), found.past) == ((2025, 3, 27, 0, 0), True)
    later = only("Let's meet again on 27 March.", april_3, LONDON)
    assert (local(later.value, LONDON), later.past) == ((2026, 3, 27, 0, 0), False)
    months_ago = only(
        "Asked about starting Jan 6 with biweekly sessions.", at(LA, 2026, 12, 15), LA
    )
    assert (local(months_ago.value), months_ago.past) == ((2027, 1, 6, 0, 0), False)


def test_a_bare_colon_time_needs_words_that_make_it_a_time() -> None:
    assert find_times("the video runs 2:30 long", now=THU, tz=LA) == []
    assert find_times("12:04 Dana: hello", now=THU, tz=LA) == []
    assert local(only("Does 2:30 work?", THU).value) == (2026, 11, 20, 14, 30)
    assert local(only("call at 2:30", THU).value) == (2026, 11, 20, 14, 30)
    assert local(only("Can we push it to 3:30?", THU).value) == (2026, 11, 19, 15, 30)


def test_the_reference_time_is_read_in_the_reps_zone() -> None:
    # 03:30 UTC on Friday is still Thursday evening in Los Angeles, Friday in London.
    assert local(only("tomorrow", THU_EVENING, LA).value, LA) == (2026, 11, 20, 0, 0)
    assert local(only("tomorrow", THU_EVENING, LONDON).value, LONDON) == (2026, 11, 21, 0, 0)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Fri", (2026, 11, 20, 0, 0)),
        ("by Friday.", (2026, 11, 20, 17, 0)),
        ("  next week ", (2026, 11, 23, 0, 0)),
        ("March", (2027, 3, 1, 0, 0)),
    ],
)
def test_resolve_reads_a_whole_phrase(phrase: str, expected: tuple[int, ...]) -> None:
    found = resolve(phrase, now=THU, tz=LA)
    assert found is not None and local(found.value) == expected


@pytest.mark.parametrize("phrase", ["let's meet Friday", "", "the proposal", "Monday or Tuesday"])
def test_resolve_refuses_what_is_not_one_whole_phrase(phrase: str) -> None:
    assert resolve(phrase, now=THU, tz=LA) is None


def test_timex_to_dict_is_json_ready() -> None:
    day, clock, window = find_times("Monday; by 4pm; within 48 hours", now=THU, tz=LA)
    assert timex_to_dict(day) == {
        "text": "Monday", "start": 0, "end": 6, "value": "2026-11-23", "end_value": None,
        "grain": "day", "deadline": False, "specific": True, "window_seconds": None,
        "past": False, "ambiguous": False, "ambiguity": None,
    }  # fmt: skip
    assert timex_to_dict(clock)["value"] == "2026-11-19T16:00:00-08:00"
    assert timex_to_dict(window)["window_seconds"] == 48 * 3600
    period = timex_to_dict(only("next week", THU))
    assert (period["value"], period["end_value"]) == (
        "2026-11-23T00:00:00-08:00", "2026-11-29T23:59:59-08:00",
    )  # fmt: skip
    json.dumps([timex_to_dict(t) for t in find_times("next Tuesday at 2pm ET", now=MON, tz=LA)])


def test_an_unknown_zone_is_a_clear_error() -> None:
    with pytest.raises(TimeZoneError, match=re.escape("Unknown time zone. 'Mars/Olympus' is not")):
        find_times("Monday", now=THU, tz="Mars/Olympus")


def test_a_reference_time_without_an_offset_is_a_clear_error() -> None:
    with pytest.raises(TimeZoneError, match="has no UTC offset"):
        find_times("Monday", now=datetime(2026, 11, 19, 15), tz=LA)


@pytest.mark.timeout(5)
@pytest.mark.parametrize(
    "text",
    ["at " * 5000, "1/" * 5000, " " * 20000 + "x", "Monday, " * 3000, "2pm on " * 3000,
     "in a couple of " * 2000, "the 3rd " * 3000],
)  # fmt: skip
def test_pathological_input_finishes_quickly(text: str) -> None:
    find_times(text, now=THU, tz=LA)


def test_values_are_aware_and_in_the_reps_zone() -> None:
    text = "Tuesday at 2pm ET, EOD, next week, within 2 business days, in 3 days, Jan 15"
    everything = find_times(text, now=THU, tz=LA)
    assert len(everything) == 6, [t.text for t in everything]
    for found in everything:
        for value in (found.value, found.end_value):
            assert value is None or str(value.tzinfo) == LA


def test_dates_in_dst_gaps_move_forward_not_back() -> None:
    # 2:30 does not exist on 8 March 2026 in New York: the clock jumps 2:00 -> 3:00.
    found = only("March 8 at 2:30am", at(NY, 2026, 3, 1, 12), NY)
    assert found.value == at(NY, 2026, 3, 8, 3, 30)
    assert found.value is not None and found.value.utcoffset() == timedelta(hours=-4)


def test_a_day_value_is_midnight_of_that_day() -> None:
    found = only("Jan 15", FRI)
    assert found.value == at(LA, 2027, 1, 15) and found.value.date() == date(2027, 1, 15)
