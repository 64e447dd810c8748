"""Notes read into turns: a rep's call notes, CRM bullets and checklists.

One turn per bullet, per heading, per stand-alone line and per wrapped paragraph. The
text is kept exactly as written (bullet marks, abbreviations and all; only the lines'
outer whitespace goes), so the engine sees what the rep typed. Turns have no speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
_NAMED_HEADING = re.compile(rf"[#*_\s]*{_HEADING_WORDS}\s*[*_]*\s*(?:[:：\-–—]|$)", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s")
_LABEL_HEADING = re.compile(r"[*_]*[^\W_][^:]{0,58}:[*_]*")  # a short line ending in ":"
_CAPS_HEADING = re.compile(r"[^\W\da-z]{2}[^a-z]{0,58}")
_TERMINAL = (".", "!", "?", ":", ";")
_RUNS_ON = (",", "-", "–", "&", "/", "+", "(")


@dataclass
class _Note:
    line: int
    indent: int
    bullet: bool
    lines: list[str] = field(default_factory=list)


def read_notes(text: str) -> list[Turn]:
    """Turns for notes (also used for transcripts in which no speaker can be found)."""
    notes: list[_Note] = []
    current: _Note | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        indent = len(raw) - len(raw.lstrip())
        if is_heading(line):  # its own turn; "Next steps: ..." may wrap onto the next line
            current = _Note(number, indent, bullet=False, lines=[line])
            notes.append(current)
        elif _BULLET.match(line):
            current = _Note(number, indent, bullet=True, lines=[line])
            notes.append(current)
        elif current is not None and _continues(current, line, indent):
            current.lines.append(line)
        else:
            current = _Note(number, indent, bullet=False, lines=[line])
            notes.append(current)
    return [
        Turn(index=index, text="\n".join(note.lines), line=note.line)
        for index, note in enumerate(notes)
    ]


def is_heading(line: str) -> bool:
    """ "Next steps:", "Action items", "NS:", "## Notes", "ATTENDEES", "Discussed:"."""
    if _NAMED_HEADING.match(line) or _MARKDOWN_HEADING.match(line):
        return True
    if len(line) <= 60 and _LABEL_HEADING.fullmatch(line):
        return True
    return len(line) <= 60 and _CAPS_HEADING.fullmatch(line) is not None and " " in line


def _continues(note: _Note, line: str, indent: int) -> bool:
    """Whether a line carries on the note above: a hanging indent under a bullet, or
    prose wrapped at a fixed width (the line above is long and runs on)."""
    if note.bullet and indent > note.indent:
        return True
    previous = note.lines[-1]
    if previous.endswith(_TERMINAL):
        return False
    return len(previous) >= WRAPPED_LINE_CHARS or previous.endswith(_RUNS_ON)
