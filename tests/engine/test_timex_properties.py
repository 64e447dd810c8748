"""Properties of the time-phrase finder over any text, any reference time and odd zones:
it never raises, every phrase is an exact slice of the text, values are aware and in the
rep's zone, and the output is ordered and non-overlapping."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.engine.model import TimeExpression
from bot.engine.timex import find_times, resolve, timex_to_dict

ZONES = [
    "UTC",
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Asia/Kathmandu",  # +05:45
    "Australia/Lord_Howe",  # 30-minute DST shift
    "America/Santiago",  # DST changes at midnight
    "Pacific/Kiritimati",  # +14:00
    "Pacific/Pago_Pago",  # -11:00
]

# Pieces of time phrases and of the false dates around them, to reach deep paths.
TOKENS = [
    "Monday", "Tues", "Wed", "thu", "Fri", "Sat", "sun", "on", "this", "next", "last",
    "coming", "after", "week", "weekend", "month", "quarter", "year", "at", "@", "by",
    "before", "no later than", "due", "2", "12", "13", "0", "2pm", "2 p.m.", "2p", "10:30am",
    "14:00", "24:00", "2:61", "2-3pm", "11-1pm", "noon", "midnight", "EOD", "COB", "EOW",
    "EOM", "end of", "the end of the day", "first thing", "tonight", "tomorrow", "today",
    "yesterday", "morning", "afternoon", "evening", "ET", "PST", "(PT)", "GMT+14", "UTC-12",
    "GMT+99", "London time", "the", "3rd", "31st", "32nd", "of", "December", "Feb", "29",
    "30", "May", "may", "March", "Jan 15", "2026", "2099", "'26", "12/3", "2/30", "13/1",
    "24/7", "2026-02-30", "2026-12-03", "3-Dec-2026", "Q1", "Q4 '27", "in", "within",
    "a", "an", "couple of", "few", "several", "99999999999", "1.5", "48", "hours", "hrs",
    "h", "minute", "days", "business days", "weeks", "months", "years", "from now", "ago",
    "back", "out", "early", "mid", "late", "later", "earlier", "soon", "sometime",
    "business hours", "working hours", "week of", "second week of", "last week of", "to",
    "after Thanksgiving", "year-end", "in the morning", "the following",
    "the other day", "$2,000", "30%", "812-924-7085", "v2.1", "second", "We", "sat down",
    ",", ".", "?", "-", "–", "'", "’", "\n", "  ",
    "five-thirty", "three twenty", "quarter to", "half past", "20 minutes to", "past", "till",
    "tonight", "Fridays from now", "of next month", "first Monday of", "last Friday in",
    "1030", "330 p.m.", "9:30 - 11:00", "between", "and", "half an hour", "1/2", "fortnight",
    "hence", "end of tomorrow", "the following", "qtr", "upcoming", "in the morning",
    "o'clock am", "9:01:10 AM", "thirty-first of", "on the first",
]  # fmt: skip

timeish = st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join)
texts = st.one_of(
    st.text(max_size=200), timeish, st.builds("".join, st.lists(st.sampled_from(TOKENS)))
)
nows = st.builds(
    lambda moment, zone: moment.replace(tzinfo=ZoneInfo(zone)),
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31)),
    st.sampled_from(ZONES),
)


def check(found: list[TimeExpression], text: str, tz: str) -> None:
    end = 0
    for t in found:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.start >= end, "ordered and non-overlapping"
        end = t.end
        for value in (t.value, t.end_value):
            if value is not None:
                assert value.utcoffset() is not None
                assert str(value.tzinfo) == tz
        if t.value is not None and t.end_value is not None:
            assert t.end_value >= t.value
        if t.window is not None:
            assert t.deadline and t.value is not None
        if t.ambiguous:
            assert t.ambiguity
    json.dumps([timex_to_dict(t) for t in found])


@settings(max_examples=400, deadline=None)
@given(text=texts, now=nows, tz=st.sampled_from(ZONES))
@example(text="Monday at 9 EOD Friday the 31st 2-3pm ET", now=datetime(2026, 3, 8, 1, 30,
         tzinfo=ZoneInfo("America/New_York")), tz="America/New_York")  # fmt: skip
@example(text="in 99999999999 years, within 99999999999 business days", now=datetime(
    2150, 12, 31, 23, 59, tzinfo=ZoneInfo("UTC")), tz="Pacific/Kiritimati")  # fmt: skip
def test_find_times_never_raises_and_keeps_the_text(text: str, now: datetime, tz: str) -> None:
    check(find_times(text, now=now, tz=tz), text, tz)


@settings(max_examples=200, deadline=None)
@given(text=timeish, now=nows, tz=st.sampled_from(ZONES))
def test_resolve_is_all_or_nothing(text: str, now: datetime, tz: str) -> None:
    found = resolve(text, now=now, tz=tz)
    if found is not None:
        check([found], text, tz)
        rest = text[: found.start] + text[found.end :]
        assert not rest.strip(" \t\r\n.,;:!?")


@settings(max_examples=200, deadline=None)
@given(prefix=st.text(max_size=40), suffix=st.text(max_size=40), now=nows)
def test_a_phrase_keeps_its_place_inside_other_text(
    prefix: str, suffix: str, now: datetime
) -> None:
    """Whatever surrounds it, a found phrase's offsets point at its own words."""
    text = f"{prefix} by Friday at 2pm {suffix}"
    found = find_times(text, now=now, tz="Europe/London")
    assert any("Friday at 2pm" in t.text for t in found), [t.text for t in found]
    check(found, text, "Europe/London")
