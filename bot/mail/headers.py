"""A message's own headers, read defensively: encoded words in unknown charsets, raw 8-bit
bytes, unreadable dates and headers the standard library chokes on all still give text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import Message

from bot.mail.addresses import clean_name, parse_mailbox_list
from bot.mail.dates import AssumedOffset, parse_written_date
from bot.mail.model import Mailbox
from bot.mail.text import decode_bytes, repair_surrogates

_HEADER_ERRORS = (
    ValueError,
    TypeError,
    IndexError,
    LookupError,
    AttributeError,
    AssertionError,
    HeaderParseError,
)
MAIL_HEADERS = frozenset(
    [
        "from",
        "to",
        "cc",
        "date",
        "subject",
        "message-id",
        "mime-version",
        "content-type",
        "received",
        "return-path",
        "sender",
        "reply-to",
        "in-reply-to",
        "references",
        "delivered-to",
        "x-mailer",
        "dkim-signature",
    ]
)


@dataclass(frozen=True)
class Headers:
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str | None
    sender: Mailbox | None
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    date: datetime | None
    warnings: tuple[str, ...] = field(default=())


def has_mail_headers(message: Message) -> bool:
    return any(name.lower() in MAIL_HEADERS for name in message)


def read_headers(message: Message) -> Headers:
    warnings: list[str] = []
    senders = _mailboxes(message, "from") or _mailboxes(message, "sender")
    references = header_text(message, "references") or ""
    return Headers(
        message_id=header_text(message, "message-id"),
        in_reply_to=header_text(message, "in-reply-to"),
        references=tuple(references.split()),
        subject=header_text(message, "subject"),
        sender=senders[0] if senders else None,
        to=_mailboxes(message, "to"),
        cc=_mailboxes(message, "cc"),
        date=_date(message, warnings),
        warnings=tuple(warnings),
    )


def header_text(message: Message, name: str) -> str | None:
    """A header as text, encoded words decoded; None when absent or blank."""
    try:
        value = message.get(name)
    except _HEADER_ERRORS:
        value = None
        raw = _raw(message, name)
        if raw is not None:
            value = _decode_words(raw)
    if value is None:
        return None
    text = repair_surrogates(str(value))
    if "\ufffd" in text:  # an encoded word in a charset the library does not know
        raw = _raw(message, name)
        text = _decode_words(raw) if raw is not None else text
    return " ".join(text.split()) or None


def _raw(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name:
            return str(value)
    return None


def _decode_words(raw: str) -> str:
    try:
        chunks = decode_header(raw)
    except _HEADER_ERRORS:
        return raw
    pieces: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            pieces.append(chunk)
        elif charset is None:  # the text between encoded words
            pieces.append(repair_surrogates(chunk.decode("raw-unicode-escape")))
        else:
            pieces.append(decode_bytes(chunk, charset)[0])
    return "".join(pieces)


def _mailboxes(message: Message, name: str) -> tuple[Mailbox, ...]:
    try:
        value = message.get(name)
        addresses = getattr(value, "addresses", None)
    except _HEADER_ERRORS:
        value, addresses = None, None
    if addresses:
        boxes = tuple(_mailbox(a.display_name, a.addr_spec) for a in addresses)
        return tuple(box for box in boxes if box.name or box.email)
    return parse_mailbox_list(header_text(message, name))


def _mailbox(display_name: str, addr_spec: str) -> Mailbox:
    name = clean_name(repair_surrogates(display_name or ""))
    email = repair_surrogates(addr_spec or "").strip().lower()
    return Mailbox(name, email if "@" in email else None)


def _date(message: Message, warnings: list[str]) -> datetime | None:
    try:
        value = message.get("date")
        date = getattr(value, "datetime", None)
    except _HEADER_ERRORS:
        value, date = None, None
    if value is None:
        return _sent(message, warnings)
    if not isinstance(date, datetime):
        warnings.append(f"the Date header {header_text(message, 'date')!r} could not be read")
        return None
    if date.tzinfo is None:
        warnings.append("the Date header has no time zone; assumed UTC")
        return date.replace(tzinfo=AssumedOffset(timedelta(0)))
    return date


def _sent(message: Message, warnings: list[str]) -> datetime | None:
    """Outlook's "Sent:" line where a Date header should be: an Outlook message copied
    from its reading pane, pasted with its header block on top."""
    text = header_text(message, "sent")
    written = parse_written_date(text, context=None) if text else None
    if written is None:
        return None
    if written.zone_assumed:
        warnings.append(f"the Sent line ({text}) states no time zone; assumed UTC")
    return written.value
