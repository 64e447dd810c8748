"""Time phrases: find every one in a sentence and resolve it exactly.

Everything is counted from the reference time ``now`` converted into the rep's zone
``tz``; a zone written in the text ("2pm ET") is converted into the rep's zone. The
rules are tests/corpus/GUIDE.md's "Time" section. Where the guide is silent:

- A bare weekday said on that weekday is a week later, as the guide says, with a clock
  time too: "Friday 5pm" said Friday 10:00 is next Friday 17:00, reported as ambiguous
  because the time is still ahead today ("today 5pm" is today). "by Friday" said on a
  Friday is next week's Friday. "Mon", "Wed", "Fri" with a capital are days on their
  own; "Sat", "Sun" and lower-case abbreviations need "on", a time or a date with them.
- "next Friday" is the Friday of next (Monday-start) week, ambiguous while this week's
  Friday is still ahead. "last Tuesday" is the most recent Tuesday before today. When a
  weekday and a date disagree ("Thursday the 27th" on a Friday), the date wins, reported.
- A clock time alone is today, or tomorrow once passed; "EOD" said after 17:00 is
  tomorrow 17:00 (reported as ambiguous). A clock time whose clause names a day takes
  that day ("Closing Jan 11 at Lakeshore Title, 1pm"). "midnight" is 23:59 of its day;
  "tonight" 21:00; "tomorrow night" and "Friday evening" give the day only.
- "within N business days" skips Saturday and Sunday and keeps the time of day; said on
  a weekend, Monday is the first business day and the window ends at 17:00. ``window``
  then holds N calendar days: the model has no business-day window.
- Windows in minutes, hours, days or business days are specific; in weeks or longer
  they are not ("within two weeks", like "in two weeks"). Hours are elapsed time across
  a DST change; days keep the wall-clock time.
- A vague period that has begun ("this week", "in November" said in November) starts
  today, so its ``value`` is never in the past. early/mid/late are thirds of the period
  (Mon-Wed, Tue-Thu, Thu-Sun of a week; 1-10, 11-20, 21-end of a month).
- A date without a year after a past-tense verb ("we met on Nov 3"), or one passed in
  the last two months in a past-tense clause ("It was great to meet you on 27 March"),
  is the most recent such date, ``past=True``; otherwise it rolls forward.
- "12/3" is month/day (US order), as the guide says; it is not reported as ambiguous.

dateparser is used only for odd absolute formats ("3-Dec-2026", "Dec 3 '26"): its
relative arithmetic gives the wrong UTC offset across a DST change and reads "a week
from today" as a week ago, so offsets are counted here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from re import Match
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine import timewords as tw
from bot.engine.model import Grain, TimeExpression
from bot.errors import TimeZoneError
from bot.zones import check_zone

DEADLINE_HOUR = 17  # "by Friday", "EOD", "end of week"
TONIGHT_HOUR = 21
_EDGE = " \t\r\n,"
_GRAINS = {"week": Grain.WEEK, "weekend": Grain.WEEK, "month": Grain.MONTH,
           "quarter": Grain.MONTH, "year": Grain.YEAR}  # fmt: skip
_DAYS_PER = {"minute": 1 / 1440, "hour": 1 / 24, "business_hour": 0.2, "day": 1,
             "business_day": 1.4, "week": 7, "month": 31, "year": 366}  # fmt: skip
_SHORT = ("minute", "hour", "business_hour", "day", "business_day")  # windows that are specific
_CALENDAR = {"business_hour": "hour", "business_day": "day"}  # counting back: plain time
_SHIFTS = {"next": 1, "coming": 1, "following": 1, "last": -1, "past": -1, "previous": -1}
_WEEK_NUMBERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                 "fourth": 4, "4th": 4, "last": 0}  # fmt: skip
_FULL_UNITS = {"minute", "hour", "day", "week", "month", "year", "business day", "working day",
               "business hour", "working hour"}  # fmt: skip


@dataclass(frozen=True)
class _Clock:
    hour: int
    minute: int
    meridiem: str | None  # "am", "pm", "24h" (already final) or None (the guide's rule)
    word: str | None = None  # "eod" for end of day and its synonyms
    deadline: bool = False
    zone: tzinfo | None = None
    end: tuple[int, int] | None = None  # "2-3pm": 15:00
    weak: bool = False  # "2:30", "3p": a time only with "at", a zone or a day next to it
    at: bool = False  # "at 2:30", "@ 2:30", "push it to 2:30"


# ---------------------------------------------------------------------------- public


def find_times(text: str, *, now: datetime, tz: str) -> list[TimeExpression]:
    """Every time phrase in ``text``, left to right, non-overlapping; the longest wins."""
    return _find(_scene(text, now, tz))


def resolve(phrase: str, *, now: datetime, tz: str) -> TimeExpression | None:
    """The expression that is the whole ``phrase`` (spaces and punctuation aside), or None."""
    found = _find(_scene(phrase, now, tz, whole=True))
    if len(found) != 1:
        return None
    rest = phrase[: found[0].start] + phrase[found[0].end :]
    return found[0] if not rest.strip(" \t\r\n.,;:!?") else None


def timex_to_dict(t: TimeExpression) -> dict[str, Any]:
    """JSON-ready: datetimes as ISO 8601 with offset, a DAY-grain value as YYYY-MM-DD."""
    return {
        "text": t.text,
        "start": t.start,
        "end": t.end,
        "value": _iso(t.value, day_only=t.grain == Grain.DAY),
        "end_value": _iso(t.end_value),
        "grain": t.grain.value,
        "deadline": t.deadline,
        "specific": t.specific,
        "window_seconds": int(t.window.total_seconds()) if t.window is not None else None,
        "past": t.past,
        "ambiguous": t.ambiguous,
        "ambiguity": t.ambiguity,
    }


def _iso(value: datetime | None, *, day_only: bool = False) -> str | None:
    if value is None:
        return None
    return value.date().isoformat() if day_only else value.isoformat()


# ---------------------------------------------------------------------------- search


def _find(scene: tw.Scene) -> list[TimeExpression]:
    """Every pattern's readable matches; the longest wins an overlap, a tie goes to the
    pattern listed first in ``timewords.PATTERNS``."""
    if not tw.PRECHECK.search(scene.low):
        return []
    found: list[tuple[TimeExpression, int, Match[str]]] = []
    for rank, (kind, pattern) in enumerate(tw.PATTERNS):
        read = _READERS[kind]
        for match in pattern.finditer(scene.low):
            expr = read(match, scene)
            if expr is not None and expr.text:
                found.append((expr, rank, match))
    found.sort(key=lambda c: (c[0].start - c[0].end, c[1], c[0].start))
    taken: list[tuple[TimeExpression, int, Match[str]]] = []
    for candidate in found:
        expr = candidate[0]
        if all(expr.end <= t.start or expr.start >= t.end for t, _, _ in taken):
            taken.append(candidate)
    taken.sort(key=lambda c: c[0].start)
    return _clocks_on_their_day(taken, scene)


def _clocks_on_their_day(
    taken: list[tuple[TimeExpression, int, Match[str]]], scene: tw.Scene
) -> list[TimeExpression]:
    """A clock time alone takes the day named in its clause: "Closing Jan 11 at Lakeshore
    Title, 1pm" is Jan 11 13:00 (the nearest day, before it first, with no . ; ! ? or
    line break between). "EOD" stays the end of the day it is said on."""
    days = [t for t, rank, _ in taken if t.grain == Grain.DAY and rank == _DATETIME and not t.past]
    out = []
    for expr, rank, match in taken:
        clock = _read_clock(match, "c") if rank == _CLOCK and days else None
        if clock is not None and clock.word != "eod":
            near = [d for d in days if not tw.CLAUSE_BREAK.search(_between(scene.text, d, expr))]
            near.sort(key=lambda d: (d.start > expr.start, abs(d.start - expr.start)))
            if near and near[0].value is not None:
                expr = _read_clock_only(match, scene, day=near[0].value.date()) or expr
        out.append(expr)
    return out


def _between(text: str, a: TimeExpression, b: TimeExpression) -> str:
    return text[min(a.end, b.end) : max(a.start, b.start)]


def _scene(text: str, now: datetime, tz: str, *, whole: bool = False) -> tw.Scene:
    zone = _zone(tz)
    if now.tzinfo is None or now.utcoffset() is None:
        raise TimeZoneError(f"The reference time {now.isoformat()} has no UTC offset.")
    return tw.Scene(text, tw.lower(text), now.astimezone(zone), tz, zone, whole)


@lru_cache(maxsize=64)
def _zone(tz: str) -> ZoneInfo:
    return check_zone(tz)


def _expr(
    match: Match[str], scene: tw.Scene, value: datetime | None, **fields: Any
) -> TimeExpression:
    start, end = match.span()
    text = scene.text
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    ambiguity = fields.pop("ambiguity", None)
    return TimeExpression(
        text=text[start:end], start=start, end=end, value=value,
        ambiguous=ambiguity is not None, ambiguity=ambiguity, **fields,
    )  # fmt: skip


def _midnight(day: date, scene: tw.Scene) -> datetime:
    return tw.at(day, 0, 0, scene.zone)


def _five_pm(day: date, scene: tw.Scene) -> datetime:
    return tw.at(day, DEADLINE_HOUR, 0, scene.zone)


# ---------------------------------------------------------------------------- clocks

_CLOCK_WORDS = {"noon": (12, 0), "midday": (12, 0), "mid-day": (12, 0), "12 noon": (12, 0),
                "lunchtime": (12, 0), "lunch time": (12, 0), "midnight": (23, 59),
                "first thing": (9, 0), "first thing in the morning": (9, 0)}  # fmt: skip


def _meridiem(text: str | None) -> str | None:
    letter = text.strip(" .").lower()[:1] if text else ""
    return {"a": "am", "p": "pm"}.get(letter)


def _read_clock(m: Match[str], p: str) -> _Clock | None:
    zone = tw.zone_named(m[p + "tz"]) if m[p + "tz"] else None
    at, by = m[p + "at"] is not None or m[p + "to"] is not None, m[p + "by"] is not None
    if m[p + "rh"]:
        end_meridiem = _meridiem(m[p + "rap2"])
        end = _hour24(int(m[p + "rh2"]), end_meridiem, None), int(m[p + "rm2"] or 0)
        hour = _hour24(int(m[p + "rh"]), _meridiem(m[p + "rap"]) or end_meridiem, None)
        if hour > end[0] and hour >= 12 and not m[p + "rap"]:
            hour -= 12  # "11-1pm" starts at 11am
        return _Clock(hour, int(m[p + "rm"] or 0), "24h", None, by, zone, end, at=at)
    if m[p + "ch"]:
        hour, meridiem = int(m[p + "ch"]), _meridiem(m[p + "cap"])
        if meridiem is None and (hour == 0 or hour > 12 or m[p + "ch"].startswith("0")):
            meridiem = "24h"
        return _Clock(hour, int(m[p + "cm"]), meridiem, None, by, zone,
                      weak=meridiem is None, at=at)  # fmt: skip
    if m[p + "ah"]:
        single = len(m[p + "aap"].strip(" .")) == 1  # "3p"
        return _Clock(int(m[p + "ah"]), int(m[p + "am"] or 0), _meridiem(m[p + "aap"]), None,
                      by, zone, weak=single, at=at)  # fmt: skip
    if m[p + "word"]:
        word = tw.words_of(m[p + "word"])
        hour, minute = _CLOCK_WORDS.get(word, (DEADLINE_HOUR, 0))
        eod = word not in _CLOCK_WORDS
        return _Clock(hour, minute, "24h", "eod" if eod else None, by or eod, zone, at=at)
    hour_text = m[p + "oh"] or m[p + "bh"]
    if hour_text:
        return _Clock(int(hour_text), 0, None, None, by, zone, at=at)
    return None


def _hour24(hour: int, meridiem: str | None, pod: str | None) -> int:
    """The guide's rule: 1 to 6 -> pm, 7 to 11 -> am, 12 -> noon; am/pm or the part of
    the day ("afternoon at 2:30", "tonight at 8") decide first."""
    if meridiem == "24h":
        return hour
    if meridiem in ("am", "pm"):
        return hour % 12 + (12 if meridiem == "pm" else 0)
    if pod in ("afternoon", "evening", "night", "tonight", "pm"):
        return hour % 12 + 12
    if pod in ("morning", "am"):
        return hour
    return hour + 12 if 1 <= hour <= 6 else hour


def _clock_on(day: date, clock: _Clock, pod: str | None, scene: tw.Scene) -> datetime:
    hour = _hour24(clock.hour, clock.meridiem, pod)
    return tw.at(day, hour, clock.minute, clock.zone or scene.zone).astimezone(scene.zone)


def _clock_end(value: datetime, clock: _Clock, scene: tw.Scene) -> datetime | None:
    if clock.end is None:
        return None
    source = clock.zone or scene.zone
    day = value.astimezone(source).date()
    return tw.at(day, clock.end[0], clock.end[1], source).astimezone(scene.zone)


def _read_clock_only(
    m: Match[str], scene: tw.Scene, *, day: date | None = None
) -> TimeExpression | None:
    """A clock time alone ("at 2pm", "by 4pm", "EOD"): today, or tomorrow once passed;
    on ``day`` when its clause names one."""
    clock = _read_clock(m, "c")
    pod = tw.words_of(m["cpod"]) or None
    if clock is None:
        return None
    framed = clock.at or m["dl"] or clock.zone or pod or scene.whole
    if clock.weak and not (framed or tw.TIME_FOLLOW.match(scene.low, m.end())):
        return None  # "the 10:30 train", "12:04 Dana:"
    today = scene.now.astimezone(clock.zone or scene.zone).date()
    value, ambiguity = _clock_on(day or today, clock, pod, scene), None
    if day is None and value < scene.now:
        value = _clock_on(today + timedelta(days=1), clock, pod, scene)
        if clock.word == "eod":
            ambiguity = "end of day said after 17:00 is taken as tomorrow's"
    return _expr(
        m, scene, value, end_value=_clock_end(value, clock, scene), grain=Grain.MINUTE,
        deadline=bool(m["dl"]) or clock.deadline, specific=True, ambiguity=ambiguity,
        past=value < scene.now,
    )  # fmt: skip


def _read_datetime(m: Match[str], scene: tw.Scene) -> TimeExpression | None:
    """A day, with a clock time before or after it: "Tuesday at 2pm", "noon Thursday"."""
    day = tw.read_day(m, "d", scene)
    if day is None:
        return None
    clock = _read_clock(m, "a") or _read_clock(m, "b")
    pod = tw.words_of(m["dpod"] or m["bpod"]) or day.pod
    if day.abbreviated and not (day.framed or clock or pod or m["dl"] or scene.whole):
        return None
    deadline = bool(m["dl"]) or (clock is not None and clock.deadline)
    fields: dict[str, Any] = {"deadline": deadline, "specific": True}
    if clock is None:
        if deadline or pod == "tonight":
            hour = TONIGHT_HOUR if pod == "tonight" else DEADLINE_HOUR
            value = tw.at(day.day, hour, 0, scene.zone)
            return _expr(m, scene, value, grain=Grain.MINUTE, past=day.past,
                         ambiguity=day.ambiguity, **fields)  # fmt: skip
        return _expr(m, scene, _midnight(day.day, scene), grain=Grain.DAY, past=day.past,
                     ambiguity=day.ambiguity, **fields)  # fmt: skip
    value, ambiguity = _clock_on(day.day, clock, pod, scene), day.ambiguity
    if day.same_weekday and _clock_on(scene.today, clock, pod, scene) > scene.now:
        name = tw.WEEKDAY_NAMES[scene.today.weekday()]
        ambiguity = f"a {name} time said on a {name} is next week's; 'today' would mean today"
    return _expr(
        m, scene, value, end_value=_clock_end(value, clock, scene), grain=Grain.MINUTE,
        past=day.past or value < scene.now, ambiguity=ambiguity, **fields,
    )  # fmt: skip


# ---------------------------------------------------------------------------- periods


def _period(
    m: Match[str], scene: tw.Scene, span: tuple[date, date], grain: Grain, *, past: bool
) -> TimeExpression:
    """A vague period; one that has begun starts today."""
    first, last = span
    first = min(first, last)
    past = past or last < scene.today
    if not past and first <= scene.today <= last:
        first = scene.today
    return _expr(
        m, scene, _midnight(first, scene), end_value=tw.last_second(last, scene.zone),
        grain=grain, deadline=bool(m.groupdict().get("dl")), specific=False, past=past,
    )  # fmt: skip


def _deadline_on(m: Match[str], scene: tw.Scene, day: date) -> TimeExpression:
    """A specific deadline at 17:00 on the day: "end of next week", "end of March"."""
    return _expr(m, scene, _five_pm(day, scene), grain=Grain.MINUTE, deadline=True,
                 specific=True, past=day < scene.today)  # fmt: skip


def _part(qualifier: str) -> str | None:
    for word, part in (("early", "early"), ("start", "early"), ("beginning", "early"),
                       ("mid", "mid"), ("late", "late"), ("end", "end")):  # fmt: skip
        if word in qualifier:
            return part
    return None


def _read_end_of(m: Match[str], scene: tw.Scene) -> TimeExpression:
    abbreviation = {"eow": "week", "eom": "month", "eoq": "quarter", "eoy": "year"}
    grain = tw.words_of(m["egrain"] or m["eend"]) or abbreviation[tw.words_of(m["eabbr"])]
    shift = {"next": 1, "last": -1}.get(tw.words_of(m["erel"]), 0)
    return _deadline_on(m, scene, tw.end_of(grain, scene.today, shift))


def _read_period(m: Match[str], scene: tw.Scene) -> TimeExpression | None:
    """A vague week, month, quarter or year: "next week", "early next month", "later this week"."""
    qualifier, grain, rel = tw.words_of(m["qual"]), tw.words_of(m["grain"]), tw.words_of(m["rel"])
    if m["the"] and not (qualifier or m["after"]):
        return None  # "the week" alone
    shift = 2 if m["after"] else _SHIFTS.get(rel, 0)
    if rel == "coming" and grain == "weekend":
        shift = 0  # "the coming weekend" is this one
    today = scene.today
    first, last = tw.period_bounds(grain, today, shift)
    part = None if qualifier.startswith(("later", "earlier")) else _part(qualifier)
    if qualifier == "earlier":
        return _period(m, scene, (first, min(last, today - timedelta(days=1))), _GRAINS[grain],
                       past=True)  # fmt: skip
    if qualifier == "later" and shift == 0:
        first = today + timedelta(days=1)
    elif qualifier.startswith("later"):
        part = "late"
    if part in ("early", "mid", "late"):
        first, last = tw.period_part(first, last, grain, part)
    return _period(m, scene, (first, last), _GRAINS[grain], past=shift < 0)


def _read_month(m: Match[str], scene: tw.Scene) -> TimeExpression | None:
    """A month on its own: "in March", "early May", "end of March", "by June 2027"."""
    word, qualifier, year_text = scene.original(m, "mname"), tw.words_of(m["mqual"]), m["myear"]
    if not tw.month_word_ok(word) or not (qualifier or year_text or scene.whole):
        return None
    if word[0].isupper() and tw.PERSON_AFTER.match(scene.low, m.end()):
        return None  # "May said", "June will"
    month, today = tw.MONTHS.index(word[:3].lower()) + 1, scene.today
    past = qualifier in ("since", "back in", "last") or scene.said_in_past(m)
    year = _year_of(month, today.month, today.year, year_text, past=past, qualifier=qualifier)
    first, last = date(year, month, 1), tw.month_last(year, month)
    part = _part(qualifier)
    if part == "end":
        return _deadline_on(m, scene, last)
    if part is not None:
        first, last = tw.period_part(first, last, "month", part)
    expr = _period(m, scene, (first, last), Grain.MONTH, past=past)
    return _as_deadline(expr) if qualifier in ("by", "before") else expr


def _year_of(
    number: int, current: int, this_year: int, written: str | None, *, past: bool, qualifier: str
) -> int:
    """The year of a month or quarter named without a day: as written ("2027", "'27"); else
    the last one if said in past, the next one after this for "next", this year's for
    "this", otherwise this one or the next to come."""
    if written:
        return int(written) + (2000 if len(written) == 2 else 0)
    if past:
        return this_year if number < current else this_year - 1
    if qualifier == "next":
        return this_year if number > current else this_year + 1
    return this_year if number >= current or qualifier == "this" else this_year + 1


def _read_quarter(m: Match[str], scene: tw.Scene) -> TimeExpression | None:
    """A quarter, vague with a month grain: "Q1", "the third quarter"; "end of Q2" is a day."""
    qualifier, today = tw.words_of(m["qqual"]), scene.today
    number = (
        int(m["qn"][1]) if m["qn"] else tw.ORDINAL_WORDS.get(m["qord"].lower()) or int(m["qord"][0])
    )
    current, year_text = tw.quarter_of(today), (m["qy"] or "").lstrip("'’")
    past = qualifier == "last" or scene.said_in_past(m)
    year = _year_of(number, current, today.year, year_text, past=past, qualifier=qualifier)
    first, last = tw.period_bounds("quarter", date(year, number * 3, 1), 0)
    part = _part(qualifier)
    if part == "end":
        return _deadline_on(m, scene, last)
    if part is not None:
        first, last = tw.period_part(first, last, "quarter", part)
    expr = _period(m, scene, (first, last), Grain.MONTH, past=past)
    return _as_deadline(expr) if qualifier in ("by", "before") else expr


def _read_week_of(m: Match[str], scene: tw.Scene) -> TimeExpression | None:
    """A week, vague: the Monday-start week around a date ("the week of Dec 7"), or the
    days 1-7, 8-14, 15-21, 22-28 or the last seven of a month ("the second week of May")."""
    if m["nth_month"]:
        word, today = scene.original(m, "nth_month"), scene.today
        if not (m["nth"] and tw.month_word_ok(word)):
            return None  # "the week of May" is no week
        month = tw.MONTHS.index(word[:3].lower()) + 1
        past = scene.said_in_past(m)
        year = _year_of(month, today.month, today.year, m["nth_year"], past=past, qualifier="")
        last_day = tw.month_last(year, month)
        number = _WEEK_NUMBERS[m["nth"]]
        first = date(year, month, 7 * number - 6) if number else last_day - timedelta(days=6)
        return _period(m, scene, (first, min(first + timedelta(days=6), last_day)), Grain.WEEK,
                       past=past)  # fmt: skip
    day = tw.read_date(m, "w", scene)
    if day is None:
        return None
    first = tw.week_start(day.day)
    return _period(m, scene, (first, first + timedelta(days=6)), Grain.WEEK, past=day.past)


def _as_deadline(expr: TimeExpression) -> TimeExpression:
    return replace(expr, deadline=True)


def _read_vague(m: Match[str], scene: tw.Scene) -> TimeExpression:
    """Time with no period: "soon", "sometime", "after the holidays"; "the other day" is past."""
    return _expr(m, scene, None, grain=Grain.UNKNOWN, specific=False, past=bool(m["past"]))


# ---------------------------------------------------------------------------- offsets


def _count(first: str, second: str | None) -> tuple[float, float, str] | None:
    """(fewest, most, "exact" | "range" | "vague") from "3", "two", "a couple of", "24-48"."""
    low = _number(first)
    if low is not None:
        high = _number(second) if second else low
        if high is None or high < low:
            return None
        return low, high, "exact" if second is None else "range"
    for word, (fewest, most) in tw.VAGUE_COUNTS.items():
        if word in first.lower():
            return float(fewest), float(most), "vague"
    return None


def _number(text: str) -> float | None:
    text = tw.words_of(text)
    if text[:1].isdigit():
        return float(text)
    count = tw.NUMBER_WORDS.get(text)
    return float(count) if count is not None else None


def _read_relative(m: Match[str], scene: tw.Scene) -> TimeExpression | None:
    """An offset from now: "in 3 days", "within 48 hours", "two weeks from now", "3 weeks ago"."""
    if m["the_unit"]:
        return _within_the(m, scene, tw.words_of(m["the_unit"]))
    tail = tw.words_of(m["tail"])
    if not (m["into"] or m["win"] or tail) or ((m["into"] or m["win"]) and tail in ("ago", "back")):
        return None  # "a 3 day trial" is a duration, not a time
    counted = _count(m["n"], m["n2"])
    unit_text, unit = tw.words_of(m["unit"]), tw.unit_of(m["unit"])
    if counted is None or counted[1] * _DAYS_PER[unit] > 36600:
        return None
    low, high, kind = counted
    if high > 1 and unit_text in _FULL_UNITS:
        return None  # "in 30 minute increments"
    if unit == "minute" and tw.words_of(m["n"]) in ("a", "an"):
        return None  # "in a minute" is soon
    if tail in ("ago", "back"):
        unit = _CALENDAR.get(unit, unit)
        value = _shifted(scene, unit, -low)
        day_grain = unit not in ("minute", "hour")
        return _expr(m, scene, _midnight(value.date(), scene) if day_grain else value,
                     grain=Grain.DAY if day_grain else Grain.MINUTE, past=True,
                     specific=unit in ("minute", "hour", "day"))  # fmt: skip
    if m["win"]:
        return _window(m, scene, unit, high, kind)
    return _ahead(m, scene, unit, low, high, kind, from_tomorrow=tail == "from tomorrow")


def _shifted(scene: tw.Scene, unit: str, amount: float) -> datetime:
    """``now`` moved by an amount of a unit: hours are elapsed time, days keep the clock."""
    now = scene.now
    if unit in ("minute", "hour"):
        delta = timedelta(hours=amount) if unit == "hour" else timedelta(minutes=amount)
        return (now.astimezone(UTC) + delta).astimezone(scene.zone)
    if unit == "business_day":
        return tw.business_days_after(now, int(amount))
    if unit == "business_hour":
        return tw.business_hours_after(now, amount)
    if unit in ("month", "year"):
        day = tw.add_months(scene.today, round(amount * (12 if unit == "year" else 1)))
    else:
        day = scene.today + timedelta(days=int(amount * (7 if unit == "week" else 1)))
    return tw.at(day, now.hour, now.minute, scene.zone, now.second)


def _ahead(
    m: Match[str], scene: tw.Scene, unit: str, low: float, high: float, kind: str, *,
    from_tomorrow: bool,
) -> TimeExpression:  # fmt: skip
    """A point ahead: minutes and hours to the minute, days to the day; weeks and longer
    are not specific ("in two weeks"), nor are counts like "a few" or "2-3"."""
    if from_tomorrow:
        scene = tw.Scene(scene.text, scene.low, scene.now + timedelta(days=1), scene.tz, scene.zone)
    start, end = _shifted(scene, unit, low), _shifted(scene, unit, high)
    exact = kind == "exact"
    if unit in ("minute", "hour", "business_hour"):
        return _expr(m, scene, start, end_value=None if exact else end, grain=Grain.MINUTE,
                     specific=exact)  # fmt: skip
    grain = Grain.DAY if unit in ("day", "business_day") else _GRAINS[unit]
    return _expr(
        m, scene, _midnight(start.date(), scene),
        end_value=None if exact else tw.last_second(end.date(), scene.zone), grain=grain,
        specific=exact and grain == Grain.DAY,
    )  # fmt: skip


def _window(m: Match[str], scene: tw.Scene, unit: str, size: float, kind: str) -> TimeExpression:
    """A committed window from now ("within 48 hours"); the value is its end."""
    value = _shifted(scene, unit, size)
    if unit in ("month", "year"):
        window = timedelta(days=(value.date() - scene.today).days)
    else:  # business hours and days: as many clock hours and calendar days (see above)
        per = {"minute": 60, "week": 7 * 86400}.get(unit, 3600 if "hour" in unit else 86400)
        window = timedelta(seconds=size * per)
    short = unit in _SHORT
    return _expr(m, scene, value, grain=Grain.MINUTE if short else _GRAINS[unit],
                 deadline=True, specific=short and kind != "vague", window=window)  # fmt: skip


def _within_the(m: Match[str], scene: tw.Scene, unit: str) -> TimeExpression:
    """A window to the end of a unit: the hour is one hour; the day, week or month its end."""
    if unit == "hour":
        return _window(m, scene, "hour", 1, "exact")
    if unit == "day":
        day = scene.today
        if _five_pm(day, scene) < scene.now:
            day += timedelta(days=1)
        return _deadline_on(m, scene, day)
    return _deadline_on(m, scene, tw.end_of(unit, scene.today, 0))


_DATETIME, _CLOCK = (
    next(i for i, (kind, _) in enumerate(tw.PATTERNS) if kind == name)
    for name in ("datetime", "clock")
)
_READERS = {
    "datetime": _read_datetime,
    "clock": _read_clock_only,
    "end_of": _read_end_of,
    "period": _read_period,
    "month": _read_month,
    "quarter": _read_quarter,
    "week_of": _read_week_of,
    "relative": _read_relative,
    "vague": _read_vague,
}
