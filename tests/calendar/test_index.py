"""The event index only narrows what the matcher looks at: the answer is the same as
when every event is looked at."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from bot.calendar.index import EventIndex
from bot.calendar.matcher import match, window_for
from bot.calendar.model import Attendee, CalendarEvent, MeetingQuery, PartStat

NOW = datetime(2026, 11, 1, tzinfo=UTC)
COMPANIES = [f"c{i}.example" for i in range(40)]


def calendar(rng: random.Random, count: int) -> list[CalendarEvent]:
    events = []
    for n in range(count):
        start = NOW + timedelta(hours=rng.randrange(0, 24 * 120))
        company = rng.choice(COMPANIES)
        people = (Attendee(f"p{rng.randrange(3)}@{company}", rng.choice(list(PartStat))),)
        all_day = rng.random() < 0.1
        begin = start.date() if all_day else start
        events.append(
            CalendarEvent(
                uid=f"e{n}",
                event_id=f"e{n}",
                start=begin,
                end=begin + timedelta(days=1) if all_day else start + timedelta(hours=1),
                title=rng.choice(["Demo", "Proposal review", "QBR", "Lunch", ""]),
                organizer="rep@ours.example",
                attendees=people,
            )
        )
    return events


def test_index_gives_the_same_answers_as_looking_at_everything() -> None:
    rng = random.Random(7)
    events = calendar(rng, 1500)
    index = EventIndex(events)
    compared = 0
    for _ in range(150):
        company = rng.choice(COMPANIES)
        due = NOW + timedelta(hours=rng.randrange(0, 24 * 120))
        query = MeetingQuery(
            action=rng.choice(["proposal review", "demo", "onsite"]),
            conversation_at=due - timedelta(days=rng.randrange(1, 10)),
            tz=rng.choice(["America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo"]),
            due=rng.choice([due, due.date(), None]),
            counterpart_emails=frozenset({f"p0@{company}"}) if rng.random() < 0.5 else frozenset(),
            counterpart_domains=frozenset({company}) if rng.random() < 0.7 else frozenset(),
        )
        narrowed = index.candidates(query, window_for(query))
        assert len(narrowed) <= len(events)
        assert match(query, narrowed, now=NOW) == match(query, events, now=NOW)
        compared += 1
    assert compared == 150


def test_all_day_events_east_and_west_are_found() -> None:
    event = CalendarEvent(
        uid="d", event_id="d", start=date(2026, 11, 10), end=date(2026, 11, 11),
        attendees=(Attendee("a@x.example", PartStat.ACCEPTED),),
    )  # fmt: skip
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        query = MeetingQuery(
            action="onsite", conversation_at=NOW, tz=zone, due=date(2026, 11, 10),
            counterpart_domains=frozenset({"x.example"}),
        )  # fmt: skip
        assert EventIndex([event]).candidates(query, window_for(query)) == [event]
