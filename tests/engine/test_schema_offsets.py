"""Every date-time in the JSON output carries the rep's UTC offset, whatever zone the
reference time, the email dates or the text were written in: through the command line
as a user runs it, and at the renderer for a value that arrives without an offset."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.engine.schema import when_to_json

ROOT = Path(__file__).resolve().parents[2]
DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[+-]\d\d:\d\d|Z)?$")
REPLY = """\
From: Priya Shah <priya@northwind.example>
To: Dana Reyes <dana@acme.example>
Subject: Re: Proposal review
Date: Fri, 20 Nov 2026 09:15:00 +0100

Thursday at 3pm ET works for me, see you then.

On Thu, 19 Nov 2026 at 23:40, Dana Reyes <dana@acme.example> wrote:
> Could we review the proposal together Thursday at 3pm ET? I'll send the deck by EOD Monday.
"""


def nextstep(*args: str) -> dict[str, Any]:
    env = {**os.environ, "NEXTSTEP_DEBUG": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def date_times(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for value in node.values() for v in date_times(value)]
    if isinstance(node, list):
        return [v for value in node for v in date_times(value)]
    return [node] if isinstance(node, str) and DATE_TIME.match(node) else []


def assert_in_reps_offset(values: list[str], tz: str) -> None:
    for text in values:
        value = datetime.fromisoformat(text)
        assert value.utcoffset() is not None, text
        assert value.utcoffset() == value.astimezone(ZoneInfo(tz)).utcoffset(), text


@pytest.mark.parametrize("tz", ["America/Los_Angeles", "Asia/Kolkata"])
def test_analyze_json_gives_every_date_time_the_reps_offset(tmp_path: Path, tz: str) -> None:
    mail = tmp_path / "reply.eml"
    mail.write_text(REPLY, encoding="utf-8")
    report = nextstep("analyze", str(mail), "--tz", tz, "--rep", "dana@acme.example",
                      "--format", "json")  # fmt: skip
    found = date_times(report)
    dues = [s["due"] for s in report["steps"] if s["due"] and "T" in s["due"]]
    assert len(dues) >= 2 and report["conversation"]["reference_time"] in found
    assert_in_reps_offset(found, tz)


def test_analyze_json_with_a_utc_reference_time_is_shown_in_the_reps_zone() -> None:
    text = "Dana: Can we review it Tuesday at 2pm?\nSam: Sounds good, see you then.\n"
    env = {**os.environ, "NEXTSTEP_DEBUG": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "analyze", "-", "--tz", "America/New_York", "--at",
         "2026-11-19T23:00:00Z", "--rep", "Dana", "--format", "json"],
        input=text, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["conversation"]["reference_time"] == "2026-11-19T18:00:00-05:00"
    assert [s["due"] for s in out["steps"]] == ["2026-11-24T14:00:00-05:00"]
    assert_in_reps_offset(date_times(out), "America/New_York")


def test_when_json_shows_the_reference_time_in_the_reps_zone() -> None:
    out = nextstep("when", "by Friday; Jan 15; in half an hour", "--at", "2026-11-19T23:00:00Z",
                   "--tz", "America/Los_Angeles", "--format", "json")  # fmt: skip
    assert out["reference_time"] == "2026-11-19T15:00:00-08:00"
    assert len(out["times"]) == 3
    assert_in_reps_offset(date_times(out), "America/Los_Angeles")


def test_the_renderer_never_emits_a_date_time_without_an_offset() -> None:
    naive = datetime(2026, 11, 24, 14, 0)
    assert when_to_json(naive, "America/Los_Angeles") == "2026-11-24T14:00:00-08:00"
    utc = datetime(2026, 11, 24, 22, 0, tzinfo=ZoneInfo("UTC"))
    assert when_to_json(utc, "America/Los_Angeles") == "2026-11-24T14:00:00-08:00"
    assert when_to_json(date(2026, 11, 24), "America/Los_Angeles") == "2026-11-24"
    with pytest.raises(ValueError, match="no UTC offset"):
        when_to_json(naive)
