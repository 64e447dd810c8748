"""Events indexed for many checks against one calendar: by start time and by the
addresses and mail domains of their attendees. Pure.

``candidates`` returns a superset of the events the matcher could pick for a step (it
still applies every rule), so checking thousands of steps against a calendar of tens of
thousands of events looks at a few events per step instead of all of them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from bot.calendar.model import CalendarEvent, MeetingQuery, Window

MARGIN = timedelta(days=1)  # all-day events are dates: allow for any zone


def _start(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


class EventIndex:
    def __init__(self, events: Iterable[CalendarEvent]) -> None:
        everything = list(events)
        # Series (expanded later) and their changed occurrences are always looked at.
        self.always = [e for e in everything if e.rrule or (e.recurrence_id and not e.event_id)]
        kept = {id(e) for e in self.always}
        self.singles = sorted(
            (e for e in everything if id(e) not in kept), key=lambda e: _start(e.start)
        )
        self.starts = [_start(e.start).timestamp() for e in self.singles]  # floats: fast
        longest = timedelta(0)
        self.by_address: dict[str, list[int]] = defaultdict(list)
        self.by_domain: dict[str, list[int]] = defaultdict(list)
        for position, event in enumerate(self.singles):
            if event.end is not None:
                longest = max(longest, _start(event.end) - _start(event.start))
            people = {a.email for a in event.attendees}
            if event.organizer:
                people.add(event.organizer)
            for address in people:
                self.by_address[address].append(position)
            for domain in {p.rpartition("@")[2] for p in people}:
                self.by_domain[domain].append(position)
        self.longest = longest

    def candidates(self, query: MeetingQuery, window: Window) -> list[CalendarEvent]:
        lo = bisect_left(self.starts, (window.start - self.longest - MARGIN).timestamp())
        hi = bisect_right(self.starts, (window.end + MARGIN).timestamp())
        if query.counterpart_emails or query.counterpart_domains:
            positions: set[int] = set()
            for address in query.counterpart_emails:
                positions.update(self.by_address.get(address, ()))
            for domain in query.counterpart_domains:
                positions.update(self.by_domain.get(domain, ()))
            chosen = [self.singles[p] for p in sorted(positions) if lo <= p < hi]
        else:
            chosen = self.singles[lo:hi]
        return [*self.always, *chosen]
