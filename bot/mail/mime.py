"""Walking the MIME tree: the body text, attachments, calendar parts and attached messages.

Robust to what real mailers and broken gateways send: a multipart with no (or the wrong)
boundary, a message/rfc822 in base64, unknown or wrong charsets, stub plain-text parts.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value

from bot.mail.html import html_to_text
from bot.mail.model import Attachment
from bot.mail.text import decode_bytes, drop_link_targets, repair_surrogates, unflow

CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "text/x-vcalendar"})
_TYPES_BY_EXTENSION = {
    ".ics": "text/calendar",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".eml": "message/rfc822",
}
_TEXT_ATTACHMENT_EXTENSIONS = (".txt", ".md", ".vtt", ".srt", ".csv", ".ics")
_HTML_STUB = re.compile(
    r"(?:does not|doesn't|cannot|can't) (?:support|display) HTML|view (?:this|it) (?:e-?mail )?"
    r"(?:in|on) (?:your|a) (?:web )?browser|this is a multi-?part message in MIME format",
    re.I,
)
_HTML_START = re.compile(r"\s*(?:<!doctype html|<html[\s>])", re.I)
_BOUNDARY_LINE = re.compile(rb"^--([!-~]{1,70}?)[ \t]*\r?\n(?=[A-Za-z-]+:)", re.M)
_PARSER = BytesParser(policy=policy.default)


@dataclass
class Collected:
    """What a message holds, in document order."""

    texts: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    calendar_parts: list[bytes] = field(default_factory=list)
    messages: list[EmailMessage] = field(default_factory=list)  # forwarded as attachments
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(text for text in self.texts if text.strip())


def collect(message: Message) -> Collected:
    """Everything a message holds, not descending into attached messages."""
    found = Collected()
    _walk(message, found)
    return found


def _walk(part: Message, found: Collected) -> None:
    content_type = part.get_content_type()
    if content_type.startswith("multipart/") and not part.is_multipart():
        _walk_broken_multipart(part, found)
    elif content_type == "multipart/alternative" and part.is_multipart():
        _walk_alternative(part, found)
    elif part.is_multipart() and content_type != "message/rfc822":
        for child in _children(part):
            _walk(child, found)
    else:
        _leaf(part, found)


def _children(part: Message) -> list[Message]:
    payload = part.get_payload()
    return (
        [child for child in payload if isinstance(child, Message)]
        if isinstance(payload, list)
        else []
    )


def _walk_alternative(part: Message, found: Collected) -> None:
    """Calendar versions are always kept; of the readable ones, plain text unless it is empty
    or a stub, else the richest (HTML, or a multipart/related holding it)."""
    children = _children(part)
    readable: list[Message] = []
    for child in children:
        if child.get_content_type() in CALENDAR_TYPES:
            _leaf(child, found)
        else:
            readable.append(child)
    plain = [c for c in readable if c.get_content_type() == "text/plain"]
    richer = [c for c in readable if c.get_content_type() != "text/plain"]
    if plain:
        candidate = Collected()
        _leaf(plain[0], candidate)
        if candidate.text.strip() and not (richer and _is_stub(candidate.text)):
            _merge(found, candidate)
            return
    if richer:
        _walk(richer[-1], found)
    elif plain:
        _leaf(plain[0], found)


def _is_stub(text: str) -> bool:
    return len(text) < 400 and bool(_HTML_STUB.search(text))


def _merge(into: Collected, other: Collected) -> None:
    into.texts += other.texts
    into.attachments += other.attachments
    into.calendar_parts += other.calendar_parts
    into.messages += other.messages
    into.warnings += other.warnings


def _leaf(part: Message, found: Collected) -> None:
    content_type = part.get_content_type()
    filename = _filename(part)
    disposition = part.get_content_disposition()
    if content_type == "message/rfc822":
        _attached_message(part, found)
        return
    data = _payload(part)
    lower = (filename or "").lower()
    if lower.endswith(".eml") and data.strip():  # a forward as attachment, typed as a file
        found.messages.append(_PARSER.parsebytes(data))
        return
    if content_type in CALENDAR_TYPES or lower.endswith(".ics"):
        found.calendar_parts.append(data)
        if filename or disposition == "attachment":
            found.attachments.append(Attachment(filename, "text/calendar", data))
        return
    if (
        disposition == "attachment"
        or lower.endswith(_TEXT_ATTACHMENT_EXTENSIONS)
        or (filename and not content_type.startswith("text/"))
    ):
        found.attachments.append(Attachment(filename, _attachment_type(content_type, lower), data))
        return
    if content_type in ("text/plain", "text/html"):
        found.texts.append(_text(part, data, found))
        return
    found.attachments.append(Attachment(filename, content_type, data))


def _text(part: Message, data: bytes, found: Collected) -> str:
    text, warning = decode_bytes(data, part.get_content_charset())
    if warning:
        found.warnings.append(warning)
    if part.get_content_type() == "text/html" or _HTML_START.match(text):
        return html_to_text(text)  # (some mailers label their HTML as plain text)
    text = text.replace("\r\n", "\n")
    if _param(part, "format") == "flowed":
        text = unflow(text, delsp=_param(part, "delsp") == "yes")
    return drop_link_targets(text)


def _param(part: Message, name: str) -> str:
    value = part.get_param(name)
    if isinstance(value, tuple):  # an RFC 2231 value
        value = collapse_rfc2231_value(value)
    return str(value or "").strip().lower()


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except (ValueError, TypeError, LookupError, IndexError):
        return None
    return repair_surrogates(str(name)) if name else None


def _attachment_type(content_type: str, lower_name: str) -> str:
    if content_type in ("application/octet-stream", "text/plain") and "." in lower_name:
        return _TYPES_BY_EXTENSION.get(lower_name[lower_name.rfind(".") :], content_type)
    return content_type


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError, binascii.Error):
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _attached_message(part: Message, found: Collected) -> None:
    """A forward as attachment; a gateway may have base64- or QP-encoded it."""
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    inner = _children(part)
    if encoding in ("base64", "quoted-printable") and inner:
        encoded = inner[0].get_payload()
        if isinstance(encoded, str):
            raw = encoded.encode("ascii", "ignore")
            try:
                data = base64.b64decode(raw) if encoding == "base64" else quopri.decodestring(raw)
            except binascii.Error:
                data = b""
            if data:
                inner = [_PARSER.parsebytes(data)]
    for message in inner:
        if isinstance(message, EmailMessage):
            found.messages.append(message)


def _walk_broken_multipart(part: Message, found: Collected) -> None:
    """A multipart whose boundary is missing or wrong: find the boundary the body uses."""
    body = _payload(part)
    boundary = _BOUNDARY_LINE.search(body)
    if boundary is None:
        found.warnings.append("the message's MIME structure is broken; read its body as text")
        text, warning = decode_bytes(body, part.get_content_charset())
        found.texts.append(text)
        if warning:
            found.warnings.append(warning)
        return
    header = b'Content-Type: %s; boundary="%s"\n\n' % (
        part.get_content_type().encode("ascii"),
        boundary.group(1),
    )
    found.warnings.append("the message's MIME boundary was missing or wrong; recovered it")
    repaired = _PARSER.parsebytes(header + body)
    if repaired.is_multipart():
        for child in _children(repaired):
            _walk(child, found)
    else:  # still not readable as parts: keep the text
        found.texts.append(decode_bytes(body, None)[0])
