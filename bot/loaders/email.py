"""An email (a recap, a reply, a forwarded thread) as a Document the engine can read.

Turns run oldest first (later words override earlier ones), one per message part with
text; ``Document.text`` renders the thread the same way, a header line per part and then
its body, so a turn's ``line`` is where its body starts. Pure: ``at``, ``tz`` and the rep
are the caller's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.engine.model import Document, Participant, Role, SourceKind, Turn
from bot.errors import EmptyInputError, UsageError
from bot.loaders.common import check_size, check_time_zone
from bot.mail.addresses import PUBLIC_DOMAINS, names_match, same_person
from bot.mail.dates import is_assumed
from bot.mail.forwards import is_forward_subject
from bot.mail.parse import Mailbox, MessagePart, ParsedEmail, parse_email

_TRANSCRIPT_EXTENSIONS = (".vtt", ".srt", ".txt", ".md")


def load_email(
    data: bytes, *, at: datetime | None, tz: str, rep: str | None, source: str | None
) -> Document:
    """A Document from a raw email (RFC 5322 bytes)."""
    check_time_zone(tz)
    return document_from_email(parse_email(data), at=at, tz=tz, rep=rep, source=source)


def document_from_email(
    parsed: ParsedEmail, *, at: datetime | None, tz: str, rep: str | None, source: str | None
) -> Document:
    """A Document from an email already parsed (the SMTP listener and Gmail poller parse once)."""
    zone = check_time_zone(tz)
    if not any(part.body.strip() for part in parsed.parts):
        raise EmptyInputError(_no_text_detail(parsed))
    check_size(sum(len(part.body) for part in parsed.parts))  # the loaders' text limit
    warnings = list(parsed.warnings)
    parsed = _in_rep_zone(parsed, zone, warnings)
    reference = _reference_time(parsed, at, zone, warnings)
    rep_box, guessed = _find_rep(parsed, rep, warnings)
    parsed = _note_by_forwarder(parsed, rep_box)
    written = [(index, part) for index, part in enumerate(parsed.parts) if part.body.strip()]
    colleagues = has_outsiders(parsed, rep_box)
    text, turns = _render(written, rep_box, colleagues=colleagues)
    return Document(
        text=text,
        turns=turns,
        kind=SourceKind.EMAIL,
        reference_time=reference,
        tz=zone.key,
        rep=rep_box.label if rep_box else None,
        rep_guessed=guessed,
        participants=_participants(parsed, rep_box, colleagues=colleagues),
        source=source if source is not None else parsed.message_id,
        subject=parsed.subject,
        warnings=warnings,
    )


def _note_by_forwarder(parsed: ParsedEmail, rep: Mailbox | None) -> ParsedEmail:
    """A pasted forward's note (its newest part, with no header of its own) is the rep's:
    the rep pasted it."""
    if not parsed.pasted or rep is None or parsed.parts[0].author is not None:
        return parsed
    note = replace(parsed.parts[0], author=rep)
    return replace(parsed, parts=(note, *parsed.parts[1:]))


def _no_text_detail(parsed: ParsedEmail) -> str:
    files = [a.filename for a in parsed.attachments if a.filename]
    readable = [name for name in files if name.lower().endswith(_TRANSCRIPT_EXTENSIONS)]
    if readable:
        return f"The email has no text of its own; pass its attachment {readable[0]} instead."
    return "The email has no text: only headers, attachments, signatures or footers."


def _in_rep_zone(parsed: ParsedEmail, zone: ZoneInfo, warnings: list[str]) -> ParsedEmail:
    """Times written with no zone whose offset was borrowed from a UTC stamp (Exchange dates
    every message in UTC; a missing Date gives nothing) are read in the rep's zone instead:
    the rep's client wrote them when the rep forwarded the thread."""
    parts = tuple(replace(part, date=_local(part.date, zone)) for part in parsed.parts)
    if parts == parsed.parts:
        return parsed
    warnings.append(f"times written without a time zone were read in {zone.key}")
    return replace(parsed, parts=parts, date=_local(parsed.date, zone))


def _local(date: datetime | None, zone: ZoneInfo) -> datetime | None:
    if date is None or not is_assumed(date) or date.utcoffset():
        return date
    return date.replace(tzinfo=zone)


def _reference_time(
    parsed: ParsedEmail, at: datetime | None, zone: ZoneInfo, warnings: list[str]
) -> datetime:
    """``at``; else the newest dated part; else the outer Date. A naive ``at`` is wall time
    in the rep's zone."""
    if at is not None:
        return at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)
    for index, part in enumerate(parsed.parts):
        if part.date is not None:
            if parsed.pasted:
                warnings.append("pasted without headers; timed from the forwarded message's date")
            elif index:
                warnings.append("the newest message has no date; timed from an older one")
            return part.date.astimezone(zone)
    if parsed.date is not None:
        return parsed.date.astimezone(zone)
    if parsed.pasted:
        raise UsageError("The pasted forward gives no date: pass the time it was sent (--at).")
    raise UsageError("The email has no Date: pass the time it was sent (--at).")


