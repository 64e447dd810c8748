"""Notes: one turn per bullet, heading, line or wrapped paragraph, text kept as written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.engine.model import Document, Role, SourceKind
from bot.loaders import load_bytes, load_text

DATA = Path(__file__).parent.parent / "data" / "notes"
TZ = "Europe/London"
AT = datetime(2026, 11, 19, 16, 30, tzinfo=ZoneInfo(TZ))


def load_fixture(name: str, **options: object) -> Document:
    return load_bytes((DATA / name).read_bytes(), filename=name, at=AT, tz=TZ, **options)  # type: ignore[arg-type]


def test_crm_bullets_give_one_turn_per_bullet_and_heading() -> None:
    document = load_fixture("crm_bullets.txt")

    assert document.kind == SourceKind.NOTES
    assert [(t.line, t.text) for t in document.turns] == [
        (1, "Call w/ Jane Kim (Acme) - 11/19"),
        (2, "Attendees: Jane Kim, Priya Shah (finance), Dana Reyes"),
        (4, "Discussed:"),
        (5, "- Pilot scope: 2 teams, 40 seats"),
        (6, "- SSO is the blocker, IT owns it"),
        (7, "* Pricing: wants annual w/ quarterly billing"),
        (8, "• Competitor: they also looked at Northwind"),
        (10, "Next steps:"),
        (11, "1. Send proposal + security questionnaire by EOD Fri"),
        (12, "2. Pricing review Thu 10am w/ Jane & Priya (confirmed)"),
        (13, "[ ] Jane to check budget w/ CFO, report back Mon"),
        (14, "[x] Sent recap email"),
    ]


def test_notes_turns_have_no_speaker_and_no_role() -> None:
    document = load_fixture("crm_bullets.txt", rep="Dana Reyes")

    assert {(t.speaker, t.role, t.timestamp) for t in document.turns} == {
        (None, Role.UNKNOWN, None)
    }
    assert document.rep == "Dana Reyes"
    assert not document.rep_guessed
    assert document.participants == []
    assert [t.index for t in document.turns] == list(range(len(document.turns)))


def test_a_wrapped_paragraph_is_one_turn_and_keeps_its_line_breaks() -> None:
    document = load_fixture("paragraph_notes.txt")

    assert [(t.line, t.text.count("\n")) for t in document.turns] == [
        (1, 0),
        (3, 2),
        (7, 1),
        (10, 0),
    ]
    second = document.turns[2]
    assert second.text.endswith("I'll send him the template we drafted tonight.")
    assert document.turns[3].text == "NS: Tue 9am session (confirmed)"


def test_markdown_checklists_keep_marks_and_headings() -> None:
    document = load_fixture("markdown_checklist.md")

    assert [t.text.split("\n")[0] for t in document.turns] == [
        "## Northwind renewal - sync 2026-11-19",
        "**Action items**",
        "- [ ] Olivia: legal redlines back on the MSA",
        "- [ ] Ben: touch base w/ Olivia next week",
        "- [x] Ben: shared usage report",
        "### Notes",
        "Renewal is not at risk but procurement is slow. Olivia said the redlines are with",
    ]


def test_field_lines_stay_notes_not_a_transcript() -> None:
    document = load_fixture("field_notes.txt")

    assert document.kind == SourceKind.NOTES
    assert len(document.turns) == 7
    assert document.turns[-1].text == "NS: demo Thu 2pm w/ Sam + CFO, Sam confirmed"


@pytest.mark.parametrize(
    ("text", "turns"),
    [
        ("Demo Tue 2pm w/ Sarah\nShe'll check w/ CFO\nCall Mon", 3),  # one item per line
        ("- send deck Fri\n  incl. case study\n- demo Tue", 2),  # hanging indent
        ("1) pricing\n2) security\n3) timeline", 3),
        ("a) pricing\nb) security", 2),
        ("☐ send deck\n☑ book demo\n✅ recap sent", 3),
        ("Next steps\n- demo Tue 2pm", 2),  # heading without a colon
        ("ACTION ITEMS\n- demo Tue 2pm", 2),
        ("NS - demo Tue\n- send deck", 2),
        ("We agreed that she would take the proposal to her CFO this week,\nthen call me.", 1),
        ("Budget approved, timeline is Q1,\nand Sam owns it", 1),  # runs on after a comma
        ("Next steps: Jane and I will review the pilot numbers together on Friday at\n3pm.", 1),
        ("First paragraph.\n\n\nSecond paragraph.", 2),
    ],
)
def test_how_lines_group_into_turns(text: str, turns: int) -> None:
    document = load_text(text, kind=SourceKind.NOTES, at=AT, tz=TZ)

    assert len(document.turns) == turns
    assert "\n".join(t.text for t in document.turns).split() == text.split()


@pytest.mark.parametrize(
    "line",
    [
        "NS: f/u w/ J re: $$ EOW",
        "    - [ ] send SOW to jane@acme.com by COB Fri!!  ",
        "**Next steps:** demo 12/2 @ 2p PT",
        "→ ping Raj once SSO is live; schedule sec review w/in 48h",
    ],
)
def test_the_text_is_kept_exactly_as_written(line: str) -> None:
    document = load_text(f"Call notes\n{line}\n", at=AT, tz=TZ)

    assert document.text == f"Call notes\n{line}\n"
    assert document.turns[1].text == line.strip()
    assert document.turns[1].line == 2


def test_windows_line_endings_do_not_change_lines() -> None:
    document = load_bytes(b"Call w/ Jane\r\n\r\n- demo Tue\r\n- deck Fri\r\n", at=AT, tz=TZ)

    assert document.text == "Call w/ Jane\n\n- demo Tue\n- deck Fri\n"
    assert [(t.line, t.text) for t in document.turns] == [
        (1, "Call w/ Jane"),
        (3, "- demo Tue"),
        (4, "- deck Fri"),
    ]


def test_a_notes_date_line_sets_the_reference_time() -> None:
    document = load_text(
        "Date: 2026-11-19 09:15\nCall w/ Jane\n- demo Tue 2pm (confirmed)", at=None, tz=TZ
    )

    assert document.reference_time == datetime(2026, 11, 19, 9, 15, tzinfo=ZoneInfo(TZ))
    assert document.turns[0].text == "Date: 2026-11-19 09:15"  # notes keep every line
