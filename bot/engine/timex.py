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

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property, lru_cache
from re import Match
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine import timedays
from bot.engine import timewords as tw
from bot.engine.model import Grain, TimeExpression
from bot.engine.timebuild import DEADLINE_HOUR, TONIGHT_HOUR
from bot.engine.timebuild import deadline_on as _deadline_on
from bot.engine.timebuild import expr as _expr
from bot.engine.timebuild import five_pm as _five_pm
from bot.engine.timebuild import midnight as _midnight
from bot.engine.timebuild import period as _period
from bot.engine.timefilter import prefilter
from bot.errors import TimeZoneError

_GRAINS = {"week": Grain.WEEK, "weekend": Grain.WEEK, "month": Grain.MONTH,
           "quarter": Grain.MONTH, "year": Grain.YEAR}  # fmt: skip
_DAYS_PER = {"minute": 1 / 1440, "hour": 1 / 24, "business_hour": 0.2, "day": 1,
             "business_day": 1.4, "week": 7, "month": 31, "year": 366}  # fmt: skip
_SHORT = ("minute", "hour", "business_hour", "day", "business_day")  # windows that are specific
_CALENDAR = {"business_hour": "hour", "business_day": "day"}  # counting back: plain time
_SHIFTS = {"next": 1, "coming": 1, "following": 1, "upcoming": 1, "last": -1, "past": -1,
           "previous": -1}  # fmt: skip
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
    shift: int = 0  # minutes before the hour: "quarter to ten" is 10:00 shifted by -15
    spaced: bool = False  # "three twenty": in words with a space, a time only when framed


# ---------------------------------------------------------------------------- public


def find_times(
    text: str, *, now: datetime, tz: str, rules: tuple[Rule, ...] | None = None
) -> list[TimeExpression]:
    """Every time phrase in ``text``, left to right, non-overlapping; the longest wins.
    ``rules`` (default ``RULES``) with the pre-filter derived from them."""
    if rules is None:
        return _find(_scene(text, now, tz), RULES, PRECHECK)
    return _find(_scene(text, now, tz), rules, _prefilter_of(rules))


def resolve(phrase: str, *, now: datetime, tz: str) -> TimeExpression | None:
    """The expression that is the whole ``phrase`` (spaces and punctuation aside), or None."""
    found = _find(_scene(phrase, now, tz, whole=True), RULES, PRECHECK)
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


def _find(
    scene: tw.Scene, rules: tuple[Rule, ...], precheck: re.Pattern[str]
) -> list[TimeExpression]:
    """Every rule's readable matches; the longest wins an overlap, a tie goes to the
    rule listed first."""
    if not precheck.search(scene.low):
        return []
    found: list[tuple[TimeExpression, Rule, Match[str]]] = []
    for rule in rules:
        for match in rule.compiled.finditer(scene.low):
            expr = rule.read(match, scene)
            if expr is not None and expr.text:
                found.append((expr, rule, match))
    rank = {rule.name: i for i, rule in enumerate(rules)}
    found.sort(key=lambda c: (c[0].start - c[0].end, rank[c[1].name], c[0].start))
    taken: list[tuple[TimeExpression, Rule, Match[str]]] = []
    for candidate in found:
        expr = candidate[0]
        if all(expr.end <= t.start or expr.start >= t.end for t, _, _ in taken):
            taken.append(candidate)
    taken.sort(key=lambda c: c[0].start)
    return _clocks_on_their_day(taken, scene)


@lru_cache(maxsize=8)
def _prefilter_of(rules: tuple[Rule, ...]) -> re.Pattern[str]:
    return prefilter(rule.pattern for rule in rules)


def _clocks_on_their_day(
    taken: list[tuple[TimeExpression, Rule, Match[str]]], scene: tw.Scene
) -> list[TimeExpression]:
    """A clock time alone takes the day named in its clause: "Closing Jan 11 at Lakeshore
    Title, 1pm" is Jan 11 13:00 (the nearest day, before it first, with no . ; ! ? or
    line break between). "EOD" stays the end of the day it is said on."""
    days = [t for t, r, _ in taken if t.grain == Grain.DAY and r.name == "datetime" and not t.past]
    out = []
    for expr, rule, match in taken:
        clock = _read_clock(match, "c") if rule.name == "clock" and days else None
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
    try:
        return ZoneInfo(tz)
    except (ValueError, KeyError, OSError, TypeError) as exc:  # KeyError: ZoneInfoNotFound
        raise TimeZoneError(f"{tz!r} is not a zone name such as America/New_York.") from exc


