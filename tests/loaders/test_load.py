"""The loaders' front door: bad input, decoding, kind detection, reference time, speed."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.engine.model import SourceKind
from bot.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    NextStepError,
    TimeZoneError,
    UsageError,
)
from bot.loaders import MAX_INPUT_BYTES, detect_kind, find_reference_time, load_bytes, load_text

DATA = Path(__file__).parent.parent / "data"
BAD = DATA / "bad"
TZ = "America/New_York"
AT = datetime(2026, 11, 16, 23, 45, tzinfo=ZoneInfo(TZ))  # a Monday, late

SIX_MB = b"Dana: we'll review the proposal Thursday at 10.\n" * (6 * 1024 * 1024 // 48)


def bad(name: str) -> bytes:
    return (BAD / name).read_bytes()


# --- refused input ---------------------------------------------------------------------

REFUSED = [
    ("empty", b"", EmptyInputError, "The input has no text to analyse. It is empty"),
    ("whitespace", b" \n\t\r\n  \n", EmptyInputError, "only whitespace"),
    ("utf16-whitespace", " \r\n ".encode("utf-16"), EmptyInputError, "only whitespace"),
    ("pdf", bad("call_notes.pdf"), BinaryInputError, "It looks like a PDF document"),
    ("png", bad("screenshot.png"), BinaryInputError, "It looks like a PNG image."),
    ("zip", bad("call_notes.docx"), BinaryInputError, "It looks like a ZIP archive (a .docx"),
    ("gzip", bad("transcript.vtt.gz"), BinaryInputError, "gzip-compressed data; decompress"),
    ("nul", b"Dana: hi\x00\x00\x00Jane: hello", BinaryInputError, "NUL or control bytes"),
    ("controls", bytes(range(1, 9)) * 50 + b"text", BinaryInputError, "NUL or control bytes"),
    ("6mb", SIX_MB, InputTooLargeError, "It is 6 MB; the limit is 5 MB."),
]


@pytest.mark.parametrize(
    ("data", "error", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_bad_input_is_refused_with_a_clear_message(
    data: bytes, error: type[InputError], message: str
) -> None:
    with pytest.raises(InputError) as raised:
        load_bytes(data, filename="upload", at=AT, tz=TZ)

    assert type(raised.value) is error
    assert message in str(raised.value)
    assert str(raised.value).startswith((error.__doc__ or "").strip())
    assert raised.value.exit_code == 3


def test_the_size_limit_is_exactly_five_megabytes() -> None:
    exactly = b"- demo Tue\n" * (MAX_INPUT_BYTES // 11) + b"x" * (MAX_INPUT_BYTES % 11)
    assert len(exactly) == MAX_INPUT_BYTES

    assert load_bytes(exactly, at=AT, tz=TZ).turns
    with pytest.raises(InputTooLargeError, match="It is 5 MB; the limit is 5 MB"):
        load_bytes(exactly + b"x", at=AT, tz=TZ)


@pytest.mark.parametrize(
    "text",
    ["x" * (MAX_INPUT_BYTES + 1), "é" * (MAX_INPUT_BYTES // 2 + 1)],
    ids=["ascii", "two-byte-characters"],
)
def test_load_text_counts_the_size_in_utf8_bytes(text: str) -> None:
    with pytest.raises(InputTooLargeError, match="the limit is 5 MB"):
        load_text(text, at=AT, tz=TZ)


@pytest.mark.parametrize("text", ["", "   \n\n\t", "\ufeff\n"])
def test_load_text_refuses_empty_text(text: str) -> None:
    with pytest.raises(EmptyInputError):
        load_text(text, at=AT, tz=TZ)


# --- decoding --------------------------------------------------------------------------

DECODED = [
    (
        "cp1252-smart-quotes",
        bad("outlook_notes_cp1252.txt"),
        "Call w/ José – he said “let’s lock in Tuesday at 2pm” and confirmed.",
        ["the input is not UTF-8; read it as Windows-1252 (cp1252)"],
    ),
    (
        "latin1",
        bad("notes_latin1.txt"),
        "Notes réunion avec Renée, Zürich",
        [
            "the input is neither UTF-8 nor Windows-1252; read it as Latin-1 "
            "(characters it cannot show are replaced with \ufffd)"
        ],
    ),
    ("utf16-bom", bad("notes_utf16_bom.txt"), "Call w/ Jane – demo Thu 2pm (confirmed)", []),
    ("utf8-bom", "\ufeffCall w/ Zoë\n".encode(), "Call w/ Zoë", []),
    (
        "utf16-no-bom",
        "Call w/ Jane\nNS: demo Thu\n".encode("utf-16-le"),
        "Call w/ Jane",
        ["the input has no byte-order mark; read it as UTF-16-LE"],
    ),
    (
        "utf8-one-stray-byte",
        "Call w/ Zoë – demo Thu".encode() + b" \x92\n",
        "Call w/ Zoë – demo Thu \ufffd",
        ["the input is not valid UTF-8; 1 byte(s) were replaced with \ufffd"],
    ),
]


@pytest.mark.parametrize(
    ("data", "first", "warnings"), [d[1:] for d in DECODED], ids=[d[0] for d in DECODED]
)
def test_text_is_decoded_and_guesses_are_recorded(
    data: bytes, first: str, warnings: list[str]
) -> None:
    document = load_bytes(data, at=AT, tz=TZ)

    assert document.turns[0].text == first
    assert document.text.startswith(first)
    assert "\r" not in document.text
    assert document.warnings == warnings


def test_half_a_vtt_file_loads_what_is_there_with_a_warning() -> None:
    document = load_bytes(bad("half_written.vtt"), filename="half_written.vtt", at=AT, tz=TZ)

    assert document.kind == SourceKind.TRANSCRIPT
    assert [(t.speaker, t.text) for t in document.turns] == [
        ("Dana Reyes", "Hi Jane."),
        ("Jane Kim", "Hello. About the demo on Thurs"),
    ]
    assert document.warnings[0] == (
        "the transcript stops in the middle of a cue at line 9; it looks cut off, "
        "so only what is there was read"
    )


# --- kind detection --------------------------------------------------------------------

EMAIL = (
    "From: Jane Kim <jane@acme.example>\nTo: Dana Reyes <dana@vendor.example>\n"
    "Subject: Re: pilot\nDate: Thu, 19 Nov 2026 15:00:00 -0800\n\nThursday at 10 works.\n"
)


@pytest.mark.parametrize(
    ("text", "filename", "kind"),
    [
        (EMAIL, None, SourceKind.EMAIL),
        (
            "Received: from mx.acme.example\n\tby mx.vendor.example\nFrom: a@b.c\n\nHi",
            None,
            "email",
        ),
        ("MIME-Version: 1.0\nContent-Type: text/plain\n\nHi", None, SourceKind.EMAIL),
        ("From dana@vendor.example Thu Nov 19 15:00:00 2026\nFrom: a@b.c\n\nHi", None, "email"),
        ("anything at all", "recap.eml", SourceKind.EMAIL),
        ("Date: 2026-11-19 15:00\nSubject: Acme call\n\n- demo Tue", None, SourceKind.NOTES),
        ("From: the Acme call\nwe agreed a demo Tue\n", None, SourceKind.NOTES),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nhello", None, SourceKind.TRANSCRIPT),
        ("1\n00:00:01,000 --> 00:00:02,000\nhello\n", None, SourceKind.TRANSCRIPT),
        ("just some words", "call.vtt", SourceKind.TRANSCRIPT),
        ("just some words", "call.SRT", SourceKind.TRANSCRIPT),
        ("Dana: Monday?\nJane: Sure.\nDana: Great.", None, SourceKind.TRANSCRIPT),
        ("[12:04] Dana: Monday?\n[12:05] Jane: Sure.\n[12:05] Sam: Yes.", None, "transcript"),
        ("Dana  0:00\nMonday?\n\nJane  0:04\nSure.\n\nSam  0:06\nOk.", None, "transcript"),
        (
            "0:05\nDana Reyes\nMonday?\n0:09\nJane Kim\nSure.\n0:12\nDana Reyes\nOk",
            None,
            "transcript",
        ),
        ("Budget: 50k\nTimeline: Q1\nOwner: Dana\nNS: demo Tue", None, SourceKind.NOTES),
        ("Jane: wants demo\nSam: CFO\nRaj: IT", None, SourceKind.NOTES),  # no name comes back
        ("Demo Tuesday 2:30\nCall Friday 10:00\nReview Monday 9:30", None, SourceKind.NOTES),
        ("- demo Tue 2pm\n- deck Fri", None, SourceKind.NOTES),
    ],
)
def test_detect_kind(text: str, filename: str | None, kind: str) -> None:
    assert detect_kind(text, filename) == kind


def test_an_email_is_handed_to_the_email_loader() -> None:
    pytest.importorskip("bot.loaders.email")

    from_bytes = load_bytes(EMAIL.encode(), at=None, tz=TZ, rep="Dana Reyes", source="inbox")
    from_text = load_text(EMAIL, tz=TZ, rep="Dana Reyes")

    assert from_bytes.kind == from_text.kind == SourceKind.EMAIL
    assert "Thursday at 10 works." in from_bytes.text
    assert from_bytes.source == "inbox"


def test_a_pasted_email_with_broken_characters_still_loads() -> None:
    pytest.importorskip("bot.loaders.email")

    document = load_text(EMAIL.replace("works.", "works \ud800 \udcff."), tz=TZ, rep="Dana")

    assert document.kind == SourceKind.EMAIL
    assert "Thursday at 10 works" in document.text


@pytest.mark.parametrize("kind", [SourceKind.NOTES, "notes"])
def test_a_given_kind_wins_over_detection(kind: SourceKind | str) -> None:
    text = "Dana: Monday?\nJane: Sure.\nDana: Great."
    document = load_text(text, kind=kind, at=AT, tz=TZ)  # type: ignore[arg-type]

    assert document.kind == SourceKind.NOTES
    assert [t.speaker for t in document.turns] == [None, None, None]


def test_an_unknown_kind_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Unknown kind 'memo'; use one of transcript"):
        load_text("hello", kind="memo", at=AT, tz=TZ)  # type: ignore[arg-type]


def test_the_file_name_is_the_source_unless_one_is_given() -> None:
    named = load_bytes(b"- demo Tue", filename="acme.txt", at=AT, tz=TZ)
    given = load_bytes(b"- demo Tue", filename="acme.txt", source="slack:C123", at=AT, tz=TZ)

    assert (named.source, given.source) == ("acme.txt", "slack:C123")


# --- time zone and reference time --------------------------------------------------------


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", "../etc/passwd", "EST5EDT6"])
def test_an_unknown_time_zone_is_refused(tz: str) -> None:
    with pytest.raises(TimeZoneError) as raised:
        load_text("- demo Tue", at=AT, tz=tz)
    with pytest.raises(TimeZoneError):
        load_bytes(b"- demo Tue", at=AT, tz=tz)

    assert f"Unknown time zone. {tz!r} is not an IANA time zone name" in str(raised.value)
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(2026, 11, 17, 4, 45, tzinfo=UTC), datetime(2026, 11, 16, 23, 45)),
        (datetime(2026, 11, 16, 23, 45), datetime(2026, 11, 16, 23, 45)),  # naive: rep's wall time
    ],
    ids=["aware-utc", "naive"],
)
def test_at_is_given_in_the_reps_zone(at: datetime, expected: datetime) -> None:
    document = load_text("- demo Tue", at=at, tz=TZ)

    assert document.reference_time == expected.replace(tzinfo=ZoneInfo(TZ))
    assert document.reference_time.utcoffset() is not None
    assert document.tz == TZ


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Date: 2026-11-19 15:00", datetime(2026, 11, 19, 15, 0)),
        ("Date: 2026-11-19T15:00:00-08:00", datetime(2026, 11, 19, 18, 0)),
        ("Meeting recorded Nov 19, 2026 3:00 PM", datetime(2026, 11, 19, 15, 0)),
        ("Recorded on November 19, 2026 at 3:00 PM", datetime(2026, 11, 19, 15, 0)),
        ("Call date: 19 Nov 2026 09:30", datetime(2026, 11, 19, 9, 30)),
        ("Date: Thu, Nov 19, 2026 3:00PM • 32:15", datetime(2026, 11, 19, 15, 0)),
        ("NOTE Date: 2026-11-19 15:00", datetime(2026, 11, 19, 15, 0)),
    ],
)
def test_without_at_the_sources_own_date_line_is_used(header: str, expected: datetime) -> None:
    document = load_text(f"{header}\n- demo Tue 2pm (confirmed)", tz=TZ)

    assert document.reference_time == expected.replace(tzinfo=ZoneInfo(TZ))
    assert document.warnings == []


def test_a_date_without_a_time_counts_from_the_start_of_the_day_and_says_so() -> None:
    document = load_text("Date: 2026-11-19\n- demo Tue", tz=TZ)

    assert document.reference_time == datetime(2026, 11, 19, tzinfo=ZoneInfo(TZ))
    assert document.warnings == [
        "the source gives the date 2026-11-19 without a time; "
        "times are counted from the start of that day"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "- demo Tue 2pm",
        "Date: tomorrow at 3pm\n- demo Tue",  # relative: would need the clock
        "Date: next Friday\n- demo",
        "Dana: Monday?\nJane: Sure.\nDana: Great.",
    ],
)
def test_without_at_or_a_date_line_the_caller_is_told(text: str) -> None:
    with pytest.raises(UsageError, match="No reference time: the text does not say when"):
        load_text(text, tz=TZ)


def test_find_reference_time_is_available_to_callers() -> None:
    found = find_reference_time("Acme call\nDate: 2026-11-19 15:00\n", TZ)

    assert found == (datetime(2026, 11, 19, 15, 0, tzinfo=ZoneInfo(TZ)), True)
    assert find_reference_time("no date here", TZ) is None


# --- purity and speed ------------------------------------------------------------------


def test_the_loaders_import_no_service_clients() -> None:
    code = (
        "import sys, bot.loaders\n"
        "bad = [m for m in ('slack_bolt', 'slack_sdk', 'googleapiclient', 'sqlmodel',"
        " 'sqlalchemy') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def _transcript(words: int) -> str:
    lines = []
    for n in range(words // 16):  # 16 words a turn, the speaker line included
        speaker = "Dana Reyes" if n % 2 else "Jane Kim"
        minutes, seconds = divmod(n * 7, 60)
        lines.append(f"{speaker}  {minutes:02d}:{seconds:02d}")
        lines.append("Sounds good, so we will review the proposal together on Thursday at 10.")
        lines.append("")
    return "\n".join(lines)


def test_a_9000_word_transcript_loads_every_turn() -> None:
    text = _transcript(9000)
    assert 8500 <= len(text.split()) <= 10000

    document = load_text(text, at=AT, tz=TZ, rep="Dana")

    assert document.kind == SourceKind.TRANSCRIPT
    assert len(document.turns) == 9000 // 16
    assert {t.speaker for t in document.turns} == {"Dana Reyes", "Jane Kim"}


FIVE_MB_SHAPES = [
    ("transcript", SourceKind.TRANSCRIPT, _transcript(9000).encode()),
    ("notes", SourceKind.NOTES, b"- demo Tue 2pm w/ Sarah (confirmed)\nShe'll check w/ CFO\n\n"),
    ("heading-like-lines", None, b"#" * 59 + b"\n"),
    ("one-line", None, b"Dana: " + b"we agreed on Thursday " * 50),
]


@pytest.mark.parametrize(
    ("kind", "unit"), [s[1:] for s in FIVE_MB_SHAPES], ids=[s[0] for s in FIVE_MB_SHAPES]
)
def test_five_megabytes_load_without_losing_text(kind: SourceKind | None, unit: bytes) -> None:
    """Just under the limit loads (speed is measured in benchmarks/, not here)."""
    data = (unit * (MAX_INPUT_BYTES // len(unit) + 1))[: MAX_INPUT_BYTES - 1]

    document = load_bytes(data, kind=kind, at=AT, tz=TZ, rep="Dana")

    assert document.turns
    assert len(document.text) >= len(data.decode("utf-8", "replace").rstrip()) - 1


@pytest.mark.parametrize(
    ("data", "tz", "error"),
    [
        (b"  \n\t\n", TZ, EmptyInputError),
        (b"\x00\x01\x02\x03PK\x03\x04" * 64, TZ, BinaryInputError),
        (b"a" * (MAX_INPUT_BYTES + 1), TZ, InputTooLargeError),
        (b"Dana: I'll send it Friday.", "Mars/Olympus", TimeZoneError),
    ],
    ids=["empty", "binary", "too-large", "bad-zone"],
)
def test_loaders_raise_their_errors_as_nextstep_errors(
    data: bytes, tz: str, error: type[NextStepError]
) -> None:
    with pytest.raises(error) as raised:
        load_bytes(data, at=AT, tz=tz, rep="Dana")

    assert isinstance(raised.value, NextStepError)
    assert raised.value.exit_code == 3 or error is TimeZoneError
    assert raised.value.message
