"""load_email / document_from_email: roles, chronological turns, lines, reference time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.engine.model import Document, Role, SourceKind
from bot.errors import EmailParseError, EmptyInputError, TimeZoneError, UsageError
from bot.loaders.email import document_from_email, header_line, load_email
from bot.mail.parse import parse_email

DATA = Path(__file__).parent.parent / "data" / "email"
CASES = sorted(DATA.glob("*.eml"))
LA = "America/Los_Angeles"
ERRORS = {"UsageError": UsageError, "EmptyInputError": EmptyInputError}


def expected_for(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def load_case(path: Path, expected: dict[str, Any], *, with_at: bool = True) -> Document:
    at = datetime.fromisoformat(expected["at"]) if with_at and "at" in expected else None
    return load_email(
        path.read_bytes(), at=at, tz=expected["tz"], rep=expected["rep"], source=path.name
    )


def mail(body: str, **headers: str) -> bytes:
    fields = {
        "From": "Dana Reyes <dana@nextco.com>",
        "To": "Jane Doe <jane@acme.com>",
        "Subject": "Next steps",
        "Date": "Thu, 19 Nov 2026 15:02:00 -0800",
    } | {key.replace("_", "-"): value for key, value in headers.items()}
    head = "".join(f"{key}: {value}\n" for key, value in fields.items() if value)
    return (head + "\n" + body).encode("utf-8")


# --- the corpus ------------------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_corpus_documents(path: Path) -> None:
    expected = expected_for(path)
    if "load_error" in expected:
        with pytest.raises(ERRORS[expected["load_error"]]):
            load_case(path, expected, with_at=False)
        if expected["load_error"] != "UsageError":
            return
    document = load_case(path, expected)
    assert document.kind == SourceKind.EMAIL
    assert document.subject == expected["subject"]
    assert document.source == path.name
    assert document.rep == expected["expected_rep"]
    assert document.rep_guessed == expected["rep_guessed"]
    counterparts = [p.email for p in document.participants if p.role == Role.COUNTERPART]
    assert sorted(counterparts) == sorted(expected["counterparts"])
    written = [part for part in expected["parts"] if part["has"]]
    assert len(document.turns) == len(written)


def _loadable(path: Path) -> bool:
    return expected_for(path).get("load_error") != "EmptyInputError"


LOADABLE = [path for path in CASES if _loadable(path)]


def test_only_the_empty_cases_are_left_out_and_they_are_refused() -> None:
    empty = [path for path in CASES if not _loadable(path)]
    assert [path.stem for path in empty] == ["empty_body"]
    for path in empty:
        with pytest.raises(EmptyInputError):
            load_case(path, expected_for(path))


@pytest.mark.parametrize("path", LOADABLE, ids=lambda p: p.stem)
def test_turn_lines_point_at_their_body_in_the_text(path: Path) -> None:
    expected = expected_for(path)
    document = load_case(path, expected)
    lines = document.text.split("\n")
    assert len(document.turns) >= 1
    for turn in document.turns:
        body = turn.text.split("\n")
        assert lines[turn.line - 1 : turn.line - 1 + len(body)] == body
        assert lines[turn.line - 2].startswith("From: ")  # its header line is just above


@pytest.mark.parametrize("path", LOADABLE, ids=lambda p: p.stem)
def test_turns_run_oldest_first_and_only_the_newest_is_unquoted(path: Path) -> None:
    expected = expected_for(path)
    document = load_case(path, expected)
    parts = [turn.part for turn in document.turns]
    assert len(parts) >= 1
    assert parts == sorted(parts, reverse=True)
    assert [turn.index for turn in document.turns] == list(range(len(document.turns)))
    assert all(turn.quoted == (turn.part != 0) for turn in document.turns)


# --- roles -----------------------------------------------------------------------------

THREAD = (DATA / "gmail_forward.eml").read_bytes()


@pytest.mark.parametrize(
    ("rep", "name"),
    [
        ("dana@nextco.com", "Dana Reyes"),
        ("DANA@NEXTCO.COM", "Dana Reyes"),
        ("Dana Reyes", "Dana Reyes"),
        ("dana", "Dana Reyes"),  # a first name that only one person has
        ("Reyes, Dana", "Dana Reyes"),
    ],
)
def test_the_rep_is_found_by_address_or_name(rep: str, name: str) -> None:
    document = load_email(THREAD, at=None, tz=LA, rep=rep, source=None)
    assert document.rep == name and not document.rep_guessed
    roles = {turn.speaker: turn.role for turn in document.turns}
    assert roles == {"Dana Reyes": Role.REP, "Jane Doe": Role.COUNTERPART}


def test_naming_the_counterpart_as_rep_turns_the_roles_around() -> None:
    document = load_email(THREAD, at=None, tz=LA, rep="jane@acme.com", source=None)
    roles = {turn.speaker: turn.role for turn in document.turns}
    assert roles == {"Dana Reyes": Role.COUNTERPART, "Jane Doe": Role.REP}
    sam = next(p for p in document.participants if p.email == "sam@acme.com")
    assert sam.role == Role.REP  # Jane's colleague


def test_a_rep_not_in_the_email_is_kept_with_a_warning() -> None:
    document = load_email(THREAD, at=None, tz=LA, rep="pat@nextco.com", source=None)
    assert document.rep == "pat@nextco.com"
    assert any("'pat@nextco.com' is not among" in w for w in document.warnings)
    dana = next(p for p in document.participants if p.email == "dana@nextco.com")
    assert dana.role == Role.REP  # same company domain as the named rep


def test_a_guessed_rep_says_so() -> None:
    document = load_email(THREAD, at=None, tz=LA, rep=None, source=None)
    assert document.rep == "Dana Reyes" and document.rep_guessed
    assert any(w.startswith("guessed the rep: Dana Reyes") for w in document.warnings)


def test_without_a_forward_the_rep_is_who_wrote_first() -> None:
    document = load_email((DATA / "wrapped_attribution.eml").read_bytes(), at=None,
                          tz="America/New_York", rep=None, source=None)  # fmt: skip
    assert document.rep == "Tom Becker" and document.rep_guessed


def test_a_shared_mail_service_does_not_make_colleagues() -> None:
    raw = mail(
        "Sunday at 1 works for us.",
        From="Linda Park <linda.park1978@gmail.com>",
        To="Tom Becker <tombecker.homes@gmail.com>",
    )
    document = load_email(raw, at=None, tz=LA, rep="tombecker.homes@gmail.com", source=None)
    assert document.turns[0].role == Role.COUNTERPART
    roles = {p.email: p.role for p in document.participants}
    assert roles == {
        "linda.park1978@gmail.com": Role.COUNTERPART,
        "tombecker.homes@gmail.com": Role.REP,
    }


def test_who_a_forward_was_sent_to_is_not_a_participant() -> None:
    document = load_email(THREAD, at=None, tz=LA, rep="dana@nextco.com", source=None)
    assert "nextstep@bot.nextco.com" not in {p.email for p in document.participants}


# --- text, turns and time --------------------------------------------------------------


def test_the_text_renders_the_thread_oldest_first_without_signatures() -> None:
    document = load_email(THREAD, at=None, tz=LA, rep="dana@nextco.com", source=None)
    assert document.text.split("\n")[0] == (
        "From: Dana Reyes <dana@nextco.com> — Thu, 19 Nov 2026 16:46 -0800 (forwarded)"
    )
    assert document.text.index("2pm PT") < document.text.index("works for us")
    assert document.text.index("works for us") < document.text.index("Logging it.")
    for noise in ("Best,", "Thanks,", "wrote:", "Forwarded message", "\n>"):
        assert noise not in document.text
    assert [t.at for t in document.turns] == sorted(t.at for t in document.turns if t.at)


def test_a_part_without_author_or_date_has_a_plain_header_line() -> None:
    parsed = parse_email(mail("Yes.\n\n> Can we meet Friday at 9?\n"))
    document = document_from_email(parsed, at=None, tz=LA, rep="Dana Reyes", source=None)
    assert header_line(parsed.parts[1]) == "From: unknown sender"
    quoted = document.turns[0]
    assert (quoted.speaker, quoted.role, quoted.at, quoted.text) == (
        None,
        Role.UNKNOWN,
        None,
        "Can we meet Friday at 9?",
    )


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (None, datetime(2026, 11, 19, 15, 2, tzinfo=ZoneInfo(LA))),
        (datetime(2026, 11, 20, 9, 0), datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo(LA))),
        (
            datetime(2026, 11, 20, 17, 0, tzinfo=UTC),
            datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo(LA)),
        ),
    ],
)
def test_reference_time_is_at_else_the_newest_date_in_the_rep_zone(
    at: datetime | None, expected: datetime
) -> None:
    document = load_email(mail("Thursday at 10?"), at=at, tz=LA, rep=None, source=None)
    assert document.reference_time == expected
    assert document.reference_time.utcoffset() == expected.utcoffset()


def test_no_date_anywhere_asks_for_at() -> None:
    with pytest.raises(UsageError, match="no Date: pass the time it was sent"):
        load_email(mail("Thursday at 10?", Date=""), at=None, tz=LA, rep=None, source=None)


def test_an_undated_newest_part_takes_the_date_of_an_older_one() -> None:
    raw = mail(
        "Works.\n\nOn Thu, 19 Nov 2026 09:00:00 -0500, Jane Doe <jane@acme.com> wrote:\n> Fri?\n",
        Date="",
    )
    document = load_email(raw, at=None, tz=LA, rep=None, source=None)
    assert document.reference_time == datetime(2026, 11, 19, 6, 0, tzinfo=ZoneInfo(LA))
    assert any("newest message has no date" in w for w in document.warnings)


def test_outlook_times_after_a_utc_stamp_are_read_in_the_rep_zone() -> None:
    """Exchange dates messages in UTC; the "Sent:" line was written in the rep's zone."""
    raw = (DATA / "outlook_desktop_forward.eml").read_bytes()
    document = load_email(raw, at=None, tz="America/Chicago", rep=None, source=None)
    raj = next(turn for turn in document.turns if turn.speaker == "Raj Mehta")
    assert raj.at == datetime(2026, 11, 19, 15, 2, tzinfo=ZoneInfo("America/Chicago"))
    assert any("read in America/Chicago" in w for w in document.warnings)


