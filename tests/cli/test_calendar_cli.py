"""`nextstep analyze --calendar` as a user runs it: a real process, real .ics files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALL = str(ROOT / "examples" / "discovery-call.vtt")
ICS = ROOT / "tests" / "data" / "ics"
LA = "America/Los_Angeles"


def nextstep(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEXTSTEP_DEBUG": "", "NEXTSTEP_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def analyze(
    *calendars: str, data_dir: Path, output: str = "json"
) -> subprocess.CompletedProcess[str]:
    options = [x for name in calendars for x in ("--calendar", str(ICS / name))]
    return nextstep(
        "analyze", CALL, "--rep", "Dana Reyes", "--tz", LA, "--at", "2026-11-19T15:00",
        "--format", output, *options, data_dir=data_dir,
    )  # fmt: skip


def test_each_meeting_step_gains_its_calendar_status(tmp_path: Path) -> None:
    result = analyze("google-invite-awaiting.ics", "google-reply-accepted.ics", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == 1
    steps = {s["action"]: s for s in report["steps"]}
    assert len(steps) == 3
    assert "calendar" not in steps["send the proposal and the security questionnaire"]
    review = steps["review the proposal"]["calendar"]
    assert review["status"] == "accepted"
    assert review["reason"] is None
    assert review["checked_at"]
    assert review["event"] == {
        "uid": "5k2q9v3hb1c0u7o0j0v8p5s1ds@google.com",
        "start": "2026-11-25T10:00:00-08:00",
        "end": "2026-11-25T10:45:00-08:00",
        "title": "Northwind / Acme: review the proposal",
        "organizer": "dana@northwind.example",
        "link": "https://www.google.com/calendar/event?eid=NWsycTl2M2hiMWMwdTdvMGowdjhwNXMxZHM",
        "attendees": [
            {"email": "dana@northwind.example", "partstat": "accepted"},
            {"email": "priya@acme.example", "partstat": "accepted"},
            {"email": "miguel@acme.example", "partstat": "needs-action"},
        ],
    }
    # The workshop waits for its trigger: no invite yet is no finding.
    workshop = steps["onboarding workshop"]
    assert workshop["calendar"]["status"] == "no_invite" and workshop["calendar"]["event"] is None
    assert "no_invite" not in [f["code"] for f in workshop["findings"]]


def test_a_cancelled_invite_unsecures_the_call(tmp_path: Path) -> None:
    result = analyze(
        "google-invite-awaiting.ics", "google-reply-accepted.ics", "google-cancel.ics",
        data_dir=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["next_steps_secured"] is False and report["tier"] == "none"
    assert "was cancelled" in report["reason"]
    review = next(s for s in report["steps"] if s["action"] == "review the proposal")
    assert review["secured"] is False
    assert review["calendar"]["status"] == "cancelled"
    assert "invite_cancelled" in [f["code"] for f in review["findings"]]


def test_unreadable_calendar_is_unknown_with_why_and_no_traceback(tmp_path: Path) -> None:
    result = analyze("bad-unknown-tzid.ics", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    review = next(s for s in report["steps"] if s["action"] == "review the proposal")
    assert review["calendar"]["status"] == "unknown"
    assert "Customized Time Zone 7" in review["calendar"]["reason"]
    assert review["secured"] is True  # a calendar that could not be read changes nothing


def test_text_report_lists_the_calendar(tmp_path: Path) -> None:
    result = analyze("google-invite-awaiting.ics", data_dir=tmp_path, output="text")
    assert result.returncode == 0, result.stderr
    words = " ".join(result.stdout.split())  # the console wraps long lines
    assert (
        "Calendar - review the proposal: awaiting 'Northwind / Acme: review the proposal' " in words
    )
    assert (
        "Wed 25 Nov 2026 10:00 (priya@acme.example and Miguel Torres have not answered the invite yet.)"
        in words
    )


def test_missing_calendar_file_is_a_usage_error(tmp_path: Path) -> None:
    result = nextstep(
        "analyze", CALL, "--tz", LA, "--at", "2026-11-19T15:00", "--calendar", "nope.ics",
        data_dir=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2
    assert "no such calendar file: nope.ics" in result.stderr
    assert "Traceback" not in result.stderr
