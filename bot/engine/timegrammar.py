"""The grammar of time phrases: the patterns the rules of bot.engine.timex run over a
sentence. Each is built from small pieces whose group names carry a prefix, so one piece
(a clock time, a day) can appear twice in a pattern ("2pm on Thursday", "Thursday at
2pm") without a clash.

Guards against false dates live in the patterns where they are local (a bare hour needs
"at", "the 3rd" must not be followed by a noun, "24/7" is not a date, "at the end of the
day" is an idiom) and in the readers where they need the whole match ("May said").
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.engine.timefilter import guard
from bot.engine.timewords import (
    NUMBER_WORDS,
)

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
    r"(?=\s*(?:$|[^\w\s]|w/|(?:o['’]?clock|sharp|today|tomorrow|tonight|on|this|next|and|or"
    r"|then|if|so|but|works?|would|could|is|it|with|for|to|your|my|our|their|please|ok|okay"
    r"|instead|good|fine|while|when|as|because|since|once|unless"
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
    meridiem = rf"(?P<{p}ah>{_HOUR12})(?:\.(?P<{p}am>[0-5]\d))?(?:-?ish)?(?P<{p}aap>{_AMPM})"
    meridiem += rf"|(?P<{p}wah>{_HOUR_WORD})(?P<{p}waap>{_FULL_AMPM})"
    spelled = rf"(?P<{p}sh>{_HOUR_WORD})[-\s](?P<{p}sm>{_MINUTE_WORD})(?![-\w])"
    spelled += rf"(?P<{p}sap>{_FULL_AMPM})?"
    hour = rf"(?:{_HOUR12}(?![\d:])|{_HOUR_WORD}|noon|midnight)"
    minutes = rf"(?:{_HOUR12}|[1-5]\d|{_MINUTE_WORD}|(?:a\s+)?quarter|half)"
    relative = rf"(?P<{p}mm>{minutes})(?:\s+min(?:ute)?s?)?\s+(?P<{p}mrel>to|till|til|past|after"
    relative += r"|(?<=minutes\s)from|(?<=mins\s)from)"
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
    # "make it 11", "how about 3?": words that frame an hour as "at" does.
    framing = r"(?<=\bmake it )|(?<=\bhow about )|(?<=\bwhat about )|(?<=\bshall we say )"
    bare = rf"(?({p}at)|(?:{framing}|{framed})){bare_hour}"
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
        counted = "".join(rf"(?<!\b{w}\s)" for w in _COUNTED_BY)  # "we have 3 tomorrow"
        forms.append(rf"{counted}(?P<{p}dh>{_HOUR12}|{_HOUR_WORD})(?={_DAY_NEXT})")
    return rf"{at}(?<![\d:/.$,-])(?:{'|'.join(forms)})"


# Words after which a number counts things, not hours: "we have 3 tomorrow".
_COUNTED_BY = ("have", "has", "had", "got", "top", "the", "all", "another", "only", "are")
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
    prefix_pattern("") + rf"(?:the\s+)?(?P<odn>{_ORDINAL_DAY})(?:\s+day)?\s+of\s+(?:the\s+)?"
    rf"(?P<omrel>{_MONTH_REL})\s+month\b"
)
# "the first Monday of this month", "last Friday in October", "third Thursday of January".
NTH_WEEKDAY = (
    prefix_pattern("")
    + r"(?:the\s+)?(?P<nwn>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+"
    r"(?P<nwd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed"
    r"|thu(?:rs?)?|fri|sat|sun)\b\s+(?:of|in)\s+(?:(?:the\s+)?(?P<nwrel>"
    + _MONTH_REL
    + rf")\s+month\b|the\s+month\b|(?P<nwmon>{_MONTH})(?:,?\s+(?P<nwyear>{_YEAR}))?)"
)
# "3 Fridays from now", "two Tuesdays hence".
WEEKDAYS_AHEAD = (
    prefix_pattern("")
    + rf"(?P<wcn>{_NUMBER})\s+(?P<wcd>monday|tuesday|wednesday|thursday|friday|saturday"
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
    starts, ten times faster than at every character, and only where a word the
    pattern can begin with starts (a guard read off the pattern itself)."""
    return re.compile(r"(?<!\w)(?=[\w@])" + guard(pattern) + "(?:" + pattern + ")")


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
