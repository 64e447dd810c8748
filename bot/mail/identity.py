"""What makes two deliveries of an email the same message: its content, not its route.

``content_hash`` hashes the headers that say what the message is (author, addressees,
date, subject, its ids) and the body, leaving out the trace a route adds (Received,
Return-Path, Delivered-To, DKIM signatures, ...). The same recap relayed twice is one
input; another body under the same Message-ID is another input.

Header bytes are read as UTF-8 (RFC 6532, SMTPUTF8) and anything else as Latin-1, so
8-bit headers never leave surrogates behind.
"""

from __future__ import annotations

import hashlib
import re

IDENTITY_HEADERS = (
    "from",
    "sender",
    "to",
    "cc",
    "date",
    "subject",
    "message-id",
    "in-reply-to",
    "references",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(rb"\r?\n[ \t]+")
_SPACE = re.compile(r"\s+")


def decode_header_bytes(value: bytes) -> str:
    """Header bytes as text: UTF-8 when they are, else Latin-1 (never surrogates)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def split_message(raw: bytes) -> tuple[dict[str, list[str]], bytes] | None:
    """The header fields (lower-case names, unfolded, decoded) and the body; None when
    the bytes do not start with a header block."""
    end = _HEADER_END.search(raw)
    if end is None:
        return None
    head, body = raw[: end.start()], raw[end.end() :]
    fields: dict[str, list[str]] = {}
    for line in _FOLD.sub(b" ", head).splitlines():
        name, colon, value = line.partition(b":")
        if not colon or not name.strip() or b" " in name.strip():
            return None  # not a header block: hash the bytes as they are
        text = _SPACE.sub(" ", decode_header_bytes(value)).strip()
        fields.setdefault(decode_header_bytes(name).strip().lower(), []).append(text)
    return fields, body


def content_hash(raw: bytes) -> str:
    """sha256 of the message's identity headers and body (see the module docstring)."""
    parts = split_message(raw)
    if parts is None:
        return hashlib.sha256(raw).hexdigest()
    fields, body = parts
    digest = hashlib.sha256()
    for name in IDENTITY_HEADERS:
        for value in fields.get(name, []):
            digest.update(f"{name}:{value}\n".encode())
    digest.update(b"\n")
    digest.update(body.replace(b"\r\n", b"\n").rstrip(b"\n"))
    return digest.hexdigest()
