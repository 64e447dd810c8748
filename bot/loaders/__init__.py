"""Loaders: what a conversation left behind (a transcript, notes, an email) into a Document.

``load_bytes`` is for files and uploads, ``load_text`` for text already in hand (a slash
command, a paste). Both refuse what cannot be a conversation with an ``InputError``
subclass (empty, binary, too large), read the rep's time zone and the reference time,
tell transcripts, notes and email apart (``detect_kind``), and hand email to
``bot.loaders.email``. Pure: the clock, the environment and the settings are the
caller's; ``at`` and ``tz`` come in as arguments.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.engine.model import Document, SourceKind
from bot.errors import EmptyInputError, UsageError
from bot.loaders.common import (
    MAX_INPUT_BYTES,
    check_size,
    check_text_size,
    check_time_zone,
    decode,
    find_reference_time,
    normalise_newlines,
    reference_time,
)
from bot.loaders.notes import read_notes
from bot.loaders.transcript import looks_like_transcript, read_transcript
from bot.mail.pasted import find_pasted_forward

__all__ = [
    "MAX_INPUT_BYTES",
    "detect_kind",
    "find_reference_time",
    "load_bytes",
    "load_text",
]

_EMAIL_SUFFIXES = (".eml",)
_TRANSCRIPT_SUFFIXES = (".vtt", ".srt")
_HEADER_FIELD = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9-]{0,60}):(?:[ \t].*)?")
_MBOX_FROM = re.compile(r"From \S+ .*\d")  # "From dana@acme.com Thu Nov 19 15:00:00 2026"
_MAIL_ONLY_FIELDS = frozenset(
    {
        "received",
        "mime-version",
        "return-path",
        "message-id",
        "delivered-to",
        "dkim-signature",
        "arc-seal",
        "authentication-results",
        "x-mailer",
        "x-originating-ip",
    }
)
_MAIL_FIELDS = frozenset(
    {"to", "cc", "bcc", "date", "subject", "sent", "reply-to", "sender", "in-reply-to"}
)
_HEADER_BLOCK_LINES = 80


def detect_kind(text: str, filename: str | None = None) -> SourceKind:
    """Email if RFC 822 headers open the text (or a .eml file), or if it holds a pasted
    forward (a forward marker or Outlook header block with From and Date); transcript if a
    .vtt/.srt file, a WEBVTT header, SRT cues or three speaker turns; else notes."""
    suffix = (filename or "").lower()
    if suffix.endswith(_EMAIL_SUFFIXES):
        return SourceKind.EMAIL
    if suffix.endswith(_TRANSCRIPT_SUFFIXES):
        return SourceKind.TRANSCRIPT
    text = normalise_newlines(text).lstrip("\n")
    if _has_mail_headers(text) or find_pasted_forward(text) is not None:
        return SourceKind.EMAIL  # before transcripts: "From: / Sent: / To:" read as speakers
    if looks_like_transcript(text):
        return SourceKind.TRANSCRIPT
    return SourceKind.NOTES


def _has_mail_headers(text: str) -> bool:
    """A header block at the top: only "Field: value" lines (folded ones too) up to the
    first blank line, with a field only mail has, or From: with To:/Date:/Subject:."""
    names: set[str] = set()
    lines = text.split("\n", _HEADER_BLOCK_LINES)[:_HEADER_BLOCK_LINES]
    for index, line in enumerate(lines):
        if not line.strip():
            break
        if index == 0 and _MBOX_FROM.match(line):
            names.add("received")
        elif line[0] in " \t" and names:
            continue
        elif field := _HEADER_FIELD.fullmatch(line):
            names.add(field.group("name").lower())
        else:
            return False
    return bool(names & _MAIL_ONLY_FIELDS) or ("from" in names and bool(names & _MAIL_FIELDS))


def load_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    kind: SourceKind | None = None,
    at: datetime | None = None,
    tz: str,
    rep: str | None = None,
    source: str | None = None,
) -> Document:
    """A Document from a file's bytes. ``source`` defaults to ``filename``."""
    zone = check_time_zone(tz)
    check_size(len(data))
    text, warnings = decode(data)
    source = source if source is not None else filename
    chosen = _kind(kind) or detect_kind(text, filename)
    if chosen == SourceKind.EMAIL:
        return _load_email(data, at=at, tz=tz, rep=rep, source=source)
    return _document(text, chosen, at=at, zone=zone, rep=rep, source=source, warnings=warnings)


def load_text(
    text: str,
    *,
    kind: SourceKind | None = None,
    at: datetime | None = None,
    tz: str,
    rep: str | None = None,
    source: str | None = None,
) -> Document:
    """A Document from text already decoded (a slash command, a paste)."""
    zone = check_time_zone(tz)
    check_text_size(text)
    text = normalise_newlines(text)
    if not text.strip():
        raise EmptyInputError("It is empty or only whitespace.")
    chosen = _kind(kind) or detect_kind(text)
    if chosen == SourceKind.EMAIL:
        return _load_email(_email_bytes(text), at=at, tz=tz, rep=rep, source=source)
    return _document(text, chosen, at=at, zone=zone, rep=rep, source=source, warnings=[])


def _email_bytes(text: str) -> bytes:
    """The message's bytes: those smuggled in as surrogate escapes come back as they were,
    any other lone surrogate becomes "?"."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def _kind(kind: SourceKind | str | None) -> SourceKind | None:
    if kind is None:
        return None
    try:
        return SourceKind(kind)
    except ValueError:
        names = ", ".join(k.value for k in SourceKind)
        raise UsageError(f"Unknown kind {kind!r}; use one of {names}.") from None


def _load_email(
    data: bytes, *, at: datetime | None, tz: str, rep: str | None, source: str | None
) -> Document:
    from bot.loaders.email import load_email  # the email parser is its own module

    return load_email(data, at=at, tz=tz, rep=rep, source=source)


def _document(
    text: str,
    kind: SourceKind,
    *,
    at: datetime | None,
    zone: ZoneInfo,
    rep: str | None,
    source: str | None,
    warnings: list[str],
) -> Document:
    rep = (rep.strip() or None) if rep is not None else None
    reference, time_warnings = reference_time(at, text, zone)
    document = Document(
        text=text,
        turns=[],
        kind=kind,
        reference_time=reference,
        tz=zone.key,
        rep=rep,
        source=source,
        warnings=[*warnings, *time_warnings],
    )
    if kind == SourceKind.TRANSCRIPT:
        read = read_transcript(text, rep)
        document.turns, document.participants = read.turns, read.participants
        document.rep, document.rep_guessed = read.rep, read.rep_guessed
        document.warnings.extend(read.warnings)
    else:
        document.turns = read_notes(text)
    return document
