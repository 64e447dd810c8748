"""Notes read into turns: a rep's call notes, CRM bullets and checklists.

One turn per bullet, per heading, per stand-alone line and per wrapped paragraph. The
text is kept exactly as written (bullet marks, abbreviations and all; only the lines'
outer whitespace goes), so the engine sees what the rep typed. Turns have no speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_HEADING_MARKS = re.compile(r"^[#*_\s]+|[*_:：\s\-–—]+$")
_TERMINAL = (".", "!", "?", ":", ";")
# Words a line of notes does not end on: the sentence goes on below.
_OPEN_ENDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "about",
        "as",
        "into",
        "onto",
        "than",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "will",
        "would",
        "can",
        "could",
        "should",
        "shall",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
        "not",
        "so",
        "if",
        "when",
        "while",
        "we",
        "i",
        "he",
        "she",
        "they",
        "w/",
        "per",
        "via",
    ]
)
_RUNS_ON = (",", "-", "–", "&", "/", "+", "(")


def read_notes(text: str) -> list[Turn]:
    """Turns for notes (also used for transcripts in which no speaker can be found).

    Each turn carries the heading it sits under (``""`` when none), so that "Agreed next
    steps:" reaches the bullets below it: a plain heading holds until the next heading; a
    bullet heading ("- Agreed next steps:") holds for the lines indented under it, or, when
    none are, for the lines up to the next blank line."""
    lines = text.split("\n")
    width = _wrap_width(lines)
    notes: list[_Note] = []
    current: _Note | None = None
    scope = _Scope()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            current = None
            scope.blank()
            continue
        indent = len(raw) - len(raw.lstrip())
        bullet = _BULLET.match(line)
        heading = _heading_name(line, bullet.end() if bullet else 0)
        scope.enter(indent, heading, bullet is not None, _next_indent(lines, number))
        hanging = current is not None and current.bullet and indent > current.indent
        if (
            bullet
            or heading is not None
            or current is None
            or not _continues(current.lines, line, hanging=hanging, width=width)
        ):
            current = _Note(number, [line], indent, bullet is not None, scope.heading)
            notes.append(current)
        else:
            current.lines.append(line)
    return [
        Turn(index=index, text="\n".join(note.lines), line=note.start, heading=note.heading)
        for index, note in enumerate(notes)
    ]


@dataclass
class _Note:
    start: int
    lines: list[str]
    indent: int
    bullet: bool
    heading: str


@dataclass
class _Scope:
    """The heading the current line sits under."""

    heading: str = ""
    indent: int | None = None  # a bullet heading's indent: it holds for deeper lines
    to_blank: bool = False  # a bullet heading with nothing indented under it

    def blank(self) -> None:
        if self.to_blank:
            self.heading, self.to_blank = "", False

    def enter(self, indent: int, heading: str | None, bullet: bool, below: int | None) -> None:
        if heading is None:
            if self.indent is not None and indent <= self.indent:
                self.heading, self.indent = "", None
            return
        self.heading, self.indent, self.to_blank = heading, None, False
        if bullet and below is not None and below > indent:
            self.indent = indent
        elif bullet:
            self.to_blank = True


WRAP_NEAR = 0.85  # lines this close to the longest one were wrapped at a column


def _wrap_width(lines: list[str]) -> int:
    """The column the text was wrapped at: the longest line's length when another line
    (not the last of its paragraph) comes close to it; otherwise the negative of that
    length, a text typed line by line whose one long line sets no column."""
    lengths = [len(line.strip()) for line in lines]
    width = max(lengths, default=0)
    near = sum(
        1
        for number, length in enumerate(lengths[:-1])
        if length >= WRAP_NEAR * width and lengths[number + 1] > 0
    )
    return width if near >= 2 else -width


def _next_indent(lines: list[str], number: int) -> int | None:
    """The indent of the next line after line ``number`` (1-based), if it has text."""
    if number < len(lines) and lines[number].strip():
        following = lines[number]
        return len(following) - len(following.lstrip())
    return None


def _heading_name(line: str, bullet_end: int) -> str | None:
    """ "agreed next steps" for "- **Agreed next steps:**"; None when the line (less its
    bullet) is no heading."""
    rest = line[bullet_end:].strip()
    if not rest or not is_heading(rest):
        return None
    return _HEADING_MARKS.sub("", rest).strip().lower() or None


def is_heading(line: str) -> bool:
    """ "Next steps:", "Action items", "NS:", "## Notes", "ATTENDEES LIST", "Discussed:"."""
    if _HEADING_START.match(line):
        return True
    return len(line) <= _SHORT and _SHORT_HEADING.fullmatch(line) is not None


def _continues(note: list[str], line: str, *, hanging: bool, width: int) -> bool:
    """Whether ``line`` carries on the note: a hanging indent under a bullet, a line above
    that runs on ("...,"), or prose wrapped at a fixed width: the line above is long, open,
    the first word of this one would not have fitted on it, and this one does not open like
    a note of its own (a capital) unless the line above cannot end there ("... event on").
    Otherwise a line of notes is a line of its own."""
    if hanging:
        return True
    previous = note[-1]
    if previous.endswith(_TERMINAL):
        return False
    if previous.endswith(_RUNS_ON):
        return True
    first_word = line.split(maxsplit=1)[0]
    wrapped = len(previous) + 1 + len(first_word) > abs(width)
    if len(previous) < WRAPPED_LINE_CHARS or not wrapped:
        return False
    last_word = previous.rsplit(maxsplit=1)[-1].lower()
    if width < 0:
        # One long line is no wrap column: "... - she agreed" then "next session tbc"
        # are two notes, unless the line above cannot end where it does.
        return last_word in _OPEN_ENDS
    return not line[:1].isupper() or last_word in _OPEN_ENDS
