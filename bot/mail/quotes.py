"""Quoted replies: attribution lines ("On <date>, <person> wrote:") and "> " quoted text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.mail.addresses import parse_mailbox
from bot.mail.forwards import WrittenHeader
from bot.mail.lexicon import Marker, alternation

_VERBS = alternation(Marker.REPLY_VERB)
# The last line of an attribution; it may have started one or two lines above. The verb
# ends it ("... wrote:") or is followed by the date or the person ("... schrieb am <date>:",
# "... skrev Jane Doe <jane@acme.com>:"); Gmail in some locales writes no verb at all
# ("2026-11-19 15:02 GMT+01:00 Jane Doe <jane@acme.com>:").
ATTRIBUTION_END = re.compile(
    rf"(?:(?<!\w)(?:{_VERBS})(?!\w)[^\n]{{0,160}}|@[^<>\s]+>\)?)\s*:\s*$", re.I
)
_VERB = re.compile(rf"(?<!\w)(?:{_VERBS})(?!\w)", re.I)
_OPENER = re.compile(rf"^(?:{alternation(Marker.REPLY_OPENER)})(?!\w)[\s,]*", re.I)
_AFTER_VERB = re.compile(r"^[\s,]*(?:am|on|le|el|den|op)?(?!\w)[\s,]*", re.I)
_ADDRESSED = re.compile(r"@[^<>\s]+>\)?$")
_DATE_FIRST = re.compile(r"^(?:\d|\w{1,4}\.?,?\s+\d)")  # "2026-11-19 ...", "чт, 19 нояб. ..."
_TIME = re.compile(
    r"(?<![\d.])\d{1,2}[:.h]\d{2}(?![\d.])(?::\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?"
    r"|\d{1,2}\s*[AaPp]\.?[Mm]\b\.?"
)
_AFTER_TIME = re.compile(
    r"(?:\s*(?:Uhr\b|(?:[ECMP][SD]T|UTC|GMT|CET|CEST|BST|IST|JST|AEST|AEDT|WET|EET|EEST|HST|AKST|AKDT)"
    r"(?:[+-]\d{1,2}(?::?\d{2})?)?\b|[+-]\d{4}\b|\([A-Z]{2,5}\)))*"
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2}\b")
_FILLER = alternation(Marker.REPLY_FILLER)
_WHO_PREFIX = re.compile(rf"^[\s,]*(?:(?:{_FILLER})(?!\w)[\s,.]*)*", re.I)
_MAX_ATTRIBUTION_LINES = 3
_MAX_DATE_CHARS = 64


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
    """ "<opener> <date> <person> <verb>:" in any order the languages of the table write it."""
    if len(text) > 400 or not text.endswith(":"):
        return None
    text = text[:-1].rstrip()
    verbs = list(_VERB.finditer(text))
    if verbs:
        verb = verbs[-1]
        before, after = text[: verb.start()].strip(" ,"), text[verb.end() :]
    elif _ADDRESSED.search(text) and _DATE_FIRST.match(text):
        before, after = text, ""
    else:
        return None
    opener = _OPENER.match(before)
    opened = bool(opener and opener.end())
    if opener and opened:
        before = before[opener.end() :]
    after = _AFTER_VERB.sub("", after, count=1).strip(" ,")
    date_text: str | None
    if after and any(ch.isdigit() for ch in after):
        date_text, who = after, before  # "Jane Doe schrieb am Do., 19. Nov. 2026, 15:02:"
    elif after:
        date_text, who = (before or None), after  # "Den 19. nov. 2026 skrev Jane Doe:"
    else:
        date_text, who = _split_date_and_person(before)
    if date_text and not _reads_as_date(date_text):
        return None
    if not date_text:
        if opened and "@" not in who:
            return None  # "On Monday we wrote:" is prose
        if not alone or not _looks_like_person(who):
            return None
    elif "@" not in who and not opened and not _looks_like_person(who):
        return None
    return WrittenHeader(author=parse_mailbox(who), date_text=date_text)


def _reads_as_date(text: str) -> bool:
    """Short, with a digit, and no sentence in it ("to test this in 2 weeks... Op 16 aug.")."""
    return (
        len(text) <= _MAX_DATE_CHARS
        and any(ch.isdigit() for ch in text)
        and not any(mark in text for mark in ("?", "!", "...", "…"))
    )


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
