"""Class 1: a forward pasted into a slash command or a file, with no RFC 822 headers at
the top, loads as email: the note above the forward is the forwarder's (the rep's), the
forwarded headers give the people and the reference time. Run as a user does, through
``nextstep analyze -`` (standard input), in text and JSON."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner, Result

from bot.cli import build_app
from bot.engine.model import Role, SourceKind
from bot.errors import EmailParseError
from bot.loaders import detect_kind, load_text

LA = "America/Los_Angeles"
NOTE = "Looping you in: Jane confirmed the demo below. I'll send the agenda by Wednesday noon.\n\n"
RECAP = (
    "Thursday Nov 26 at 10am PT works for us, see you then.\n"
    "Our controller will review the order form with finance by Friday.\n\n"
    "Jane\n"
)
GMAIL = (
    "---------- Forwarded message ---------\n"
    "From: Jane Doe <jane@acme.com>\n"
    "Date: Thu, Nov 19, 2026 at 3:02 PM\n"
    "Subject: Re: Demo next week\n"
    "To: Dana Reyes <dana@nextco.com>\n\n" + RECAP
)
OUTLOOK = (
    "-----Original Message-----\n"
    "From: Jane Doe <jane@acme.com>\n"
    "Sent: Thursday, November 19, 2026 3:02 PM\n"
    "To: Dana Reyes <dana@nextco.com>\n"
    "Subject: RE: Demo next week\n\n" + RECAP
)
OUTLOOK_BARE = (
    "From: Jane Doe <jane@acme.com>\n"
    "Sent: Thursday, November 19, 2026 3:02 PM\n"
    "To: Dana Reyes <dana@nextco.com>\n"
    "Subject: RE: Demo next week\n\n" + RECAP
)
APPLE = (
    "Begin forwarded message:\n\n"
    "From: Jane Doe <jane@acme.com>\n"
    "Subject: Re: Demo next week\n"
    "Date: November 19, 2026 at 3:02:11 PM PST\n"
    "To: Dana Reyes <dana@nextco.com>\n\n" + RECAP
)
SHAPES = {"gmail": GMAIL, "outlook": OUTLOOK, "outlook_bare": OUTLOOK_BARE, "apple": APPLE}
CASES = [(name, note) for name in SHAPES for note in (True, False)]


def analyze(text: str, *args: str) -> Result:
    return CliRunner().invoke(
        build_app(), ["analyze", "-", "--tz", LA, *args], input=text.encode("utf-8")
    )


def pasted(name: str, note: bool) -> str:
    return (NOTE if note else "") + SHAPES[name]


@pytest.mark.parametrize(
    ("name", "note"), CASES, ids=[f"{n}-{'note' if t else 'bare'}" for n, t in CASES]
)
def test_pasted_forward_as_json(name: str, note: bool) -> None:
    result = analyze(pasted(name, note), "--rep", "Dana Reyes", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["conversation"]["kind"] == "email"
    # the forwarded Date is the reference time (no zone written: read in the rep's zone)
    assert report["conversation"]["reference_time"].startswith("2026-11-19T15:02")
    steps = report["steps"]
    meeting = [s for s in steps if s["kind"] == "meeting"]
    assert len(meeting) == 1, steps
    assert meeting[0]["due"] == "2026-11-26T10:00:00-08:00"
    assert meeting[0]["evidence"]["speaker"] == "Jane Doe"
    assert meeting[0]["acknowledged"] is True
    agenda = [s for s in steps if "agenda" in s["evidence"]["quote"]]
    assert len(agenda) == (1 if note else 0), steps
    if note:  # the note is the forwarder's words: the rep's, not Jane's
        assert agenda[0]["evidence"]["speaker"] == "Dana Reyes"
        assert agenda[0]["owner"] == "rep"
        assert agenda[0]["due"] == "2026-11-25T12:00:00-08:00"


@pytest.mark.parametrize(
    ("name", "note"), CASES, ids=[f"{n}-{'note' if t else 'bare'}" for n, t in CASES]
)
def test_pasted_forward_as_text(name: str, note: bool) -> None:
    result = analyze(pasted(name, note), "--rep", "Dana Reyes")
    assert result.exit_code == 0, result.output
    assert "email," in result.stdout
    assert "Thu 19 Nov 2026 15:02" in result.stdout
    assert "No email headers" not in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", list(SHAPES))
def test_detection_and_kind_email_agree(name: str) -> None:
    text = pasted(name, True)
    assert detect_kind(text) == SourceKind.EMAIL
    detected = load_text(text, tz=LA, rep="dana@nextco.com")
    named = load_text(text, kind=SourceKind.EMAIL, tz=LA, rep="dana@nextco.com")
    assert [t.text for t in detected.turns] == [t.text for t in named.turns]
    assert len(detected.turns) == 2
    note, forwarded = detected.turns[1], detected.turns[0]
    assert note.role == Role.REP and note.part == 0 and "Looping you in" in note.text
    assert forwarded.role == Role.COUNTERPART and forwarded.speaker == "Jane Doe"
    assert "Thursday Nov 26 at 10am PT" in forwarded.text
    moment = detected.reference_time.replace(second=0)  # Apple Mail writes seconds too
    assert moment == datetime.fromisoformat("2026-11-19T15:02:00-08:00")
    counterparts = [p.email for p in detected.participants if p.role == Role.COUNTERPART]
    assert counterparts == ["jane@acme.com"]


def test_without_rep_the_rep_is_guessed_and_said_so() -> None:
    document = load_text(pasted("gmail", True), tz=LA)
    assert document.kind == SourceKind.EMAIL
    assert document.rep_guessed is True
    assert any("guessed the rep" in warning for warning in document.warnings)


def test_an_explicit_at_wins_over_the_forwarded_date() -> None:
    at = datetime.fromisoformat("2026-11-20T09:00:00-08:00")
    document = load_text(pasted("outlook", True), tz=LA, at=at, rep="Dana Reyes")
    assert document.reference_time == at


def test_notes_that_mention_from_and_subject_stay_notes() -> None:
    notes = "Call w/ Jane\nFrom: procurement side, Subject: renewal\n- send quote Thurs\n"
    assert detect_kind(notes) == SourceKind.NOTES


def test_text_without_headers_or_a_forward_is_still_refused_as_email() -> None:
    with pytest.raises(EmailParseError, match="No email headers"):
        load_text("just some words\nand more words\n", kind=SourceKind.EMAIL, tz=LA)


@pytest.mark.parametrize(
    ("block", "tz", "reference"),
    [
        (
            "Von: Jane Doe <jane@acme.com>\nGesendet: Donnerstag, 19. November 2026 15:02\n"
            "An: Dana Reyes <dana@nextco.com>\nBetreff: Demo\n",
            "Europe/Berlin",
            "2026-11-19T15:02:00+01:00",
        ),
        (
            "---------- Messaggio inoltrato ---------\nDa: Jane Doe <jane@acme.com>\n"
            "Data: gio 19 nov 2026 alle ore 15:02\nOggetto: Demo\nA: Dana Reyes <dana@nextco.com>\n",
            "Europe/Rome",
            "2026-11-19T15:02:00+01:00",
        ),
    ],
    ids=["outlook-de-on-top", "gmail-it"],
)
def test_pasted_forwards_from_clients_in_other_languages(
    block: str, tz: str, reference: str
) -> None:
    text = block + "\nThursday Nov 26 at 10am works for us, see you then.\n"
    result = CliRunner().invoke(
        build_app(),
        ["analyze", "-", "--tz", tz, "--rep", "Dana Reyes", "--format", "json"],
        input=text.encode("utf-8"),
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["conversation"]["kind"] == "email"
    assert report["conversation"]["reference_time"] == reference
    assert len(report["steps"]) == 1, report["steps"]
    assert report["steps"][0]["evidence"]["speaker"] == "Jane Doe"
    assert report["steps"][0]["due"] == "2026-11-26T10:00:00+01:00"
