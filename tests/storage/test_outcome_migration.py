"""Migration 0005_outcome fills conversation.outcome from what was stored before it:
secured from the verdict, clear_no from the stored analysis, open for the rest (an
analysis stored before outcomes were named called them 'unsecured')."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from storage.db import make_engine, upgrade

INSERT = sa.text(
    "insert into conversation (id, source, reference_time, tz, participants, kind, "
    "next_steps_secured, tier, reason, analysed_at, schema_version, analysis, created_at, "
    "updated_at) values (:id, 'cli', '2026-11-19 12:00:00', 'UTC', '[]', 'transcript', "
    ":secured, :tier, '', '2026-11-19 12:00:00', 1, :analysis, '2026-11-19 12:00:00', "
    "'2026-11-19 12:00:00')"
)


def test_upgrade_fills_the_outcome_of_stored_conversations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nextstep.db'}"
    upgrade(url, "0002_slack")
    engine = make_engine(url)
    rows = [
        (1, True, "gold", {"outcome": "secured"}),
        (2, False, "none", {"outcome": "clear_no"}),
        (3, False, "none", {"outcome": "unsecured"}),
        (4, False, "none", {}),
    ]
    with engine.begin() as connection:
        for id_, secured, tier, analysis in rows:
            connection.execute(
                INSERT,
                {"id": id_, "secured": secured, "tier": tier, "analysis": json.dumps(analysis)},
            )
    engine.dispose()

    assert upgrade(url, "0005_outcome") == "0005_outcome"

    engine = make_engine(url)
    with engine.connect() as connection:
        found = dict(connection.execute(sa.text("select id, outcome from conversation")).all())
    engine.dispose()
    assert found == {1: "secured", 2: "clear_no", 3: "open", 4: "open"}
