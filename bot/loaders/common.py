"""Input sanity shared by the loaders: size, binary sniffing, decoding, time zone, and the
reference time (when the conversation happened).

Pure: nothing here reads the clock or the environment; the caller passes ``at`` and ``tz``.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.errors import (
    BinaryInputError,
    EmptyInputError,
    InputTooLargeError,
    UsageError,
)
from bot.zones import check_zone

MAX_INPUT_BYTES = 5 * 1024 * 1024
SNIFF_BYTES = 64 * 1024  # how much of the input the binary and encoding checks look at
CONTROL_SHARE_LIMIT = 0.10  # above this share of control bytes the input is binary

# Signatures of files people attach by mistake, and what to tell them.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "a PDF document; copy its text or export it as plain text"),
    (0, b"PK\x03\x04", "a ZIP archive (a .docx or .xlsx file is one too); save it as plain text"),
    (0, b"PK\x05\x06", "an empty ZIP archive"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"\x1f\x8b", "gzip-compressed data; decompress it first"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc, .xls, .msg)"),
    (0, b"{\\rtf", "an RTF document; save it as plain text"),
    (0, b"ID3", "an MP3 recording; nextstep reads transcripts, not audio"),
    (0, b"OggS", "an Ogg recording; nextstep reads transcripts, not audio"),
    (0, b"fLaC", "a FLAC recording; nextstep reads transcripts, not audio"),
    (0, b"\x1aE\xdf\xa3", "a WebM/Matroska recording; nextstep reads transcripts, not video"),
    (4, b"ftyp", "an MP4/M4A recording; nextstep reads transcripts, not audio or video"),
    (8, b"WAVE", "a WAV recording; nextstep reads transcripts, not audio"),
)
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
# Bytes that are not text: C0 controls except tab, newline, vertical tab, form feed, CR, ESC.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_C1_CONTROLS = re.compile("[\x80-\x9f]")

# A line near the top that says when the meeting happened.
_DATE_HEADER = re.compile(
    r"^(?:NOTE\s+)?(?:date|meeting\s+date|call\s+date|recording\s+date|date\s+recorded|"
    r"(?:meeting\s+)?recorded(?:\s+on)?|started(?:\s+at)?|start\s+time|meeting\s+time|when)"
    r"\s*[:\-–—]?\s+(?P<value>.*\d{4}.*)$",
    re.IGNORECASE,
)
_HEADER_LINES = 15  # how many non-blank lines from the top may hold that date line
_HAS_TIME = re.compile(r"\d:\d\d|\d\s*[ap]\.?m\b|\bnoon\b", re.IGNORECASE)
_VALUE_CUT = re.compile(r"\s+[•|·]\s+.*$")


def check_time_zone(tz: str) -> ZoneInfo:
    """The rep's time zone, or TimeZoneError naming what was given (``bot.zones``)."""
    return check_zone(tz)


def check_size(size: int) -> None:
    if size > MAX_INPUT_BYTES:
        raise InputTooLargeError(
            f"It is {_megabytes(size)}; the limit is {_megabytes(MAX_INPUT_BYTES)}. "
            "Split it into one file per conversation."
        )


def check_text_size(text: str) -> None:
    """Refuse text whose UTF-8 form is over the limit (encoding only when it could be)."""
    if len(text) > MAX_INPUT_BYTES:
        check_size(len(text))
    if len(text) * 4 > MAX_INPUT_BYTES:
        check_size(len(text.encode("utf-8", "surrogatepass")))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text with LF line ends: refuses empty and binary input, never fails to decode.

    Returns the text and the warnings to record when the encoding had to be guessed.
    """
    if not data.strip():
        raise EmptyInputError("It is empty or only whitespace.")
    _refuse_known_binary(data)
    text, warnings = _decode_known_encoding(data)
    if text is None:
        _refuse_control_bytes(data)
        text, warnings = _decode_guessing(data)
    text = normalise_newlines(text)
    if not text.strip():
        raise EmptyInputError("It is empty or only whitespace.")
    return text, warnings


def normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _refuse_known_binary(data: bytes) -> None:
    for offset, magic, what in _MAGIC:
        if data.startswith(magic, offset):
            raise BinaryInputError(f"It looks like {what}.")


def _refuse_control_bytes(data: bytes) -> None:
    sample = data[:SNIFF_BYTES]
    controls = len(sample.translate(None, _TEXT_BYTES))  # what is left once text is deleted
    if b"\x00" in data or controls > CONTROL_SHARE_LIMIT * len(sample):
        raise BinaryInputError(
            "It has NUL or control bytes that text files do not have; "
            "pass the transcript, notes or email as text."
        )


def _decode_known_encoding(data: bytes) -> tuple[str | None, list[str]]:
    """Decode by byte-order mark, or spot UTF-16 written without one."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec, "replace")
            return text, _replacement_warning(text, name)
    utf16 = _utf16_without_bom(data)
    if utf16 is None:
        return None, []
    text = data.decode(utf16, "replace")
    warnings = [f"the input has no byte-order mark; read it as {utf16.upper()}"]
    return text, warnings + _replacement_warning(text, "UTF-16")


