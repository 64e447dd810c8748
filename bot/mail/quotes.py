"""Quoted replies: attribution lines ("On <date>, <person> wrote:") and "> " quoted text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.mail.addresses import parse_mailbox
from bot.mail.forwards import WrittenHeader

# The last line of an attribution; it may have started one or two lines above.
ATTRIBUTION_END = re.compile(
    r"(?:\bwrote|a\s+écrit|schrieb[^:]{0,200}|escribió|ha scritto|escreveu|schreef[^:]{0,200})"
    r"\s*:\s*$",
    re.I,
)
_ATTRIBUTIONS = (
    re.compile(r"^On\s+(?P<rest>.+?),?\s+wrote\s*:$", re.I | re.S),
    re.compile(r"^Le\s+(?P<rest>.+?)\s+a\s+écrit\s*:$", re.I | re.S),
    re.compile(r"^(?:Am|Den)\s+(?P<date>.+?)\s+schrieb\s+(?P<who>.+?)\s*:$", re.I | re.S),
    re.compile(r"^El\s+(?P<rest>.+?)\s+escribió\s*:$", re.I | re.S),
    re.compile(r"^Il giorno\s+(?P<rest>.+?)\s+ha scritto\s*:$", re.I | re.S),
    re.compile(r"^Em\s+(?P<rest>.+?)\s+escreveu\s*:$", re.I | re.S),
    re.compile(r"^Op\s+(?P<date>.+?)\s+schreef\s+(?P<who>.+?)\s*:$", re.I | re.S),
    re.compile(r"^(?P<who>[^:]{1,160}?)\s+(?:wrote|a écrit|schrieb|escribió)\s*:$", re.I | re.S),
)
_TIME = re.compile(
    r"\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?"
    r"|\d{1,2}\s*[AaPp]\.?[Mm]\b\.?"
)
_AFTER_TIME = re.compile(
    r"(?:\s*(?:Uhr\b|(?:[ECMP][SD]T|UTC|GMT|CET|CEST|BST|IST|JST|AEST|AEDT|WET|EET|EEST|HST|AKST|AKDT)"
    r"(?:[+-]\d{1,2}(?::?\d{2})?)?\b|[+-]\d{4}\b|\([A-Z]{2,5}\)))*"
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2}\b")
_WHO_PREFIX = re.compile(r"^(?:at\s+|um\s+|à\s+)?[\s,]*", re.I)
_MAX_ATTRIBUTION_LINES = 3


@dataclass(frozen=True)
class Attribution:
    start: int  # first line of the attribution
    end: int  # the line after it
    header: WrittenHeader


def is_quoted(line: str) -> bool:
    """ "> text", or " > text" (one leading space or tab, as some clients write)."""
    return line[:1] == ">" or (line[:1] in (" ", "\t") and line[1:2] == ">")


def dequote(line: str) -> str:
    """One level of quoting off: "> > text" -> "> text"."""
    start = line.find(">") + 1
    if not start or line[: start - 1].strip():
        return line
    return line[start + 1 :] if line[start : start + 1] == " " else line[start:]


def read_attribution(lines: list[str], last: int) -> Attribution | None:
    """The attribution ending on ``lines[last]``: the longest reading, joined from up to
    three lines ("On <date> Jane Doe <jane@acme.com>" / "wrote:") when it starts with
    "On"/"Le"/"Am"/...; a bare "<person> wrote:" only on its own line."""
    first = last
    while (
        first > 0
        and last - first + 1 < _MAX_ATTRIBUTION_LINES
        and lines[first - 1].strip()
        and not is_quoted(lines[first - 1])
    ):
        first -= 1
    for start in range(first, last + 1):
        joined = " ".join(line.strip() for line in lines[start : last + 1])
        header = _parse_attribution(joined, alone=start == last)
        if header is not None:
            return Attribution(start, last + 1, header)
    return None


def _parse_attribution(text: str, *, alone: bool) -> WrittenHeader | None:
    if len(text) > 400:
        return None
    patterns = _ATTRIBUTIONS if alone else _ATTRIBUTIONS[:-1]
    for pattern in patterns:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        if "rest" in groups:
            date_text, who = _split_date_and_person(groups["rest"])
            if not date_text and "@" not in who:
                return None  # "On Monday we wrote:" is prose
        else:
            date_text, who = groups.get("date"), groups["who"]
        if not date_text and not _looks_like_person(who):
            return None
        return WrittenHeader(author=parse_mailbox(who), date_text=date_text)
    return None


def _split_date_and_person(rest: str) -> tuple[str | None, str]:
    """ "Thu, Nov 19, 2026 at 3:02 PM Jane Doe <jane@acme.com>" -> the date, the person."""
    time = _TIME.search(rest)
    if time is not None:
        zone = _AFTER_TIME.match(rest, time.end())
        end = zone.end() if zone else time.end()
    else:
        year = _YEAR.search(rest)
        if year is None:
            return None, rest
        end = year.end()
    return rest[:end].strip(" ,"), _WHO_PREFIX.sub("", rest[end:]).strip(" ,")


def _looks_like_person(who: str) -> bool:
    """Without a date, only "<name> <address> wrote:" or a capitalised name is an attribution."""
    words = who.split()
    return "@" in who or (0 < len(words) <= 4 and all(w[:1].isupper() for w in words))
