"""How an incoming message is recognised as part of a thread already stored.

Three signals, strongest first: its In-Reply-To / References name a stored Message-ID;
it quotes the text of a stored message (compared by ``text_key``); or it is a reply
with the same normalised subject to the same counterpart domain within 30 days.
``find_thread`` applies them in that order to what the caller read from the message;
the functions of strings below it make the keys.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.parser import HeaderParser
from email.policy import compat32

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from storage.models import Conversation, CounterpartOrg, InboundMessage, MessageTextKey

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
THREAD_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class ThreadClues:
    """What an incoming message says about the thread it belongs to."""

    named_ids: list[str]  # In-Reply-To and References, normalised
    own_id: str | None  # its own Message-ID
    text_keys: list[str]  # of its own text and of every message it quotes
    subject: str | None
    domains: list[str]  # counterpart mail domains, first seen first
    sent: datetime
    rep_id: int | None
    inbound_id: int | None  # the message itself, when stored


def find_thread(clues: ThreadClues, *, session: Session) -> Conversation | None:
    """The stored conversation the message belongs to: one of its stored messages is
    named by it (or names it); it quotes a stored message (or is quoted by one); or it
    is a reply with the same subject to the same counterpart within 30 days."""
    own = [clues.own_id] if clues.own_id else []
    found = (
        conversation_for_message_ids(clues.named_ids, session=session)
        or conversation_for_thread_keys([*own, *clues.named_ids], session=session)
        or conversation_for_text_keys(
            clues.text_keys,
            exclude_inbound=clues.inbound_id,
            domains=clues.domains,
            session=session,
        )
    )
    key = subject_key(clues.subject)
    if found is not None or key is None:
        return found
    if not (clues.named_ids or is_reply_subject(clues.subject)):
        return None
    for domain in clues.domains:
        found = conversation_for_subject(
            key, domain, since=clues.sent - THREAD_WINDOW, rep_id=clues.rep_id, session=session
        )
        if found is not None:
            return found
    return None


def conversation_for_message_ids(
    message_ids: Sequence[str], *, session: Session
) -> Conversation | None:
    """The conversation that a stored message with one of these Message-IDs went to
    (the newest such message wins)."""
    if not message_ids:
        return None
    statement = (
        select(Conversation)
        .join(InboundMessage, col(InboundMessage.conversation_id) == col(Conversation.id))
        .where(col(InboundMessage.message_id).in_(list(message_ids)))
        .order_by(col(InboundMessage.id).desc())
    )
    return session.exec(statement).first()


def conversation_for_thread_keys(keys: Sequence[str], *, session: Session) -> Conversation | None:
    """A conversation whose thread starts with one of these Message-IDs."""
    if not keys:
        return None
    statement = (
        select(Conversation)
        .where(col(Conversation.thread_key).in_(list(keys)))
        .order_by(col(Conversation.id))
    )
    return session.exec(statement).first()


def conversation_for_text_keys(
    keys: Sequence[str],
    *,
    exclude_inbound: int | None,
    domains: Sequence[str] = (),
    session: Session,
) -> Conversation | None:
    """The conversation of a stored message whose text carries one of these keys
    (the newest such message wins). With ``domains`` (the message's counterparts) the
    conversation's counterpart must be one of them: two recaps to different customers
    that quote the same line are two conversations."""
    if not keys:
        return None
    statement = (
        select(Conversation)
        .join(InboundMessage, col(InboundMessage.conversation_id) == col(Conversation.id))
        .join(MessageTextKey, col(MessageTextKey.inbound_id) == col(InboundMessage.id))
        .where(col(MessageTextKey.key).in_(list(keys)))
        .order_by(col(InboundMessage.id).desc())
    )
    if domains:
        statement = statement.outerjoin(
            CounterpartOrg, col(CounterpartOrg.id) == col(Conversation.org_id)
        ).where(
            or_(
                col(CounterpartOrg.domain).is_(None),
                col(CounterpartOrg.domain).in_([d.lower() for d in domains]),
            )
        )
    if exclude_inbound is not None:
        statement = statement.where(col(InboundMessage.id) != exclude_inbound)
    return session.exec(statement).first()


def set_text_keys(
    inbound_id: int, keys: Iterable[str], *, session: Session, replace: bool = True
) -> None:
    """Set the text keys of a stored input (``replace=False`` for one that has none)."""
    if replace:
        session.execute(delete(MessageTextKey).where(col(MessageTextKey.inbound_id) == inbound_id))
    session.add_all(MessageTextKey(inbound_id=inbound_id, key=key) for key in dict.fromkeys(keys))


def conversation_for_subject(
    subject_key: str,
    domain: str,
    *,
    since: datetime,
    rep_id: int | None,
    session: Session,
) -> Conversation | None:
    """The newest conversation with this normalised subject, the same counterpart
    domain and (when known) the same rep, that happened on or after ``since``."""
    statement = (
        select(Conversation)
        .join(CounterpartOrg, col(CounterpartOrg.id) == col(Conversation.org_id))
        .where(
            Conversation.subject_key == subject_key,
            CounterpartOrg.domain == domain.lower(),
            col(Conversation.reference_time) >= since,
        )
        .order_by(col(Conversation.reference_time).desc())
    )
    if rep_id is not None:
        statement = statement.where(Conversation.rep_id == rep_id)
    return session.exec(statement).first()


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
    try:  # raw UTF-8 headers (RFC 6532) read as UTF-8, other 8-bit bytes as Latin-1
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("latin-1")
    try:
        value = HeaderParser(policy=compat32).parsestr(text).get("Message-ID")
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
