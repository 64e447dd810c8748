"""Convert Duckling's English time corpus into nextstep's time-phrase test table.

    git -C DUCKLING_CHECKOUT show HEAD:Duckling/Time/EN/Corpus.hs > Corpus.hs
    python benchmarks/duckling/convert.py Corpus.hs > tests/data/duckling/en_time.jsonl

(the table in the repository was made from commit 2c226585af5b.)

Corpus.hs (facebook/duckling, BSD licence; the notice is kept in
tests/data/duckling/LICENSE) lists phrases under the value each resolves to, relative to
Tuesday 12 February 2013, 04:30 at UTC-02:00 (``testContext``; ``diffContext`` is Friday
15 February). Every phrase becomes one JSON line:

    {"text", "section", "reference_time", "tz", "kind", "grain", "value", "end",
     "subset", "excluded", "rubric"}

``subset`` marks the future-scheduling cases: phrases a rep could use for a next step's
time (future dates, weekdays, times of day, relative days, deadlines, "in N ..."). The
rest keep the reason they are left out in ``excluded``:

- ``latent``: Duckling finds these only with its latent option ("7", "May", "morning").
- ``negative``: Duckling's own negative corpus; scored apart (nothing should be found).
- ``holiday``: holiday names, or phrases counted from one ("three days after Easter");
  calendars differ by country and religion, and a rep's step names a working day.
- ``year``: a year or longer ("in 2014", "next 3 years"): no next step is due then.
- ``after``: an open interval after a time ("after 2 pm", "since 2014"): a lower
  bound, not a due.
- ``duration``: a span counted in units ("last 2 weeks", "for 10 days from 18th Dec",
  "upcoming two weeks"): how long, not when.
- ``past``: the value is before the reference time.
- ``now``: the reference time itself ("now", "ATM").
- ``long span``: a period over a month (seasons, "end of 2012"): no due is that vague.
- ``far``: more than a year after the reference time ("March 3 2015"): no next step is
  planned that far ahead.
- ``seconds``: counted in seconds ("in a sec", "in 1\""): no step is due in seconds.
- ``notation``: the French-style "15h30" / "3h18" clock and "18q4" quarter notations,
  which English business writing does not use.
- ``date range``: a range of days ("July 13-15", "from the 13th to the 15th July"):
  when someone is available, not when a step is due.

``rubric`` holds, for the cases where nextstep's rubric (shared/RUBRIC.md,
tests/corpus/GUIDE.md) deliberately resolves differently, the value it gives instead
and why. A case agrees when the time layer gives Duckling's value at Duckling's grain
(the start of an interval; the end of a "by ..." interval, which is a deadline), or
the rubric's value where one is listed.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timedelta, timezone

ZONE = timezone(timedelta(hours=-2))
TZ = "Etc/GMT+2"  # UTC-02:00 all year (POSIX signs are inverted)
REFERENCES = {
    "main": datetime(2013, 2, 12, 4, 30, tzinfo=ZONE),
    "custom": datetime(2013, 2, 12, 4, 30, tzinfo=ZONE),
    "latent": datetime(2013, 2, 12, 4, 30, tzinfo=ZONE),
    "negative": datetime(2013, 2, 12, 4, 30, tzinfo=ZONE),
    "diff": datetime(2013, 2, 15, 4, 30, tzinfo=ZONE),
}
SECTIONS = {  # the Haskell binding each part of the file starts with
    "defaultCorpus": "custom",
    "negativeCorpus": "negative",
    "latentCorpus": "latent",
    "diffCorpus": "diff",
    "allExamples": "main",
}

_TUPLE = r"\(\s*(-?\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)"
_EXAMPLES = re.compile(
    r"examples\s*\(\s*(?P<ctor>datetimeIntervalHoliday|datetimeInterval|datetimeHoliday"
    r"|datetimeOpenInterval|datetime)\s+(?P<args>.*?)\)\s*\[(?P<phrases>.*?)\]",
    re.S,
)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_HOLIDAY_WORD = re.compile(r"\b(?:christmas|xmas|easter|thanksgiving|halloween)\b", re.I)
_SECONDS = re.compile(r"\bsec(?:ond)?s?\b|\d['\"]", re.I)
_NOTATION = re.compile(r"\d\s?h\b|\dh\d|\d\s?q\d|\dq\b", re.I)
_DATE_RANGE = re.compile(
    r"\d(?:st|nd|rd|th)?\s*(?:-|to|thru|through|till)\s*(?:the\s+)?\d|[a-z]{3}\s+\d+\s*-\s*[a-z]{3}",
    re.I,
)
_DURATION = re.compile(
    r"\b(?:last|past|next|upcoming|previous)\s+(?:\d+|one|two|three|few|couple)\s+\w+"
    r"|\b(?:\d+|one|two|three)\s+upcoming\b|\bfor\s+(?:\d+|thirty|ten)\b|\bfor\s+\d+'",
    re.I,
)

# Where the rubric resolves a phrase differently on purpose: (value in the reference
# zone, grain, why). Each reason is a rule of tests/corpus/GUIDE.md, never one phrase.
EOD = "EOD / end of day is 17:00 that day (GUIDE: Time), not midnight"
END_OF = "'end of' a week, month or year is its last (working) day at 17:00, a deadline"
PART_OF_DAY = "'morning', 'evening', 'lunch' alone give the day only (GUIDE: Time)"
PASSED = "a clock time alone that has passed today is tomorrow's (GUIDE: Time)"
BEGUN = "a vague period that has begun starts today, never in the past"
BARE_HOUR = "a bare hour without am/pm: 1-6 pm, 7-11 am (GUIDE: Time)"
VAGUE = "'in a minute' means soon; 'a few', 'a couple' are vague counts: no specific time (GUIDE)"
ABBREVIATION = "a lower-case day abbreviation alone is not a day ('sat down', 'the sun')"
MIDNIGHT = "'midnight' is 23:59 of its day, the end of that day"
DAYS_AHEAD = "'in N days' names the day, not a time of day (GUIDE: 'in 3 days')"
TONIGHT = "'tonight' is 21:00 that day (GUIDE: Time)"
ZONE_NAME = (
    "BST, EST, PST name the region's local time all year: 9 am BST in February is 9:00 London"
)
THIS_MORNING = "'this morning' is today's morning, even when the hour has passed"
MONTH_ALONE = (
    "a month name alone in running text is no time ('May' the person): it needs in, by, early..."
)
RUBRIC: dict[str, tuple[str | None, str, str]] = {}
_PART_OF_DAY = re.compile(r"\b(?:morning|afternoon|evening|lunch|night|tonight|tonite)", re.I)
_CLOCKISH = re.compile(
    r"\d|\b(?:noon|midnight|at|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve)\b|@",
    re.I,
)
_DAYS_AHEAD = re.compile(r"^(?:in\s+)?(?:a|one|\d+)\s+days?(?:\s+from(?:\s+right)?\s+now|\s+hence)?$"
                         r"|^a\s+fortnight\s+hence$", re.I)  # fmt: skip
_VAGUE_COUNT = re.compile(r"\bin\s+(?:a|one)\s+minute\b|\bfew\b|\bpair\b|\bcouple\b", re.I)
_ABBREVIATION = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)\.?$")


def class_rubric(row: dict) -> tuple[str | None, str, str] | None:
    """The rubric's value for a whole class of phrases, where it differs on purpose."""
    text, value = row["text"], datetime.fromisoformat(row["value"])
    if _VAGUE_COUNT.search(text):
        return None, "none", VAGUE
    if _ABBREVIATION.match(text):
        return None, "none", ABBREVIATION
    if "midnight" in text.lower():
        day = (value - timedelta(minutes=1)).date()
        return f"{day.isoformat()}T23:59", "minute", MIDNIGHT
    if _DAYS_AHEAD.match(text):
        return value.date().isoformat(), "day", DAYS_AHEAD
    if _PART_OF_DAY.search(text) and not _CLOCKISH.search(text):
        if re.search(r"\bton(?:ight|ite)\b", text, re.I):
            return f"{value.date().isoformat()}T21:00", "minute", TONIGHT
        return value.date().isoformat(), "day", PART_OF_DAY
    return None


