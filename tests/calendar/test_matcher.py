"""The pure matcher: which event is a step's, and its status. Table-driven, now pinned."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.fake import InMemoryCalendarSource
from bot.calendar.matcher import check_listing, match, unknown, window_for
from bot.calendar.model import (
    Attendee,
    CalendarEvent,
    CalendarStatus,
    EventStatus,
    Listing,
    MeetingQuery,
    PartStat,
)
from bot.errors import CalendarError

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
AGREED = datetime(2026, 11, 25, 10, 0, tzinfo=LA)
QUERY = MeetingQuery(
    action="review the proposal",
    conversation_at=datetime(2026, 11, 19, 15, 0, tzinfo=LA),
    tz="America/Los_Angeles",
    due=AGREED,
    counterpart_emails=frozenset({"priya@acme.example"}),
    counterpart_domains=frozenset({"acme.example"}),
    rep_emails=frozenset({"dana@northwind.example"}),
)
REP = Attendee("dana@northwind.example", PartStat.ACCEPTED, "Dana Reyes", organizer=True)


def event(
    *answers: PartStat,
    start: datetime | date = AGREED,
    title: str = "Review the proposal",
    who: str = "priya@acme.example",
    **changes,
) -> CalendarEvent:
    people = [REP] + [
        Attendee(who if i == 0 else f"guest{i}@acme.example", p) for i, p in enumerate(answers)
    ]
    end = start + timedelta(hours=1) if isinstance(start, datetime) else start
    base = CalendarEvent(
        uid="u1",
        start=start,
        end=end,
        title=title,
        organizer="dana@northwind.example",
        attendees=tuple(people),
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("name", "events", "status"),
    [
        ("nothing on the calendar", [], CalendarStatus.NO_INVITE),
        ("invite not answered", [event(PartStat.NEEDS_ACTION)], CalendarStatus.AWAITING),
        ("accepted", [event(PartStat.ACCEPTED)], CalendarStatus.ACCEPTED),
        ("tentative", [event(PartStat.TENTATIVE)], CalendarStatus.TENTATIVE),
        ("declined", [event(PartStat.DECLINED)], CalendarStatus.DECLINED),
        (
            "one declined, one accepted",
            [event(PartStat.DECLINED, PartStat.ACCEPTED)],
            CalendarStatus.ACCEPTED,
        ),
        (
            "delegated to a colleague who accepted",
            [event(PartStat.DELEGATED, PartStat.ACCEPTED)],
            CalendarStatus.ACCEPTED,
        ),
        (
            "delegated to a colleague who declined",
            [event(PartStat.DELEGATED, PartStat.DECLINED)],
            CalendarStatus.DECLINED,
        ),
        (
            "delegated and the delegate has not answered",
            [event(PartStat.DELEGATED, PartStat.NEEDS_ACTION)],
            CalendarStatus.AWAITING,
        ),
        (
            "delegated, no delegate of theirs on it",
            [event(PartStat.DELEGATED)],
            CalendarStatus.AWAITING,
        ),
        (
            "cancelled beats accepted",
            [event(PartStat.ACCEPTED, status=EventStatus.CANCELLED)],
            CalendarStatus.CANCELLED,
        ),
        (
            "an hour later is moved",
            [event(PartStat.ACCEPTED, start=AGREED + timedelta(hours=1))],
            CalendarStatus.MOVED,
        ),
        (
            "the next day is moved",
            [event(PartStat.NEEDS_ACTION, start=AGREED + timedelta(days=1))],
            CalendarStatus.MOVED,
        ),
        (
            "someone else from their company",
            [event(PartStat.ACCEPTED, who="miguel@acme.example")],
            CalendarStatus.ACCEPTED,
        ),
        (
            "only other companies invited",
            [event(PartStat.ACCEPTED, who="lee@globex.example")],
            CalendarStatus.NO_INVITE,
        ),
        (
            "they organised it",
            [event(organizer="priya@acme.example", attendees=(REP,))],
            CalendarStatus.ACCEPTED,
        ),
        (
            "outside the window",
            [event(PartStat.ACCEPTED, start=AGREED + timedelta(days=40))],
            CalendarStatus.NO_INVITE,
        ),
        (
            "a room is not the other side",
            [
                event(
                    attendees=(REP, Attendee("room@acme.example", PartStat.ACCEPTED, resource=True))
                )
            ],
            CalendarStatus.NO_INVITE,
        ),
    ],
)
def test_status(name: str, events: list[CalendarEvent], status: CalendarStatus) -> None:
    check = match(QUERY, events, now=NOW)
    assert check.status == status, (name, check.reason)
    assert check.checked_at == NOW


def test_the_event_at_the_agreed_time_wins_over_a_later_one() -> None:
    agreed = event(PartStat.NEEDS_ACTION, uid="agreed")
    later = event(PartStat.ACCEPTED, start=AGREED + timedelta(days=2), uid="later")
    check = match(QUERY, [later, agreed], now=NOW)
    assert check.event is not None and check.event.uid == "agreed"
    assert check.status == CalendarStatus.AWAITING


def test_title_words_pick_between_two_meetings_with_the_same_people() -> None:
    day = datetime(2026, 11, 20, 9, 0, tzinfo=LA)
    query = replace(QUERY, due=None)
    lunch = event(PartStat.ACCEPTED, start=day, title="Lunch", uid="lunch")
    review = event(
        PartStat.NEEDS_ACTION, start=day + timedelta(days=3), title="Proposal review", uid="review"
    )
    check = match(query, [lunch, review], now=NOW)
    assert check.event is not None and check.event.uid == "review"


def test_a_step_without_time_looks_from_the_conversation_onward() -> None:
    query = replace(QUERY, due=None)
    window = window_for(query)
    assert window.start == query.conversation_at
    assert window.end - window.start == timedelta(days=30)
    before = event(PartStat.ACCEPTED, start=query.conversation_at - timedelta(days=2))
    assert match(query, [before], now=NOW).status == CalendarStatus.NO_INVITE
    after = event(PartStat.ACCEPTED, start=AGREED + timedelta(days=3))
    assert match(query, [after], now=NOW).status == CalendarStatus.ACCEPTED  # no time: not moved


def test_a_day_only_step_matches_any_time_that_day() -> None:
    query = replace(QUERY, due=date(2026, 11, 25))
    later_that_day = event(PartStat.ACCEPTED, start=datetime(2026, 11, 25, 16, 0, tzinfo=LA))
    assert match(query, [later_that_day], now=NOW).status == CalendarStatus.ACCEPTED
    next_day = event(PartStat.ACCEPTED, start=datetime(2026, 11, 26, 9, 0, tzinfo=LA))
    assert match(query, [next_day], now=NOW).status == CalendarStatus.MOVED


def test_without_their_addresses_title_or_time_must_match_and_the_organiser_is_the_rep() -> None:
    query = replace(
        QUERY,
        counterpart_emails=frozenset(),
        counterpart_domains=frozenset(),
        rep_emails=frozenset(),
    )
    unrelated = event(PartStat.ACCEPTED, title="Dentist", start=AGREED + timedelta(days=1))
    assert match(query, [unrelated], now=NOW).status == CalendarStatus.NO_INVITE
    ours = event(PartStat.NEEDS_ACTION, title="Proposal review", start=AGREED)
    check = match(query, [ours], now=NOW)
    assert check.status == CalendarStatus.AWAITING
    assert [a.email for a in check.answered] == ["priya@acme.example"]


def test_a_failed_read_is_unknown_with_why_never_no_invite() -> None:
    check = unknown("Google answered 401: the token was revoked.", now=NOW)
    assert check.status == CalendarStatus.UNKNOWN
    assert check.event is None
    assert "revoked" in (check.reason or "")
    listing = Listing((), ("invite.ics: event 'x' has no DTSTART, so its time is unknown.",))
    assert check_listing(QUERY, listing, now=NOW).status == CalendarStatus.UNKNOWN


def test_the_fake_source_fails_like_a_real_one() -> None:
    source = InMemoryCalendarSource([event(PartStat.ACCEPTED)])
    assert check_listing(QUERY, source.events(window_for(QUERY)), now=NOW).status == "accepted"
    broken = InMemoryCalendarSource(failure="the calendar is not shared with nextstep")
    with pytest.raises(CalendarError, match="not shared"):
        broken.events(window_for(QUERY))
    assert (source.reads, broken.reads) == (1, 1)


def test_reason_names_who_has_not_answered_and_the_moved_time() -> None:
    awaiting = match(QUERY, [event(PartStat.NEEDS_ACTION)], now=NOW)
    assert awaiting.reason == "priya@acme.example has not answered the invite yet."
    moved = match(QUERY, [event(PartStat.ACCEPTED, start=AGREED + timedelta(hours=2))], now=NOW)
    assert moved.reason == (
        "The event is at Wed 25 Nov 2026 12:00, not at the agreed Wed 25 Nov 2026 10:00."
    )


def test_a_delegated_invite_says_it_waits_for_the_delegate() -> None:
    check = match(QUERY, [event(PartStat.DELEGATED)], now=NOW)
    assert check.status == CalendarStatus.AWAITING
    assert (
        check.reason
        == "priya@acme.example passed the invite on to someone else, who has not answered yet."
    )


def test_the_core_imports_no_outside_service() -> None:
    code = (
        "import sys, bot.calendar.matcher, bot.calendar.effects, bot.calendar.itip, "
        "bot.calendar.fake; "
        "print(sorted(m for m in ('sqlmodel','googleapiclient','icalendar','slack_bolt',"
        "'httplib2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
