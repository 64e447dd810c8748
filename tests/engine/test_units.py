"""Headings: the items under "Agreed next steps" are agreed, however the heading arrives."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.engine import analyze
from bot.engine.model import Document, SourceKind, Turn
from bot.engine.units import MAX_UNIT_CHARS, split_units

LA = "America/Los_Angeles"
AT = datetime(2026, 11, 18, 16, 0, tzinfo=ZoneInfo(LA))


def _notes(*turns: Turn) -> Document:
    text = "\n".join(t.text for t in turns)
    return Document(text=text, turns=list(turns), kind=SourceKind.NOTES, reference_time=AT, tz=LA)


def test_a_heading_the_loader_read_is_used() -> None:
    item = Turn(index=0, text="- Joint review of the export Tue 1pm", line=3,
                heading="Agreed next steps")  # fmt: skip
    analysis = analyze(_notes(item))
    assert len(analysis.steps) == 1
    step = analysis.steps[0]
    assert step.acknowledged and step.secured
    assert analysis.tier == "gold"


def test_without_the_heading_the_same_item_is_only_a_plan() -> None:
    analysis = analyze(_notes(Turn(index=0, text="- Joint review of the export Tue 1pm", line=3)))
    assert len(analysis.steps) == 1
    assert not analysis.steps[0].acknowledged


def test_bullet_and_bare_headings_are_found_in_the_text() -> None:
    text = "Sync\n- Agreed next steps:\n  - Ana sends the export by Friday\nNotes\nAgreed next steps\n- Call Mon"
    units = split_units(_notes(Turn(index=0, text=text, line=1)))
    by_text = {u.text: u.heading for u in units}
    assert by_text["- Ana sends the export by Friday"] == "agreed next steps"
    assert by_text["- Call Mon"] == "agreed next steps"
    assert by_text["Sync"] is None


def test_a_run_on_sentence_is_read_to_its_end_in_bounded_pieces() -> None:
    filler = "and the team keeps talking about the rollout and the crews and the tickets, " * 40
    text = filler + "and I'll send the SOW by Friday"
    units = split_units(_notes(Turn(index=0, text=text, line=1)))
    assert len(units) > 1
    assert all(len(u.text) <= MAX_UNIT_CHARS for u in units)
    assert " ".join(u.text for u in units).split() == text.split()  # no word lost
    analysis = analyze(_notes(Turn(index=0, text=text, line=1)))
    sow = [s for s in analysis.steps if "SOW" in s.evidence.quote]
    assert len(sow) == 1
    assert sow[0].due is not None and sow[0].due.isoformat().startswith("2026-11-20T17:00")