def rubric_rows() -> None:
    """Fill RUBRIC: class by class, every phrase of the class the same way."""
    for phrase in ("by EOD",):
        RUBRIC[phrase] = ("2013-02-12T17:00", "minute", EOD)
    for phrase in ("by EOM", "by the EOM", "by end of the month", "by the end of month",
                   "EOM", "the EOM", "at the EOM", "the end of the month", "end of the month",
                   "at the end of month"):  # fmt: skip
        RUBRIC[phrase] = ("2013-02-28T17:00", "minute", END_OF)
    RUBRIC["by the end of next month"] = ("2013-03-31T17:00", "minute", END_OF)
    for phrase in ("end of April", "at the end of April"):
        RUBRIC[phrase] = ("2013-04-30T17:00", "minute", END_OF)
    for phrase in ("by EOY", "by the EOY", "by end of the year", "by the end of year", "EOY",
                   "the EOY", "at the EOY", "the end of the year", "end of the year",
                   "at the end of year"):  # fmt: skip
        RUBRIC[phrase] = ("2013-12-31T17:00", "minute", END_OF)
    for phrase in ("end of this week", "end of current week", "at the end of this week",
                   "at the end of current week"):  # fmt: skip
        RUBRIC[phrase] = ("2013-02-15T17:00", "minute", END_OF)
    for phrase in ("end of coming week", "at the end of coming week", "end of next week",
                   "end of the following week", "end of around next week",
                   "at the end of next week", "at the end of the following week",
                   "at the end of around next week"):  # fmt: skip
        RUBRIC[phrase] = ("2013-02-22T17:00", "minute", END_OF)
    for phrase in ("this week", "current week", "beginning of this week",
                   "beginning of current week", "at the beginning of this week",
                   "at the beginning of current week", "the week", "all week"):  # fmt: skip
        RUBRIC[phrase] = ("2013-02-12", "day", BEGUN)
    for phrase in ("this quarter", "this qtr"):
        RUBRIC[phrase] = ("2013-02-12", "day", BEGUN)
    for phrase in ("at 4:23", "4:23am", "four twenty-three a m"):
        RUBRIC[phrase] = ("2013-02-13T04:23", "minute", PASSED)
    for phrase in ("Thursday 9 am BST", "Thursday 9 am (BST)"):
        RUBRIC[phrase] = ("2013-02-14T07:00", "minute", ZONE_NAME)
    RUBRIC["this morning at 3"] = ("2013-02-12T03:00", "minute", THIS_MORNING)
    RUBRIC["March"] = (None, "none", MONTH_ALONE)
    for phrase in ("this morning at 12", "this evening at 12", "this afternoon at 12"):
        RUBRIC[phrase] = ("2013-02-12T12:00", "minute", "a bare 12 is noon (GUIDE: Time)")


