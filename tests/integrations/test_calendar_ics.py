"""iCalendar files and iTIP messages as Google Calendar, Outlook/Exchange and Apple
Calendar write them, each case with its expected status (tests/data/ics/cases.json)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.ics import IcsError, IcsInput, IcsSource, parse_ics
from bot.calendar.matcher import check_listing, window_for
from bot.calendar.model import CalendarStatus, ItipMethod, MeetingQuery, PartStat

DATA = Path(__file__).parent.parent / "data" / "ics"
CASES = json.loads((DATA / "cases.json").read_text())
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def query_of(step: dict[str, Any]) -> MeetingQuery:
    due_text = step["due"]
    due = date.fromisoformat(due_text) if len(due_text) == 10 else datetime.fromisoformat(due_text)
    return MeetingQuery(
        action=step["action"],
        conversation_at=datetime.fromisoformat(step["at"]),
        tz=step["tz"],
        due=due,
        counterpart_emails=frozenset(step.get("emails", [])),
        counterpart_domains=frozenset(step.get("domains", [])),
    )


def source_of(files: list[str], tz: str) -> IcsSource:
    return IcsSource([IcsInput(name, (DATA / name).read_bytes()) for name in files], tz=tz)


def test_every_fixture_is_used_by_a_case() -> None:
    used = {name for case in CASES for name in case["files"]}
    assert used == {p.name for p in DATA.glob("*.ics")}
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    query = query_of(case["step"])
    source = source_of(case["files"], case["step"]["tz"])
    check = check_listing(query, source.events(window_for(query)), now=NOW)
    assert check.status == case["status"], check.reason
    assert check.checked_at == NOW
    if "reason" in case:
        assert check.reason is not None and case["reason"] in check.reason
    if "accepted_by" in case:
        assert list(check.accepted_by) == case["accepted_by"]
    if check.status in (CalendarStatus.UNKNOWN, CalendarStatus.NO_INVITE):
        assert check.event is None
    else:
        assert check.event is not None and check.event.uid


def test_google_invite_fields() -> None:
    parsed = parse_ics((DATA / "google-invite-awaiting.ics").read_bytes())
    assert parsed.method == ItipMethod.REQUEST
    assert len(parsed.events) == 1
    event = parsed.events[0]
    assert event.start == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    assert event.organizer == "dana@northwind.example"
    assert event.link and event.link.startswith("https://www.google.com/calendar/event?eid=")
    assert [(a.email, a.partstat, a.optional) for a in event.attendees] == [
        ("dana@northwind.example", PartStat.ACCEPTED, False),
        ("priya@acme.example", PartStat.NEEDS_ACTION, False),
        ("miguel@acme.example", PartStat.NEEDS_ACTION, True),
    ]


def test_outlook_windows_zone_is_read_as_pacific_time() -> None:
    event = parse_ics((DATA / "outlook-invite-windows-zone.ics").read_bytes()).events[0]
    assert event.start == datetime(2026, 12, 2, 22, 0, tzinfo=UTC)  # 14:00 PST
    assert event.uid.startswith("040000008200E00074C5B7101A82E008")
    rooms = [a.email for a in event.attendees if a.resource]
    assert rooms == ["room4b@contoso.example"]


def test_berlin_invite_uses_winter_time_after_the_change() -> None:
    event = parse_ics((DATA / "apple-invite-berlin-dst.ics").read_bytes()).events[0]
    assert event.start == datetime(2026, 10, 28, 9, 0, tzinfo=UTC)  # 10:00 CET, not CEST


def test_a_file_that_is_not_icalendar_is_an_error_with_the_reason() -> None:
    with pytest.raises(IcsError) as caught:
        parse_ics(b"Subject: not a calendar\r\n\r\nhello", label="notes.ics")
    assert "notes.ics is not iCalendar" in caught.value.message


def test_an_event_with_a_broken_line_is_left_out_and_named() -> None:
    parsed = parse_ics((DATA / "bad-malformed.ics").read_bytes(), label="bad-malformed.ics")
    assert parsed.events == ()
    assert len(parsed.problems) == 1
    assert "this line is not a content line" in parsed.problems[0]


@pytest.mark.parametrize(
    "data", [b"", b"\x00\x01\x02binary", b"BEGIN:VCALENDAR\r\nMETHOD:SHOUT\r\nEND:VCALENDAR\r\n"]
)
def test_other_bad_input_is_an_error_not_a_crash(data: bytes) -> None:
    with pytest.raises(IcsError):
        parse_ics(data)


def test_problems_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.calendar.ics")
    parsed = parse_ics((DATA / "bad-no-dtstart.ics").read_bytes(), label="invite.ics")
    assert parsed.events == ()
    assert len(parsed.problems) == 1
    assert (
        "invite.ics: event 'Northwind / Acme: review the proposal' has no DTSTART"
        in (parsed.problems[0])
    )
    assert any("has no DTSTART" in r.getMessage() for r in caplog.records)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_any_bytes_are_read_or_refused_never_a_crash(data: bytes) -> None:
    try:
        parsed = parse_ics(data)
    except IcsError as error:
        assert error.message
        return
    assert isinstance(parsed.events, tuple)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=2000),
    st.sampled_from(sorted(p.name for p in DATA.glob("*.ics"))),
)
def test_a_cut_fixture_is_read_or_refused_never_a_crash(cut: int, name: str) -> None:
    data = (DATA / name).read_bytes()[:cut]
    try:
        parsed = parse_ics(data)
    except IcsError as error:
        assert error.message
        return
    assert all(isinstance(p, str) and p for p in parsed.problems)
