"""Shared fixtures.

``database_url`` runs a test once on SQLite (a file in a temporary folder) and once on
PostgreSQL (``NEXTSTEP_TEST_DATABASE_URL``, default the local server's ``test``
database). Each test session migrates its own SQLite file and its own uniquely named
PostgreSQL schema once; every test then starts from empty tables. When the PostgreSQL
server cannot be reached its tests are skipped, except under ``CI=true``, where that is
a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from bot.config import Settings

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_server_url() -> str:
    return os.environ.get("NEXTSTEP_TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)


def with_search_path(url: str, schema: str) -> str:
    """``url`` with every connection's search_path set to ``schema``."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An engine on the PostgreSQL server, or a skip (a failure under CI=true)."""
    url = postgres_server_url()
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3}, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
    except sa.exc.OperationalError as error:
        engine.dispose()
        where = make_url(url).render_as_string(hide_password=True)
        message = f"PostgreSQL at {where} is not reachable: {error.orig}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url(postgres_admin: Engine) -> Iterator[str]:
    """A migrated schema of its own on the PostgreSQL server, for this test session."""
    from storage.db import upgrade

    schema = f"nextstep_test_{uuid.uuid4().hex[:12]}"
    with postgres_admin.begin() as connection:
        connection.execute(sa.text(f'create schema "{schema}"'))
    url = with_search_path(postgres_server_url(), schema)
    try:
        upgrade(url)
        yield url
    finally:
        with postgres_admin.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file for this test session."""
    from storage.db import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'nextstep.db'}"
    upgrade(url)
    return url


def clear_tables(url: str) -> None:
    """Empty every table of the models (the schema and its migration stay)."""
    import storage.models  # noqa: F401
    from storage import api_models  # noqa: F401

    tables = list(reversed(SQLModel.metadata.sorted_tables))
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("set local lock_timeout = '10s'"))
                names = ", ".join(f'"{table.name}"' for table in tables)
                connection.execute(sa.text(f"truncate {names} restart identity cascade"))
            else:
                for table in tables:
                    connection.execute(table.delete())
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated, empty database: SQLite, then PostgreSQL."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    clear_tables(url)
    yield url
    clear_tables(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    from storage.db import make_engine

    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def db_settings(database_url: str, tmp_path: os.PathLike[str]) -> Settings:
    """Settings on the test database, with no time zone to fall back on."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        database_url=database_url,
        default_tz=None,
    )
