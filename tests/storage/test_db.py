"""Engines, sessions and what a user sees when the database cannot be used."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.errors import StorageError
from storage.db import current_revision, make_engine, session_scope, upgrade
from storage.models import SyncState

NOW = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)


def test_sqlite_engine_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'nextstep.db'}")
    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    engine.dispose()

    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000}
    assert (tmp_path / "data").is_dir()


def test_session_scope_commits_on_success(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(SyncState(key="gmail:dana", value={"history_id": "42"}, updated_at=NOW))

    with Session(engine) as session:
        assert session.exec(select(SyncState.value)).all() == [{"history_id": "42"}]


def test_session_scope_rolls_back_when_the_block_fails(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        session.add(SyncState(key="gmail:dana", value={}, updated_at=NOW))
        session.flush()
        raise RuntimeError("boom")

    with Session(engine) as session:
        assert session.exec(select(SyncState)).all() == []


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/none?connect_timeout=2",
        "sqlite:////proc/not-writable/nextstep.db",
    ],
    ids=["postgres-down", "sqlite-unwritable"],
)
def test_unusable_database_gives_a_storage_error_without_the_password(url: str) -> None:
    with pytest.raises(StorageError) as raised:
        upgrade(url)

    assert raised.value.exit_code == 5
    assert "s3cret" not in raised.value.message
    with pytest.raises(StorageError):
        current_revision(url)
