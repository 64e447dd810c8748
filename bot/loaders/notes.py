"""Notes read into turns: a rep's call notes, CRM bullets and checklists.

One turn per bullet, per heading, per stand-alone line and per wrapped paragraph. The
text is kept exactly as written (bullet marks, abbreviations and all; only the lines'
outer whitespace goes), so the engine sees what the rep typed. Turns have no speaker.
"""

from __future__ import annotations

import re

from bot.engine.model import Turn

WRAPPED_LINE_CHARS = 50  # a line at least this long that runs on is wrapped prose

_BULLET = re.compile(
    r"(?:[-*•·‣◦▪▫■□●○➢➤→+–—]\s+|\d{1,3}[.)]\s+|[a-z][)]\s+|\(\d{1,3}\)\s+|"
    r"-?\s*\[[ xX✓✔]?\]\s*|[☐☑☒✓✔✅]\s*)"
)
_HEADING_WORDS = (
    r"(?:agreed\s+|confirmed\s+|proposed\s+|open\s+)?(?:next\s+steps?|action\s+items?|ns|"
    r"to-?dos?|follow[- ]?ups?|takeaways|decisions|summary|notes|recap|attendees|agenda|"
    r"actions|owners?|open\s+questions|key\s+points|discussion)"
)
# "Next steps:", "Action items", "NS -", "**Agreed next steps**", "## Notes"
_HEADING_START = re.compile(
    rf"#{{1,6}}\s|[#*_\s]*+{_HEADING_WORDS}\s*[*_]*\s*(?:[:：\-–—]|$)", re.IGNORECASE
)
# A short line ending in ":" ("Discussed:"), or in capitals with a space ("NEXT STEPS")
_SHORT_HEADING = re.compile(r"[*_]*[^\W_][^:]{0,58}:[*_]*|[^\W\da-z]{2}(?=.* )[^a-z]{0,58}")
_SHORT = 60
_TERMINAL = (".", "!", "?", ":", ";")
_RUNS_ON = (",", "-", "–", "&", "/", "+", "(")


def read_notes(text: str) -> list[Turn]:
    """Turns for notes (also used for transcripts in which no speaker can be found)."""
    starts: list[int] = []
    notes: list[list[str]] = []
    current: list[str] | None = None
    current_indent, current_bullet = 0, False
    is_bullet = _BULLET.match
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        indent = len(raw) - len(raw.lstrip())
        bullet = is_bullet(line) is not None
        hanging = current_bullet and indent > current_indent
        if bullet or is_heading(line) or current is None or not _continues(current, hanging):
            current, current_indent, current_bullet = [line], indent, bullet
            starts.append(number)
            notes.append(current)
        else:
            current.append(line)
    return [
        Turn(index=index, text="\n".join(lines), line=start)
        for index, (start, lines) in enumerate(zip(starts, notes, strict=True))
    ]


def is_heading(line: str) -> bool:
    """ "Next steps:", "Action items", "NS:", "## Notes", "ATTENDEES LIST", "Discussed:"."""
    if _HEADING_START.match(line):
        return True
    return len(line) <= _SHORT and _SHORT_HEADING.fullmatch(line) is not None


def _continues(note: list[str], hanging: bool) -> bool:
    """Whether the next line carries on the note: a hanging indent under a bullet, or
    prose wrapped at a fixed width (the line above is long and runs on)."""
    if hanging:
        return True
    previous = note[-1]
    if previous.endswith(_TERMINAL):
        return False
    return len(previous) >= WRAPPED_LINE_CHARS or previous.endswith(_RUNS_ON)
