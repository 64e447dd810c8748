"""The email parser is pure: importing it pulls in no Slack, Google or database code."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("slack_bolt", "slack_sdk", "googleapiclient", "sqlmodel", "sqlalchemy")


def test_importing_the_parser_leaves_services_out() -> None:
    code = (
        "import json, sys; import bot.mail.parse; "
        f"print(json.dumps([m for m in {FORBIDDEN!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == []
