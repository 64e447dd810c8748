"""Which stored thread a reply from outside belongs to (issue: the other side's reply
counts). A sender who is not a rep may add to a conversation only by answering it: the
reply names a stored message (In-Reply-To / References) and the sender is one of that
thread's participants, or shares a participant's mail domain. Public mail domains
(gmail.com and the like) never match by domain, only by the exact address."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Conversation, InboundMessage
from storage.repo import normalise_address

PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "web.de",
        "mail.com",
        "yandex.ru",
        "qq.com",
    }
)
_HEADER_END = b"\r\n\r\n"
_HEADER_BYTES = 64 * 1024  # enough for any real header block; the body is not read
_ADDRESS_HEADERS = ("From", "To", "Cc", "Reply-To", "Sender")


def reply_thread(
    message_ids: Sequence[str], sender: str, *, own_addresses: Iterable[str], session: Session
) -> int | None:
    """The id of the stored input ``sender`` answers by naming ``message_ids``, or None
    when no stored message is named or the sender is not among its participants.

    The named messages are looked up among the stored inputs, analysed or not: a recap
    is waiting in the queue (status received) while the counterpart may already answer
    it, and its Message-ID and headers are stored from the start. The participants are
    the addresses in the named messages' headers and, for those already analysed, every
    participant of their conversations. Workers claim inputs oldest first, so the recap
    is analysed before the reply that answers it."""
    ids = [i for i in dict.fromkeys(message_ids) if i]
    if not ids:
        return None
    answered, known = _named_thread(ids, session=session)
    if answered is None:
        return None
    address = normalise_address(sender)
    own = {normalise_address(a) for a in own_addresses}
    known -= own
    if address in known:
        return answered
    domain = address.rpartition("@")[2]
    own_domains = {a.rpartition("@")[2] for a in own}
    if domain in PUBLIC_MAIL_DOMAINS or domain in own_domains:
        return None
    if domain in {a.rpartition("@")[2] for a in known}:
        return answered
    return None


def _named_thread(ids: list[str], *, session: Session) -> tuple[int | None, set[str]]:
    """The newest stored input among ``ids`` (or the newest input of a conversation
    whose thread key is among them) and the participants of what is named."""
    head = func.substr(InboundMessage.raw, 1, _HEADER_BYTES)
    statement = (
        select(InboundMessage.id, InboundMessage.conversation_id, head)
        .where(col(InboundMessage.message_id).in_(ids))
        .order_by(col(InboundMessage.id).desc())
    )
    rows = session.exec(statement).all()
    known: set[str] = set()
    conversation_ids: set[int] = set()
    for _, conversation_id, raw in rows:
        known |= _header_addresses(bytes(raw))
        if conversation_id is not None:
            conversation_ids.add(conversation_id)
    answered = rows[0][0] if rows else None
    if answered is None:
        by_key = select(Conversation).where(col(Conversation.thread_key).in_(ids))
        keyed = session.exec(by_key.order_by(col(Conversation.id))).first()
        if keyed is None or keyed.id is None:
            return None, set()
        newest = select(InboundMessage.id).where(col(InboundMessage.conversation_id) == keyed.id)
        answered = session.exec(newest.order_by(col(InboundMessage.id).desc())).first()
        conversation_ids.add(keyed.id)
    for conversation_id in sorted(conversation_ids):
        conversation = session.get(Conversation, conversation_id)
        if conversation is not None:
            known |= participants(conversation, session=session)
    return answered, {a for a in known if "@" in a}


def participants(conversation: Conversation, *, session: Session) -> set[str]:
    """Every address the conversation's analysis names, and every address in the
    From / To / Cc / Reply-To / Sender headers of its stored messages."""
    found = {
        normalise_address(p["email"])
        for p in conversation.participants
        if isinstance(p, dict) and p.get("email")
    }
    head = func.substr(InboundMessage.raw, 1, _HEADER_BYTES)
    statement = select(head).where(col(InboundMessage.conversation_id) == conversation.id)
    for raw in session.exec(statement):
        found |= _header_addresses(bytes(raw))
    return {a for a in found if "@" in a}


def _header_addresses(raw: bytes) -> set[str]:
    end = raw.find(_HEADER_END)
    head = raw[:end] if end >= 0 else raw
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(head)
        values = [str(v) for name in _ADDRESS_HEADERS for v in headers.get_all(name, [])]
    except Exception:  # a header block too broken to read names nobody
        return set()
    return {normalise_address(a) for _, a in getaddresses(values) if "@" in a}
