"""Engines, sessions and schema upgrades. Nothing connects at import time.

``make_engine(url)`` gives an engine tuned for the database behind the URL (for SQLite:
the data directory is created, WAL, foreign keys, a busy timeout), ``session_scope``
a session that commits on success and rolls back on error, and ``upgrade(url)`` brings
the schema to the newest migration using the Alembic environment shipped inside this
package, so it works wherever the package is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from bot.errors import NextStepError, StorageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; on SQLite the file's folder is created and tuned."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        try:
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"Cannot create the folder for {parsed.database}: {error}") from None
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    engine = sa.create_engine(url, connect_args=connect_args, **kwargs)
    event.listen(engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises.

    Objects stay readable after the commit (``expire_on_commit=False``). A storage
    error raised inside a column type (a naive datetime) reaches the caller as the
    ``NextStepError`` it is, not wrapped in SQLAlchemy's ``StatementError``.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except exc.StatementError as error:
        session.rollback()
        if isinstance(error.orig, NextStepError):
            raise error.orig from error
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str) -> Config:
    """Alembic's configuration for ``url``, pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url  # not via the ini option: '%' in passwords
    return config


def upgrade(url: str, revision: str = "head") -> str | None:
    """Run the migrations up to ``revision``; return the revision now current."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return current_revision(url, engine=engine)
    except exc.OperationalError as error:
        raise StorageError(f"{_safe(url)}: {error.orig}") from error
    finally:
        engine.dispose()


def current_revision(url: str, *, engine: Engine | None = None) -> str | None:
    """The schema's migration revision, or None for an empty database."""
    own = engine is None
    engine = engine or make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except exc.OperationalError as error:
        raise StorageError(f"{_safe(url)}: {error.orig}") from error
    finally:
        if own:
            engine.dispose()


def head_revision() -> str | None:
    """The newest migration shipped with this version of nextstep."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
