"""Clock times and the days they fall on: "2pm", "quarter to ten", "five-thirty",
"Tuesday at 2pm", "by EOD Friday". A clock time alone is today, or tomorrow once passed;
the guide's bare-hour rule (1-6 pm, 7-11 am, 12 noon) decides a missing am/pm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from re import Match
from typing import Any

from bot.engine import timecalendar as tc
from bot.engine import timegrammar as tg
from bot.engine import timewords as tw
from bot.engine.model import Grain, TimeExpression
from bot.engine.timebuild import DEADLINE_HOUR, TONIGHT_HOUR
from bot.engine.timebuild import expr as _expr
from bot.engine.timebuild import midnight as _midnight


@dataclass(frozen=True)
class Clock:
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


# ---------------------------------------------------------------------------- clocks

_CLOCK_WORDS = {"noon": (12, 0), "midday": (12, 0), "mid-day": (12, 0), "mid day": (12, 0),
                "12 noon": (12, 0),
                "lunchtime": (12, 0), "lunch time": (12, 0), "midnight": (23, 59),
                "first thing": (9, 0), "first thing in the morning": (9, 0)}  # fmt: skip


def _meridiem(text: str | None) -> str | None:
    letter = text.strip(" .").lower()[:1] if text else ""
    return {"a": "am", "p": "pm"}.get(letter)


def read_clock(m: Match[str], p: str) -> Clock | None:
    zone = tw.zone_named(m[p + "tz"]) if m[p + "tz"] else None
    at, by = m[p + "at"] is not None or m[p + "to"] is not None, m[p + "by"] is not None
    if m[p + "rh"]:
        end_meridiem = _meridiem(m[p + "rap2"])
        end = _hour24(int(m[p + "rh2"]), end_meridiem, None), int(m[p + "rm2"] or 0)
        hour = _hour24(int(m[p + "rh"]), _meridiem(m[p + "rap"]) or end_meridiem, None)
        if hour > end[0] and hour >= 12 and not m[p + "rap"]:
            hour -= 12  # "11-1pm" starts at 11am
        return Clock(hour, int(m[p + "rm"] or 0), "24h", None, by, zone, end, at=at)
    for x in ("x", "y"):
        if m[p + x + "h"]:
            return _clock_range(m, p + x, by, zone, at)
    if m[p + "kh"]:
        return Clock(int(m[p + "kh"]), int(m[p + "km"]), _meridiem(m[p + "kap"]), None, by, zone,
                      at=at)  # fmt: skip
    if m[p + "ch"]:
        hour, meridiem = int(m[p + "ch"]), _meridiem(m[p + "cap"])
        if meridiem is None and (hour == 0 or hour > 12 or m[p + "ch"].startswith("0")):
            meridiem = "24h"
        return Clock(hour, int(m[p + "cm"]), meridiem, None, by, zone,
                      weak=meridiem is None, at=at)  # fmt: skip
    if m[p + "ah"]:
        single = len(m[p + "aap"].strip(" .")) == 1  # "3p"
        return Clock(int(m[p + "ah"]), int(m[p + "am"] or 0), _meridiem(m[p + "aap"]), None,
                      by, zone, weak=single, at=at)  # fmt: skip
    if m[p + "wah"]:
        return Clock(tw.hour_number(m[p + "wah"]), 0, _meridiem(m[p + "waap"]), None, by, zone,
                      at=at)  # fmt: skip
    if m[p + "sh"]:
        minute = tw.spelled_minutes(m[p + "sm"])
        if minute is None or minute > 59:
            return None
        meridiem = _meridiem(m[p + "sap"])
        spaced = meridiem is None and "-" not in m[p + "sh"] + m[p + "sm"]
        spaced = spaced and m.string[m.end(p + "sh")] != "-"
        return Clock(tw.hour_number(m[p + "sh"]), minute, meridiem, None, by, zone,
                      weak=meridiem is None, at=at, spaced=spaced)  # fmt: skip
    if m[p + "mm"]:
        return _minutes_from_hour(m, p, by, zone, at)
    if m[p + "word"]:
        word = tw.words_of(m[p + "word"])
        hour, minute = _CLOCK_WORDS.get(word, (DEADLINE_HOUR, 0))
        eod = word not in _CLOCK_WORDS
        return Clock(hour, minute, "24h", "eod" if eod else None, by or eod, zone, at=at)
    hour_text = m[p + "oh"] or m[p + "bh"] or m[p + "ph"] or m.groupdict().get(p + "dh")
    if hour_text:
        meridiem = _meridiem(m[p + "oap"]) if m[p + "oh"] else None
        return Clock(tw.hour_number(hour_text), 0, meridiem, None, by, zone, at=at)
    return None


def _clock_range(m: Match[str], g: str, by: bool, zone: tzinfo | None, at: bool) -> Clock | None:
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
    if end <= (hour, int(m[g + "m"] or 0)):
        return None  # "2pm to 1", "10:30am till 8": not a range of that day
    return Clock(hour, int(m[g + "m"] or 0), "24h", None, by, zone, end, at=at)


def _minutes_from_hour(
    m: Match[str], p: str, by: bool, zone: tzinfo | None, at: bool
) -> Clock | None:
    """ "quarter to ten", "20 minutes past 3pm", "half past four", "5 to noon"."""
    words = tw.words_of(m[p + "mm"]).removeprefix("a ")
    minutes = {"quarter": 15, "half": 30}.get(words)
    if minutes is None:
        minutes = tw.spelled_minutes(words)
    if minutes is None or not 0 < minutes < 60 or (words == "half" and m[p + "mrel"] != "past"):
        return None
    hour_word = tw.words_of(m[p + "mh"])
    meridiem: str | None
    if hour_word in ("noon", "midnight"):
        hour, meridiem = (12, "24h") if hour_word == "noon" else (0, "24h")
    else:
        hour, meridiem = tw.hour_number(hour_word), _meridiem(m[p + "map"])
    before = m[p + "mrel"] in ("to", "till", "til")
    return Clock(hour, 0 if before else minutes, meridiem, None, by, zone,
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


def clock_on(day: date, clock: Clock, pod: str | None, scene: tc.Scene) -> datetime:
    hour = _hour24(clock.hour, clock.meridiem, pod)
    if clock.shift:
        total = hour * 60 + clock.minute + clock.shift
        day, total = day + timedelta(days=total // 1440), total % 1440
        hour, minute = divmod(total, 60)
        return tc.at(day, hour, minute, clock.zone or scene.zone).astimezone(scene.zone)
    return tc.at(day, hour, clock.minute, clock.zone or scene.zone).astimezone(scene.zone)


def _clock_end(value: datetime, clock: Clock, scene: tc.Scene) -> datetime | None:
    if clock.end is None:
        return None
    source = clock.zone or scene.zone
    day = value.astimezone(source).date()
    return tc.at(day, clock.end[0], clock.end[1], source).astimezone(scene.zone)


def read_clock_only(
    m: Match[str], scene: tc.Scene, *, day: date | None = None
) -> TimeExpression | None:
    """A clock time alone ("at 2pm", "by 4pm", "EOD"): today, or tomorrow once passed;
    on ``day`` when its clause names one."""
    clock = read_clock(m, "c")
    pod = tw.words_of(m["cpod"]) or None
    if clock is None:
        return None
    framed = clock.at or m["dl"] or clock.zone or pod or scene.whole
    if clock.weak and not (framed or tg.TIME_FOLLOW.match(scene.low, m.end())):
        return None  # "the 10:30 train", "12:04 Dana:"
    if clock.spaced and not framed:
        return None  # "three twenty" alone is a count as often as a time
    today = scene.now.astimezone(clock.zone or scene.zone).date()
    value, ambiguity = clock_on(day or today, clock, pod, scene), None
    if day is None and value < scene.now:
        value = clock_on(today + timedelta(days=1), clock, pod, scene)
        if clock.word == "eod":
            ambiguity = "end of day said after 17:00 is taken as tomorrow's"
    return _expr(
        m, scene, value, end_value=_clock_end(value, clock, scene), grain=Grain.MINUTE,
        deadline=bool(m["dl"]) or clock.deadline, specific=True, ambiguity=ambiguity,
        past=value < scene.now,
    )  # fmt: skip


def read_datetime(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
    """A day, with a clock time before or after it: "Tuesday at 2pm", "noon Thursday"."""
    day = tc.read_day(m, "d", scene)
    if day is None:
        return None
    clock = read_clock(m, "a") or read_clock(m, "b")
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
            value = tc.at(day.day, hour, 0, scene.zone)
            return _expr(m, scene, value, grain=Grain.MINUTE, past=day.past,
                         ambiguity=day.ambiguity, **fields)  # fmt: skip
        return _expr(m, scene, _midnight(day.day, scene), grain=Grain.DAY, past=day.past,
                     ambiguity=day.ambiguity, **fields)  # fmt: skip
    value, ambiguity = clock_on(day.day, clock, pod, scene), day.ambiguity
    if value < scene.now and tw.words_of(m["drel"]).startswith("in the"):
        value = clock_on(day.day + timedelta(days=1), clock, pod, scene)  # the next such
    if day.same_weekday and clock_on(scene.today, clock, pod, scene) > scene.now:
        name = tw.WEEKDAY_NAMES[scene.today.weekday()]
        ambiguity = f"a {name} time said on a {name} is next week's; 'today' would mean today"
    return _expr(
        m, scene, value, end_value=_clock_end(value, clock, scene), grain=Grain.MINUTE,
        past=day.past or value < scene.now, ambiguity=ambiguity, **fields,
    )  # fmt: skip


def _same_day_deadline(
    m: Match[str], scene: tc.Scene, clock: Clock | None, pod: str | None, fields: dict[str, Any]
) -> TimeExpression:
    """ "by Friday", "by EOD Friday" said on a Friday: today at the deadline's time while
    it is still ahead; once passed, next week's, reported (RUBRIC.md, Resolving time)."""

    def on(day: date) -> datetime:
        if clock is None:
            return tc.at(day, DEADLINE_HOUR, 0, scene.zone)
        return clock_on(day, clock, pod, scene)

    value, ambiguity = on(scene.today), None
    if value <= scene.now:
        name = tw.WEEKDAY_NAMES[scene.today.weekday()]
        value = on(scene.today + timedelta(days=7))
        ambiguity = f"a {name} deadline said on a {name} after it passed is next week's"
    return _expr(m, scene, value, grain=Grain.MINUTE, ambiguity=ambiguity, **fields)
