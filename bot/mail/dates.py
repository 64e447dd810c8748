"""Dates as mail clients write them in forwarded headers and attribution lines.

"Thu, 19 Nov 2026 15:02:11 -0800" (RFC 5322), "Thu, Nov 19, 2026 at 3:02 PM" (Gmail),
"Thursday, November 19, 2026 3:02 PM" (Outlook), "November 19, 2026 at 3:02:15 PM PST"
(Apple Mail), "jeu. 19 nov. 2026 à 15:02", "Do., 19. Nov. 2026 um 15:02 Uhr".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache

from dateparser.date import DateDataParser

from bot.mail.lexicon import WORDS

LANGUAGES = ("en", "fr", "de", "es")  # tried first: most mail, and a short list is fast
# Then every language of the mail lexicon (Norwegian is "nb" to dateparser), for headers
# such as "Inviato: giovedì 19 novembre 2026 15:02" or "Отправлено: 19 ноября 2026 г.".
MORE_LANGUAGES = tuple(dict.fromkeys([*LANGUAGES, *WORDS, "nb"]))
_UHR = re.compile(r"\s+Uhr\b", re.I)
_SPACES = re.compile(r"\s+")


class AssumedOffset(tzinfo):
    """A fixed UTC offset borrowed from the enclosing message because the text stated no
    zone. A reader who knows better (the rep's zone, when the borrowed offset is a mail
    server's UTC stamp) can tell these dates apart with ``is_assumed``."""

    def __init__(self, offset: timedelta) -> None:
        self._offset = offset

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return timezone(self._offset).tzname(None)

    def __repr__(self) -> str:
        return f"AssumedOffset({self._offset!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssumedOffset) and other._offset == self._offset

    def __hash__(self) -> int:
        return hash(("AssumedOffset", self._offset))

    def __reduce__(self) -> tuple[type[AssumedOffset], tuple[timedelta]]:
        return (AssumedOffset, (self._offset,))


def is_assumed(value: datetime | None) -> bool:
    """Whether ``value``'s offset was borrowed rather than written."""
    return value is not None and isinstance(value.tzinfo, AssumedOffset)


@dataclass(frozen=True)
class WrittenDate:
    value: datetime  # aware
    zone_assumed: bool  # the text gave no time zone; the fallback offset was applied


def parse_written_date(text: str | None, *, context: datetime | None) -> WrittenDate | None:
    """The date a header or attribution line states, made aware.

    ``context`` is the enclosing message's date: its offset stands in when the text has
    no zone (``zone_assumed`` is then set), and it fills a missing year. None when the
    text is not a date.
    """
    if not text:
        return None
    text = _SPACES.sub(" ", text).strip(" ,;")
    if not text:
        return None
    value = _rfc5322(text)
    if value is None:
        value = _dateparser(_UHR.sub("", text), context)
    if value is None:
        return None
    offset = value.utcoffset()
    if offset is not None:  # a fixed offset, not dateparser's pytz "PST"
        return WrittenDate(value.replace(tzinfo=timezone(offset)), zone_assumed=False)
    borrowed = context.utcoffset() if context is not None else None
    zone = AssumedOffset(borrowed or timedelta(0))
    return WrittenDate(value.replace(tzinfo=zone), zone_assumed=True)


def _rfc5322(text: str) -> datetime | None:
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if value.tzinfo is None:  # "-0000": the zone is unknown
        return None
    return value


def _dateparser(text: str, context: datetime | None) -> datetime | None:
    base = context.replace(tzinfo=None) if context is not None else None
    return _dateparser_at(text[:200], base)


@lru_cache(maxsize=2048)
def _dateparser_at(text: str, base: datetime | None) -> datetime | None:
    """The date ``text`` states (naive or aware as written). Cached: every reply of a
    thread quotes the same header dates again."""
    for languages in (LANGUAGES, MORE_LANGUAGES):
        try:
            found = _parser(base, languages).get_date_data(text).date_obj
        except (ValueError, TypeError, OverflowError, LookupError):
            found = None
        if found is not None:
            return found
    return None


@lru_cache(maxsize=16)
def _parser(base: datetime | None, languages: tuple[str, ...]) -> DateDataParser:
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    else:  # no clock reads in pure code: a missing year stays unknown rather than "now"
        settings["REQUIRE_PARTS"] = ["day", "month", "year"]
    return DateDataParser(languages=list(languages), settings=settings)
