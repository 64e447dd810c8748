"""The calendar time phrases name: wall times across DST, week and month bounds,
business days, and which calendar day the day groups of a match name ("next Tuesday",
"Jan 15", "the 3rd"), counted from the reference day of a ``Scene``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from re import Match

from bot.engine.timegrammar import (
    CLAUSE_BREAK,
    JUST_PASSED,
    LOOSE_PAST,
    PAST_CUE,
)
from bot.engine.timewords import (
    DAY_ORDINALS,
    MONTHS,
    WEEKDAY_NAMES,
    WEEKDAYS,
    words_of,
)

# ---------------------------------------------------------------------------- calendar


def at(day: date, hour: int, minute: int, zone: tzinfo, second: int = 0) -> datetime:
    """That wall time on that day in the zone; a time skipped by a DST change moves on."""
    local = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone)


def last_second(day: date, zone: tzinfo) -> datetime:
    return at(day, 23, 59, zone, 59)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_last(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """Calendar months later (earlier when negative), the day clamped to the month's end."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def period_bounds(grain: str, today: date, shift: int) -> tuple[date, date]:
    """First and last day of this (shift 0), next (1) or last (-1) week, weekend, month,
    quarter or year. Weeks start on Monday."""
    if grain in ("week", "weekend"):
        first = week_start(today) + timedelta(weeks=shift, days=5 if grain == "weekend" else 0)
        return first, first + timedelta(days=1 if grain == "weekend" else 6)
    if grain == "year":
        return date(today.year + shift, 1, 1), date(today.year + shift, 12, 31)
    months = 3 if grain == "quarter" else 1
    start = date(today.year, (today.month - 1) // months * months + 1, 1)
    first = add_months(start, shift * months)
    last = add_months(first, months - 1)
    return first, month_last(last.year, last.month)


_THIRDS = {"early": 0, "mid": 1, "late": 2}


def period_part(first: date, last: date, grain: str, part: str) -> tuple[date, date]:
    """The early, mid or late part of a period: Mon-Wed, Tue-Thu, Thu-Sun of a week;
    1-10, 11-20, 21-end of a month; the first, second or third month of a quarter and
    the same thirds (four months each) of a year."""
    third = _THIRDS[part]
    if grain in ("week", "weekend"):
        start, end = ((0, 2), (1, 3), (3, 6))[third]
        return first + timedelta(days=start), min(first + timedelta(days=end), last)
    if grain == "month":
        end_day = last if third == 2 else first.replace(day=10 + 10 * third)
        return first.replace(day=1 + 10 * third), end_day
    size = 1 if grain == "quarter" else 4
    start_month = add_months(first, third * size)
    end_month = add_months(start_month, size - 1)
    return start_month, month_last(end_month.year, end_month.month)


def end_of(grain: str, today: date, shift: int) -> date:
    """The day "end of week/month/quarter/year" names: Friday for a week (next week's
    when said on a weekend), the last day otherwise."""
    first, last = period_bounds(grain, today, shift)
    if grain != "week":
        return last
    friday = first + timedelta(days=4)
    return friday + timedelta(weeks=1) if shift == 0 and today.weekday() >= 5 else friday


def business_days_after(start: datetime, days: int) -> datetime:
    """``days`` business days after ``start`` (Saturday and Sunday skipped), at the same
    time of day; counted from a weekend, Monday is day one and the end is 17:00."""
    zone = start.tzinfo
    assert zone is not None
    day = start.date()
    weekend = day.weekday() >= 5
    if weekend:
        day -= timedelta(days=day.weekday() - 4)  # from a weekend, count as from Friday
    weeks, rest = divmod(days, 5)
    day += timedelta(weeks=weeks)
    while rest:
        day += timedelta(days=1)
        rest -= day.weekday() < 5
    if weekend:
        return at(day, 17, 0, zone)
    return at(day, start.hour, start.minute, zone, start.second)


OPENING_HOUR, CLOSING_HOUR = 9, 17  # a business day's working hours


def business_hours_after(start: datetime, hours: float) -> datetime:
    """``hours`` of working time (09:00 to 17:00, Monday to Friday) after ``start``."""
    zone = start.tzinfo
    assert zone is not None
    left = round(hours * 60)
    week = 5 * (CLOSING_HOUR - OPENING_HOUR) * 60  # any seven days hold one week's hours
    weeks = max(left - 1, 0) // week
    day, minute, left = start.date() + timedelta(weeks=weeks), start.hour * 60, left - weeks * week
    minute += start.minute
    while True:
        begin = max(minute, OPENING_HOUR * 60)
        room = CLOSING_HOUR * 60 - begin if day.weekday() < 5 else 0
        if left <= room:
            return at(day, *divmod(begin + left, 60), zone)
        left -= max(room, 0)
        day, minute = day + timedelta(days=1), 0


# ---------------------------------------------------------------------------- scene


@dataclass(frozen=True)
class Scene:
    """What a phrase is resolved against."""

    text: str
    low: str  # the text in lower case, what the patterns run over
    now: datetime  # the reference time, in the rep's zone
    tz: str
    zone: tzinfo
    whole: bool = False  # the text is one phrase: "Fri" or "March" alone is a time

    @property
    def today(self) -> date:
        return self.now.date()

    def said_in_past(self, match: Match[str]) -> bool:
        return PAST_CUE.search(self.low[max(0, match.start() - 60) : match.start()]) is not None

    def clause_in_past(self, match: Match[str]) -> bool:
        """A past-tense word earlier in the match's clause ("It was great to meet you
        at the breakfast on 27 March")."""
        before = self.low[max(0, match.start() - 120) : match.start()]
        clause = CLAUSE_BREAK.split(before)[-1]
        return LOOSE_PAST.search(clause) is not None

    def original(self, match: Match[str], group: str) -> str:
        """A group's words as written (the patterns see lower case)."""
        return self.text[match.start(group) : match.end(group)]


@dataclass(frozen=True)
class CalendarDay:
    day: date
    past: bool = False
    ambiguity: str | None = None
    pod: str | None = None  # "tonight", "afternoon" (from "this afternoon")
    same_weekday: bool = False  # a bare weekday said on that weekday: a week later
    abbreviated: bool = False  # "Sat", "wed": a day only with something around it
    framed: bool = False  # "on", "next", "this week" around a weekday


# ---------------------------------------------------------------------------- days
# What the day groups of ``day_pattern`` name, counted from the scene's today.


def read_day(m: Match[str], p: str, scene: Scene) -> CalendarDay | None:
    if m[p + "rel"]:
        return _relative_day(m[p + "rel"], scene)
    if m[p + "wd"]:
        return _weekday(m, p, scene)
    return read_date(m, p, scene)


_PART_OF_DAY_ENDS = {"morning": 12, "afternoon": 17, "evening": 21}


def _relative_day(words: str, scene: Scene) -> CalendarDay:
    key = words_of(words).removeprefix("the ")
    if key.startswith("in the "):  # "in the morning": this one, or tomorrow's once it is over
        later = scene.now.hour >= _PART_OF_DAY_ENDS[key[7:]]
        return CalendarDay(scene.today + timedelta(days=1 if later else 0), pod=key[7:])
    if key in ("today", "later today", "earlier today") or key.startswith(("this ", "toni")):
        offset = 0
    elif key.startswith(("tom", "tm")):
        offset = 1
    else:
        offset = {"yesterday": -1, "day before yesterday": -2, "day after tomorrow": 2}[key]
    pod = "tonight" if key.startswith("toni") else key[5:] if key.startswith("this ") else None
    past = offset < 0 or key == "earlier today"
    return CalendarDay(scene.today + timedelta(days=offset), past=past, pod=pod)


def _weekday(m: Match[str], p: str, scene: Scene) -> CalendarDay | None:
    word = scene.original(m, p + "wd").rstrip(".")
    target, today = WEEKDAYS.index(word[:3].lower()), scene.today
    mod = words_of(m[p + "mod"]).removeprefix("the ")
    mod = "next" if mod == "following" else mod  # "the following Friday": next week's
    week = words_of(m[p + "pre"] or m[p + "post"]).removeprefix("of ")
    monday, ahead = week_start(today), (target - today.weekday()) % 7
    ambiguity = None
    if week == "after next":
        day = today + timedelta(days=(ahead or 7) + 7)
    elif week:
        shift = {"this week": 0, "next week": 1, "last week": -1}[week]
        day = monday + timedelta(weeks=shift, days=target)
    elif mod == "next":
        day = monday + timedelta(weeks=1, days=target)
        if target > today.weekday():
            name = WEEKDAY_NAMES[target]
            ambiguity = f"'next {name}' is the {name} of next week, not this week's"
    elif mod == "this":
        day = today + timedelta(days=ahead)
    elif mod in ("last", "past"):
        day = today - timedelta(days=(today.weekday() - target) % 7 or 7)
    else:  # bare, "coming", "this coming": the next such day after today
        day = today + timedelta(days=ahead or 7)
    attached = read_date(m, p + "x", scene)
    if attached is not None:
        if attached.day.weekday() != target:
            ambiguity = (
                f"{attached.day:%B} {attached.day.day} is a {attached.day:%A}, "
                f"not a {WEEKDAY_NAMES[target]}; the date was used"
            )
        return CalendarDay(attached.day, past=attached.past, ambiguity=ambiguity, framed=True)
    # "Mon", "Wed", "Fri" written with a capital are days; lower case, or "Sat" and "Sun"
    # (words too: "Sat down with Jane"), need something around them.
    key = word.lower()
    abbreviated = not key.endswith("day") and (word.islower() or key in ("sat", "sun"))
    framed = bool(mod or week or m[p + "on"])
    if abbreviated and not framed and key in ("sat", "sun", "wed") and word.islower():
        return None  # "sat down", "the sun", "they wed"
    return CalendarDay(
        day, past=day < today, ambiguity=ambiguity, abbreviated=abbreviated, framed=framed,
        same_weekday=not (mod in ("next", "this", "last", "past") or week) and ahead == 0,
    )  # fmt: skip


def read_date(m: Match[str], p: str, scene: Scene) -> CalendarDay | None:
    if m[p + "odd"]:
        day = _odd_date(m[p + "odd"], scene.now, scene.tz)
        return CalendarDay(day, past=day < scene.today) if day else None
    if m[p + "iy"]:
        return _dated(int(m[p + "iy"]), int(m[p + "im"]), int(m[p + "id"]), m, scene)
    month_group = p + "mon" if m[p + "mon"] else p + "mon3" if m[p + "mon3"] else p + "mon2"
    if m[month_group]:
        month_word = scene.original(m, month_group)
        if not month_word_ok(month_word):
            return None
        year = m[p + "year"] or m[p + "year2"] if not m[p + "mon3"] else None
        month = MONTHS.index(month_word[:3].lower()) + 1
        spelled = m[p + "sord"] or m[p + "sord2"]
        day_number = DAY_ORDINALS[spelled] if spelled else int(m[p + "day"] or m[p + "day2"])
        return _dated(int(year) if year else None, month, day_number, m, scene)
    if m[p + "nm"]:
        year = m[p + "ny"]
        full_year = (int(year) + (2000 if len(year) == 2 else 0)) if year else None
        return _dated(full_year, int(m[p + "nm"]), int(m[p + "nd"]), m, scene)
    if m[p + "od"] or m[p + "sord3"]:
        return _ordinal(int(m[p + "od"]) if m[p + "od"] else DAY_ORDINALS[m[p + "sord3"]], m, scene)
    return None


def month_word_ok(word: str) -> bool:
    """Lower-case "may" is the modal verb, never the month."""
    return word[:3].lower() != "may" or word[:3] in ("May", "MAY")


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _dated(
    year: int | None, month: int, day: int, m: Match[str], scene: Scene
) -> CalendarDay | None:
    """A date; without a year, its next occurrence from today (the last one if said in past)."""
    today = scene.today
    if year is not None:
        found = _valid(year, month, day)
        return CalendarDay(found, past=found < today) if found else None
    if scene.said_in_past(m):
        for y in range(today.year, today.year - 9, -1):
            found = _valid(y, month, day)
            if found and found <= today:
                return CalendarDay(found, past=True)
        return None
    this_year = _valid(today.year, month, day)
    if this_year and today - JUST_PASSED <= this_year < today and scene.clause_in_past(m):
        return CalendarDay(this_year, past=True)  # "It was great to meet you on 27 March"
    for y in range(today.year, today.year + 9):
        found = _valid(y, month, day)
        if found and found >= today:
            return CalendarDay(found)
    return None


def _ordinal(number: int, m: Match[str], scene: Scene) -> CalendarDay | None:
    """A day of the month ("the 3rd"): the next one after today, the last one if said in past."""
    today, past = scene.today, scene.said_in_past(m)
    for k in range(13):
        first = add_months(today.replace(day=1), -k if past else k)
        found = _valid(first.year, first.month, number)
        if found and (found <= today if past else found > today):
            return CalendarDay(found, past=past)
    return None


@lru_cache(maxsize=512)
def _odd_date(phrase: str, base: datetime, tz: str) -> date | None:
    """dateparser for the rare formats the grammar only recognises ("3-Dec-2026")."""
    import dateparser  # slow to import and only needed for these

    settings = {
        "RELATIVE_BASE": base.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": tz,
    }
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None
