"""Migration 0004_verdict_history over a database with conversations in it, on SQLite
and PostgreSQL: each stored verdict becomes its first history, and two conversations
left by the old thread race no longer block the unique thread key."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine

from storage.db import alembic_config, current_revision, head_revision, make_engine
from tests.conftest import postgres_server_url, with_search_path

AT = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema yet: a new SQLite file or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nextstep.db'}"
        return
    admin: Engine = request.getfixturevalue("postgres_admin")
    schema = f"nextstep_migration_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'create schema "{schema}"'))
    try:
        yield with_search_path(postgres_server_url(), schema)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))


def add_conversation(connection: sa.Connection, thread_key: str | None, secured: bool) -> None:
    conversation = sa.table(
        "conversation",
        *(
            sa.column(name)
            for name in (
                "source", "thread_key", "reference_time", "tz", "participants", "kind",
                "next_steps_secured", "tier", "reason", "analysed_at", "schema_version",
                "analysis", "created_at", "updated_at",
            )
        ),
    )  # fmt: skip
    stamp = AT.replace(tzinfo=None) if connection.dialect.name == "sqlite" else AT
    connection.execute(
        sa.insert(conversation).values(
            source="smtp",
            thread_key=thread_key,
            reference_time=stamp,
            tz="UTC",
            participants=sa.literal("[]", sa.JSON()),
            kind="email",
            next_steps_secured=secured,
            tier="gold" if secured else "none",
            reason="Secured (gold): demo." if secured else "Not secured.",
            analysed_at=stamp,
            schema_version=1,
            analysis=sa.literal("{}", sa.JSON()),
            created_at=stamp,
            updated_at=stamp,
        )
    )


def test_upgrade_keeps_verdicts_as_history_and_one_conversation_per_thread_key(
    empty_url: str,
) -> None:
    config = alembic_config(empty_url)
    command.upgrade(config, "0002_slack")
    engine = make_engine(empty_url)
    try:
        with engine.begin() as connection:
            add_conversation(connection, "kickoff@acme.example", False)
            add_conversation(connection, "kickoff@acme.example", True)  # the race's twin
            add_conversation(connection, None, True)
        command.upgrade(config, "heads")
        assert current_revision(empty_url) == head_revision()
        with engine.connect() as connection:
            keys = connection.execute(
                sa.text("select id, thread_key from conversation order by id")
            ).all()
            history = connection.execute(
                sa.text(
                    "select conversation_id, secured_before, secured_after, tier_after, cause "
                    "from verdict_change order by conversation_id"
                )
            ).all()
        assert [tuple(k) for k in keys] == [(1, "kickoff@acme.example"), (2, None), (3, None)]
        assert [tuple(h) for h in history] == [
            (1, None, False, "none", "analysis"),
            (2, None, True, "gold", "analysis"),
            (3, None, True, "gold", "analysis"),
        ]
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            add_conversation(connection, "kickoff@acme.example", True)
    finally:
        engine.dispose()
