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

from bot.mail.forwards import (
    FORWARD_MARKER,
    ORIGINAL_MARKER,
    RULE,
    is_bare_outlook_block,
    is_field_line,
    read_header_block,
)

_NEEDED = frozenset({"from", "date"})


def find_pasted_forward(text: str) -> int | None:
    """The line (0-based) where the first forwarded message's marker or header block
    starts, when the text holds one that names its author and date; else None."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if ":" not in line and "--" not in line and "__" not in line:
            continue  # no marker or header field lacks all of these
        if FORWARD_MARKER.match(line) or ORIGINAL_MARKER.match(line) or RULE.match(line):
            block = read_header_block(lines, i + 1)
            if block is not None and block.fields >= _NEEDED:
                return i
        elif is_field_line(line):
            block = read_header_block(lines, i)
            if block is not None and block.fields >= _NEEDED and is_bare_outlook_block(block, line):
                return i
    return None
