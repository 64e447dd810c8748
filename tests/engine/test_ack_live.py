"""In a call the other side answers for themselves: the rep saying that someone accepted
is not the counterpart's yes; in notes, a stated confirmation still counts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.engine import analyze
from bot.engine.model import SourceKind
from bot.loaders import load_text

AT = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
SHOWING = "the sellers accepted a second showing for Sunday at 1"


def test_a_third_party_accepting_in_a_call_is_not_the_counterparts_yes() -> None:
    call = (
        f"Gabe Ortiz: Hi Lisa, {SHOWING}. Want me to book it?\n"
        "Lisa Park: I'm sorry, we closed on a house in Burbank on Thursday.\n"
    )
    document = load_text(
        call, kind=SourceKind.TRANSCRIPT, at=AT, tz="America/Los_Angeles", rep="Gabe Ortiz"
    )
    result = analyze(document)
    assert len(result.steps) == 1
    assert not result.steps[0].acknowledged
    assert not result.next_steps_secured


def test_a_confirmation_stated_in_notes_still_counts() -> None:
    notes = "Call w/ Lisa Park\n- second showing Sunday at 1pm, Lisa confirmed\n"
    document = load_text(notes, kind=SourceKind.NOTES, at=AT, tz="America/Los_Angeles")
    result = analyze(document)
    assert len(result.steps) == 1
    assert result.steps[0].acknowledged and result.next_steps_secured