def _utf16_without_bom(data: bytes) -> str | None:
    """ASCII-heavy UTF-16 has a NUL in every other byte; plain text has none."""
    sample = data[: SNIFF_BYTES & ~1]
    half = len(sample) // 2
    if half < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.4 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.4 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _replacement_warning(text: str, name: str) -> list[str]:
    bad = text.count("\ufffd")
    if not bad:
        return []
    return [f"{bad} character(s) could not be read as {name} and were replaced with \ufffd"]


def _decode_guessing(data: bytes) -> tuple[str, list[str]]:
    """UTF-8, then UTF-8 with a few bad bytes, then Windows-1252, then Latin-1."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    multibyte = len(text.encode("utf-8")) - len(text) - 2 * text.count("\ufffd")
    if multibyte >= bad:  # mostly real UTF-8 with a few stray bytes
        return text, [f"the input is not valid UTF-8; {bad} byte(s) were replaced with \ufffd"]
    try:
        text = data.decode("cp1252")
        return text, ["the input is not UTF-8; read it as Windows-1252 (cp1252)"]
    except UnicodeDecodeError:
        pass
    text = _C1_CONTROLS.sub("\ufffd", data.decode("latin-1"))
    return text, [
        "the input is neither UTF-8 nor Windows-1252; read it as Latin-1 "
        "(characters it cannot show are replaced with \ufffd)"
    ]


def reference_time(at: datetime | None, text: str, zone: ZoneInfo) -> tuple[datetime, list[str]]:
    """When the conversation happened, in the rep's zone: ``at``, else the source's own date.

    A naive ``at`` is read as wall time in the rep's zone. Raises UsageError when neither
    is known: the loaders never read the clock.
    """
    if at is not None:
        moment = at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)
        return moment, []
    found = find_reference_time(text, zone)
    if found is None:
        raise UsageError(
            "No reference time: the text does not say when the conversation happened. "
            "Pass the time it happened (--at)."
        )
    moment, has_time = found
    if has_time:
        return moment, []
    return moment, [
        f"the source gives the date {moment.date().isoformat()} without a time; "
        "times are counted from the start of that day"
    ]


def find_reference_time(text: str, zone: ZoneInfo | str) -> tuple[datetime, bool] | None:
    """The date line near the top ("Date: 2026-11-19 15:00", "Meeting recorded Nov 19, 2026
    3:00 PM"): the moment in ``zone`` and whether it had a time of day. None when absent."""
    if isinstance(zone, str):
        zone = check_time_zone(zone)
    seen = 0
    for line in text.split("\n", 200)[:200]:
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > _HEADER_LINES:
            return None
        match = _DATE_HEADER.match(stripped)
        if match:
            moment = parse_header_date(match.group("value"), zone)
            if moment is not None:
                return moment, _HAS_TIME.search(match.group("value")) is not None
    return None


def is_date_header(line: str) -> bool:
    """A line such as "Date: 2026-11-19 15:00" (the shape only; the date is not checked)."""
    return _DATE_HEADER.match(line.strip()) is not None


def parse_header_date(value: str, zone: ZoneInfo) -> datetime | None:
    """An absolute date (with a year) and optional time; relative words are refused."""
    value = _VALUE_CUT.sub("", value.strip())
    moment = _parse_iso(value) or _parse_with_dateparser(value, zone)
    if moment is None:
        return None
    if not _HAS_TIME.search(value):
        moment = datetime.combine(moment.date(), time(0, 0))
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def _parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _parse_with_dateparser(value: str, zone: ZoneInfo) -> datetime | None:
    import dateparser  # imported here: it is slow to load and only needed for this line

    settings = {
        "TIMEZONE": zone.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RELATIVE_BASE": datetime(2000, 1, 1),  # never the clock; absolute dates only
        "PREFER_DAY_OF_MONTH": "first",
    }
    try:
        return dateparser.parse(value, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
