"""Dates as clients write them in forwarded headers and attribution lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.mail.dates import is_assumed, parse_written_date

PST = timezone(timedelta(hours=-8))
CONTEXT = datetime(2026, 11, 20, 9, 0, tzinfo=PST)  # the enclosing message's Date


@pytest.mark.parametrize(
    ("text", "expected", "assumed"),
    [
        ("Thu, 19 Nov 2026 15:02:11 -0800", datetime(2026, 11, 19, 15, 2, 11, tzinfo=PST), False),
        ("Thu, 19 Nov 2026 23:02:11 +0000", datetime(2026, 11, 19, 23, 2, 11, tzinfo=UTC), False),
        ("Thu, Nov 19, 2026 at 3:02 PM", datetime(2026, 11, 19, 15, 2, tzinfo=PST), True),
        ("Thursday, November 19, 2026 3:02 PM", datetime(2026, 11, 19, 15, 2, tzinfo=PST), True),
        (
            "Thursday, November 19, 2026 3:02:11 PM",
            datetime(2026, 11, 19, 15, 2, 11, tzinfo=PST),
            True,
        ),
        (
            "November 19, 2026 at 3:02:15 PM EST",
            datetime(2026, 11, 19, 15, 2, 15, tzinfo=timezone(timedelta(hours=-5))),
            False,
        ),
        ("Nov 19, 2026, at 3:02 PM", datetime(2026, 11, 19, 15, 2, tzinfo=PST), True),
        ("11/19/26, 3:02 PM", datetime(2026, 11, 19, 15, 2, tzinfo=PST), True),
        ("jeu. 19 nov. 2026 à 15:02", datetime(2026, 11, 19, 15, 2, tzinfo=PST), True),
        ("Do., 19. Nov. 2026 um 15:02 Uhr", datetime(2026, 11, 19, 15, 2, tzinfo=PST), True),
        ("jue, 19 nov 2026 a las 15:02", datetime(2026, 11, 19, 15, 2, tzinfo=PST), True),
        (
            "Thursday at 3:02 PM",
            datetime(2026, 11, 19, 15, 2, tzinfo=PST),
            True,
        ),  # year from context
    ],
)
def test_written_dates(text: str, expected: datetime, assumed: bool) -> None:
    written = parse_written_date(text, context=CONTEXT)
    assert written is not None
    assert written.value == expected
    assert written.value.utcoffset() == (PST.utcoffset(None) if assumed else expected.utcoffset())
    assert written.zone_assumed is assumed
    assert is_assumed(written.value) is assumed


@pytest.mark.parametrize("text", ["", "   ", "garbage words here", None, "Re: the proposal"])
def test_not_a_date(text: str | None) -> None:
    assert parse_written_date(text, context=CONTEXT) is None


def test_without_context_a_zoneless_date_is_utc_and_marked_assumed() -> None:
    written = parse_written_date("Thu, Nov 19, 2026 at 3:02 PM", context=None)
    assert written is not None and written.zone_assumed
    assert written.value.utcoffset() == timedelta(0) and is_assumed(written.value)


def test_without_context_a_date_missing_its_year_is_not_guessed_from_the_clock() -> None:
    assert parse_written_date("Thursday at 3:02 PM", context=None) is None
