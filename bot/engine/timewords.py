"""The words of time phrases: weekdays, months, number words, units and zone names.

bot.engine.timegrammar builds the patterns from these words; bot.engine.timecalendar
names the days they mean. Everything is lower case where patterns read it.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_ORDINAL_UNITS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
]
# "first" to "thirty-first": the days of a month in words.
DAY_ORDINALS = {
    **{w: i for i, w in enumerate(_ORDINAL_UNITS, start=1)},
    **{w: i for i, w in enumerate(["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"], 10)},
    "twentieth": 20, "thirtieth": 30,
    **{f"twenty-{w}": 20 + i for i, w in enumerate(_ORDINAL_UNITS, start=1)},
    "thirty-first": 31,
}  # fmt: skip

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "another": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90,
    "twenty-four": 24, "thirty-six": 36, "forty-eight": 48, "seventy-two": 72,
}  # fmt: skip
# Hours and minutes in words, for clock times: "five-thirty", "quarter to ten".
HOUR_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ],
        start=1,
    )
}
_TEENS = {
    w: i
    for i, w in enumerate(
        [
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ],
        start=10,
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
# Fractions that count an hour: "half an hour", "a quarter of an hour".
FRACTION_WORDS = {"half": 0.5, "quarter": 0.25, "three quarters": 0.75, "three-quarters": 0.75,
                  "1/2": 0.5, "1/4": 0.25, "3/4": 0.75}  # fmt: skip


def spelled_minutes(text: str) -> int | None:
    """'thirty' -> 30, 'forty-five' -> 45, 'oh five' -> 5, 'fifteen' -> 15, '07' -> 7."""
    words = text.lower().replace("-", " ").replace("'", " ").split()
    if not words:
        return None
    if words[0].isdigit():
        return int(words[0])
    if words[0] in ("o", "oh", "zero"):
        return HOUR_WORDS.get(words[1]) if len(words) == 2 and words[1] in HOUR_WORDS else None
    if len(words) == 1:
        return _TEENS.get(words[0], _TENS.get(words[0]))
    tens, unit = _TENS.get(words[0]), HOUR_WORDS.get(words[1])
    return tens + unit if tens is not None and unit is not None and unit < 10 else None


def hour_number(text: str) -> int:
    """'3' -> 3, 'three' -> 3."""
    word = text.lower()
    return int(word) if word.isdigit() else HOUR_WORDS[word]


# Counts that are not numbers: (fewest, most) of the unit they count.
VAGUE_COUNTS = {"couple": (2, 3), "few": (2, 4), "several": (3, 7)}

# A zone written after a clock time, as people write them. EST/PST and friends mean the
# region's local time all year ("2pm EST" in July is 2pm New York time), so they map to
# the region, not to a fixed offset. IST is read as India.
ZONES = {
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "eastern": "America/New_York", "new york": "America/New_York", "ny": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
    "central": "America/Chicago", "chicago": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "mountain": "America/Denver", "denver": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "la": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles", "sf": "America/Los_Angeles",
    "seattle": "America/Los_Angeles", "toronto": "America/Toronto",
    "vancouver": "America/Vancouver", "gmt": "UTC", "utc": "UTC", "bst": "Europe/London",
    "london": "Europe/London", "uk": "Europe/London", "dublin": "Europe/Dublin",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "paris": "Europe/Paris",
    "berlin": "Europe/Berlin", "amsterdam": "Europe/Amsterdam", "madrid": "Europe/Madrid",
    "ist": "Asia/Kolkata", "india": "Asia/Kolkata", "jst": "Asia/Tokyo", "tokyo": "Asia/Tokyo",
    "sgt": "Asia/Singapore", "singapore": "Asia/Singapore", "hkt": "Asia/Hong_Kong",
    "hong kong": "Asia/Hong_Kong", "aest": "Australia/Sydney", "aedt": "Australia/Sydney",
    "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne",
}  # fmt: skip


def words_of(text: str | None) -> str:
    """Lower case, single spaces: "Next  Week" -> "next week"."""
    return " ".join(text.lower().split()) if text else ""


def unit_of(word: str) -> str:
    """'hrs' -> 'hour', 'business days' -> 'business_day', 'wks' -> 'week'."""
    word = " ".join(word.lower().split())
    if " " in word:
        return "business_hour" if "hour" in word else "business_day"
    if len(word) > 1:
        word = word.removesuffix("s")
    return {"h": "hour", "hr": "hour", "min": "minute", "wk": "week", "yr": "year"}.get(word, word)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lower(text: str) -> str:
    """The text in lower case, every character at its own offset."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


_OFFSET = re.compile(r"(?:gmt|utc)\s?([+-])\s?(\d{1,2})(?::?(\d\d))?")


def zone_named(words: str) -> tzinfo | None:
    """'ET' -> America/New_York, 'Pacific time' -> America/Los_Angeles, 'GMT+1' -> +01:00."""
    key = " ".join(words.lower().replace("(", " ").replace(")", " ").split())
    for noise in (" standard", " daylight", " time"):
        key = key.replace(noise, "")
    offset = _OFFSET.fullmatch(key)
    if offset:
        sign, hours, minutes = offset[1], int(offset[2]), int(offset[3] or 0)
        if hours > 14 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    name = ZONES.get(key)
    return ZoneInfo(name) if name else None
