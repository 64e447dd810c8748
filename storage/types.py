"""Column types shared by the models.

SQLite has no time zones: it keeps whatever wall-clock time it is given and hands back
a naive value. PostgreSQL's ``timestamptz`` keeps the instant. ``UTCDateTime`` makes
both behave the same: it stores UTC, always returns an aware UTC datetime, and refuses
naive datetimes instead of guessing which zone they were meant in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

from bot.errors import StorageError


class UTCDateTime(sa.TypeDecorator[datetime]):
    """An aware datetime, stored as UTC; naive input is refused."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def __repr__(self) -> str:  # how migrations render it
        return "UTCDateTime()"

    def coerce_compared_value(self, op: Any, value: Any) -> sa.types.TypeEngine[Any]:
        if isinstance(value, timedelta):
            return sa.Interval()
        return self

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise StorageError(f"Expected a datetime, got {type(value).__name__}: {value!r}.")
        if value.tzinfo is None or value.utcoffset() is None:
            raise StorageError(
                f"A naive datetime ({value.isoformat()}) cannot be stored: "
                "give it a time zone, e.g. datetime(..., tzinfo=UTC)."
            )
        utc = value.astimezone(UTC)
        # SQLite would write the offset-less wall clock anyway; make it the UTC one.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def json_type() -> sa.types.TypeEngine[Any]:
    """JSON everywhere, stored as ``jsonb`` on PostgreSQL so it can be queried."""
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