def test_a_borrowed_offset_that_is_not_utc_is_kept() -> None:
    document = load_email(THREAD, at=None, tz="America/New_York", rep=None, source=None)
    jane = next(turn for turn in document.turns if turn.speaker == "Jane Doe")
    assert jane.at is not None and jane.at.utcoffset() == timedelta(hours=-8)


# --- bad input -------------------------------------------------------------------------


def test_an_email_without_text_is_empty_input() -> None:
    with pytest.raises(EmptyInputError, match="no text"):
        load_email(mail("\n-- \nDana Reyes\n"), at=None, tz=LA, rep=None, source=None)


def test_an_email_whose_words_are_in_a_transcript_attachment_says_so() -> None:
    raw = (
        b"From: dana@nextco.com\nDate: Thu, 19 Nov 2026 15:02:00 -0800\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n\n'
        b'--b\nContent-Type: text/vtt\nContent-Disposition: attachment; filename="call.vtt"\n\n'
        b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n--b--\n"
    )
    with pytest.raises(EmptyInputError, match=r"pass its attachment call\.vtt instead"):
        load_email(raw, at=None, tz=LA, rep=None, source=None)


def test_an_unknown_time_zone_is_refused_before_parsing() -> None:
    with pytest.raises(TimeZoneError):
        load_email(b"\x00garbage", at=None, tz="Mars/Olympus", rep=None, source=None)