def parse_tuple(text: str) -> datetime:
    y, mo, d, h, mi, s = (int(x) for x in re.match(_TUPLE, text.strip()).groups())  # type: ignore[union-attr]
    return datetime(max(y, 1), mo, d, h, mi, s, tzinfo=ZONE)


def section_spans(source: str) -> list[tuple[int, str]]:
    starts = []
    for binding, section in SECTIONS.items():
        match = re.search(rf"^{binding}\s*::", source, re.M)
        if match:
            starts.append((match.start(), section))
    return sorted(starts)


def section_at(spans: list[tuple[int, str]], offset: int) -> str:
    current = "main"
    for start, section in spans:
        if start <= offset:
            current = section
    return current


def read_value(ctor: str, args: str) -> dict:
    tuples = re.findall(_TUPLE, args)
    grain = re.search(r"\b(Second|Minute|Hour|Day|Week|Month|Quarter|Year)\b", args)
    row: dict = {"kind": "datetime", "grain": grain.group(1).lower() if grain else None}
    points = [datetime(max(int(t[0]), 1), *(int(x) for x in t[1:]), tzinfo=ZONE) for t in tuples]
    negative_year = bool(re.search(r"\(\s*-\d", args))
    if ctor == "datetimeOpenInterval":
        row["kind"] = "before" if "Before" in args else "after"
    elif "Interval" in ctor:
        row["kind"] = "interval"
    if "Holiday" in ctor:
        row["holiday"] = True
    row["value"] = points[0].isoformat() if points else None
    row["end"] = points[1].isoformat() if len(points) > 1 else None
    row["negative_year"] = negative_year
    return row