def _find_rep(
    parsed: ParsedEmail, rep: str | None, warnings: list[str]
) -> tuple[Mailbox | None, bool]:
    """The rep as named by the caller, or guessed: who forwarded it, else who wrote first."""
    if rep is not None and rep.strip():
        return _named_rep(parsed, rep.strip(), warnings), False
    if parsed.sender is not None and _is_forward(parsed):
        warnings.append(f"guessed the rep: {parsed.sender}, who forwarded the email; pass --rep")
        return parsed.sender, True
    authors = [part.author for part in parsed.parts if part.author is not None]
    if not authors:
        warnings.append("could not tell who the rep is: no message names its author")
        return None, True
    warnings.append(f"guessed the rep: {authors[-1]}, who wrote the first message; pass --rep")
    return authors[-1], True


def _is_forward(parsed: ParsedEmail) -> bool:
    return is_forward_subject(parsed.subject) or any(part.forwarded for part in parsed.parts)


def _named_rep(parsed: ParsedEmail, rep: str, warnings: list[str]) -> Mailbox:
    wanted = Mailbox(None, rep.lower()) if "@" in rep else Mailbox(rep, None)
    everyone = _everyone(parsed)
    found = [box for box in everyone if _is_named(box, wanted)]
    if not found and wanted.name:  # "Dana" for "Dana Reyes"; "Jess Park" in "Service Desk -
        found = _unique([b for b in everyone if _within(wanted.name, b.name)])  # Jess Park"
    if not found:
        warnings.append(f"the rep {rep!r} is not among the email's senders or recipients")
        return wanted
    name = next((box.name for box in found if box.name), wanted.name)
    email = next((box.email for box in found if box.email), wanted.email)
    return Mailbox(name, email)


def _within(name: str, display: str | None) -> bool:
    """ "Dana" or "Jess Park" as whole words of a display name."""
    if not display:
        return False
    return re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", display.casefold()) is not None


def _unique(boxes: list[Mailbox]) -> list[Mailbox]:
    """The boxes, if they are all one person; else none (a name two people share)."""
    return boxes if len({box.email or box.name for box in boxes}) == 1 else []


def _is_named(box: Mailbox, wanted: Mailbox) -> bool:
    if wanted.email:
        return box.email == wanted.email
    return bool(box.name and wanted.name and names_match(box.name, wanted.name))


def _everyone(parsed: ParsedEmail) -> list[Mailbox]:
    boxes = [parsed.sender] if parsed.sender else []
    for part in parsed.parts:
        if part.author is not None:
            boxes.append(part.author)
        boxes += [*part.to, *part.cc]
    return boxes


def role_of(box: Mailbox | None, rep: Mailbox | None, *, colleagues: bool = True) -> Role:
    """The rep, the rep's colleagues (same company domain, when ``colleagues``), or the
    counterpart."""
    if box is None or rep is None:
        return Role.UNKNOWN
    if same_person(box, rep):
        return Role.REP
    domain = rep.domain
    if colleagues and domain and domain not in PUBLIC_DOMAINS and box.domain == domain:
        return Role.REP
    return Role.COUNTERPART


def has_outsiders(parsed: ParsedEmail, rep: Mailbox | None) -> bool:
    """Whether anyone in the thread is from outside the rep's organisation. When no one is
    (an internal IT desk and an employee), a colleague is the counterpart."""
    domain = rep.domain if rep else None
    if not domain:
        return True
    return any(box.domain and not _related(box.domain, domain) for box in _people(parsed))


def _related(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _render(
    written: list[tuple[int, MessagePart]], rep: Mailbox | None, *, colleagues: bool
) -> tuple[str, list[Turn]]:
    """The thread oldest first: a header line per part, then its body."""
    lines: list[str] = []
    turns: list[Turn] = []
    for index, (part_index, part) in enumerate(reversed(written)):
        if lines:
            lines.append("")
        lines.append(header_line(part))
        turns.append(
            Turn(
                index=index,
                text=part.body,
                line=len(lines) + 1,
                speaker=part.author.label if part.author else None,
                role=role_of(part.author, rep, colleagues=colleagues),
                at=part.date,
                quoted=part_index != 0,
                part=part_index,
            )
        )
        lines += part.body.split("\n")
    return "\n".join(lines), turns


def header_line(part: MessagePart) -> str:
    """ "From: Jane Doe <jane@acme.com> — Thu, 19 Nov 2026 15:02 -0800 (forwarded)"."""
    line = f"From: {part.author or 'unknown sender'}"
    if part.date is not None:
        line += f" — {part.date.strftime('%a, %d %b %Y %H:%M %z')}"
    return line + (" (forwarded)" if part.forwarded else "")


def _participants(
    parsed: ParsedEmail, rep: Mailbox | None, *, colleagues: bool
) -> list[Participant]:
    """Everyone who wrote or was addressed, once each, with their role."""
    merged: dict[str, Mailbox] = {}
    for box in _people(parsed):
        key = box.email or (box.name or "").casefold()
        known = merged.get(key)
        merged[key] = box if known is None or (box.name and not known.name) else known
    named = [box.name for box in merged.values() if box.email and box.name]
    return [
        Participant(
            name=box.label or "", role=role_of(box, rep, colleagues=colleagues), email=box.email
        )
        for box in merged.values()
        if box.label and (box.email or not any(names_match(box.label, n) for n in named))
    ]


def _people(parsed: ParsedEmail) -> list[Mailbox]:
    """Who wrote or was addressed; not whom a forward went to (the bot)."""
    forward = _is_forward(parsed)
    boxes: list[Mailbox] = [parsed.sender] if parsed.sender else []
    for index, part in enumerate(parsed.parts):
        if part.author is not None:
            boxes.append(part.author)
        if not (index == 0 and forward):
            boxes += [*part.to, *part.cc]
    return boxes