@pytest.mark.parametrize("raw", [b"", b"%PDF-1.7\n...", b"\x00\x01\x02\x03", b"just words\n"])
def test_what_is_not_an_email_is_an_email_parse_error(raw: bytes) -> None:
    with pytest.raises(EmailParseError):
        load_email(raw, at=None, tz=LA, rep=None, source=None)


def test_inside_one_organisation_the_colleague_is_the_counterpart() -> None:
    """An internal IT desk: the employee shares the desk's domain and is its counterpart."""
    raw = mail(
        "Tuesday at 10 works for the remote session.",
        From="Hannah Ortiz <hortiz@cascadiabio.com>",
        To="Victor Huang <vhuang@cascadiabio.com>",
    )
    document = load_email(raw, at=None, tz=LA, rep="Victor Huang", source=None)
    assert document.turns[0].role == Role.COUNTERPART
    roles = {p.email: p.role for p in document.participants}
    assert roles == {"hortiz@cascadiabio.com": Role.COUNTERPART, "vhuang@cascadiabio.com": Role.REP}


@pytest.mark.parametrize(
    ("display", "rep", "speaker"),
    [
        ("Chris Doyle via IT Service Desk", "Chris Doyle", "Chris Doyle"),
        ("Service Desk - Jess Park", "Jess Park", "Service Desk - Jess Park"),
    ],
)
def test_a_rep_writing_through_a_shared_inbox_is_found(
    display: str, rep: str, speaker: str
) -> None:
    raw = mail("Could we do a remote session tomorrow at 2?", From=f"{display} <desk@acme.com>")
    document = load_email(raw, at=None, tz=LA, rep=rep, source=None)
    assert document.turns[0].speaker == speaker
    assert document.turns[0].role == Role.REP and not document.warnings


def test_a_person_named_without_an_address_in_a_header_block_is_listed_once() -> None:
    raw = mail(
        "Logged.\n\nFrom: Jane Doe\nSent: Thursday, November 19, 2026 3:02 PM\n"
        "To: Dana Reyes\nSubject: Pilot\n\nThursday at 10 works.\n",
        To="Jane Doe <jane@acme.com>",
    )
    document = load_email(raw, at=None, tz=LA, rep="Dana Reyes", source=None)
    people = sorted((p.name, p.email, p.role) for p in document.participants)
    assert people == [
        ("Dana Reyes", "dana@nextco.com", Role.REP),
        ("Jane Doe", "jane@acme.com", Role.COUNTERPART),
    ]
    assert [turn.role for turn in document.turns] == [Role.COUNTERPART, Role.REP]
