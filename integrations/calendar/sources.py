"""The calendars a front end hands to the calendar check: .ics files and feed URLs
named on the command line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.application.calendar import CombinedSource
from bot.calendar.ics import IcsInput, IcsSource
from bot.calendar.model import CalendarSource
from bot.errors import UsageError
from integrations.calendar.feed import IcsFeedSource


def ics_source(locations: Sequence[str], *, tz: str, cache_dir: Path) -> CalendarSource:
    """Files and feed URLs as one source; the files are folded as iTIP messages in the
    order given (an invitation, then its replies). A missing file is an error now."""
    files: list[IcsInput] = []
    feeds: list[CalendarSource] = []
    for location in locations:
        if location.startswith(("http://", "https://", "webcal://")):
            feeds.append(IcsFeedSource(location, cache_dir=cache_dir, tz=tz))
            continue
        path = Path(location)
        if not path.is_file():
            raise UsageError(f"no such calendar file: {location}")
        files.append(IcsInput(path.name, path.read_bytes()))
    sources: list[CalendarSource] = [IcsSource(files, tz=tz)] if files else []
    return sources[0] if len(sources) == 1 and not feeds else CombinedSource(sources + feeds)
