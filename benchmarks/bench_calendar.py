"""How fast does nextstep recheck meeting steps against a calendar, and how many
Google Calendar API requests does it make?

Builds a recorded calendar of --events Google Calendar event resources (the API's
shape: attendees with responseStatus, all-day and timed events, some cancelled) across
six months and --steps open meeting steps with counterparts at hundreds of companies
(some invited at the agreed time, some moved, some declined, many not invited). The
real client (google-api-python-client, static discovery) talks to a transport that
answers events.list from the recording: pages of 2,500, timeMin/timeMax windows, sync
tokens. Printed side by side:

- one events.list per step (a window around each step's time), on a sample of steps;
- a full sync, then every step matched in memory (what `nextstep calendar check` does);
- a recheck after a few changes: the sync token fetches only what changed;
- the same recheck of stored steps through the database (SQLite), statuses written.

    python benchmarks/bench_calendar.py [--events 20000] [--steps 5000] [--sample 500]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import httplib2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.application.calendar import check_step  # noqa: E402
from bot.calendar.model import CalendarStatus, MeetingQuery  # noqa: E402
from integrations.calendar.google import GoogleCalendarSource, SyncedCalendar  # noqa: E402

START = datetime(2026, 10, 1, tzinfo=UTC)
ZONES = ["America/Los_Angeles", "America/New_York", "Europe/Berlin", "Asia/Singapore"]
ANSWERS = ["needsAction", "accepted", "accepted", "tentative", "declined"]


class RecordedCalendar:
    """An httplib2-like transport that answers events.list from recorded events."""

    def __init__(self, events: list[dict[str, Any]], changes: list[dict[str, Any]]) -> None:
        self.events = events
        self.changes = changes
        self.requests = 0

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: Any = None,
                redirections: int = 5, connection_type: Any = None) -> tuple[httplib2.Response, bytes]:  # fmt: skip
        self.requests += 1
        query = {k: v[0] for k, v in parse_qs(urlparse(uri).query).items()}
        if "syncToken" in query:
            items, token = self.changes, "sync-2"
        elif "timeMin" in query:
            low, high = query["timeMin"], query["timeMax"]
            items = [e for e in self.events if e["_end"] >= low and e["_start"] <= high]
            token = None
        else:
            items, token = self.events, "sync-1"
        offset = int(query.get("pageToken", "0"))
        page = items[offset : offset + 2500]
        answer: dict[str, Any] = {
            "kind": "calendar#events",
            "summary": "dana@northwind.example",
            "timeZone": "America/Los_Angeles",
            "items": [{k: v for k, v in e.items() if not k.startswith("_")} for e in page],
        }
        if offset + 2500 < len(items):
            answer["nextPageToken"] = str(offset + 2500)
        elif token:
            answer["nextSyncToken"] = token
        return httplib2.Response({"status": "200"}), json.dumps(answer).encode()


def company(n: int) -> str:
    return f"client{n}.example"


def build(
    events: int, steps: int, seed: int = 11
) -> tuple[list[dict], list[dict], list[MeetingQuery]]:
    rng = random.Random(seed)
    recorded: list[dict[str, Any]] = []
    queries: list[MeetingQuery] = []
    companies = max(steps // 5, 50)
    for n in range(steps):
        zone = rng.choice(ZONES)
        who = company(rng.randrange(companies))
        due = (
            (START + timedelta(days=rng.randrange(5, 170)))
            .astimezone(ZoneInfo(zone))
            .replace(hour=rng.choice([9, 10, 11, 14, 15, 16]), minute=0, second=0, microsecond=0)
        )
        roll = rng.random()
        if roll < 0.55:  # invited at the agreed time (some answered, some not)
            recorded.append(event(n, due, who, rng, title="Proposal review"))
        elif roll < 0.65:  # invited, but at another hour
            recorded.append(event(n, due + timedelta(hours=2), who, rng, title="Demo"))
        queries.append(
            MeetingQuery(
                action=rng.choice(["review the proposal", "demo for the team", "QBR"]),
                conversation_at=due - timedelta(days=rng.randrange(1, 10)),
                tz=zone,
                due=due,
                counterpart_emails=frozenset({f"buyer@{who}"}),
                counterpart_domains=frozenset({who}),
                rep_emails=frozenset({"dana@northwind.example"}),
            )
        )
    for n in range(len(recorded), events):  # the rest of the calendar: other meetings
        start = START + timedelta(minutes=30 * rng.randrange(0, 2 * 24 * 180))
        recorded.append(event(steps + n, start, company(rng.randrange(companies)), rng))
    rng.shuffle(recorded)
    changes = [dict(e, attendees=accepted(e)) for e in rng.sample(recorded, 40)]
    changes += [{"kind": "calendar#event", "id": e["id"], "status": "cancelled"}
                for e in rng.sample(recorded, 10)]  # fmt: skip
    return recorded, changes, queries


def event(n: int, start: datetime, who: str, rng: random.Random, title: str = "") -> dict[str, Any]:
    end = start + timedelta(minutes=rng.choice([30, 45, 60]))
    iso = lambda d: d.astimezone(UTC).isoformat()  # noqa: E731
    return {
        "kind": "calendar#event",
        "id": f"ev{n:06d}",
        "status": "confirmed",
        "htmlLink": f"https://www.google.com/calendar/event?eid=ev{n:06d}",
        "updated": "2026-11-20T09:15:44.207Z",
        "summary": title or rng.choice(["Sync", "Intro call", "Onsite", "Pricing"]),
        "organizer": {"email": "dana@northwind.example", "self": True},
        "start": {"dateTime": start.isoformat(), "timeZone": str(start.tzinfo)},
        "end": {"dateTime": end.isoformat(), "timeZone": str(start.tzinfo)},
        "iCalUID": f"ev{n:06d}@google.com",
        "sequence": 0,
        "attendees": [
            {
                "email": "dana@northwind.example",
                "organizer": True,
                "self": True,
                "responseStatus": "accepted",
            },
            {"email": f"buyer@{who}", "responseStatus": rng.choice(ANSWERS)},
        ],
        "_start": iso(start),
        "_end": iso(end),
    }


def accepted(recorded: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(a, responseStatus="accepted") for a in recorded["attendees"]]


def run_checks(
    source: Any, queries: list[MeetingQuery], now: datetime
) -> tuple[float, dict[str, int]]:
    counts: dict[str, int] = {}
    started = time.perf_counter()
    for query in queries:
        status = check_step(source, query, now=now).status
        counts[status] = counts.get(status, 0) + 1
    return time.perf_counter() - started, counts


def stored_recheck(
    transport: RecordedCalendar, queries: list[MeetingQuery], now: datetime
) -> tuple[float, int, int]:
    """The steps stored in SQLite, rechecked by check_stored_steps (statuses written)."""
    from sqlmodel import Session

    from bot.application.calendar import check_stored_steps
    from bot.engine.model import Evidence, Owner, Step, StepKind
    from storage.db import make_engine, upgrade
    from storage.models import Conversation
    from storage.steps import merge_steps

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            for query in queries:
                conversation = Conversation(
                    source="email", reference_time=query.conversation_at, tz=query.tz,
                    kind="email", analysed_at=now,
                    participants=[{"role": "counterpart", "email": e} for e in query.counterpart_emails],
                )  # fmt: skip
                session.add(conversation)
                session.flush()
                step = Step(query.action, StepKind.MEETING, Owner.BOTH, Evidence("...", 1),
                            due=query.due, continues=True)  # fmt: skip
                assert conversation.id is not None
                merge_steps(
                    conversation.id, [step], tz=query.tz, now=now, session=session, new=True
                )
            session.commit()
            google = GoogleCalendarSource.from_http(transport)
            started = time.perf_counter()
            report = check_stored_steps(lambda rep: SyncedCalendar(google), session=session,
                                        now=now, provider="google")  # fmt: skip
            session.commit()
            elapsed = time.perf_counter() - started
        engine.dispose()
    return elapsed, report.checked, google.requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--sample", type=int, default=500, help="steps for the per-step mode")
    parser.add_argument("--skip-stored", action="store_true")
    args = parser.parse_args()
    now = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    recorded, changes, queries = build(args.events, args.steps)
    print(f"calendar: {len(recorded):,} events; {len(queries):,} open meeting steps\n")
    rows = []

    sample = queries[: args.sample]
    transport = RecordedCalendar(recorded, changes)
    per_step = GoogleCalendarSource.from_http(transport)
    elapsed, _ = run_checks(per_step, sample, now)
    rows.append(("one events.list per step", len(sample), per_step.requests, elapsed))

    transport = RecordedCalendar(recorded, changes)
    google = GoogleCalendarSource.from_http(transport)
    elapsed, counts = run_checks(SyncedCalendar(google), queries, now)
    rows.append(("full sync, then match in memory", len(queries), google.requests, elapsed))

    before = google.requests
    elapsed, after = run_checks(SyncedCalendar(google), queries, now)
    rows.append(("recheck with the sync token", len(queries), google.requests - before, elapsed))

    if not args.skip_stored:
        elapsed, checked, requests = stored_recheck(
            RecordedCalendar(recorded, changes), queries, now
        )
        rows.append(("stored steps, SQLite, statuses written", checked, requests, elapsed))

    print(f"{'mode':<42} {'steps':>7} {'API requests':>13} {'checks/s':>10} {'seconds':>8}")
    for name, steps, requests, seconds in rows:
        print(f"{name:<42} {steps:>7,} {requests:>13,} {steps / seconds:>10,.0f} {seconds:>8.2f}")
    print(
        "\nstatuses after the full sync: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
    )
    print(
        "statuses after the recheck:   " + ", ".join(f"{k} {v:,}" for k, v in sorted(after.items()))
    )
    assert counts.get(CalendarStatus.UNKNOWN, 0) == 0


if __name__ == "__main__":
    main()
