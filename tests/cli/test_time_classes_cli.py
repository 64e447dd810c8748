"""The time classes of issue 7 as a user meets them: `nextstep when --batch` and
`nextstep analyze --batch --format json` in a real process, every value with its offset.

2026-11-19 is a Thursday; 2026-12-01 a Tuesday.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LA = "America/Los_Angeles"
THU = "2026-11-19T15:00:00-08:00"
THU_8AM = "2026-11-19T08:00:00-08:00"

# (phrase, reference time, zone, the value of each phrase found)
WHEN = [
    ("by Friday", "2026-11-19T19:30:00-08:00", LA, ["2026-11-20T17:00:00-08:00"]),
    # Thursday evening in Pacific is already Friday in UTC: still this Friday.
    ("by Friday", "2026-11-20T03:30:00Z", LA, ["2026-11-20T17:00:00-08:00"]),
    ("by EOD Friday", "2026-11-20T14:00:00-08:00", LA, ["2026-11-20T17:00:00-08:00"]),
    ("end of the month", THU, LA, ["2026-11-30T17:00:00-08:00"]),
    ("the following Friday", THU, LA, ["2026-11-27"]),
    ("8 tonight", THU, LA, ["2026-11-19T20:00:00-08:00"]),
    ("tonight around 7", THU, LA, ["2026-11-19T19:00:00-08:00"]),
    ("9 tomorrow morning", THU, LA, ["2026-11-20T09:00:00-08:00"]),
    ("in 7 days at 5pm", THU, LA, ["2026-11-26T17:00:00-08:00"]),
    ("20 minutes to 2pm", THU_8AM, LA, ["2026-11-19T13:40:00-08:00"]),
    ("half an hour from now", THU, LA, ["2026-11-19T15:30:00-08:00"]),
    ("end of tomorrow", THU, LA, ["2026-11-20T17:00:00-08:00"]),
    ("the 20th of next month", THU, LA, ["2026-12-20"]),
    ("first Monday of this month", "2026-12-01T10:00:00-08:00", LA, ["2026-12-07"]),
    ("3 Fridays from now", THU, LA, ["2026-12-04"]),
    ("at five-thirty", THU_8AM, LA, ["2026-11-19T17:30:00-08:00"]),
    ("by the 18th of next month", "2026-11-30T09:40:00-08:00", LA, ["2026-12-18T17:00:00-08:00"]),
    (
        "the 20th of next month at 2pm",
        "2026-12-09T10:05:00+11:00",
        "Australia/Melbourne",
        ["2027-01-20", "2027-01-20T14:00:00+11:00"],
    ),
]


def run_batch(command: str, records: list[dict[str, object]]) -> list[dict[str, object]]:
    stdin = "".join(json.dumps(r) + "\n" for r in records)
    result = subprocess.run(
        [sys.executable, "-m", "bot", command, "--batch", "-", *(
            ["--format", "json"] if command == "analyze" else [])],
        input=stdin, capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "NEXTSTEP_DEBUG": ""}, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [line["id"] for line in lines] == [r["id"] for r in records]
    return lines


def test_when_resolves_every_time_class_with_the_reps_offset() -> None:
    records = [{"id": i, "text": p, "at": at, "tz": tz} for i, (p, at, tz, _) in enumerate(WHEN)]
    for line, (phrase, _, _, expected) in zip(run_batch("when", records), WHEN, strict=True):
        times = line["times"]
        assert isinstance(times, list)
        assert [t["value"] for t in times] == expected, phrase
        assert " ".join(t["text"] for t in times) == phrase


CONVERSATIONS = [
    # A deadline said on its own weekday before 17:00 is today.
    (
        "Tom Reid: Found it, the access points were on old firmware. I'll send the firmware "
        "report by EOD Friday.\nAisha Bello: Sounds good, thanks.\n",
        "2026-11-27T14:30:00+00:00", "Europe/London", "Tom Reid", "2026-11-27T17:00:00+00:00",
    ),
    # A clock time in the clause of a counted day takes that day.
    (
        "Wei Zhang: Can we do the access review on the 20th of next month at 2pm?\n"
        "Rob Finnegan: Yes, that works for us.\n",
        "2026-12-09T10:05:00+11:00", "Australia/Melbourne", "Wei Zhang",
        "2027-01-20T14:00:00+11:00",
    ),
    (
        "Dana Wu: Shall we do the hardware refresh review 3 Fridays from now at 11am?\n"
        "Sam Ortiz: Sure, works for me.\n",
        "2026-12-30T15:00:00-05:00", "America/New_York", "Dana Wu", "2027-01-15T11:00:00-05:00",
    ),
]  # fmt: skip


def test_analyze_json_gives_the_step_its_resolved_due_with_the_offset() -> None:
    records = [
        {"id": i, "text": text, "at": at, "tz": tz, "rep": rep, "kind": "transcript"}
        for i, (text, at, tz, rep, _) in enumerate(CONVERSATIONS)
    ]
    for line, conversation in zip(run_batch("analyze", records), CONVERSATIONS, strict=True):
        steps = line["steps"]
        assert isinstance(steps, list) and steps, line
        assert [s["due"] for s in steps if s["due"]] == [conversation[-1]]
