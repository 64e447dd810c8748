"""The words of time phrases, the grammar that finds them, and the calendar they name.

- Vocabulary: weekdays, months, number words, units, zone names.
- Grammar: the compiled patterns ``bot.engine.timex`` runs over a sentence. Each is built
  from small pieces whose group names carry a prefix, so one piece (a clock time, a day)
  can appear twice in a pattern ("2pm on Thursday", "Thursday at 2pm") without a clash.
- Calendar arithmetic: wall times across DST, week and month bounds, business days.
- Days: which calendar day the day groups of a match name ("next Tuesday", "Jan 15",
  "the 3rd"), counted from the reference day of a ``Scene``.

Guards against false dates live in the patterns where they are local (a bare hour needs
"at", "the 3rd" must not be followed by a noun, "24/7" is not a date, "at the end of the
day" is an idiom) and in the readers where they need the whole match ("May said").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from re import Match
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_ORDINAL_UNITS = ("first second third fourth fifth sixth seventh eighth ninth").split()
# "first" to "thirty-first": the days of a month in words.
DAY_ORDINALS = {
    **{w: i for i, w in enumerate(_ORDINAL_UNITS, start=1)},
    **{w: i for i, w in enumerate(("tenth eleventh twelfth thirteenth fourteenth fifteenth "
                                   "sixteenth seventeenth eighteenth nineteenth").split(), 10)},
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


# ---------------------------------------------------------------------------- pieces

_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)\b(?:\.(?=\s*(?:\d|@|at\b|the\b)))?"
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b(?:\.(?=\s*\d))?"
)
_DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_AMPM = r"(?:\s?[ap]\.\s?m\.|\s?[ap]\.?\s?m\b|[ap]\b)"
_HOUR12 = r"(?:1[0-2]|0?[1-9])"
_HOUR_WORD = r"(?:eleven|twelve|three|seven|eight|four|five|nine|one|two|six|ten)\b"
_UNIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_MINUTE_WORD = (
    rf"(?:(?:twenty|thirty|forty|fifty)(?:[-\s]{_UNIT_WORD})?|eleven|twelve|thirteen|fourteen"
    rf"|fifteen|sixteen|seventeen|eighteen|nineteen|ten|(?:o|oh|zero)[-\s]{_UNIT_WORD})\b"
)
_DAY_ORDINAL = (
    r"(?:twenty-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirty-first"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth"
    r"|twentieth|thirtieth)\b"
)
_FULL_AMPM = r"(?:\s?[ap]\.\s?m\.|\s?[ap]\.?\s?m\b)"
_NUMBER = r"\d+(?:\.\d+)?|" + "|".join(
    sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)
)
_FRACTION = r"(?:(?:a|one)\s+)?(?:half|quarter|three[-\s]quarters)(?:\s+of)?(?:\s+an?)?|[13]/4|1/2"
_COUNT = (
    rf"(?:a\s+)?(?:couple(?:\s+(?:of|more))?|few(?:\s+more)?)|several|{_FRACTION}"
    rf"|(?:{_NUMBER})(?:\s+and\s+an?\s+half|\s+more)?"
)
_UNIT = (
    r"(?:(?:business|working|work)\s+(?:days?|hours?)|hours?|hrs?|h|minutes?|mins?"
    r"|days?|weeks?|wks?|fortnights?|months?|years?|yrs?)\b"
)
_ZONE = (
    r"(?:et|est|edt|ct|cst|cdt|mt|mst|mdt|pt|pst|pdt|bst|cet|cest|ist|jst|sgt|hkt"
    r"|aest|aedt)\b|(?:gmt|utc)(?:\s?[+-]\s?\d{1,2}(?::?\d\d)?)?(?![\w+-])"
    r"|(?:eastern|central|mountain|pacific)(?:\s+(?:standard|daylight))?(?:\s+time)?\b"
    r"|(?:london|uk|new\s+york|ny|chicago|denver|la|san\s+francisco|sf|seattle|toronto"
    r"|vancouver|dublin|paris|berlin|amsterdam|madrid|india|tokyo|singapore|hong\s+kong"
    r"|sydney|melbourne)\s+time\b"
)
# What may follow a bare hour ("at 3") for it to be a time and not a count ("at 3 of 5").
_BARE_FOLLOW = (
    r"(?=\s*(?:$|[^\w\s]|(?:o['’]?clock|sharp|today|tomorrow|tonight|on|this|next|and|or"
    r"|then|if|so|but|works?|would|could|is|it|with|for|to|your|my|our|their|please|ok|okay"
    r"|instead|good|fine"
    r"|in\s+the|(?:mon|tue|wed|thu|fri|sat|sun)\w*|[ecmp][sd]?t|gmt|utc|bst|cet"
    r"|eastern|central|mountain|pacific|london)\b))"
)
# What may follow "the 3rd" for it to be a date and not an ordinal ("the 3rd call").
_ORDINAL_FOLLOW = (
    r"(?=\s*(?:$|[^\w\s]|\d|(?:at|@|of|by|or|and|is|works|would|could|will|should|then"
    r"|instead|for|if|so|but|with|ok|okay|in\s+the|morning|afternoon|evening|next|this"
    r"|noon)\b))"
)


# "the 1st or 2nd week": an ordinal in a series before a noun is not a date.
_NOT_A_SERIES = (
    r"(?!\s*(?:or|and|to|-|–)\s*\d{1,2}(?:st|nd|rd|th)\s+(?:week|month|quarter|half|round|time"
    r"|call|meeting|option|place|choice|one|floor|year)s?\b)"
)


def clock_pattern(p: str) -> str:
    """A clock time: '2pm', '2 p.m.', '2p', '14:00', '2:30', 'at 2', '2-3pm', 'noon', 'EOD',
    'five-thirty', 'at three', 'quarter to ten', '20 minutes past 3pm'. Before a day (the
    "a" clock) or after one ("b"), "around 7" and "9 tomorrow" are hours too."""
    # "at" after a form of "to be" counts ("we're at 3 of 5"): no bare hour then.
    be = r"(?<!['’]re\s)(?<!\bare\s)(?<!\bis\s)(?<!['’]s\s)(?<!\bwas\s)(?<!\bwere\s)"
    be += r"(?<!['’]m\s)(?<!\bam\s)(?<!currently\s)(?<!\bstill\s)"
    at = rf"(?:(?<![\w@.])(?:(?P<{p}at>{be}at|@)|(?P<{p}to>to)|(?P<{p}near>around|about"
    at += r"|approximately|approx\.?)"
    at += rf"|(?P<{p}by>by|before|no\s+later\s+than))\s*)?"
    span = rf"(?P<{p}rh>{_HOUR12})(?::(?P<{p}rm>[0-5]\d))?(?P<{p}rap>{_AMPM})?\s*(?:-|–|to)\s*"
    span += rf"(?P<{p}rh2>{_HOUR12})(?::(?P<{p}rm2>[0-5]\d))?(?P<{p}rap2>{_AMPM})"
    colon = rf"(?<![\d:\[])(?P<{p}ch>2[0-3]|[01]?\d):(?P<{p}cm>[0-5]\d)(?:(?=:[0-5]\d{_AMPM}):[0-5]\d)?(?![\d:\]])"
    colon += rf"(?P<{p}cap>{_AMPM})?"
    meridiem = rf"(?P<{p}ah>{_HOUR12})(?:\.(?P<{p}am>[0-5]\d))?(?P<{p}aap>{_AMPM})"
    meridiem += rf"|(?P<{p}wah>{_HOUR_WORD})(?P<{p}waap>{_FULL_AMPM})"
    spelled = rf"(?P<{p}sh>{_HOUR_WORD})[-\s](?P<{p}sm>{_MINUTE_WORD})(?![-\w])"
    spelled += rf"(?P<{p}sap>{_FULL_AMPM})?"
    hour = rf"(?:{_HOUR12}(?![\d:])|{_HOUR_WORD}|noon|midnight)"
    minutes = rf"(?:{_HOUR12}|[1-5]\d|{_MINUTE_WORD}|(?:a\s+)?quarter|half)"
    relative = rf"(?P<{p}mm>{minutes})(?:\s+min(?:ute)?s?)?\s+(?P<{p}mrel>to|till|til|past|after)"
    relative += rf"\s+(?P<{p}mh>{hour})(?P<{p}map>{_AMPM})?"
    word = (
        rf"(?P<{p}word>(?:12\s+)?noon|mid[-\s]?day|midnight|lunch\s?time"
        r"|(?<!\bat\s)(?<!\bat\sthe\s)(?:the\s+)?end\s+of\s+(?:the\s+)?(?:business\s+)?day"
        r"|(?:the\s+)?(?:end|close)\s+of\s+(?:business|play)|eod|cob|eob"
        r"|first\s+thing(?:\s+in\s+the\s+morning)?)\b"
    )
    oclock = rf"(?P<{p}oh>{_HOUR12}|{_HOUR_WORD})\s*o['’]?clock\b(?P<{p}oap>{_FULL_AMPM})?"
    bare_hour = rf"(?P<{p}bh>{_HOUR12}(?![\d:.,]?\d)|{_HOUR_WORD}(?![-\s]{_MINUTE_WORD}))"
    bare_hour += _BARE_FOLLOW
    framed = rf"(?({p}near)|(?!))" if p in "ab" else "(?!)"
    bare = rf"(?({p}at)|{framed}){bare_hour}"
    # "3 in the morning", "8 in the evening": an hour with its part of the day.
    bare += rf"|(?P<{p}ph>{_HOUR12}|{_HOUR_WORD})(?=\s+in\s+the\s+(?:{_POD}|am|pm)\b)"
    # "930am", "at 1030", "around 730": hour and minutes without the colon.
    compact = rf"(?<![\d,.$#-])(?P<{p}kh>1[0-2]|0?[1-9])(?P<{p}km>[0-5]\d)(?![\d,./:-]\d|[-–/]|\d)"
    compact += rf"(?:ish)?(?:(?P<{p}kap>{_FULL_AMPM})"
    compact += rf"|(?({p}at)|(?({p}near)|(?!))){_BARE_FOLLOW})"
    # "9:30 - 11:00", "from 3:30 to six p.m.", "between 9:30 and 11": a time range.
    start = rf"(?P<{p}xh>{_HOUR12})(?::(?P<{p}xm>[0-5]\d))?(?P<{p}xap>{_AMPM})?"
    end = rf"(?P<{p}xh2>{_HOUR12}|{_HOUR_WORD})(?::(?P<{p}xm2>[0-5]\d))?(?P<{p}xap2>{_AMPM})?"
    joint = r"\s*(?:-|–|to|till|until|untill|thru|through)\s*"
    ranges = rf"(?:from\s+)?{start}{joint}{end}|between\s+{start.replace('P<' + p + 'x', 'P<' + p + 'y')}"
    ranges += rf"\s+and\s+{end.replace('P<' + p + 'x', 'P<' + p + 'y')}"
    forms = [span, ranges, colon, compact, meridiem, spelled, relative, word, oclock, bare]
    if p == "a":  # "9 tomorrow", "8 tonight", "10 Monday morning": an hour right before its day
        forms.append(rf"(?<!\btop\s)(?<!\bthe\s)(?P<{p}dh>{_HOUR12}|{_HOUR_WORD})(?={_DAY_NEXT})")
    return rf"{at}(?<![\d:/.$,-])(?:{'|'.join(forms)})"


# What a bare hour may stand right before ("9 tomorrow", "8 this evening", "3 Friday
# afternoon"): a relative day, or a weekday with its part of the day.
_DAY_NEXT = (
    r"\s+(?:tomorrow|tmrw|tonight|tonite|today|this\s+(?:morning|afternoon|evening)"
    r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\s+(?:morning|afternoon"
    r"|evening|night))\b"
)


def zone_pattern(p: str) -> str:
    return rf"(?:\s*\(?(?P<{p}tz>{_ZONE})\)?)?"


def date_pattern(p: str, *, loose: bool = False) -> str:
    """A calendar date: 'Jan 15', '15th of January 2027', '12/3', '2026-12-03', 'the 3rd'."""
    odd = rf"(?P<{p}odd>{_DAYNUM}-(?:{_MONTH})-(?:\d{{4}}|\d\d)(?!\d)"
    odd += rf"|{_MONTH}\s*{_DAYNUM}(?:st|nd|rd|th)?,?\s*['’]\d\d(?!\d))"
    iso = rf"(?<![\d-])(?P<{p}iy>{_YEAR})-(?P<{p}im>0[1-9]|1[0-2])-(?P<{p}id>0[1-9]|[12]\d|3[01])"
    iso += r"(?![\d-])"
    month_day = rf"(?P<{p}mon>{_MONTH})\s*(?:the\s+)?(?P<{p}day>{_DAYNUM})(?:st|nd|rd|th)?\b"
    month_day += rf"(?!\s*(?:%|:\d))(?:,?\s*(?P<{p}year>{_YEAR}))?"
    month_day += (
        rf"|(?P<{p}mon3>{_MONTH})\s+(?:the\s+)?(?P<{p}sord2>{_DAY_ORDINAL}){_ORDINAL_FOLLOW}"
    )
    day_month = rf"(?:the\s+)?(?<![\d.,$/:-])(?:(?P<{p}day2>{_DAYNUM})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    day_month += rf"|(?P<{p}sord>{_DAY_ORDINAL})(?:\s+day)?\s+of\s+)"
    day_month += rf"(?P<{p}mon2>{_MONTH})(?:,?\s*(?P<{p}year2>{_YEAR}))?"
    numeric = r"(?<!\bscore\s)(?<!\brated\s)(?<!\bpage\s)(?<![\d/.$:,-])"
    numeric += rf"(?P<{p}nm>1[0-2]|0?[1-9])/(?P<{p}nd>3[01]|[12]\d|0?[1-9])"
    numeric += rf"(?:/(?P<{p}ny>(?:19|20)?\d\d))?(?![\d/%]|[.,]\d)(?!\s*(?:of|an?|hours?|hrs?"
    numeric += r"|days?|weeks?|months?|years?|mins?|minutes?|cups?|miles?|off|times|stars?|would"
    numeric += r"|rating|score)\b)"
    the = r"(?:the\s+)?" if loose else r"the\s+"
    ordinal = rf"{the}(?P<{p}od>{_DAYNUM})(?:st|nd|rd|th)\b{_ORDINAL_FOLLOW}{_NOT_A_SERIES}"
    ordinal += rf"|(?<=\bon\s)the\s+(?P<{p}sord3>{_DAY_ORDINAL}){_ORDINAL_FOLLOW}"
    return f"(?:{odd}|{iso}|{month_day}|{day_month}|{numeric}|{ordinal})"


def weekday_pattern(p: str) -> str:
    """'Tuesday', 'next Tues', 'Tuesday next week', 'Thursday the 26th', 'Thu, Nov 26'."""
    week = r"next\s+week|this\s+week|last\s+week"
    pre = rf"(?:(?P<{p}pre>{week})\s*,?\s*(?:on\s+)?)?"
    mod = rf"(?:(?P<{p}mod>this\s+coming|this|next|last|coming|past|(?:the\s+)?following)\s+)?"
    name = rf"(?<![\w'’])(?P<{p}wd>{_WEEKDAY})"
    post = rf"(?:\s*,?\s*(?P<{p}post>after\s+next|(?:of\s+)?(?:{week})))?"
    attached = rf"(?:\s*,?\s*{date_pattern(p + 'x', loose=True)})?"
    return pre + mod + name + post + attached


def relative_day_pattern(p: str) -> str:
    return (
        rf"(?P<{p}rel>(?:the\s+)?day\s+after\s+tomorrow|(?:the\s+)?day\s+before\s+yesterday"
        r"|(?:later|earlier)\s+today|today|tonight|tonite|tomorrow|tomorow|tommorow|tommorrow"
        r"|tmrw|tmr|yesterday|(?:this|in\s+the)\s+(?:morning|afternoon|evening))\b"
    )


def day_pattern(p: str) -> str:
    return rf"(?P<{p}on>on\s+)?(?:{relative_day_pattern(p)}|{weekday_pattern(p)}|{date_pattern(p)})"


_POD = r"morning|afternoon|evening|night"
_DEADLINE = (
    r"by|before|no\s+later\s+than|not\s+later\s+than|due(?:\s+(?:by|on))?|ahead\s+of|prior\s+to"
)


def prefix_pattern(p: str) -> str:
    """'by', 'no later than', 'sometime' in front of a phrase."""
    return rf"(?:\b(?:(?P<{p}dl>{_DEADLINE})|(?P<{p}some>some\s?time|any\s?time))\s+)?"


# ---------------------------------------------------------------------------- patterns

# Patterns run over the lower-cased sentence (see ``lower``): matching without
# IGNORECASE is several times faster. Where case matters ("May" the month, "may" the
# verb; "Sat" the day, "sat" the verb), timex reads the original text at the same span.

# A day, with a clock time before or after it: "Tuesday at 2pm ET", "noon Thursday".
DATETIME = (
    prefix_pattern("")
    + rf"(?:(?P<aclock>{clock_pattern('a')}){zone_pattern('a')}\s*,?\s*)?"
    + day_pattern("d")
    + rf"(?:\s*,?\s*(?:in\s+the\s+)?(?P<dpod>{_POD}|am\b|pm\b))?"
    + rf"(?(aclock)|(?:\s*,?\s*{clock_pattern('b')}{zone_pattern('b')}"
    + rf"(?:\s*,?\s*(?:in\s+the\s+)?(?P<bpod>{_POD})\b)?)?)"
)
# A clock time on its own: "at 2pm", "by 4pm", "EOD", "9 in the morning".
CLOCK = (
    prefix_pattern("")
    + clock_pattern("c")
    + zone_pattern("c")
    + rf"(?:\s*,?\s*(?:in\s+(?:the\s+)?)?(?P<cpod>{_POD}|am|pm)\b)?"
)
# "end of (next) week", "EOM", "by the end of the month".
END_OF = (
    prefix_pattern("")
    + r"(?:(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:(?P<erel>this|next|last|current|coming|following|upcoming)\s+)?"
    + r"(?P<egrain>week|month|quarter|year)\b|(?P<eabbr>eow|eom|eoq|eoy)\b"
    + r"|(?:the\s+)?(?P<eend>month|quarter|year)[\s-]end\b)"
)
# "next week", "early next month", "later this week", "the week after next".
PERIOD = (
    prefix_pattern("")
    + r"(?:(?P<qual>early|earlier|mid|middle\s+of|late|later|(?:the\s+)?(?:start|beginning"
    + r"|middle|rest|remainder)\s+of|over|during|throughout)(?:\s+in)?[\s-]+)?"
    + r"(?:(?:the\s+)?(?P<rel>this|next|last|past|previous|coming|following|current|upcoming)\s+|(?P<the>the)\s+)"
    + r"(?P<grain>week|month|quarter|qtr|year|weekend|week-end)\b(?P<after>\s+after\s+next)?"
)
# A month on its own: "in March", "early May", "end of March", "March 2027".
MONTH = (
    r"\b(?:(?P<mqual>(?:in\s+)?(?:early|mid|late)|(?:the\s+)?(?:start|beginning|end|middle)"
    + r"\s+of|some\s?time\s+in|back\s+in|in|during|over|until|through|since|by|before|this"
    + r"|next|last)[\s-]+)?(?P<mname>"
    + _MONTH
    + rf")(?:,?\s+(?P<myear>{_YEAR}))?"
)
QUARTER = (
    r"\b(?:(?P<qqual>(?:the\s+)?(?:start|beginning|end|middle)\s+of|early|mid|late|in"
    + r"|during|by|before|until|for|last|next|this)[\s-]+)?(?:(?P<qn>q[1-4])|(?P<qord>first"
    + rf"|second|third|fourth|1st|2nd|3rd|4th)\s+(?:quarter|qtr))(?:\s*(?:of\s+)?(?P<qy>{_YEAR}"
    + r"|['’]\d\d))?\b"
)
# "the week of Dec 7"; "the second week of December".
WEEK_OF = (
    prefix_pattern("")
    + r"(?:the\s+)?(?:(?P<nth>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+)?week\s+of\s+"
    + rf"(?:(?P<nth_month>{_MONTH})(?:,?\s+(?P<nth_year>{_YEAR}))?(?!\s*\d)|{date_pattern('w', loose=True)})"
)
# "in 3 days", "within 48 hours", "two weeks from now", "3 weeks ago".
RELATIVE = (
    r"\b(?:(?P<win>within(?:\s+the\s+next)?|in\s+the\s+next|over\s+the\s+next|in\s+under"
    + r"|inside(?:\s+of)?|in\s+less\s+than|no\s+more\s+than)\s+|(?P<into>in(?:\s+another"
    + r"|\s+about|\s+around)?)\s+)?"
    + rf"(?P<n>{_COUNT})(?:\s*(?:-|–|to|or)\s*(?P<n2>{_NUMBER}))?\s*(?<![a-z])(?P<unit>{_UNIT})"
    + r"(?P<half>\s+and\s+a\s+half\b)?(?:['’]?s?\s+time\b)?"
    + r"(?:\s+(?P<tail>from\s+(?:right\s+)?(?:now|today|tomorrow)|hence|out|ago|back)\b)?"
    + rf"(?:\s*,?\s*{clock_pattern('r')}{zone_pattern('r')})?"
    + r"|\bwithin\s+the\s+(?P<the_unit>hour|day|week|month)\b"
)
_ORDINAL_DAY = (
    r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)|first|second|third|fourth|fifth|sixth"
    r"|seventh|eighth|ninth|tenth|eleventh|twelfth|fifteenth|twentieth|thirtieth"
)
_MONTH_REL = r"this|next|current|following|coming|previous|last"
# "end of tomorrow", "by the end of Friday": that day at 17:00.
END_OF_DAY = prefix_pattern("") + r"(?:the\s+)?end\s+of\s+" + day_pattern("e")
# "the 20th of next month", "20 of this month", "the 20th day of the following month".
DAY_OF_MONTH = (
    rf"(?:the\s+)?(?P<odn>{_ORDINAL_DAY})(?:\s+day)?\s+of\s+(?:the\s+)?"
    rf"(?P<omrel>{_MONTH_REL})\s+month\b"
)
# "the first Monday of this month", "last Friday in October", "third Thursday of January".
NTH_WEEKDAY = (
    r"(?:the\s+)?(?P<nwn>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+"
    r"(?P<nwd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed"
    r"|thu(?:rs?)?|fri|sat|sun)\b\s+(?:of|in)\s+(?:(?:the\s+)?(?P<nwrel>"
    + _MONTH_REL
    + rf")\s+month\b|the\s+month\b|(?P<nwmon>{_MONTH})(?:,?\s+(?P<nwyear>{_YEAR}))?)"
)
# "3 Fridays from now", "two Tuesdays hence".
WEEKDAYS_AHEAD = (
    rf"(?P<wcn>{_NUMBER})\s+(?P<wcd>monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday)s\s+(?:from\s+(?:now|today)|hence)\b"
)
_PAST_VAGUE = r"the\s+other\s+day|a\s+while\s+(?:ago|back)|recently"
VAGUE = (
    rf"\b(?:(?P<past>{_PAST_VAGUE})|soon(?:er)?|shortly|asap|as\s+soon\s+as\s+possible"
    r"|before\s+long|some\s?time(?:\s+soon)?|at\s+some\s+point|one\s+of\s+these\s+days"
    r"|down\s+the\s+(?:road|line)|in\s+the\s+(?:near\s+|not\s+too\s+distant\s+)?future"
    r"|(?:in|over)\s+the\s+(?:coming|next)\s+(?:(?:few|couple(?:\s+of)?)\s+)?(?:days|weeks"
    r"|months)|(?:in|within)\s+a\s+(?:day|week|month)\s+or\s+(?:two|so)"
    r"|in\s+a\s+(?:bit|while|moment|minute|sec|second|jiffy|little\s+while)|later(?:\s+on)?"
    r"|after\s+the\s+(?:break|summer)|(?:after|before|around|over|by|until|post|pre)[\s-]+(?:the"
    r"\s+holidays?|thanksgiving|christmas|xmas|the\s+new\s+year|new\s+year['’]?s?|easter)"
    r"|over\s+the\s+holidays|(?:in|over|during)\s+the\s+(?:spring|summer|fall|autumn|winter)"
    r"|this\s+(?:spring|summer|fall|autumn|winter)|eventually)\b"
)


def compiled(pattern: str) -> re.Pattern[str]:
    """A rule's pattern as the time layer runs it: tried only where a word (or "@")
    starts, ten times faster than at every character."""
    return re.compile(r"(?<!\w)(?=[\w@])(?:" + pattern + ")")


# What makes "2:30" or "3p" on its own a time: "Does 2:30 work?", "2:30 it is".
TIME_FOLLOW = re.compile(_BARE_FOLLOW)

# A past-tense verb just before a date without a year: "we met in March", "signed on the 3rd".
PAST_CUE = re.compile(
    r"\b(?:met|spoke|talked|chatted|signed|started|launched|kicked\s+off|went\s+live|joined"
    r"|visited|closed|bought|discussed|happened|began|ended|finished|completed|delivered"
    r"|renewed|hired|onboarded|was|were|did|had|sent|emailed|called|moved\s+in)"
    r"(?:\s+(?:it|them|this|that|him|her|you|us|me|again|first|back|up|off|live))?"
    r"\s+(?:on|in|around|during|back\s+in|at\s+the\s+(?:start|end|beginning)\s+of)?\s*$"
)
# Any past tense in a clause, for a date that has just passed (see ``Scene``).
LOOSE_PAST = re.compile(
    r"\b(?:was|were|had|did|met|spoke|sent|saw|went|came|got|took|made|gave|told|said"
    r"|\w{3,}ed)\b"
)
CLAUSE_BREAK = re.compile(r"[.;!?\n]")
JUST_PASSED = timedelta(days=62)  # a date this recent is not next year's in a past clause
# Words that make "May", "June" or "April" a person: "May said", "June will".
PERSON_AFTER = re.compile(
    r"\s*(?:said|says|mentioned|will|would|is|was|asked|from|thinks|wants|has|had|can|could"
    r"|should|told|agreed|confirmed|['’]s)\b"
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
