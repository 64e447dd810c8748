"""Time phrases: find every one in a sentence and resolve it exactly.

Everything is counted from the reference time ``now`` converted into the rep's zone
``tz``; a zone written in the text ("2pm ET") is converted into the rep's zone. The
rules are tests/corpus/GUIDE.md's "Time" section. Where the guide is silent:

- A bare weekday said on that weekday is a week later, as the guide says, with a clock
  time too: "Friday 5pm" said Friday 10:00 is next Friday 17:00, reported as ambiguous
  because the time is still ahead today ("today 5pm" is today). A deadline is the
  exception RUBRIC.md makes: "by Friday", "by EOD Friday" said on a Friday before 17:00
  is today 17:00; after it, next Friday's, reported. "Mon", "Wed", "Fri" with a capital
  are days on their own; "Sat", "Sun" and lower-case abbreviations need "on", a time or
  a date with them.
- "the following Friday" is read as "next Friday". "3 Fridays from now" is the third
  Friday after today. "<clock> in the morning" once passed is tomorrow's; "this morning
  at 3" stays today's. A clock time in words with a space ("three twenty") needs "at",
  am/pm, a day or a zone next to it; "five-thirty" does not.
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

The layer in modules: timewords (vocabulary), timegrammar (patterns), timecalendar
(calendar arithmetic and days), timeclock, timeperiods, timecount and timedays (the
readers), timebuild (building an expression), timefilter (the derived pre-filter); this
module holds the rules table and the public functions.

dateparser is used only for odd absolute formats ("3-Dec-2026", "Dec 3 '26"): its
relative arithmetic gives the wrong UTC offset across a DST change and reads "a week
from today" as a week ago, so offsets are counted here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from re import Match
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine import timecalendar as tc
from bot.engine import timedays
from bot.engine import timegrammar as tg
from bot.engine import timewords as tw
from bot.engine.model import Grain, TimeExpression
from bot.engine.timeclock import read_clock, read_clock_only, read_datetime
from bot.engine.timecount import read_relative
from bot.engine.timefilter import prefilter
from bot.engine.timeperiods import (
    read_end_of,
    read_month,
    read_period,
    read_quarter,
    read_vague,
    read_week_of,
)
from bot.errors import TimeZoneError
from bot.zones import check_zone

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
    scene: tc.Scene, rules: tuple[Rule, ...], precheck: re.Pattern[str]
) -> list[TimeExpression]:
    """Every rule's readable matches; the longest wins an overlap, a tie goes to the
    rule listed first."""
    if not precheck.search(scene.low):
        return []
    found: list[tuple[TimeExpression, Rule, Match[str]]] = []
    for rule in rules:
        if not rule.precheck.search(scene.low):
            continue  # none of the words this rule's phrases need: skip its full search
        for match in rule.compiled.finditer(scene.low):
            expr = rule.read(match, scene)
            if expr is not None and expr.text:
                found.append((expr, rule, match))
    rank = {rule.name: i for i, rule in enumerate(rules)}
    found.sort(key=lambda c: (c[0].start - c[0].end, rank[c[1].name], c[0].start))
    taken: list[tuple[TimeExpression, Rule, Match[str]]] = []  # kept in text order
    starts: list[int] = []
    for candidate in found:
        expr = candidate[0]
        at = bisect.bisect_left(starts, expr.start)
        clear_before = at == 0 or taken[at - 1][0].end <= expr.start
        if clear_before and (at == len(taken) or expr.end <= taken[at][0].start):
            taken.insert(at, candidate)
            starts.insert(at, expr.start)
    return _clocks_on_their_day(taken, scene)


@lru_cache(maxsize=8)
def _prefilter_of(rules: tuple[Rule, ...]) -> re.Pattern[str]:
    return prefilter(rule.pattern for rule in rules)


def _clocks_on_their_day(
    taken: list[tuple[TimeExpression, Rule, Match[str]]], scene: tc.Scene
) -> list[TimeExpression]:
    """A clock time alone takes the day named in its clause (``DAY_RULES``): "Closing Jan 11
    at Lakeshore Title, 1pm" is Jan 11 13:00 (the nearest day, before it first, with no . ; ! ? or
    line break between). "EOD" stays the end of the day it is said on."""
    days = [t for t, r, _ in taken if t.grain == Grain.DAY and r.name in DAY_RULES and not t.past]
    out = []
    for expr, rule, match in taken:
        clock = read_clock(match, "c") if rule.name == "clock" and days else None
        if clock is not None and clock.word != "eod":
            near = [d for d in days if not tg.CLAUSE_BREAK.search(_between(scene.text, d, expr))]
            near.sort(key=lambda d: (d.start > expr.start, abs(d.start - expr.start)))
            if near and near[0].value is not None:
                expr = read_clock_only(match, scene, day=near[0].value.date()) or expr
        out.append(expr)
    return out


def _between(text: str, a: TimeExpression, b: TimeExpression) -> str:
    return text[min(a.end, b.end) : max(a.start, b.start)]


def _scene(text: str, now: datetime, tz: str, *, whole: bool = False) -> tc.Scene:
    zone = _zone(tz)
    if now.tzinfo is None or now.utcoffset() is None:
        raise TimeZoneError(f"The reference time {now.isoformat()} has no UTC offset.")
    return tc.Scene(text, tw.lower(text), now.astimezone(zone), tz, zone, whole)


@lru_cache(maxsize=64)
def _zone(tz: str) -> ZoneInfo:
    return check_zone(tz)


@dataclass(frozen=True)
class Rule:
    """One kind of time phrase: its name, the pattern that finds it (timewords' grammar)
    and the reader that resolves a match. A tie between two matches of the same length
    goes to the rule listed first."""

    name: str
    pattern: str
    read: Callable[[Match[str], tc.Scene], TimeExpression | None]

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return tg.compiled(self.pattern)

    @cached_property
    def precheck(self) -> re.Pattern[str]:
        """A cheap search that finds something wherever the rule's pattern matches."""
        return prefilter([self.pattern])


RULES: tuple[Rule, ...] = (
    Rule("datetime", tg.DATETIME, read_datetime),
    Rule("clock", tg.CLOCK, read_clock_only),
    Rule("end_of_day", tg.END_OF_DAY, timedays.read_end_of_day),
    Rule("end_of", tg.END_OF, read_end_of),
    Rule("day_of_month", tg.DAY_OF_MONTH, timedays.read_day_of_month),
    Rule("nth_weekday", tg.NTH_WEEKDAY, timedays.read_nth_weekday),
    Rule("weekdays_ahead", tg.WEEKDAYS_AHEAD, timedays.read_weekdays_ahead),
    Rule("period", tg.PERIOD, read_period),
    Rule("month", tg.MONTH, read_month),
    Rule("quarter", tg.QUARTER, read_quarter),
    Rule("week_of", tg.WEEK_OF, read_week_of),
    Rule("relative", tg.RELATIVE, read_relative),
    Rule("vague", tg.VAGUE, read_vague),
)
# Rules whose phrase names one day: a clock time alone in the same clause takes that day
# ("the 20th of next month, at 2pm", "3 Fridays from now 11am").
DAY_RULES = frozenset({"datetime", "day_of_month", "nth_weekday", "weekdays_ahead"})
# A sentence this finds nothing in has no time phrase: the one check most sentences
# cost. Derived from the rules' patterns, so a phrase added to a rule needs no second edit.
PRECHECK = prefilter(rule.pattern for rule in RULES)
