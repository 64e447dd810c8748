"""Classes of time phrases, each table-tested with several phrasings and pinned reference
times: a class is implemented once, in general, never phrase by phrase.

2026-11-19 is a Thursday; 2026-12-01 a Tuesday. Values are wall times in the rep's zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.engine.model import Grain, TimeExpression
from bot.engine.timex import find_times

LA = "America/Los_Angeles"


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(LA))  # type: ignore[misc]


THU_8AM = at(2026, 11, 19, 8, 0)
THU = at(2026, 11, 19, 15, 0)
FRI_3PM = at(2026, 11, 20, 15, 0)
FRI_6PM = at(2026, 11, 20, 18, 0)
MON = at(2026, 11, 23, 10, 0)
DEC_1 = at(2026, 12, 1, 10, 0)
DEC_2 = at(2026, 12, 2, 10, 0)


def whole(phrase: str, now: datetime) -> TimeExpression:
    """The one expression found in ``phrase``, which must cover all of it."""
    found = find_times(phrase, now=now, tz=LA)
    assert len(found) == 1, [t.text for t in found]
    assert found[0].text in (phrase, phrase.strip(" .,?!"))
    return found[0]


def wall(value: datetime | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    assert str(value.tzinfo) == LA
    return value.timetuple()[:5]


def check(phrase: str, now: datetime, expected: tuple[int, ...]) -> TimeExpression:
    found = whole(phrase, now)
    assert wall(found.value) == expected
    assert found.specific and not found.past
    expected_grain = Grain.DAY if expected[3:] == (0, 0) and len(expected) == 5 else Grain.MINUTE
    assert found.grain == expected_grain
    return found


def table(rows: list[tuple[str, datetime, tuple[int, ...]]]) -> list:
    return [pytest.param(*row, id=row[0]) for row in rows]


# "end of the month" and its spellings: the month's last day at 17:00, a deadline.
END_OF_MONTH = [
    ("end of the month", THU, (2026, 11, 30, 17, 0)),
    ("by the end of the month", THU, (2026, 11, 30, 17, 0)),
    ("end of this month", THU, (2026, 11, 30, 17, 0)),
    ("by month end", THU, (2026, 11, 30, 17, 0)),
    ("EOM", THU, (2026, 11, 30, 17, 0)),
    ("end of next month", THU, (2026, 12, 31, 17, 0)),
    ("end of the month", DEC_2, (2026, 12, 31, 17, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(END_OF_MONTH))
def test_end_of_the_month(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    assert check(phrase, now, expected).deadline


# "following <weekday>": as "next <weekday>", the day of the following Monday-start week.
FOLLOWING_WEEKDAY = [
    ("the following Friday", THU, (2026, 11, 27, 0, 0)),
    ("following Tuesday", THU, (2026, 11, 24, 0, 0)),
    ("the following Wednesday", MON, (2026, 12, 2, 0, 0)),
    ("the following Monday at 10am", THU, (2026, 11, 23, 10, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(FOLLOWING_WEEKDAY))
def test_following_weekday(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# A clock time with "tonight" or "this evening" on either side: the evening's hour.
TONIGHT_CLOCK = [
    ("8 tonight", THU, (2026, 11, 19, 20, 0)),
    ("tonight around 7", THU, (2026, 11, 19, 19, 0)),
    ("eight tonight", THU, (2026, 11, 19, 20, 0)),
    ("tonight at 8 o'clock", THU, (2026, 11, 19, 20, 0)),
    ("8 this evening", THU, (2026, 11, 19, 20, 0)),
    ("at 8 in the evening", THU, (2026, 11, 19, 20, 0)),
    ("in the evening at eight", THU, (2026, 11, 19, 20, 0)),
    ("7:30 tonight", THU, (2026, 11, 19, 19, 30)),
    ("tonight at 11", THU, (2026, 11, 19, 23, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(TONIGHT_CLOCK))
def test_a_clock_time_tonight(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# A bare hour in front of a day (and its part of the day): "9 tomorrow morning".
HOUR_BEFORE_DAY = [
    ("9 tomorrow morning", THU, (2026, 11, 20, 9, 0)),
    ("9 tomorrow", THU, (2026, 11, 20, 9, 0)),
    ("9 tomorrow evening", THU, (2026, 11, 20, 21, 0)),
    ("at 5 tomorrow afternoon", THU, (2026, 11, 20, 17, 0)),
    ("10 Monday morning", THU, (2026, 11, 23, 10, 0)),
    ("3 Friday afternoon", THU, (2026, 11, 20, 15, 0)),
    ("tomorrow afternoon at 5", THU, (2026, 11, 20, 17, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(HOUR_BEFORE_DAY))
def test_an_hour_before_its_day(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# "in N days" (or "N days from now") with a clock time: that day at that time.
DAYS_AHEAD_AT = [
    ("in 7 days at 5pm", THU, (2026, 11, 26, 17, 0)),
    ("in 3 days at 10am", THU, (2026, 11, 22, 10, 0)),
    ("2 days from now at noon", THU, (2026, 11, 21, 12, 0)),
    ("in two days at 9", THU, (2026, 11, 21, 9, 0)),
    ("in 1 day at 4:30pm", THU, (2026, 11, 20, 16, 30)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(DAYS_AHEAD_AT))
def test_days_ahead_at_a_time(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# "<minutes> to / past / after <hour>": counted from the hour.
MINUTES_FROM_HOUR = [
    ("20 minutes to 2pm", THU_8AM, (2026, 11, 19, 13, 40)),
    ("quarter to ten", THU_8AM, (2026, 11, 19, 9, 45)),
    ("a quarter past 3pm", THU_8AM, (2026, 11, 19, 15, 15)),
    ("half past four", THU_8AM, (2026, 11, 19, 16, 30)),
    ("10 past 11", THU_8AM, (2026, 11, 19, 11, 10)),
    ("twenty after 3pm", THU_8AM, (2026, 11, 19, 15, 20)),
    ("5 to noon", THU_8AM, (2026, 11, 19, 11, 55)),
    ("15 minutes past noon", THU_8AM, (2026, 11, 19, 12, 15)),
    ("20 minutes to 2pm tomorrow", THU_8AM, (2026, 11, 20, 13, 40)),
    ("quarter past nine on Friday", THU_8AM, (2026, 11, 20, 9, 15)),
    ("at half past 3", THU, (2026, 11, 19, 15, 30)),
    ("15 minutes from 1pm", THU_8AM, (2026, 11, 19, 13, 15)),
    ("10 mins from noon", THU_8AM, (2026, 11, 19, 12, 10)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(MINUTES_FROM_HOUR))
def test_minutes_to_or_past_an_hour(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# Fractions of an hour ahead: "half an hour from now", "in an hour and a half".
FRACTIONS_AHEAD = [
    ("half an hour from now", THU, (2026, 11, 19, 15, 30)),
    ("in half an hour", THU, (2026, 11, 19, 15, 30)),
    ("in a quarter of an hour", THU, (2026, 11, 19, 15, 15)),
    ("in three-quarters of an hour", THU, (2026, 11, 19, 15, 45)),
    ("an hour and a half from now", THU, (2026, 11, 19, 16, 30)),
    ("in 2.5 hours", THU, (2026, 11, 19, 17, 30)),
    ("in an hour", THU, (2026, 11, 19, 16, 0)),
    ("in 90 minutes", THU, (2026, 11, 19, 16, 30)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(FRACTIONS_AHEAD))
def test_fractions_of_an_hour_ahead(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# "end of <day>": that day at 17:00, a deadline.
END_OF_A_DAY = [
    ("end of tomorrow", THU, (2026, 11, 20, 17, 0)),
    ("by the end of tomorrow", THU, (2026, 11, 20, 17, 0)),
    ("end of Friday", THU, (2026, 11, 20, 17, 0)),
    ("end of day tomorrow", THU, (2026, 11, 20, 17, 0)),
    ("end of today", THU_8AM, (2026, 11, 19, 17, 0)),
    ("by end of Monday", THU, (2026, 11, 23, 17, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(END_OF_A_DAY))
def test_end_of_a_named_day(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    assert check(phrase, now, expected).deadline


# "<ordinal> of <this | next | the following> month": that day of that month.
DAY_OF_RELATIVE_MONTH = [
    ("the 20th of next month", THU, (2026, 12, 20, 0, 0)),
    ("20th of next month", THU, (2026, 12, 20, 0, 0)),
    ("the 5th of next month", THU, (2026, 12, 5, 0, 0)),
    ("the 28th of this month", THU, (2026, 11, 28, 0, 0)),
    ("20 of next month", THU, (2026, 12, 20, 0, 0)),
    ("the 1st of the following month", THU, (2026, 12, 1, 0, 0)),
    ("the 15th of next month", DEC_2, (2027, 1, 15, 0, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(DAY_OF_RELATIVE_MONTH))
def test_a_day_of_a_relative_month(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# "<ordinal | last> <weekday> of <this | next | a named> month".
NTH_WEEKDAY_OF_MONTH = [
    ("first Monday of this month", DEC_1, (2026, 12, 7, 0, 0)),
    ("the second Tuesday of this month", DEC_1, (2026, 12, 8, 0, 0)),
    ("the last Friday of the month", DEC_1, (2026, 12, 25, 0, 0)),
    ("the first Monday of next month", THU, (2026, 12, 7, 0, 0)),
    ("the third Thursday of January", THU, (2027, 1, 21, 0, 0)),
    ("last Friday of December", THU, (2026, 12, 25, 0, 0)),
    ("first Tuesday in December", THU, (2026, 12, 1, 0, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(NTH_WEEKDAY_OF_MONTH))
def test_an_ordinal_weekday_of_a_month(
    phrase: str, now: datetime, expected: tuple[int, ...]
) -> None:
    check(phrase, now, expected)


def test_an_ordinal_weekday_already_gone_this_month_is_past() -> None:
    found = whole("first Monday of this month", THU)
    assert (wall(found.value), found.past) == ((2026, 11, 2, 0, 0), True)


# "N <weekday>s from now": the N-th such day after today.
WEEKDAYS_FROM_NOW = [
    ("3 Fridays from now", THU, (2026, 12, 4, 0, 0)),
    ("three Fridays from now", THU, (2026, 12, 4, 0, 0)),
    ("2 Thursdays from now", THU, (2026, 12, 3, 0, 0)),
    ("two Mondays from now", THU, (2026, 11, 30, 0, 0)),
    ("4 tuesdays from now", THU, (2026, 12, 15, 0, 0)),
    ("3 Fridays from now", FRI_3PM, (2026, 12, 11, 0, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(WEEKDAYS_FROM_NOW))
def test_n_weekdays_from_now(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# Clock times in words: "five-thirty", "at three", "seven thirty pm".
SPELLED_CLOCK = [
    ("at five-thirty", THU_8AM, (2026, 11, 19, 17, 30)),
    ("five-thirty", THU_8AM, (2026, 11, 19, 17, 30)),
    ("at three", THU_8AM, (2026, 11, 19, 15, 0)),
    ("at seven thirty pm", THU_8AM, (2026, 11, 19, 19, 30)),
    ("ten thirty am", THU_8AM, (2026, 11, 19, 10, 30)),
    ("at eleven", THU_8AM, (2026, 11, 19, 11, 0)),
    ("Tuesday at four fifteen", THU_8AM, (2026, 11, 24, 16, 15)),
    ("three o'clock", THU_8AM, (2026, 11, 19, 15, 0)),
    ("at nine forty-five tomorrow", THU_8AM, (2026, 11, 20, 9, 45)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(SPELLED_CLOCK))
def test_spelled_out_clock_times(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# A deadline on the weekday it is said, before 17:00: today (RUBRIC.md "Resolving time").
SAME_DAY_DEADLINE = [
    ("by EOD Friday", FRI_3PM, (2026, 11, 20, 17, 0)),
    ("by Friday", FRI_3PM, (2026, 11, 20, 17, 0)),
    ("EOD Friday", FRI_3PM, (2026, 11, 20, 17, 0)),
    ("by end of day Friday", FRI_3PM, (2026, 11, 20, 17, 0)),
    ("by Monday", MON, (2026, 11, 23, 17, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(SAME_DAY_DEADLINE))
def test_a_deadline_said_on_its_weekday_is_today(
    phrase: str, now: datetime, expected: tuple[int, ...]
) -> None:
    found = check(phrase, now, expected)
    assert found.deadline and not found.ambiguous


@pytest.mark.parametrize("phrase", ["by EOD Friday", "by Friday", "EOD Friday"])
def test_a_deadline_said_on_its_weekday_after_five_is_next_week_and_flagged(phrase: str) -> None:
    found = whole(phrase, FRI_6PM)
    assert wall(found.value) == (2026, 11, 27, 17, 0)
    assert found.ambiguous and found.ambiguity


def test_a_bare_weekday_said_on_that_weekday_is_still_a_week_later() -> None:
    assert wall(whole("Friday", FRI_3PM).value) == (2026, 11, 27, 0, 0)


# Words of these classes that are not times, with the phrases that are.
NOT_TIMES = [
    ("We ordered five thirty-packs of water.", []),
    ("A quarter of the team is out.", []),
    ("Half of the deals slipped.", []),
    ("I need 20 minutes to present.", []),
    ("We have 3 Fridays off this quarter.", ["this quarter"]),
    ("The top 5 tomorrow will get a call.", ["tomorrow"]),
    ("We have 3 tomorrow and I have two Friday morning.", ["tomorrow", "Friday morning"]),
    ("We have 5 to 10 people on the team.", []),
    ("Three of the seven were approved.", []),
]


@pytest.mark.parametrize(("text", "phrases"), NOT_TIMES)
def test_class_words_outside_a_time_phrase_are_not_times(text: str, phrases: list[str]) -> None:
    assert [t.text for t in find_times(text, now=THU, tz=LA)] == phrases


# Time ranges: the start, with the end kept; minutes or am/pm on one side make it a time.
CLOCK_RANGES = [
    ("9:30 - 11:00 on Thursday", THU_8AM, (2026, 11, 26, 9, 30), (2026, 11, 26, 11, 0)),
    ("Thursday from 9:30 to 11:00", THU_8AM, (2026, 11, 26, 9, 30), (2026, 11, 26, 11, 0)),
    ("between 9:30 and 11 on Friday", THU_8AM, (2026, 11, 20, 9, 30), (2026, 11, 20, 11, 0)),
    ("from 3:30 to six p.m. tomorrow", THU_8AM, (2026, 11, 20, 15, 30), (2026, 11, 20, 18, 0)),
    ("11:30-1:30 Monday", THU_8AM, (2026, 11, 23, 11, 30), (2026, 11, 23, 13, 30)),
]


@pytest.mark.parametrize(
    ("phrase", "now", "start", "end"), CLOCK_RANGES, ids=[r[0] for r in CLOCK_RANGES]
)
def test_a_clock_range(
    phrase: str, now: datetime, start: tuple[int, ...], end: tuple[int, ...]
) -> None:
    found = check(phrase, now, start)
    assert wall(found.end_value) == end


@pytest.mark.parametrize("text", ["We need 2pm to 1 person.", "From 3 to 4 sites.", "Pages 10-12."])
def test_what_only_looks_like_a_range_is_not_one(text: str) -> None:
    assert [t.end_value for t in find_times(text, now=THU_8AM, tz=LA)] in ([], [None])


# Hour and minutes without the colon, with "at", "around" or am/pm: "at 1030", "330 p.m.".
COMPACT_CLOCK = [
    ("at 1030", THU_8AM, (2026, 11, 19, 10, 30)),
    ("around 730 tonight", THU, (2026, 11, 19, 19, 30)),
    ("330 p.m.", THU_8AM, (2026, 11, 19, 15, 30)),
    ("Friday at 915", THU_8AM, (2026, 11, 20, 9, 15)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(COMPACT_CLOCK))
def test_a_clock_without_its_colon(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


@pytest.mark.parametrize("text", ["Call me at 812-924-7085.", "Suite 1030 is on the left.",
                                  "We have 1030 seats."])  # fmt: skip
def test_numbers_that_are_no_clock(text: str) -> None:
    assert find_times(text, now=THU_8AM, tz=LA) == []


# Days of the month in words: "first of March", "March third", "on the first".
SPELLED_DAYS = [
    ("the first of March", THU, (2027, 3, 1, 0, 0)),
    ("third of December", THU, (2026, 12, 3, 0, 0)),
    ("December twenty-first", THU, (2026, 12, 21, 0, 0)),
    ("on the first", THU, (2026, 12, 1, 0, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(SPELLED_DAYS))
def test_a_day_of_the_month_in_words(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    check(phrase, now, expected)


# "<hour> in the <part of day>": the next such moment; passed today, it is tomorrow's.
HOUR_IN_PART_OF_DAY = [
    ("3 in the afternoon", THU_8AM, (2026, 11, 19, 15, 0)),
    ("7 in the morning", THU, (2026, 11, 20, 7, 0)),
    ("at 6 in the morning", THU_8AM, (2026, 11, 20, 6, 0)),
    ("8 in the evening", THU, (2026, 11, 19, 20, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(HOUR_IN_PART_OF_DAY))
def test_an_hour_in_a_part_of_the_day(
    phrase: str, now: datetime, expected: tuple[int, ...]
) -> None:
    check(phrase, now, expected)


# "by" in front of a counted day makes it a deadline: 17:00 that day.
DEADLINE_ON_A_COUNTED_DAY = [
    ("by the 18th of next month", THU, (2026, 12, 18, 17, 0)),
    ("before the 5th of next month", THU, (2026, 12, 5, 17, 0)),
    ("by the first Monday of next month", THU, (2026, 12, 7, 17, 0)),
    ("no later than the last Friday of December", THU, (2026, 12, 25, 17, 0)),
    ("by 2 Fridays from now", THU, (2026, 11, 27, 17, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "expected"), table(DEADLINE_ON_A_COUNTED_DAY))
def test_a_deadline_on_a_counted_day(phrase: str, now: datetime, expected: tuple[int, ...]) -> None:
    assert check(phrase, now, expected).deadline


# A clock time alone in the clause of a counted day takes that day, not today or tomorrow.
CLOCK_ON_A_COUNTED_DAY = [
    ("Would the first Monday of this month work, at noon?", DEC_1, (2026, 12, 7, 12, 0)),
    ("Can we do it on the 20th of next month at 2pm?", DEC_2, (2027, 1, 20, 14, 0)),
    ("Review w/ Dana 3 Fridays from now 11am (confirmed)", THU, (2026, 12, 4, 11, 0)),
    ("At 9am, the second Tuesday of this month.", DEC_1, (2026, 12, 8, 9, 0)),
]


@pytest.mark.parametrize(("text", "now", "expected"), table(CLOCK_ON_A_COUNTED_DAY))
def test_a_clock_takes_the_counted_day_of_its_clause(
    text: str, now: datetime, expected: tuple[int, ...]
) -> None:
    found = find_times(text, now=now, tz=LA)
    clocks = [t for t in found if t.grain == Grain.MINUTE]
    assert len(clocks) == 1, [t.text for t in found]
    assert wall(clocks[0].value) == expected


def test_a_clock_in_another_sentence_keeps_its_own_day() -> None:
    found = find_times("The 20th of next month is open. Call me at 2pm.", now=DEC_2, tz=LA)
    assert [wall(t.value) for t in found] == [(2027, 1, 20, 0, 0), (2026, 12, 2, 14, 0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Follow-up review Fri 11/27 at 10 w/ Mia", (2026, 11, 27, 10, 0)),
        ("Demo at 3 w/ the ops team", (2026, 11, 19, 15, 0)),
    ],
)
def test_a_bare_hour_before_notes_shorthand_with(text: str, expected: tuple[int, ...]) -> None:
    found = find_times(text, now=THU_8AM, tz=LA)
    assert len(found) == 1, [t.text for t in found]
    assert wall(found[0].value) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("3ish pm", (2026, 11, 19, 15, 0)), ("around 4-ish pm", (2026, 11, 19, 16, 0))],
)
def test_an_hour_with_ish_is_that_hour(phrase: str, expected: tuple[int, ...]) -> None:
    check(phrase, THU_8AM, expected)


def test_from_after_a_bare_count_is_no_minute_offset() -> None:
    found = find_times("We drove 10 from 2pm on.", now=THU_8AM, tz=LA)
    assert [(t.text, wall(t.value)) for t in found] == [("2pm", (2026, 11, 19, 14, 0))]
