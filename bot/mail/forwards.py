"""Forwarded and Outlook-style history: a marker line and/or a block of header lines.

Gmail:          ---------- Forwarded message ---------      then From:/Date:/Subject:/To:
Thunderbird:    -------- Forwarded Message --------          then Subject:/Date:/From:/To:
Apple Mail:     Begin forwarded message:                     then From:/Subject:/Date:/To:
Outlook:        -----Original Message-----                   then From:/Sent:/To:/Subject:
Outlook web:    ________________________________ (or <hr>)   then From:/Sent:/To:/Subject:
Outlook (bare): From: ... / Sent: ... / To: ... / Subject: ...  (localised: Von/Gesendet, De/Envoyé)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.mail.addresses import parse_mailbox, parse_mailbox_list
from bot.mail.lexicon import Marker, alternation, field_names
from bot.mail.model import Mailbox

FORWARD_MARKER = re.compile(
    rf"^\s*[*_]{{0,2}}\s*(?:-{{2,}}\s*(?:{alternation(Marker.FORWARD)})\s*-{{2,}}"
    rf"|(?:{alternation(Marker.FORWARD_LINE)})\s?:)\s*[*_]{{0,2}}\s*$",
    re.I,
)
# "-----Original Message-----", bold or not; "*Original Message*" only in bold (a bare
# line "Original message" is prose). ``dashes`` tells the two apart.
ORIGINAL_MARKER = re.compile(
    rf"^\s*[*_]{{0,2}}\s*(?:(?P<dashes>-{{3,}})\s*(?:{alternation(Marker.ORIGINAL)})\s*-{{3,}}"
    rf"|(?<=[*_])(?:{alternation(Marker.ORIGINAL)})(?=[*_]))\s*[*_]{{0,2}}\s*$",
    re.I,
)
RULE = re.compile(r"^\s*(?:_{16,}|-{16,}|\* \* \*)\s*$")  # the last: an HTML <hr>
# Help desks (Zendesk, Freshdesk, Jira Service Management) put this above the history.
REPLY_ABOVE = re.compile(
    r"^\W{0,6}(?:please )?(?:type|write|add) (?:your )?(?:reply|response) above this line\W{0,6}$",
    re.I,
)

_CANONICAL = {name: str(marker) for name, marker in field_names().items()}
_FIELD = re.compile(
    r"^\s*[*_]{0,2}(?P<name>"
    + "|".join(re.escape(name) for name in sorted(_CANONICAL, key=len, reverse=True))
    + r")[*_]{0,2}\s?:[*_]{0,2}[ \t]*(?P<value>.*)$",
    re.I,
)
_MAX_BLOCK_LINES = 16


@dataclass(frozen=True)
class WrittenHeader:
    """Who wrote an older message and when, as the newer message states it."""

    author: Mailbox | None = None
    to: tuple[Mailbox, ...] = ()
    cc: tuple[Mailbox, ...] = ()
    date_text: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class HeaderBlock:
    header: WrittenHeader
    end: int  # the first line after the block
    fields: frozenset[str]


def is_field_line(line: str) -> bool:
    return _FIELD.match(line) is not None


def read_header_block(lines: list[str], start: int) -> HeaderBlock | None:
    """The header lines starting at ``lines[start]`` (up to two blank lines before them)."""
    i = start
    while i < len(lines) and i < start + 2 and not lines[i].strip():
        i += 1
    fields: dict[str, str] = {}
    last: str | None = None
    while i < len(lines) and i - start < _MAX_BLOCK_LINES:
        line = lines[i]
        match = _FIELD.match(line)
        if match:
            name = _CANONICAL.get(match["name"].lower(), "other")
            last = name
            fields.setdefault(name, match["value"].strip())
        elif line.strip() and last in ("to", "cc") and _continues_recipients(line):
            fields[last] = f"{fields[last]} {line.strip()}"
        elif not line.strip() and fields and i + 1 < len(lines) and _FIELD.match(lines[i + 1]):
            pass  # Outlook's HTML puts each field in its own paragraph
        else:
            break
        i += 1
    if not fields:
        return None
    return HeaderBlock(_written(fields), i, frozenset(fields))


def _continues_recipients(line: str) -> bool:
    return line[:1].isspace() or "@" in line or line.rstrip().endswith((";", ","))


def _written(fields: dict[str, str]) -> WrittenHeader:
    return WrittenHeader(
        author=parse_mailbox(fields.get("from")),
        to=parse_mailbox_list(fields.get("to")),
        cc=parse_mailbox_list(fields.get("cc")),
        date_text=fields.get("date") or None,
        subject=fields.get("subject") or None,
    )


def is_bare_outlook_block(block: HeaderBlock, first_line: str) -> bool:
    """A "From:/Sent:/To:/Subject:" block with no marker above it: needs From, a date and
    a recipient or subject, and From first (so a "To:" list in a note is not mistaken)."""
    match = _FIELD.match(first_line)
    if match is None or _CANONICAL.get(match["name"].lower()) != "from":
        return False
    return "date" in block.fields and bool(block.fields & {"to", "subject"})


FORWARD_SUBJECT = re.compile(
    rf"^\s*(?:\[[^\]]*\]\s*)?(?:{alternation(Marker.FORWARD_SUBJECT)})\s*:", re.I
)


def is_forward_subject(subject: str | None) -> bool:
    """ "Fwd: ...", "FW: ...", "TR: ..." (fr), "WG: ..." (de), "RV: ..." (es), "VB: ..." (sv)
    and the other prefixes of the lexicon."""
    return bool(subject and FORWARD_SUBJECT.match(subject))
