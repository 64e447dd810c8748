"""What a parsed email is made of. Re-exported by ``bot.mail.parse``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Mailbox:
    name: str | None
    email: str | None

    @property
    def label(self) -> str | None:
        """The display name, or the address when there is none."""
        return self.name or self.email

    @property
    def domain(self) -> str | None:
        if not self.email or "@" not in self.email:
            return None
        return self.email.rsplit("@", 1)[1].lower()

    def __str__(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email or ""


@dataclass(frozen=True)
class MessagePart:
    """One message of the thread; ``ParsedEmail.parts`` holds them newest first."""

    author: Mailbox | None
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    date: datetime | None  # aware
    subject: str | None
    body: str  # the text this author wrote: no quoted history, no signature, no footer
    depth: int  # 0 = outermost message; +1 per forward/quote level
    forwarded: bool  # this part arrived as forwarded content


@dataclass(frozen=True)
class Attachment:
    filename: str | None
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str | None
    sender: Mailbox | None  # the outer From: who sent it to us (the rep when forwarding)
    date: datetime | None
    parts: tuple[MessagePart, ...]  # newest first
    attachments: tuple[Attachment, ...]
    calendar_parts: tuple[bytes, ...]  # text/calendar bodies (invites, iTIP replies)
    warnings: tuple[str, ...]
    # Pasted text with no headers of its own: ``parts[0]`` is the forwarder's note (empty
    # when there is none), author unknown; the forwarded parts follow.
    pasted: bool = False
