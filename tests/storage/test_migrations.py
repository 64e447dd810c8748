"""The migrations build exactly the schema the models describe, from anywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401
from storage.db import current_revision, head_revision, make_engine, upgrade


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)

    assert differences == []


def test_migrated_database_is_at_the_newest_revision(database_url: str) -> None:
    assert head_revision() is not None
    assert current_revision(database_url) == head_revision()


def test_upgrade_twice_changes_nothing(database_url: str) -> None:
    assert upgrade(database_url) == upgrade(database_url) == head_revision()


def test_fresh_sqlite_file_is_created_in_a_missing_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'not' / 'yet' / 'nextstep.db'}"

    assert current_revision(url) is None
    assert upgrade(url) == head_revision()
    assert (tmp_path / "not" / "yet" / "nextstep.db").is_file()


def test_downgrade_to_empty_and_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nextstep.db'}"
    upgrade(url)
    from alembic import command

    from storage.db import alembic_config

    command.downgrade(alembic_config(url), "base")
    assert current_revision(url) is None
    engine = make_engine(url)
    with engine.connect() as connection:
        tables = connection.exec_driver_sql("select name from sqlite_master where type='table'")
        assert {name for (name,) in tables} <= {"alembic_version"}
    engine.dispose()
    assert upgrade(url) == head_revision()


def test_upgrade_works_outside_the_repository(tmp_path: Path) -> None:
    """The Alembic environment is found inside the installed package, not via cwd."""
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    code = "import sys; from storage.db import upgrade; print(upgrade(sys.argv[1]))"

    done = subprocess.run(
        [sys.executable, "-c", code, url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == head_revision()


@pytest.mark.parametrize(
    "path",
    ["env.py", "script.py.mako", "versions/0001_initial_schema.py"],
)
def test_migration_files_ship_with_the_package(path: str) -> None:
    import importlib.resources

    assert importlib.resources.files("storage.migrations").joinpath(path).is_file()