def exclusion(row: dict, reference: datetime) -> str | None:
    text = row["text"]
    if row["section"] in ("latent", "negative"):
        return row["section"]
    if row.pop("holiday", False) or _HOLIDAY_WORD.search(text):
        return "holiday"
    if row.pop("negative_year", False) or row["grain"] == "year":
        return "year"
    if row["kind"] == "after":
        return "after"
    if _DURATION.search(text):
        return "duration"
    if _SECONDS.search(text):
        return "seconds"
    if _NOTATION.search(text):
        return "notation"
    value = datetime.fromisoformat(row["value"])
    end = datetime.fromisoformat(row["end"]) if row["end"] else None
    by = row["kind"] == "interval" and value == reference and end is not None
    point = end if by else value
    assert point is not None
    if point == reference:
        return "now"
    if point < reference and not (end is not None and end > reference):
        return "past"  # an interval that holds now ("this morning") is current, not past
    if point - reference > timedelta(days=366):
        return "far"
    if row["kind"] == "interval" and end is not None and not by:
        if end - value > timedelta(days=31):
            return "long span"
        if end - value > timedelta(days=1) and _DATE_RANGE.search(text):
            return "date range"
    return None


def convert(source: str) -> list[dict]:
    rubric_rows()
    spans = section_spans(source)
    rows: list[dict] = []
    for match in _EXAMPLES.finditer(source):
        section = section_at(spans, match.start())
        value = read_value(match["ctor"], match["args"])
        for phrase in _STRING.findall(match["phrases"]):
            rows.append({"text": phrase.replace('\\"', '"'), "section": section, **value})
    negative = re.search(r"^negativeCorpus.*?examples\s*=\s*\[(.*?)\]", source, re.M | re.S)
    if negative:
        for phrase in _STRING.findall(negative.group(1)):
            rows.append({"text": phrase, "section": "negative", "kind": "none", "grain": None,
                         "value": None, "end": None, "negative_year": False})  # fmt: skip
    out = []
    for row in rows:
        reference = REFERENCES[row["section"]]
        reason = exclusion(row, reference)
        rubric = None
        if reason is None:
            rubric = RUBRIC.get(row["text"]) or class_rubric(row)
        out.append({
            "text": row["text"], "section": row["section"],
            "reference_time": reference.isoformat(), "tz": TZ, "kind": row["kind"],
            "grain": row["grain"], "value": row["value"], "end": row["end"],
            "subset": reason is None, "excluded": reason,
            "rubric": {"value": rubric[0], "grain": rubric[1], "why": rubric[2]} if rubric else None,
        })  # fmt: skip
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        rows = convert(handle.read())
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    subset = sum(r["subset"] for r in rows)
    print(f"{len(rows)} phrases, {subset} in the future-scheduling subset", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
