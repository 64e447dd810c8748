"""What a new user ran into, each through the path they took: the `nextstep` process
(``python -m bot``), its messages, exit codes and what it stored."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "ingest"
JORDAN = "jordan.blake@northwind-analytics.com"
PREFIX = "The command was given options that do not fit together."


def nextstep(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEXTSTEP_")}
    environment.update(
        DATABASE_URL=database_url,
        NEXTSTEP_DATA_DIR=str(tmp_path / "data"),
        NEXTSTEP_BOT_ADDRESS="nextstep@northwind-analytics.com",
        TZ="America/New_York",
        COLUMNS="200",
    )
    return environment


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "/no/such/file.txt", "--tz", "UTC"], "No such file: /no/such/file.txt"),
        (["analyze", "FOLDER", "--tz", "UTC"], "is a folder; analyze reads one file"),
        (["reps", "add", "not-an-address"], "'not-an-address' is not an email address."),
        (["analyze", "-", "--tz", "UTC", "--at", "next tuesday"], "--at 'next tuesday' is not"),
    ],
    ids=["missing-file", "folder", "bad-address", "bad-at"],
)
def test_usage_errors_say_what_was_wrong_without_a_generic_preamble(
    env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    args = [str(tmp_path) if a == "FOLDER" else a for a in args]

    done = nextstep(*args, env=env)

    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert PREFIX not in done.stderr
    assert done.stderr.startswith("nextstep: ")


def test_a_bad_zone_still_names_the_kind_of_error(env: dict[str, str]) -> None:
    done = nextstep("analyze", "-", "--tz", "Mars/Olympus", env=env)

    assert done.returncode == 2
    assert "Unknown time zone. 'Mars/Olympus' is not an IANA time zone name" in done.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://root:hunter2@db/nextstep", "is not a database nextstep supports"),
        (
            "NEXTSTEP_SMTP_PORT",
            "twenty-five",
            "NEXTSTEP_SMTP_PORT: Input should be a valid integer",
        ),
    ],
)
def test_bad_configuration_is_a_configuration_error_not_an_internal_one(
    env: dict[str, str], variable: str, value: str, message: str
) -> None:
    done = nextstep("reps", "list", env={**env, variable: value})

    assert done.returncode == 7, done.stderr
    assert message in done.stderr
    assert "internal error" not in done.stderr
    assert "hunter2" not in done.stderr


def test_folder_ingest_counts_and_names_the_files_it_skips(
    env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(DATA / "globex-notes.md", folder)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / "deck.pptx").write_bytes(b"PK\x03\x04")

    done = nextstep("ingest", str(folder), env=env)

    assert done.returncode == 0, done.stderr
    assert "Skipped 2 file(s) nextstep does not read" in done.stdout
    assert "deck.pptx" in done.stdout and "scan.pdf" in done.stdout


def test_an_input_that_failed_before_is_not_just_a_duplicate(
    env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"%PDF-1.7\n%binary\n")
    first = nextstep("ingest", str(broken), env=env)
    assert first.returncode == 4

    again = nextstep("ingest", str(broken), env=env)

    assert again.returncode == 4
    assert "#1 duplicate" in again.stdout
    assert "failed before; fix it, then `nextstep reprocess 1`" in again.stdout
    assert "Stored before as input #1, which failed" in again.stdout


def test_without_rep_a_customers_reply_is_judged_from_the_reps_side(
    env: dict[str, str],
) -> None:
    """The reply Carla (the customer) sent, saved from Jordan's mailbox: the rep is
    Jordan, the first message's author (a guess, said so), never the newest sender."""
    import json

    done = nextstep("ingest", str(DATA / "recap_reply_accepts.eml"), env=env)
    assert done.returncode == 0, done.stderr
    shown = json.loads(nextstep("show", "1", "--format", "json", env=env).stdout)

    conversation = shown["conversation"]
    assert (conversation["rep"], conversation["rep_guessed"]) == ("Jordan Blake", True)
    assert any("guessed the rep: Jordan Blake" in w for w in conversation["warnings"])
    roles = {p["name"]: p["role"] for p in conversation["participants"]}
    assert (roles["Jordan Blake"], roles["Carla Mendes"]) == ("rep", "counterpart")
    qbr = next(s for s in shown["steps"] if s["kind"] == "meeting")
    assert qbr["ack_evidence"]["speaker"] == "Carla Mendes"


def test_the_registered_rep_among_the_recipients_is_the_rep(env: dict[str, str]) -> None:
    import json

    assert nextstep("reps", "add", JORDAN, "--tz", "America/New_York", env=env).returncode == 0
    done = nextstep("ingest", str(DATA / "recap_reply_accepts.eml"), env=env)
    assert done.returncode == 0, done.stderr

    listed = json.loads(nextstep("conversations", "list", "--format", "json", env=env).stdout)

    assert len(listed) == 1
    assert (listed[0]["rep"], listed[0]["rep_guessed"], listed[0]["rep_id"]) == (
        "Jordan Blake",
        False,
        1,
    )


@pytest.mark.parametrize(
    ("text", "kind", "secured"),
    [
        (
            "Dana Reyes: Can we meet Tuesday at 2pm?\nPriya Shah: Tuesday at 2 works.\n",
            "transcript",
            True,
        ),
        (
            "Dana Reyes: Can we meet Tuesday at 2pm?\nPriya: Sure, Tuesday at 2.\n",
            "transcript",
            True,
        ),
        # labels that are single words stay notes: "Budget:", "Owner:"
        ("Budget: 40k approved\nOwner: Priya\n", "notes", False),
    ],
)
def test_a_short_exchange_of_named_turns_is_a_transcript(
    text: str, kind: str, secured: bool, env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "exchange.txt"
    path.write_text(text)
    done = nextstep(
        "analyze",
        str(path),
        "--tz",
        "America/Los_Angeles",
        "--at",
        "2026-11-19T15:00",
        "--format",
        "json",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    analysis = json.loads(done.stdout)
    assert analysis["conversation"]["kind"] == kind
    assert analysis["next_steps_secured"] is secured
    if kind == "transcript":
        assert analysis["tier"] == "gold" and len(analysis["conversation"]["participants"]) == 2
