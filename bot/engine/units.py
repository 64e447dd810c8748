"""Split a Document's turns into sentence-sized units that keep their line and speaker.

A unit is what the engine quotes as evidence: one sentence (or one note line), with the
line of the source it starts on, the speaker, the transcript timestamp and the time the
words were written (an email part's date, else the conversation's reference time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.engine.model import Document, Evidence, Role, SourceKind, Turn
from bot.engine.patterns import ci

# A sentence ends at . ! ? followed by space and a capital/quote/digit, or at a newline
# that starts a bullet or follows a line without continuation. Abbreviations such as
# "Mr." or "a.m." must not split.
_ABBREVIATIONS = ci(
    r"\b(?:mr|mrs|ms|dr|st|vs|etc|e\.g|i\.e|a\.m|p\.m|inc|ltd|co|jr|sr|approx|no|tel|ext)\.$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9@#*•-])")
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣>]|\d{1,2}[.)]|\[[ xX]?\]|[a-z][.)])\s+")
_HEADING = re.compile(r"^\s*[#*_]*\s*([A-Za-z][A-Za-z /&'-]{1,40}?)\s*[:：]\s*[*_]*\s*$")
MAX_UNIT_CHARS = 600


@dataclass(frozen=True)
class Unit:
    index: int
    text: str
    line: int
    turn: int
    speaker: str | None
    role: Role
    timestamp: str | None
    at: datetime
    quoted: bool
    part: int
    bullet: bool = False  # a list item (notes)
    heading: str | None = None  # the heading this unit sits under ("Next steps")

    def evidence(self, quote: str | None = None) -> Evidence:
        return Evidence(
            quote=(quote or self.text).strip(),
            line=self.line,
            speaker=self.speaker,
            timestamp=self.timestamp,
            turn=self.turn,
        )


def split_units(document: Document) -> list[Unit]:
    units: list[Unit] = []
    heading: str | None = None
    for turn in document.turns:
        at = turn.at or document.reference_time
        if document.kind != SourceKind.TRANSCRIPT:
            heading = None if turn.part != (units[-1].part if units else turn.part) else heading
        if turn.heading is not None:  # the notes loader read the headings
            heading = turn.heading.strip().rstrip(":").lower()
        counted, newlines = 0, 0  # newlines before each piece, counted once per turn
        for offset, text, bullet in _pieces(turn.text):
            newlines += turn.text.count("\n", counted, offset)
            counted = offset
            line = turn.line + newlines
            label = _heading_label(text)
            if label is not None:
                heading = label
            elif _is_heading_with_text(text):
                heading = text.split(":", 1)[0].strip().lower()
            units.append(_unit(len(units), text, line, turn, at, bullet, heading))
    return units


def _unit(
    index: int, text: str, line: int, turn: Turn, at: datetime, bullet: bool, heading: str | None
) -> Unit:
    return Unit(
        index=index,
        text=text,
        line=line,
        turn=turn.index,
        speaker=turn.speaker,
        role=turn.role,
        timestamp=turn.timestamp,
        at=at,
        quoted=turn.quoted,
        part=turn.part,
        bullet=bullet,
        heading=heading,
    )


_BULLET_MARK = re.compile(r"^\s*(?:[-*•·▪◦‣]|\d{1,2}[.)])\s+")
_BARE_HEADING = ci(
    r"^\W*(?:agreed |confirmed )?(?:next steps?|action items?|follow[- ]?ups?|to ?dos?|"
    r"commitments|takeaways)\W*$"
)


def _heading_label(text: str) -> str | None:
    """ "Next steps:", "- Agreed next steps:" (a bullet heading) or a bare "Agreed next steps"
    line: the label the items below it sit under."""
    bare = _BULLET_MARK.sub("", text, count=1)
    match = _HEADING.match(bare)
    if match:
        return match.group(1).strip().lower()
    if _BARE_HEADING.match(bare):
        return bare.strip(" \t*_#:-").lower()
    return None


def _is_heading_with_text(text: str) -> bool:
    head = text.split(":", 1)[0].strip().lower()
    return head in {"next steps", "next step", "ns", "action items", "actions", "follow-ups"}


def _pieces(text: str) -> list[tuple[int, str, bool]]:
    """(character offset, sentence, is_bullet) for each sentence of a turn's text."""
    pieces: list[tuple[int, str, bool]] = []
    for block_start, block, bullet in _blocks(text):
        for start, sentence in _sentences(block):
            stripped = sentence.strip()
            if stripped:
                lead = len(sentence) - len(sentence.lstrip())
                pieces.append((block_start + start + lead, stripped, bullet))
    return pieces


def _blocks(text: str) -> list[tuple[int, str, bool]]:
    """Lines joined into paragraphs; a bullet line or a blank line starts a new block."""
    blocks: list[tuple[int, str, bool]] = []
    offset = 0
    current: list[str] = []
    current_start = 0
    current_bullet = False
    for raw_line in text.split("\n"):
        line_start = offset
        offset += len(raw_line) + 1
        is_bullet = bool(_BULLET.match(raw_line))
        starts_new = (
            not raw_line.strip()
            or is_bullet
            or _HEADING.match(raw_line) is not None
            or _is_heading_with_text(raw_line)
            or (current and _ends_line(current[-1]))
        )
        if starts_new and current:
            blocks.append((current_start, "\n".join(current), current_bullet))
            current = []
        if not raw_line.strip():
            continue
        if not current:
            current_start = line_start
            current_bullet = is_bullet
        current.append(raw_line)
    if current:
        blocks.append((current_start, "\n".join(current), current_bullet))
    return blocks


def _ends_line(line: str) -> bool:
    """A line that reads as complete on its own (notes are often one item per line)."""
    stripped = line.rstrip()
    return stripped.endswith((".", "!", "?", ":")) or len(stripped) < 50


def _sentences(block: str) -> list[tuple[int, str]]:
    if len(block) <= 40:
        return [(0, block)]
    out: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(block):
        candidate = block[start : match.start()]
        if _ABBREVIATIONS.search(candidate.rstrip(".!?\"')]") + "."):
            continue
        out.append((start, candidate))
        start = match.end()
    out.append((start, block[start:]))
    return [piece for s, t in out for piece in _bounded(s, t)]


def _bounded(start: int, text: str) -> list[tuple[int, str]]:
    """A sentence longer than ``MAX_UNIT_CHARS`` (a run-on paste with no full stop) in
    pieces of at most that length, cut after the last comma, semicolon or space before
    the limit: every word is still read, and no piece costs more than a sentence."""
    pieces = []
    while len(text) > MAX_UNIT_CHARS:
        window = text[:MAX_UNIT_CHARS]
        cut = max(window.rfind(", "), window.rfind("; ")) + 2
        if cut < MAX_UNIT_CHARS // 2:
            cut = window.rfind(" ") + 1
        if cut < MAX_UNIT_CHARS // 2:
            cut = MAX_UNIT_CHARS
        pieces.append((start, text[:cut].rstrip()))
        start, text = start + cut, text[cut:]
    pieces.append((start, text))
    return pieces
