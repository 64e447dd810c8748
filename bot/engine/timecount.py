"""Offsets counted from now: "in 3 days", "within 48 hours", "half an hour from now",
"in 7 days at 5pm", "two weeks ago". Hours are elapsed time across a DST change; days
keep the wall-clock time; weeks and longer are not specific."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from re import Match

from bot.engine import timecalendar as tc
from bot.engine import timewords as tw
from bot.engine.model import Grain, TimeExpression
from bot.engine.timebuild import deadline_on as _deadline_on
from bot.engine.timebuild import expr as _expr
from bot.engine.timebuild import five_pm as _five_pm
from bot.engine.timebuild import midnight as _midnight
from bot.engine.timeclock import clock_on, read_clock
from bot.engine.timeperiods import GRAINS

_DAYS_PER = {"minute": 1 / 1440, "hour": 1 / 24, "business_hour": 0.2, "day": 1,
             "business_day": 1.4, "week": 7, "month": 31, "year": 366}  # fmt: skip
_SHORT = ("minute", "hour", "business_hour", "day", "business_day")  # windows that are specific
_CALENDAR = {"business_hour": "hour", "business_day": "day"}  # counting back: plain time
_FULL_UNITS = {"minute", "hour", "day", "week", "month", "year", "business day", "working day",
               "business hour", "working hour"}  # fmt: skip


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


def read_relative(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
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
    clock = read_clock(m, "r")
    if clock is None or ahead.value is None:
        return ahead
    if unit not in ("day", "business_day") or kind != "exact" or tail in ("ago", "back"):
        return None  # "in two weeks at 3pm": the clock alone is read on its own
    value = clock_on(ahead.value.date(), clock, None, scene)
    return replace(ahead, value=value, grain=Grain.MINUTE, specific=True)


def _shifted(scene: tc.Scene, unit: str, amount: float) -> datetime:
    """``now`` moved by an amount of a unit: hours are elapsed time, days keep the clock."""
    now = scene.now
    if unit in ("minute", "hour"):
        delta = timedelta(hours=amount) if unit == "hour" else timedelta(minutes=amount)
        return (now.astimezone(UTC) + delta).astimezone(scene.zone)
    if unit == "business_day":
        return tc.business_days_after(now, int(amount))
    if unit == "business_hour":
        return tc.business_hours_after(now, amount)
    if unit in ("month", "year"):
        day = tc.add_months(scene.today, round(amount * (12 if unit == "year" else 1)))
    else:
        day = scene.today + timedelta(days=int(amount * (7 if unit == "week" else 1)))
    return tc.at(day, now.hour, now.minute, scene.zone, now.second)


def _ahead(
    m: Match[str], scene: tc.Scene, unit: str, low: float, high: float, kind: str, *,
    from_tomorrow: bool,
) -> TimeExpression:  # fmt: skip
    """A point ahead: minutes and hours to the minute, days to the day; weeks and longer
    are not specific ("in two weeks"), nor are counts like "a few" or "2-3"."""
    if from_tomorrow:
        scene = tc.Scene(scene.text, scene.low, scene.now + timedelta(days=1), scene.tz, scene.zone)
    start, end = _shifted(scene, unit, low), _shifted(scene, unit, high)
    exact = kind == "exact"
    if unit in ("minute", "hour", "business_hour"):
        return _expr(m, scene, start, end_value=None if exact else end, grain=Grain.MINUTE,
                     specific=exact)  # fmt: skip
    grain = Grain.DAY if unit in ("day", "business_day") else GRAINS[unit]
    return _expr(
        m, scene, _midnight(start.date(), scene),
        end_value=None if exact else tc.last_second(end.date(), scene.zone), grain=grain,
        specific=exact and grain == Grain.DAY,
    )  # fmt: skip


def _window(m: Match[str], scene: tc.Scene, unit: str, size: float, kind: str) -> TimeExpression:
    """A committed window from now ("within 48 hours"); the value is its end."""
    value = _shifted(scene, unit, size)
    if unit in ("month", "year"):
        window = timedelta(days=(value.date() - scene.today).days)
    else:  # business hours and days: as many clock hours and calendar days (see above)
        per = {"minute": 60, "week": 7 * 86400}.get(unit, 3600 if "hour" in unit else 86400)
        window = timedelta(seconds=size * per)
    short = unit in _SHORT
    return _expr(m, scene, value, grain=Grain.MINUTE if short else GRAINS[unit],
                 deadline=True, specific=short and kind != "vague", window=window)  # fmt: skip


def _within_the(m: Match[str], scene: tc.Scene, unit: str) -> TimeExpression:
    """A window to the end of a unit: the hour is one hour; the day, week or month its end."""
    if unit == "hour":
        return _window(m, scene, "hour", 1, "exact")
    if unit == "day":
        day = scene.today
        if _five_pm(day, scene) < scene.now:
            day += timedelta(days=1)
        return _deadline_on(m, scene, day)
    return _deadline_on(m, scene, tc.end_of(unit, scene.today, 0))
