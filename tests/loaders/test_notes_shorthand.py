"""Class 6, the loader's part: notes lines without bullets stay separate lines, wrapped
prose still joins, and bullets under an agreement heading carry the agreement to the
engine. Through ``nextstep analyze -`` as a user pastes notes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import build_app
from bot.loaders import load_text

LA = "America/Los_Angeles"
AT = "2026-11-19T15:00"
LINES = (
    "Call with Jane Kim and Priya Shah about the renewal pricing and terms\n"
    "Jane wants the revised quote with the multi-year discount before Friday\n"
    "I will send the revised quote Thurs by 5pm and Jane said ok to that plan\n"
    "Priya will review the MSA redlines with legal and get back to us by Dec 4\n"
    "Next call Tues 12/1 at 2pm w/ Jane + CFO (confirmed)\n"
)
WRAPPED = (
    "We went through the renewal in detail and Jane asked for the revised quote\n"
    "with the multi-year discount, which I will send over by Thursday at 5pm so\n"
    "that her CFO can look at it before the board meeting.\n"
)
HEADINGS = [
    "Agreed next steps:",
    "Next steps (agreed):",
    "Agreed:",
    "- Agreed next steps:",
    "**Agreed next steps**",
    "AGREED NEXT STEPS",
    "Next Steps - agreed",
]


def analyze(text: str, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        build_app(),
        ["analyze", "-", "--tz", LA, "--at", AT, "--rep", "Dana", "--format", "json", *args],
        input=text.encode("utf-8"),
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_lines_without_bullets_stay_separate_lines() -> None:
    document = load_text(LINES, tz=LA, at=datetime.fromisoformat(AT))
    assert [t.text for t in document.turns] == LINES.strip().split("\n")
    assert [t.line for t in document.turns] == [1, 2, 3, 4, 5]


def test_each_line_is_its_own_step_through_analyze() -> None:
    report = analyze(LINES)
    quotes = [s["evidence"]["quote"] for s in report["steps"]]
    assert len(quotes) >= 3, quotes
    assert all("\n" not in q for q in quotes)
    quote = next(s for s in report["steps"] if "revised quote Thurs" in s["evidence"]["quote"])
    assert quote["due"] == "2026-11-26T17:00:00-08:00"
    assert quote["evidence"]["line"] == 3


def test_wrapped_prose_still_reads_as_one_paragraph() -> None:
    document = load_text(WRAPPED, tz=LA, at=datetime.fromisoformat(AT))
    assert len(document.turns) == 1
    assert document.turns[0].text == WRAPPED.strip()


@pytest.mark.parametrize("heading", HEADINGS)
def test_bullets_under_an_agreement_heading_are_agreed(heading: str) -> None:
    notes = (
        "Call w/ Jane re renewal 11/19\n"
        f"{heading}\n"
        "  - Dana sends revised quote Thurs EOD\n"
        "  - Jane reviews w/ CFO, decision by Dec 4\n"
    )
    report = analyze(notes)
    steps = report["steps"]
    assert len(steps) == 2, steps
    assert all(step["acknowledged"] for step in steps), steps
    assert report["next_steps_secured"] is True


def test_bullets_under_a_plain_heading_are_not_agreed_by_the_heading() -> None:
    notes = (
        "Call w/ Jane re renewal 11/19\nNext steps:\n"
        "- Dana sends revised quote Thurs EOD\n- Jane reviews w/ CFO, decision by Dec 4\n"
    )
    steps = analyze(notes)["steps"]
    assert len(steps) == 2, steps
    assert not any(step["acknowledged"] for step in steps)


def test_a_bullet_heading_ends_where_its_children_end() -> None:
    notes = (
        "- Agreed next steps:\n"
        "  - Dana sends revised quote Thurs EOD\n"
        "- Proposed, not yet agreed:\n"
        "  - Jane reviews w/ CFO, decision by Dec 4\n"
    )
    steps = analyze(notes)["steps"]
    assert len(steps) == 2, steps
    agreed = {s["evidence"]["quote"].strip("- "): s["acknowledged"] for s in steps}
    assert agreed == {
        "Dana sends revised quote Thurs EOD": True,
        "Jane reviews w/ CFO, decision by Dec 4": False,
    }


def test_the_text_report_quotes_each_line_on_its_own() -> None:
    result = CliRunner().invoke(
        build_app(),
        ["analyze", "-", "--tz", LA, "--at", AT, "--rep", "Dana"],
        input=LINES.encode("utf-8"),
    )
    assert result.exit_code == 0, result.output
    assert "notes, 5 turns" in result.stdout
    assert '"Next call Tues 12/1 at 2pm w/ Jane + CFO (confirmed)"' in result.stdout
