"""The engine and the loaders are a functional core: no Slack, Google, database or env."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("slack_bolt", "slack_sdk", "googleapiclient", "sqlmodel", "sqlalchemy")


def test_importing_the_engine_leaves_outside_services_unloaded() -> None:
    code = (
        "import sys\n"
        "import bot.engine, bot.engine.timex, bot.engine.schema, bot.loaders\n"
        "from bot.loaders import load_text\n"
        "from datetime import datetime, timezone\n"
        "bot.engine.analyze(load_text('I will send the deck Monday.', at=datetime(2026, 11, 19, "
        "tzinfo=timezone.utc), tz='UTC'))\n"
        f"print(sorted(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("package", ["bot/engine", "bot/loaders"])
def test_core_reads_no_environment(package: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"\bos\.environ\b|\bgetenv\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
