"""Alembic environment for nextstep.

Run from code (``storage.db.upgrade``), the connection or URL arrives in
``config.attributes``; run from the ``alembic`` command with ``-c storage/alembic.ini``,
the URL comes from the settings (``DATABASE_URL`` or the SQLite file in the data dir).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (every table must be known before target_metadata)
from storage import api_models  # noqa: F401
from storage.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def database_url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if url:
        return str(url)
    from bot.config import Settings

    return Settings().sqlalchemy_url


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(database_url())
    try:
        with engine.begin() as own:
            run_with(own)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
