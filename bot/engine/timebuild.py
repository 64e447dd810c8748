"""Building a TimeExpression from a match: its exact text, and the values the rubric
gives a day, a deadline and a vague period. Shared by every reader of the time layer."""

from __future__ import annotations

from datetime import date, datetime
from re import Match
from typing import Any

from bot.engine import timecalendar as tc
from bot.engine.model import Grain, TimeExpression

DEADLINE_HOUR = 17  # "by Friday", "EOD", "end of week"
TONIGHT_HOUR = 21
_EDGE = " \t\r\n,"


def expr(
    match: Match[str], scene: tc.Scene, value: datetime | None, **fields: Any
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


def midnight(day: date, scene: tc.Scene) -> datetime:
    return tc.at(day, 0, 0, scene.zone)


def five_pm(day: date, scene: tc.Scene) -> datetime:
    return tc.at(day, DEADLINE_HOUR, 0, scene.zone)


def period(
    m: Match[str], scene: tc.Scene, span: tuple[date, date], grain: Grain, *, past: bool
) -> TimeExpression:
    """A vague period; one that has begun starts today."""
    first, last = span
    first = min(first, last)
    past = past or last < scene.today
    if not past and first <= scene.today <= last:
        first = scene.today
    return expr(
        m, scene, midnight(first, scene), end_value=tc.last_second(last, scene.zone),
        grain=grain, deadline=bool(m.groupdict().get("dl")), specific=False, past=past,
    )  # fmt: skip


def deadline_on(m: Match[str], scene: tc.Scene, day: date) -> TimeExpression:
    """A specific deadline at 17:00 on the day: "end of next week", "end of March"."""
    return expr(m, scene, five_pm(day, scene), grain=Grain.MINUTE, deadline=True,
                 specific=True, past=day < scene.today)  # fmt: skip
