"""Properties of the loaders over generated input: no crash but our InputErrors, and no
lost text (every line with words lands in exactly one turn, or is structure that the
reader recognised: a header, a cue number, a timing or timestamp line, a speaker line)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.engine.model import Document, Role, SourceKind
from bot.errors import InputError
from bot.loaders import detect_kind, find_reference_time, load_bytes, load_text

TZ = "Asia/Kolkata"
AT = datetime(2026, 11, 20, 9, 5, tzinfo=ZoneInfo(TZ))

# --- what generated conversations are made of ------------------------------------------

SPEAKER_NAMES = ["Dana", "Jane Kim", "Dana Reyes", "Speaker 1", "Unknown", "Q", "Sam Ortiz"]
NAMES = st.sampled_from(SPEAKER_NAMES)
ORGS = st.sampled_from(["Acme", "Northwind", "Globex Corp"])
STAMPS = st.sampled_from(["0:05", "12:04", "00:12:04", "1:02:03", "00:00:01.000", "9:03 AM"])
WORD_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cs", "Cc", "Zl", "Zp"),
    exclude_characters="<>&\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
)
WORDS = st.text(WORD_CHARS, min_size=1, max_size=40).filter(lambda s: s.strip() != "")
PHRASES = st.sampled_from(
    [
        "Can we do Thursday at 10?",
        "Sounds good, see you then.",
        "Next steps: send the deck Friday",
        "Budget: approved",
        "12:30 works",
        "- send proposal by EOD",
        "Note: she is out next week",
        "From: Jane",
        "NS: demo Tue 2pm (confirmed)",
    ]
)
TEXT = st.one_of(WORDS, PHRASES)


@st.composite
def speaker_line(draw: st.DrawFn) -> str:
    name, words, stamp, org = draw(NAMES), draw(TEXT), draw(STAMPS), draw(ORGS)
    return draw(
        st.sampled_from(
            [
                f"{name}: {words}",
                f"[{stamp}] {name}: {words}",
                f"{stamp} {name}: {words}",
                f"{name} ({stamp}): {words}",
                f"{name}  {stamp}",
                f"{name} ({org})  {stamp}",
                f"{name} - {stamp}",
                f"[{name}] {stamp}",
                f"[{stamp}] {name}",
                f"{name}:",
                name,
                f"<v {name}>{words}",
                f"- {name}: {words}",
            ]
        )
    )


STRUCTURE = st.sampled_from(
    [
        "",
        "",
        "WEBVTT",
        "Kind: captions",
        "X-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000",
        "NOTE a comment",
        "00:00:01.000 --> 00:00:04.000",
        "00:01:02,500 --> 00:01:05,000 align:start",
        "0:0:3.450 --> 0:0:9.120",
        "17",
        "12:04",
        "[00:12:04]",
        "Date: 2026-11-19 15:00",
        "Transcribed by https://otter.ai",
        "## Next steps",
        "Action items",
        "  - [ ] indented bullet",
    ]
)
LINES = st.lists(st.one_of(speaker_line(), STRUCTURE, TEXT), min_size=1, max_size=40)


# --- the no-lost-text check, written independently of the reader ------------------------

_STAMP = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?(?:\s?[AaPp]\.?[Mm]\.?)?"
_STRUCTURE_LINE = re.compile(
    rf"WEBVTT.*|(?:NOTE|STYLE|REGION)\b.*|{_STAMP}\s*-->.*|[\[(]?{_STAMP}[\])]?|\d+|"
    r"(?:date|meeting recorded|recorded on|call date)\b.*\d{4}.*|"
    r"transcribed by https?://otter\.ai/?",
    re.IGNORECASE,
)

_SPEAKER_ONLY = re.compile(
    rf"(?:[\[(]?{_STAMP}[\])]?\s*)?(?:-\s*)?\[?(?P<name>[^\[\]():]+?)\]?(?:\s*\([^()]*\))?"
    rf"\s*(?:[-–—|]\s*)?(?:[\[(]?{_STAMP}[\])]?)?\s*:?"
)


def is_structure(document: Document, number: int, lines: list[str]) -> bool:
    line = lines[number - 1].strip()
    if _STRUCTURE_LINE.fullmatch(line):
        return True
    if number < len(lines) and "-->" in lines[number]:
        return True  # a cue identifier: the line above a timing line
    if _in_vtt_header_or_block(lines, number):
        return True
    # A speaker line: a name, with a time and a company perhaps, and no words.
    speaker = _SPEAKER_ONLY.fullmatch(line)
    return speaker is not None and speaker.group("name").strip() in SPEAKER_NAMES


def _in_vtt_header_or_block(lines: list[str], number: int) -> bool:
    """A metadata line under WEBVTT, or inside a NOTE/STYLE/REGION block."""
    first = next(i for i, line in enumerate(lines) if line.strip())
    if not lines[first].lstrip().startswith("WEBVTT"):
        return False
    start = number - 1
    while start > first and lines[start - 1].strip():
        start -= 1
    if start == first:
        return re.fullmatch(r"[\w-]+\s*[:=].*", lines[number - 1].strip()) is not None
    return re.match(r"(?:NOTE|STYLE|REGION)(?:\s|$)", lines[start]) is not None


def assert_no_lost_text(document: Document) -> None:
    lines = document.text.split("\n")
    covered: set[int] = set()
    for turn in document.turns:
        assert turn.text.strip(), f"empty turn {turn}"
        for offset, piece in enumerate(turn.text.split("\n")):
            if not piece.strip():
                continue
            number = turn.line + offset
            assert number not in covered, f"line {number} is in two turns"
            covered.add(number)
            source = lines[number - 1].strip()
            assert source.endswith(piece), f"line {number}: {piece!r} is not the end of {source!r}"
            label = source[: len(source) - len(piece)].rstrip()
            assert label == "" or label.endswith((":", ">")), f"line {number}: lost {label!r}"
    for number, line in enumerate(lines, start=1):
        if line.strip() and number not in covered:
            assert document.kind == SourceKind.TRANSCRIPT, f"notes lost line {number}: {line!r}"
            assert is_structure(document, number, lines), f"lost line {number}: {line!r}"


def assert_consistent(document: Document) -> None:
    assert [t.index for t in document.turns] == list(range(len(document.turns)))
    assert [t.line for t in document.turns] == sorted({t.line for t in document.turns})
    for turn in document.turns:
        assert (turn.speaker is None) == (turn.role == Role.UNKNOWN) or (
            turn.speaker is not None and document.rep is None
        )
    if document.kind == SourceKind.TRANSCRIPT and any(t.speaker for t in document.turns):
        assert document.rep is not None
        assert document.participants


# --- properties ----------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES, kind=st.sampled_from([SourceKind.TRANSCRIPT, SourceKind.NOTES, None]))
def test_generated_conversations_lose_no_text(lines: list[str], kind: SourceKind | None) -> None:
    text = "\n".join(lines)
    assume(text.strip())
    assume(kind is not None or detect_kind(text) != SourceKind.EMAIL)

    try:
        document = load_text(text, kind=kind, at=AT, tz=TZ)
    except InputError:
        return
    assert document.text == text
    assert_no_lost_text(document)
    assert_consistent(document)


@settings(max_examples=200, deadline=None)
@given(lines=LINES, rep=st.one_of(st.none(), NAMES, WORDS))
def test_every_speaker_gets_a_role(lines: list[str], rep: str | None) -> None:
    text = "\n".join(lines)
    assume(text.strip())

    try:
        document = load_text(text, kind=SourceKind.TRANSCRIPT, at=AT, tz=TZ, rep=rep)
    except InputError:
        return
    for turn in document.turns:
        assert (turn.role == Role.UNKNOWN) == (turn.speaker is None)
    if rep is None and document.participants:
        assert document.rep_guessed
        assert document.participants[0].role == Role.REP


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000), kind=st.sampled_from([None, SourceKind.NOTES]))
def test_any_bytes_give_a_document_or_an_input_error(data: bytes, kind: SourceKind | None) -> None:
    try:
        document = load_bytes(data, kind=kind, at=AT, tz=TZ, filename="upload.txt")
    except InputError:
        return
    assert document.turns
    assert "\r" not in document.text or document.kind == SourceKind.EMAIL


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=300),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1252", "latin-1"]),
)
def test_any_text_in_any_common_encoding_loads_or_is_refused(text: str, encoding: str) -> None:
    data = text.encode(encoding, "replace")
    try:
        document = load_bytes(data, kind=SourceKind.NOTES, at=AT, tz=TZ)
    except InputError:
        return
    assert_no_lost_text(document)


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=60), year=st.integers(1, 9999))
def test_a_date_line_never_crashes(value: str, year: int) -> None:
    found = find_reference_time(f"Date: {value} {year:04d}\n- demo", TZ)

    assert found is None or found[0].tzinfo is not None
