"""How an incoming message is recognised as part of a thread already stored.

Three signals, strongest first: its In-Reply-To / References name a stored Message-ID;
it quotes the text of a stored message (compared by ``text_key``); or it is a reply
with the same normalised subject to the same counterpart domain within 30 days. These
are plain functions of strings; the lookups are in ``storage.repo``.
"""

from __future__ import annotations

import hashlib
import re
from email.parser import BytesHeaderParser
from email.policy import compat32

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_HEADER_SCAN = 256 * 1024
_ANGLE_ID = re.compile(r"<([^<>\s]+)>")
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]{0,40}\]\s*|(?:re|fw|fwd|aw|wg|sv|vs|antw|rif|tr|r|rv|odp|enc)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)",
    re.IGNORECASE,
)
_REPLY_PREFIX = re.compile(r"^\s*(?:\[[^\]]{0,40}\]\s*)*(?:re|aw|sv|antw|rif|r)\s*[:：]", re.I)
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
TEXT_KEY_CHARS = 400  # letters and digits that identify a message's text
TEXT_KEY_MIN = 40  # shorter texts ("Sounds good!") would match unrelated threads
MESSAGE_ID_MAX = 900


def normalise_message_id(value: str | None) -> str | None:
    """A Message-ID without angle brackets or folding: ``<a@b>`` → ``a@b``."""
    if not value:
        return None
    found = _ANGLE_ID.search(value)
    bare = found.group(1) if found else value.strip().strip("<>").strip()
    return bare[:MESSAGE_ID_MAX] or None


def message_ids(*values: str | None) -> list[str]:
    """Every Message-ID named in header values (References holds several)."""
    found: list[str] = []
    for value in values:
        if not value:
            continue
        ids = _ANGLE_ID.findall(value) or [value]
        found.extend(i for i in (normalise_message_id(v) for v in ids) if i)
    return list(dict.fromkeys(found))


def header_message_id(raw: bytes) -> str | None:
    """The Message-ID header of a raw email, read from the header block only; None
    when there is none or the bytes are not an email."""
    head = raw[:_HEADER_SCAN]
    end = _HEADER_END.search(head)
    if end is not None:
        head = head[: end.start()]
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(head)
        value = headers.get("Message-ID")
    except Exception:  # a header block too broken to read has no usable id
        return None
    return normalise_message_id(str(value)) if value else None


def subject_key(subject: str | None) -> str | None:
    """The subject without Re:/Fwd:/[EXTERNAL] prefixes, spaces collapsed, lower case."""
    if not subject:
        return None
    text = subject
    while True:
        stripped = _SUBJECT_PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    key = _SPACE.sub(" ", text).strip().casefold()
    return key or None


def is_reply_subject(subject: str | None) -> bool:
    """Whether the subject says the message answers another (Re:, AW:, SV:, ...)."""
    return bool(subject and _REPLY_PREFIX.match(subject))


def text_key(body: str | None) -> str | None:
    """A fingerprint of a message's own text that survives quoting and re-wrapping:
    the first letters and digits (any script), case folded. None for texts too short to tell apart."""
    if not body:
        return None
    letters = _NOT_WORD.sub("", body[: TEXT_KEY_CHARS * 8].casefold())[:TEXT_KEY_CHARS]
    if len(letters) < TEXT_KEY_MIN:
        return None
    return hashlib.sha256(letters.encode()).hexdigest()[:32]