# ---------------------------------------------------------------------------- clocks

_CLOCK_WORDS = {"noon": (12, 0), "midday": (12, 0), "mid-day": (12, 0), "mid day": (12, 0),
                "12 noon": (12, 0),
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
    for x in ("x", "y"):
        if m[p + x + "h"]:
            return _clock_range(m, p + x, by, zone, at)
    if m[p + "kh"]:
        return _Clock(int(m[p + "kh"]), int(m[p + "km"]), _meridiem(m[p + "kap"]), None, by, zone,
                      at=at)  # fmt: skip
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
    if m[p + "wah"]:
        return _Clock(tw.hour_number(m[p + "wah"]), 0, _meridiem(m[p + "waap"]), None, by, zone,
                      at=at)  # fmt: skip
    if m[p + "sh"]:
        minute = tw.spelled_minutes(m[p + "sm"])
        if minute is None or minute > 59:
            return None
        meridiem = _meridiem(m[p + "sap"])
        spaced = meridiem is None and "-" not in m[p + "sh"] + m[p + "sm"]
        spaced = spaced and m.string[m.end(p + "sh")] != "-"
        return _Clock(tw.hour_number(m[p + "sh"]), minute, meridiem, None, by, zone,
                      weak=meridiem is None, at=at, spaced=spaced)  # fmt: skip
    if m[p + "mm"]:
        return _minutes_from_hour(m, p, by, zone, at)
    if m[p + "word"]:
        word = tw.words_of(m[p + "word"])
        hour, minute = _CLOCK_WORDS.get(word, (DEADLINE_HOUR, 0))
        eod = word not in _CLOCK_WORDS
        return _Clock(hour, minute, "24h", "eod" if eod else None, by or eod, zone, at=at)
    hour_text = m[p + "oh"] or m[p + "bh"] or m[p + "ph"] or m.groupdict().get(p + "dh")
    if hour_text:
        meridiem = _meridiem(m[p + "oap"]) if m[p + "oh"] else None
        return _Clock(tw.hour_number(hour_text), 0, meridiem, None, by, zone, at=at)
    return None


def _clock_range(m: Match[str], g: str, by: bool, zone: tzinfo | None, at: bool) -> _Clock | None:
    """ "9:30 - 11:00", "from 3:30 to six p.m.": needs minutes or am/pm on a side, so that
    "3 to 4 sites" stays a count. The start takes the end's am/pm when it has none."""
    if not (m[g + "m"] or m[g + "m2"] or m[g + "ap"] or m[g + "ap2"]):
        return None
    end_meridiem = _meridiem(m[g + "ap2"])
    end_hour = _hour24(tw.hour_number(m[g + "h2"]), end_meridiem, None)
    start_meridiem = _meridiem(m[g + "ap"]) or end_meridiem
    hour = _hour24(int(m[g + "h"]), start_meridiem, None)
    if end_meridiem is None and start_meridiem is not None and end_hour < hour:
        end_hour = _hour24(tw.hour_number(m[g + "h2"]), start_meridiem, None)
    if hour > end_hour and hour >= 12 and not m[g + "ap"]:
        hour -= 12  # "11-1pm" starts at 11am
    end = (end_hour, int(m[g + "m2"] or 0))
    return _Clock(hour, int(m[g + "m"] or 0), "24h", None, by, zone, end, at=at)


def _minutes_from_hour(
    m: Match[str], p: str, by: bool, zone: tzinfo | None, at: bool
) -> _Clock | None:
    """ "quarter to ten", "20 minutes past 3pm", "half past four", "5 to noon"."""
    words = tw.words_of(m[p + "mm"]).removeprefix("a ")
    minutes = {"quarter": 15, "half": 30}.get(words)
    if minutes is None:
        minutes = tw.spelled_minutes(words)
    if minutes is None or not 0 < minutes < 60 or (words == "half" and m[p + "mrel"] != "past"):
        return None
    hour_word = tw.words_of(m[p + "mh"])
    if hour_word in ("noon", "midnight"):
        hour, meridiem = (12, "24h") if hour_word == "noon" else (0, "24h")
    else:
        hour, meridiem = tw.hour_number(hour_word), _meridiem(m[p + "map"])
    before = m[p + "mrel"] in ("to", "till", "til")
    return _Clock(hour, 0 if before else minutes, meridiem, None, by, zone,
                  shift=-minutes if before else 0, at=at)  # fmt: skip


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
    if clock.shift:
        total = hour * 60 + clock.minute + clock.shift
        day, total = day + timedelta(days=total // 1440), total % 1440
        hour, minute = divmod(total, 60)
        return tw.at(day, hour, minute, clock.zone or scene.zone).astimezone(scene.zone)
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
    if clock.spaced and not framed:
        return None  # "three twenty" alone is a count as often as a time
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
    if deadline and day.same_weekday:
        return _same_day_deadline(m, scene, clock, pod, fields)
    if clock is None:
        if deadline or pod == "tonight":
            hour = TONIGHT_HOUR if pod == "tonight" else DEADLINE_HOUR
            value = tw.at(day.day, hour, 0, scene.zone)
            return _expr(m, scene, value, grain=Grain.MINUTE, past=day.past,
                         ambiguity=day.ambiguity, **fields)  # fmt: skip
        return _expr(m, scene, _midnight(day.day, scene), grain=Grain.DAY, past=day.past,
                     ambiguity=day.ambiguity, **fields)  # fmt: skip
    value, ambiguity = _clock_on(day.day, clock, pod, scene), day.ambiguity
    if value < scene.now and tw.words_of(m["drel"]).startswith("in the"):
        value = _clock_on(day.day + timedelta(days=1), clock, pod, scene)  # the next such
    if day.same_weekday and _clock_on(scene.today, clock, pod, scene) > scene.now:
        name = tw.WEEKDAY_NAMES[scene.today.weekday()]
        ambiguity = f"a {name} time said on a {name} is next week's; 'today' would mean today"
    return _expr(
        m, scene, value, end_value=_clock_end(value, clock, scene), grain=Grain.MINUTE,
        past=day.past or value < scene.now, ambiguity=ambiguity, **fields,
    )  # fmt: skip


def _same_day_deadline(
    m: Match[str], scene: tw.Scene, clock: _Clock | None, pod: str | None, fields: dict[str, Any]
) -> TimeExpression:
    """ "by Friday", "by EOD Friday" said on a Friday: today at the deadline's time while
    it is still ahead; once passed, next week's, reported (RUBRIC.md, Resolving time)."""

    def on(day: date) -> datetime:
        if clock is None:
            return tw.at(day, DEADLINE_HOUR, 0, scene.zone)
        return _clock_on(day, clock, pod, scene)

    value, ambiguity = on(scene.today), None
    if value <= scene.now:
        name = tw.WEEKDAY_NAMES[scene.today.weekday()]
        value = on(scene.today + timedelta(days=7))
        ambiguity = f"a {name} deadline said on a {name} after it passed is next week's"
    return _expr(m, scene, value, grain=Grain.MINUTE, ambiguity=ambiguity, **fields)


# ---------------------------------------------------------------------------- periods


def _part(qualifier: str) -> str | None:
    for word, part in (("early", "early"), ("start", "early"), ("beginning", "early"),
                       ("mid", "mid"), ("late", "late"), ("end", "end")):  # fmt: skip
        if word in qualifier:
            return part
    return None


def _read_end_of(m: Match[str], scene: tw.Scene) -> TimeExpression:
    abbreviation = {"eow": "week", "eom": "month", "eoq": "quarter", "eoy": "year"}
    grain = tw.words_of(m["egrain"] or m["eend"]) or abbreviation[tw.words_of(m["eabbr"])]
    shift = _SHIFTS.get(tw.words_of(m["erel"]), 0)
    return _deadline_on(m, scene, tw.end_of(grain, scene.today, shift))


def _read_period(m: Match[str], scene: tw.Scene) -> TimeExpression | None:
    """A vague week, month, quarter or year: "next week", "early next month", "later this week"."""
    qualifier, rel = tw.words_of(m["qual"]), tw.words_of(m["rel"])
    grain = {"qtr": "quarter", "week-end": "weekend"}.get(
        tw.words_of(m["grain"]), tw.words_of(m["grain"])
    )
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
    fraction = any(word in first for word in ("half", "quarter", "/"))
    low = _fraction(first) if fraction else _number(first.removesuffix(" more"))
    if low is not None:
        high = _number(second) if second else low
        if high is None or high < low:
            return None
        return low, high, "exact" if second is None else "range"
    for word, (fewest, most) in tw.VAGUE_COUNTS.items():
        if word in first.lower():
            return float(fewest), float(most), "vague"
    return None


def _fraction(text: str) -> float | None:
    """'half an' -> 0.5, 'a quarter of an' -> 0.25, 'three-quarters of an' -> 0.75,
    '2 and an half' -> 2.5."""
    words = tw.words_of(text)
    if " and a" in words:
        whole = _number(words.split(" and ")[0])
        return whole + 0.5 if whole is not None else None
    for word, share in sorted(tw.FRACTION_WORDS.items(), key=lambda w: -len(w[0])):
        if word in words:
            return share
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
    counted = _count(tw.words_of(m["n"]), m["n2"])
    unit_text, unit = tw.words_of(m["unit"]), tw.unit_of(m["unit"])
    if unit == "fortnight" and counted is not None:  # two weeks
        unit, counted = "week", (counted[0] * 2, counted[1] * 2, counted[2])
    if counted is None or counted[1] * _DAYS_PER[unit] > 36600:
        return None
    low, high, kind = counted
    if tail == "hence" or tail.startswith("from right"):
        tail = "from now"
    if high > 1 and unit_text in _FULL_UNITS:
        return None  # "in 30 minute increments"
    if m["half"]:
        low, high = low + 0.5, high + 0.5
    if unit == "minute" and tw.words_of(m["n"]) in ("a", "an", "one"):
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
    ahead = _ahead(m, scene, unit, low, high, kind, from_tomorrow=tail == "from tomorrow")
    clock = _read_clock(m, "r")
    if clock is None or ahead.value is None:
        return ahead
    if unit not in ("day", "business_day") or kind != "exact" or tail in ("ago", "back"):
        return None  # "in two weeks at 3pm": the clock alone is read on its own
    value = _clock_on(ahead.value.date(), clock, None, scene)
    return replace(ahead, value=value, grain=Grain.MINUTE, specific=True)


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


@dataclass(frozen=True)
class Rule:
    """One kind of time phrase: its name, the pattern that finds it (timewords' grammar)
    and the reader that resolves a match. A tie between two matches of the same length
    goes to the rule listed first."""

    name: str
    pattern: str
    read: Callable[[Match[str], tw.Scene], TimeExpression | None]

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return tw.compiled(self.pattern)


RULES: tuple[Rule, ...] = (
    Rule("datetime", tw.DATETIME, _read_datetime),
    Rule("clock", tw.CLOCK, _read_clock_only),
    Rule("end_of_day", tw.END_OF_DAY, timedays.read_end_of_day),
    Rule("end_of", tw.END_OF, _read_end_of),
    Rule("day_of_month", tw.DAY_OF_MONTH, timedays.read_day_of_month),
    Rule("nth_weekday", tw.NTH_WEEKDAY, timedays.read_nth_weekday),
    Rule("weekdays_ahead", tw.WEEKDAYS_AHEAD, timedays.read_weekdays_ahead),
    Rule("period", tw.PERIOD, _read_period),
    Rule("month", tw.MONTH, _read_month),
    Rule("quarter", tw.QUARTER, _read_quarter),
    Rule("week_of", tw.WEEK_OF, _read_week_of),
    Rule("relative", tw.RELATIVE, _read_relative),
    Rule("vague", tw.VAGUE, _read_vague),
)
# A sentence this finds nothing in has no time phrase: the one check most sentences
# cost. Derived from the rules' patterns, so a phrase added to a rule needs no second edit.
PRECHECK = prefilter(rule.pattern for rule in RULES)
