"""Datetimes come back as the same instant, aware and in UTC, on both databases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.errors import StorageError
from storage.db import session_scope
from storage.models import SyncState

pytestmark = pytest.mark.timeout(300)


def store(engine: Engine, when: datetime) -> datetime:
    with session_scope(engine) as session:
        state = SyncState(key=uuid.uuid4().hex, value={}, updated_at=when)
        session.add(state)
    with Session(engine) as session:
        stored = session.get(SyncState, state.id)
        assert stored is not None
        return stored.updated_at


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 11, 19, 15, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
        datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # just before DST
        datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # just after DST
        datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),  # 2nd 1:30
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=14))),
        datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
        datetime(2026, 6, 1, 9, 15, tzinfo=ZoneInfo("Asia/Kolkata")),  # a half-hour offset
    ],
    ids=["los-angeles", "berlin-pre-dst", "berlin-post-dst", "ny-fold", "kiribati", "utc", "india"],
)
def test_aware_datetime_round_trips_as_the_same_instant_in_utc(
    engine: Engine, when: datetime
) -> None:
    back = store(engine, when)

    assert back.tzinfo is UTC
    assert back == when.astimezone(UTC)  # (ambiguous local times never compare equal)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    when=st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.sampled_from(
            [UTC, ZoneInfo("America/Los_Angeles"), ZoneInfo("Australia/Lord_Howe")]
        ),
    )
)
def test_any_aware_datetime_round_trips(engine: Engine, when: datetime) -> None:
    assert store(engine, when) == when.astimezone(UTC)


def test_naive_datetime_is_refused_with_a_clear_error(engine: Engine) -> None:
    with pytest.raises(StorageError, match=r"naive datetime .* give it a time zone"):
        store(engine, datetime(2026, 11, 19, 15, 0))

    with Session(engine) as session:
        assert session.get(SyncState, 1) is None
