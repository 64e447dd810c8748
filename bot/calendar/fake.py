"""An in-memory calendar for tests and demos: events given up front, or a failure."""

from __future__ import annotations

from collections.abc import Iterable

from bot.calendar.model import CalendarEvent, Listing, Window
from bot.errors import CalendarError


class InMemoryCalendarSource:
    """A ``CalendarSource`` over a list of events. ``failure`` makes every read fail
    with that reason, as an unreachable calendar would; ``reads`` counts the calls."""

    def __init__(
        self,
        events: Iterable[CalendarEvent] = (),
        *,
        name: str = "memory",
        failure: str | None = None,
        problems: Iterable[str] = (),
    ) -> None:
        self.name = name
        self.stored = list(events)
        self.failure = failure
        self.problems = tuple(problems)
        self.reads = 0

    def add(self, event: CalendarEvent) -> None:
        self.stored.append(event)

    def events(self, window: Window) -> Listing:
        self.reads += 1
        if self.failure is not None:
            raise CalendarError(self.failure)
        return Listing(tuple(self.stored), self.problems)
