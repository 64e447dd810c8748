"""An email as the thread it carries: who wrote each part, when, and what they said.

``parse_email`` reads a raw RFC 5322 message (a recap, a reply, a forward of a thread, a
forward as attachment) into ``ParsedEmail``: its parts newest first, each with its author,
date and only the words that author wrote (no quoted history, signature or footer), plus
attachments and calendar parts. Pure: stdlib ``email``, html2text and dateparser.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from itertools import pairwise

from bot.errors import EmailParseError
from bot.mail.dates import parse_written_date
from bot.mail.headers import Headers, has_mail_headers, read_headers
from bot.mail.mime import collect
from bot.mail.model import Attachment, Mailbox, MessagePart, ParsedEmail
from bot.mail.pasted import find_pasted_forward
from bot.mail.signatures import strip_signature
from bot.mail.text import decode_bytes, normalize
from bot.mail.thread import Segment, split_thread

__all__ = [
    "Attachment",
    "Mailbox",
    "MessagePart",
    "ParsedEmail",
    "parse_email",
    "parse_pasted",
]

_PARSER = BytesParser(policy=policy.default)
_NO_HEADERS = "No email headers (From, To, Date, Subject) were found."
_NO_OWN_HEADERS = Headers(None, None, (), None, None, (), (), None)
_MAX_ATTACHED_DEPTH = 8
_PARSE_ERRORS = (ValueError, TypeError, IndexError, LookupError, AttributeError, AssertionError)
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an Outlook .msg or old Office file",
    b"{\\rtf": "an RTF document",
}


@dataclass
class _Found:
    parts: list[MessagePart] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    calendar_parts: list[bytes] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_email(raw: bytes) -> ParsedEmail:
    """Read a raw email. Raises EmailParseError when it cannot be read as one at all."""
    _check_readable(raw)
    try:
        message = _PARSER.parsebytes(bytes(raw))
    except RecursionError as error:
        raise EmailParseError("Its MIME parts are nested too deeply.") from error
    except _PARSE_ERRORS as error:
        raise EmailParseError(f"Its structure is broken ({error}).") from error
    if not has_mail_headers(message):
        return parse_pasted(decode_bytes(bytes(raw), "utf-8")[0])
    try:
        return _parsed(message)
    except RecursionError as error:
        raise EmailParseError("Its MIME parts are nested too deeply.") from error


def parse_pasted(text: str) -> ParsedEmail:
    """A forward pasted as text (no headers of its own): ``parts[0]`` is the note above the
    forward, by the forwarder (the author is left to the caller, who knows the rep), then
    the forwarded messages. Raises EmailParseError when the text holds no forward."""
    text = normalize(text)
    if find_pasted_forward(text) is None:
        raise EmailParseError(_NO_HEADERS)
    segments, warnings = split_thread(text, subject=None)
    found = _Found(warnings=warnings)
    context: datetime | None = None
    for index, segment in enumerate(segments):
        part = _part(segment, _NO_OWN_HEADERS, context, 0, found.warnings)
        found.parts.append(replace(part, forwarded=True) if index else part)
        context = part.date or context
    parts = _newest_first(found.parts, found.warnings)
    subject = next((part.subject for part in parts if part.subject), None)
    return ParsedEmail(
        message_id=None,
        in_reply_to=None,
        references=(),
        subject=subject,
        sender=None,
        date=None,
        parts=tuple(parts),
        attachments=(),
        calendar_parts=(),
        warnings=tuple(dict.fromkeys(found.warnings)),
        pasted=True,
    )


def _check_readable(raw: bytes) -> None:
    if not raw or not bytes(raw).strip():
        raise EmailParseError("The message is empty.")
    head = bytes(raw[:16]).lstrip()
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise EmailParseError(f"This is {what}, not an email.")
    if b"\x00" in raw[:4096]:
        raise EmailParseError("It holds binary data where the headers should be.")


def _parsed(message: Message) -> ParsedEmail:
    headers = read_headers(message)
    found = _Found(warnings=list(headers.warnings))
    _add_message(message, headers, found, depth=0, forwarded=False)
    parts = _newest_first(found.parts, found.warnings)
    return ParsedEmail(
        message_id=headers.message_id,
        in_reply_to=headers.in_reply_to,
        references=headers.references,
        subject=headers.subject,
        sender=headers.sender,
        date=headers.date,
        parts=tuple(parts),
        attachments=tuple(found.attachments),
        calendar_parts=tuple(dict.fromkeys(found.calendar_parts)),
        warnings=tuple(dict.fromkeys(found.warnings)),
    )


def _add_message(
    message: Message, headers: Headers, found: _Found, *, depth: int, forwarded: bool
) -> None:
    """The parts of one message (its text, then any message attached to it)."""
    content = collect(message)
    found.attachments += content.attachments
    found.calendar_parts += content.calendar_parts
    found.warnings += content.warnings
    segments, warnings = split_thread(
        normalize(content.text), subject=headers.subject, forwarded=forwarded
    )
    found.warnings += warnings
    context = headers.date
    for segment in segments:
        part = _part(segment, headers, context, depth, found.warnings)
        found.parts.append(part)
        context = part.date or context
    for attached in content.messages:
        if depth >= _MAX_ATTACHED_DEPTH:
            found.warnings.append("messages attached inside attached messages go too deep; skipped")
            break
        inner = read_headers(attached)
        found.warnings += inner.warnings
        _add_message(attached, inner, found, depth=depth + 1, forwarded=True)


def _part(
    segment: Segment,
    headers: Headers,
    context: datetime | None,
    depth: int,
    warnings: list[str],
) -> MessagePart:
    if segment.header is None:
        author, to, cc = headers.sender, headers.to, headers.cc
        date, subject = headers.date, headers.subject
    else:
        written = segment.header
        author, to, cc, subject = written.author, written.to, written.cc, written.subject
        date = _written_date(written.date_text, author, context, warnings)
    return MessagePart(
        author=author,
        to=to,
        cc=cc,
        date=date,
        subject=subject,
        body=normalize(strip_signature(segment.text, author)),
        depth=depth + segment.depth,
        forwarded=segment.forwarded,
    )


def _written_date(
    text: str | None, author: Mailbox | None, context: datetime | None, warnings: list[str]
) -> datetime | None:
    if not text:
        return None
    who = (author.label if author else None) or "an earlier sender"
    written = parse_written_date(text, context=context)
    if written is None:
        warnings.append(f"could not read the date {text!r} of {who}'s message")
        return None
    if written.zone_assumed:
        offset = written.value.strftime("%z")
        source = "the enclosing message" if context is not None else "no other source (UTC)"
        warnings.append(
            f"the date of {who}'s message ({text}) states no time zone; assumed {offset} from {source}"
        )
    return written.value


def _newest_first(parts: list[MessagePart], warnings: list[str]) -> list[MessagePart]:
    """Parts as found, unless their dates say otherwise (Gmail's "forward all" lists the
    forwarded messages oldest first). The outermost message stays first."""
    rest = parts[1:]
    dates = [part.date for part in rest if part.date is not None]
    if len(dates) < len(rest) or all(a >= b for a, b in pairwise(dates)):
        return parts
    warnings.append("the quoted messages were not in date order; listed newest first")
    ordered = sorted(rest, key=lambda part: part.date or datetime.min, reverse=True)
    return [parts[0], *ordered]
