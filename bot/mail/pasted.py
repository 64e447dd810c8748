"""A forward pasted as text: no RFC 822 headers at the top, a note (or nothing), then a
forward marker or an Outlook header block naming who wrote the forwarded message and when.

What a rep pastes into a slash command:

    Looping you in, Jane confirmed below.          <- the note: the forwarder's words

    ---------- Forwarded message ---------         <- Gmail; "Begin forwarded message:"
    From: Jane Doe <jane@acme.com>                    (Apple Mail); "-----Original
    Date: Thu, Nov 19, 2026 at 3:02 PM                Message-----" or a bare "From: /
    Subject: Re: Demo                                 Sent:" block (Outlook)
    ...
"""

from __future__ import annotations

from bot.mail.boilerplate import lines_with
from bot.mail.forwards import (
    FORWARD_MARKER,
    ORIGINAL_MARKER,
    RULE,
    is_bare_outlook_block,
    is_field_line,
    read_header_block,
)
from bot.mail.lexicon import Marker, words

_NEEDED = frozenset({"from", "date"})
# Where a forward can start: a marker line or a "From:" field, in any language of the
# lexicon. The lines holding one of these words (found with str.find, in C) are the only
# ones read, and only the first ``_MAX_CANDIDATES`` of them: a text of nothing but
# markers stays cheap.
_HINTS = tuple(
    sorted(
        {word.lower() for marker in (Marker.FORWARD, Marker.FORWARD_LINE, Marker.ORIGINAL)
         for word in words(marker)}
        | {f"{word.lower()}{colon}" for word in words(Marker.FROM) for colon in (":", " :")}
        | {"_" * 16, "-" * 16, "* * *"}
    )
)  # fmt: skip
_MAX_CANDIDATES = 200


def find_pasted_forward(text: str) -> int | None:
    """The line (0-based) where the first forwarded message's marker or header block
    starts, when the text holds one that names its author and date; else None."""
    lines = text.split("\n")
    for i in lines_with(_HINTS, lines, text)[:_MAX_CANDIDATES]:
        if _starts_forward(lines, i):
            return i
    return None


def _starts_forward(lines: list[str], i: int) -> bool:
    line = lines[i]
    if FORWARD_MARKER.match(line) or ORIGINAL_MARKER.match(line) or RULE.match(line):
        block = read_header_block(lines, i + 1)
        return block is not None and block.fields >= _NEEDED
    if is_field_line(line):
        block = read_header_block(lines, i)
        return block is not None and block.fields >= _NEEDED and is_bare_outlook_block(block, line)
    return False
