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
    """The id of the conversation ``sender`` answers by naming ``message_ids``, or None
    when no stored message is named or the sender is not among its participants."""
    ids = [i for i in dict.fromkeys(message_ids) if i]
    if not ids:
        return None
    conversation = _named_conversation(ids, session=session)
    if conversation is None or conversation.id is None:
        return None
    address = normalise_address(sender)
    own = {normalise_address(a) for a in own_addresses}
    known = participants(conversation, session=session) - own
    if address in known:
        return conversation.id
    domain = address.rpartition("@")[2]
    own_domains = {a.rpartition("@")[2] for a in own}
    if domain in PUBLIC_MAIL_DOMAINS or domain in own_domains:
        return None
    if domain in {a.rpartition("@")[2] for a in known}:
        return conversation.id
    return None


def _named_conversation(ids: list[str], *, session: Session) -> Conversation | None:
    statement = (
        select(Conversation)
        .join(InboundMessage, col(InboundMessage.conversation_id) == col(Conversation.id))
        .where(col(InboundMessage.message_id).in_(ids))
        .order_by(col(InboundMessage.id).desc())
    )
    found = session.exec(statement).first()
    if found is not None:
        return found
    by_key = select(Conversation).where(col(Conversation.thread_key).in_(ids))
    return session.exec(by_key.order_by(col(Conversation.id))).first()


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
