"""Engines, sessions and schema upgrades. Nothing connects at import time.

``make_engine(url)`` gives an engine tuned for the database behind the URL (for SQLite:
the data directory is created, WAL, foreign keys, a busy timeout), ``session_scope``
a session that commits on success and rolls back on error, and ``upgrade(url)`` brings
the schema to the newest migration using the Alembic environment shipped inside this
package, so it works wherever the package is installed.
"""

from __future__ import annotations

import os
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
CONNECT_TIMEOUT_SECONDS = 10.0
STATEMENT_TIMEOUT_SECONDS = 60.0


def make_engine(
    url: str,
    *,
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    statement_timeout: float = STATEMENT_TIMEOUT_SECONDS,
    **kwargs: Any,
) -> Engine:
    """An engine for ``url``; on SQLite the file (0600: it holds raw mail) and its
    folder are created and tuned. On PostgreSQL a connection attempt and a statement
    are bounded by the timeouts (seconds; 0 for none), so a database that hangs makes
    an error, not a wait."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.get_backend_name() == "postgresql":
            given = parsed.query.get("options")
            options = " ".join(given) if isinstance(given, tuple) else given
            timeouts = _postgres_timeouts(connect_timeout, statement_timeout, options)
            kwargs.setdefault("connect_args", timeouts)
        return sa.create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as error:
            raise StorageError(f"Cannot create {parsed.database}: {error}") from None
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    engine = sa.create_engine(url, connect_args=connect_args, **kwargs)
    event.listen(engine, "connect", _tune_sqlite)
    return engine


def _postgres_timeouts(connect: float, statement: float, options: str | None) -> dict[str, Any]:
    """libpq connection arguments; ``options`` from the URL are kept."""
    args: dict[str, Any] = {}
    if connect > 0:
        args["connect_timeout"] = max(1, round(connect))  # libpq takes whole seconds
    if statement > 0:
        timeout = f"-c statement_timeout={round(statement * 1000)}"
        args["options"] = f"{options} {timeout}" if options else timeout
    return args


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a commit is on disk
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


def upgrade(
    url: str,
    revision: str = "head",
    *,
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    statement_timeout: float = STATEMENT_TIMEOUT_SECONDS,
) -> str | None:
    """Run the migrations up to ``revision``; return the revision now current."""
    engine = make_engine(url, connect_timeout=connect_timeout, statement_timeout=statement_timeout)
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


def current_revision(
    url: str, *, engine: Engine | None = None, connect_timeout: float = CONNECT_TIMEOUT_SECONDS
) -> str | None:
    """The schema's migration revision, or None for an empty database."""
    own = engine is None
    engine = engine or make_engine(url, connect_timeout=connect_timeout)
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
