"""Readers for days named by counting: "end of tomorrow", "the 20th of next month",
"the first Monday of this month", "3 Fridays from now". Each resolves a whole class of
phrases from the reference day of a ``Scene``; see bot.engine.timex for the rules table.
"""

from __future__ import annotations

from datetime import date, timedelta
from re import Match

from bot.engine import timecalendar as tc
from bot.engine import timewords as tw
from bot.engine.model import Grain, TimeExpression
from bot.engine.timebuild import deadline_on, expr, five_pm, midnight

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "fifteenth": 15,
    "twentieth": 20, "thirtieth": 30, "last": 0,
}  # fmt: skip
_MONTH_SHIFTS = {"this": 0, "current": 0, "next": 1, "following": 1, "coming": 1,
                 "previous": -1, "last": -1}  # fmt: skip


def ordinal_number(word: str) -> int | None:
    """'20th' -> 20, '20' -> 20, 'first' -> 1, 'last' -> 0."""
    word = word.lower()
    digits = word.rstrip("stndrh")
    return int(digits) if digits.isdigit() else _ORDINALS.get(word)


def read_end_of_day(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
    """ "end of tomorrow", "by the end of Friday": 17:00 that day, a deadline. Said on
    that weekday before 17:00 it is today (the rubric's same-day deadline)."""
    day = tc.read_day(m, "e", scene)
    if day is None or day.past:
        return None
    when = day.day
    if day.same_weekday and five_pm(scene.today, scene) > scene.now:
        when = scene.today
    return deadline_on(m, scene, when)


def _month_of(m: Match[str], scene: tc.Scene, rel_group: str) -> tuple[int, int]:
    first = tc.add_months(scene.today.replace(day=1), _MONTH_SHIFTS[tw.words_of(m[rel_group])])
    return first.year, first.month


def _on_day(m: Match[str], scene: tc.Scene, day: date) -> TimeExpression:
    """The day; with "by" or "before" in front, a deadline at 17:00 that day."""
    if m["dl"]:
        return deadline_on(m, scene, day)
    return expr(m, scene, midnight(day, scene), grain=Grain.DAY, specific=True,
                past=day < scene.today)  # fmt: skip


def read_day_of_month(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
    """ "the 20th of next month": that day of the month counted from this one."""
    number = ordinal_number(m["odn"])
    if not number:
        return None
    year, month = _month_of(m, scene, "omrel")
    if number > tc.month_last(year, month).day:
        return None
    return _on_day(m, scene, date(year, month, number))


def read_nth_weekday(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
    """ "the first Monday of this month", "last Friday in October": counted in that month;
    a named month without a year is this year's unless it has passed."""
    number = ordinal_number(m["nwn"])
    if number is None:
        return None
    if m["nwmon"]:
        word = scene.original(m, "nwmon")
        if not tc.month_word_ok(word):
            return None
        month = tw.MONTHS.index(word[:3].lower()) + 1
        today = scene.today
        year = int(m["nwyear"]) if m["nwyear"] else today.year + (month < today.month)
    elif m["nwrel"]:
        year, month = _month_of(m, scene, "nwrel")
    else:  # "of the month": this month
        year, month = scene.today.year, scene.today.month
    target = tw.WEEKDAYS.index(m["nwd"][:3].lower())
    if number == 0:
        last = tc.month_last(year, month)
        day = last - timedelta(days=(last.weekday() - target) % 7)
    else:
        first = date(year, month, 1)
        day = first + timedelta(days=(target - first.weekday()) % 7 + 7 * (number - 1))
        if day.month != month:
            return None  # no fifth Monday this month
    return _on_day(m, scene, day)


def read_weekdays_ahead(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
    """ "3 Fridays from now": the third Friday after today (today itself not counted)."""
    word = tw.words_of(m["wcn"])
    count = int(float(word)) if word[:1].isdigit() else tw.NUMBER_WORDS.get(word)
    if not count or count > 520:
        return None
    target = tw.WEEKDAYS.index(m["wcd"][:3].lower())
    ahead = (target - scene.today.weekday()) % 7 or 7
    return _on_day(m, scene, scene.today + timedelta(days=ahead + 7 * (count - 1)))
