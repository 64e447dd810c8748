"""Vague and end-of periods: "next week", "early next month", "Q1", "the week of Dec 7",
"end of March", "soon". A vague period that has begun starts today."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from re import Match

from bot.engine import timecalendar as tc
from bot.engine import timegrammar as tg
from bot.engine import timewords as tw
from bot.engine.model import Grain, TimeExpression
from bot.engine.timebuild import deadline_on as _deadline_on
from bot.engine.timebuild import expr as _expr
from bot.engine.timebuild import period as _period

GRAINS = {"week": Grain.WEEK, "weekend": Grain.WEEK, "month": Grain.MONTH,
           "quarter": Grain.MONTH, "year": Grain.YEAR}  # fmt: skip
SHIFTS = {"next": 1, "coming": 1, "following": 1, "upcoming": 1, "last": -1, "past": -1,
           "previous": -1}  # fmt: skip
_WEEK_NUMBERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                 "fourth": 4, "4th": 4, "last": 0}  # fmt: skip


# ---------------------------------------------------------------------------- periods


def _part(qualifier: str) -> str | None:
    for word, part in (("early", "early"), ("start", "early"), ("beginning", "early"),
                       ("mid", "mid"), ("late", "late"), ("end", "end")):  # fmt: skip
        if word in qualifier:
            return part
    return None


def read_end_of(m: Match[str], scene: tc.Scene) -> TimeExpression:
    abbreviation = {"eow": "week", "eom": "month", "eoq": "quarter", "eoy": "year"}
    grain = tw.words_of(m["egrain"] or m["eend"]) or abbreviation[tw.words_of(m["eabbr"])]
    shift = SHIFTS.get(tw.words_of(m["erel"]), 0)
    return _deadline_on(m, scene, tc.end_of(grain, scene.today, shift))


def read_period(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
    """A vague week, month, quarter or year: "next week", "early next month", "later this week"."""
    qualifier, rel = tw.words_of(m["qual"]), tw.words_of(m["rel"])
    grain = {"qtr": "quarter", "week-end": "weekend"}.get(
        tw.words_of(m["grain"]), tw.words_of(m["grain"])
    )
    if m["the"] and not (qualifier or m["after"]):
        return None  # "the week" alone
    shift = 2 if m["after"] else SHIFTS.get(rel, 0)
    if rel == "coming" and grain == "weekend":
        shift = 0  # "the coming weekend" is this one
    today = scene.today
    first, last = tc.period_bounds(grain, today, shift)
    part = None if qualifier.startswith(("later", "earlier")) else _part(qualifier)
    if qualifier == "earlier":
        return _period(m, scene, (first, min(last, today - timedelta(days=1))), GRAINS[grain],
                       past=True)  # fmt: skip
    if qualifier == "later" and shift == 0:
        first = today + timedelta(days=1)
    elif qualifier.startswith("later"):
        part = "late"
    if part in ("early", "mid", "late"):
        first, last = tc.period_part(first, last, grain, part)
    return _period(m, scene, (first, last), GRAINS[grain], past=shift < 0)


def read_month(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
    """A month on its own: "in March", "early May", "end of March", "by June 2027"."""
    word, qualifier, year_text = scene.original(m, "mname"), tw.words_of(m["mqual"]), m["myear"]
    if not tc.month_word_ok(word) or not (qualifier or year_text or scene.whole):
        return None
    if word[0].isupper() and tg.PERSON_AFTER.match(scene.low, m.end()):
        return None  # "May said", "June will"
    month, today = tw.MONTHS.index(word[:3].lower()) + 1, scene.today
    past = qualifier in ("since", "back in", "last") or scene.said_in_past(m)
    year = _year_of(month, today.month, today.year, year_text, past=past, qualifier=qualifier)
    first, last = date(year, month, 1), tc.month_last(year, month)
    part = _part(qualifier)
    if part == "end":
        return _deadline_on(m, scene, last)
    if part is not None:
        first, last = tc.period_part(first, last, "month", part)
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


def read_quarter(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
    """A quarter, vague with a month grain: "Q1", "the third quarter"; "end of Q2" is a day."""
    qualifier, today = tw.words_of(m["qqual"]), scene.today
    number = (
        int(m["qn"][1]) if m["qn"] else tw.ORDINAL_WORDS.get(m["qord"].lower()) or int(m["qord"][0])
    )
    current, year_text = tc.quarter_of(today), (m["qy"] or "").lstrip("'’")
    past = qualifier == "last" or scene.said_in_past(m)
    year = _year_of(number, current, today.year, year_text, past=past, qualifier=qualifier)
    first, last = tc.period_bounds("quarter", date(year, number * 3, 1), 0)
    part = _part(qualifier)
    if part == "end":
        return _deadline_on(m, scene, last)
    if part is not None:
        first, last = tc.period_part(first, last, "quarter", part)
    expr = _period(m, scene, (first, last), Grain.MONTH, past=past)
    return _as_deadline(expr) if qualifier in ("by", "before") else expr


def read_week_of(m: Match[str], scene: tc.Scene) -> TimeExpression | None:
    """A week, vague: the Monday-start week around a date ("the week of Dec 7"), or the
    days 1-7, 8-14, 15-21, 22-28 or the last seven of a month ("the second week of May")."""
    if m["nth_month"]:
        word, today = scene.original(m, "nth_month"), scene.today
        if not (m["nth"] and tc.month_word_ok(word)):
            return None  # "the week of May" is no week
        month = tw.MONTHS.index(word[:3].lower()) + 1
        past = scene.said_in_past(m)
        year = _year_of(month, today.month, today.year, m["nth_year"], past=past, qualifier="")
        last_day = tc.month_last(year, month)
        number = _WEEK_NUMBERS[m["nth"]]
        first = date(year, month, 7 * number - 6) if number else last_day - timedelta(days=6)
        return _period(m, scene, (first, min(first + timedelta(days=6), last_day)), Grain.WEEK,
                       past=past)  # fmt: skip
    day = tc.read_date(m, "w", scene)
    if day is None:
        return None
    first = tc.week_start(day.day)
    return _period(m, scene, (first, first + timedelta(days=6)), Grain.WEEK, past=day.past)


def _as_deadline(expr: TimeExpression) -> TimeExpression:
    return replace(expr, deadline=True)


def read_vague(m: Match[str], scene: tc.Scene) -> TimeExpression:
    """Time with no period: "soon", "sometime", "after the holidays"; "the other day" is past."""
    return _expr(m, scene, None, grain=Grain.UNKNOWN, specific=False, past=bool(m["past"]))
