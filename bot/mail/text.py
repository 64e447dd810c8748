"""Bytes to clean text: charsets (with fallbacks for wrongly declared ones), format=flowed,
line endings and invisible characters."""

from __future__ import annotations

import codecs
import re

# Charsets that map every byte: a wrong declaration of one of these never fails to
# decode, it produces mojibake, so valid UTF-8 is preferred when the bytes are UTF-8.
_SINGLE_BYTE = re.compile(r"^(?:us-?ascii|ascii|iso-?8859-\d+|latin-?\d|windows-125\d|cp125\d)$")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# Invisible characters and C0 controls (not tab or newline) go; no-break spaces become spaces.
_CLEAN = str.maketrans(
    {ch: None for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad\x7f"}
    | {chr(code): None for code in range(32) if chr(code) not in "\t\n\r"}
    | {ch: " " for ch in "\u00a0\u202f\u2007"}
)
_FLOWED_QUOTE = re.compile(r"^>+")


def decode_bytes(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode ``data`` in its declared charset, or the charset it really is in.

    Returns the text and a warning when the declaration was wrong or unknown. Never
    raises and never drops the message: the last resort maps every byte.
    """
    charset = (declared or "").strip().strip("\"'").lower() or None
    if charset in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        charset = "windows-1252"  # what these senders mean; a superset for text
    codec = _text_codec(charset)
    if codec is None:
        text, used = _fallback(data)
        return text, (f"unknown charset {declared!r}; read as {used}" if charset else None)
    if _NON_ASCII.search(data) and _SINGLE_BYTE.match(charset or "") and _is_utf8(data):
        return data.decode("utf-8"), f"text declared as {declared} is UTF-8; read as UTF-8"
    if codec.startswith(("utf-16", "utf-32")) and b"\x00" not in data:
        text, used = _fallback(data)  # wide text always has NUL bytes; this has none
        return text, f"text declared as {declared} is not; read as {used}"
    try:
        return data.decode(codec), None
    except (UnicodeDecodeError, LookupError):
        text, used = _fallback(data)
        return text, f"text declared as {declared} is not; read as {used}"


def _text_codec(charset: str | None) -> str | None:
    """The codec for a charset name, if it is one that decodes bytes to text."""
    if not charset:
        return None
    try:
        info = codecs.lookup(charset)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _fallback(data: bytes) -> tuple[str, str]:
    """UTF-8, else windows-1252, else latin-1 (which maps every byte)."""
    for codec in ("utf-8", "windows-1252"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def repair_surrogates(text: str) -> str:
    """Header text with raw 8-bit bytes (kept as surrogates by the parser) as real text."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    decoded, _warning = decode_bytes(raw, "utf-8")
    return decoded


def unflow(text: str, *, delsp: bool) -> str:
    """Join the soft line breaks of a format=flowed body (RFC 3676)."""
    lines = text.split("\n")
    out: list[str] = []
    carry: str | None = None
    carry_depth = 0
    for line in lines:
        marker = _FLOWED_QUOTE.match(line)
        depth = len(marker.group(0)) if marker else 0
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if carry is not None and depth == carry_depth:
            content = carry + content
        elif carry is not None:
            out.append(">" * carry_depth + (" " if carry_depth else "") + carry)
        carry = None
        if content.endswith(" ") and content != "-- ":
            carry, carry_depth = (content[:-1] if delsp else content), depth
            continue
        out.append(">" * depth + (" " if depth and content else "") + content)
    if carry is not None:
        out.append(">" * carry_depth + (" " if carry_depth else "") + carry)
    return "\n".join(out)


# Outlook's plain-text rendering of links and inline images: "Click here<https://...>",
# "jane@acme.com<mailto:jane@acme.com>", "[cid:image001.png@01DA3B2C.5E6F7A80]".
_LINK_TARGET = re.compile(r"(?<=\S)<(?:https?|mailto):[^<>\s]{1,2000}>")
_INLINE_IMAGE = re.compile(r"\[cid:[^\]\n]{1,200}\]|^<image\d{3}\.(?:png|jpe?g|gif)>$", re.M | re.I)


def drop_link_targets(text: str) -> str:
    """Link targets and image placeholders that plain-text renderings leave in the words."""
    if "<" not in text and "[cid:" not in text:
        return text
    return _INLINE_IMAGE.sub("", _LINK_TARGET.sub("", text))


def normalize(text: str) -> str:
    """One newline style, no invisible characters or trailing spaces, at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CLEAN)
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    while "\n\n\n" in text:  # str.replace runs in C; a regex here costs seconds on 30 MB
        text = text.replace("\n\n\n\n", "\n\n").replace("\n\n\n", "\n\n")
    return text.strip("\n")
