"""Transcripts read into turns: WebVTT, SRT and the plain-text exports of meeting tools.

Formats read:

- "Name: text" (continuation lines belong to the turn), "[12:04] Name: text",
  "[00:12:04] Name: text", "12:04 Name: text", "Name (12:04): text";
- a speaker line then the words on the next lines: "Name (Company) 00:28:45",
  "Name  00:28:45", "Name - 00:28:45", "[Name] 00:28:45", "[9:03 AM] Name" (Zoom, Otter,
  Gong, Fireflies, Teams copies), or a timestamp line then a name line (Teams);
- WebVTT (voice tags ``<v Name>``, "Name:" in cues, NOTE/STYLE/REGION blocks, cue
  settings) and SRT (numbered cues, "Name:" in cues). Consecutive cues by one speaker
  are one turn.

Every non-blank line ends up in exactly one turn, or is structure recognised as such:
the WEBVTT header block, NOTE/STYLE/REGION blocks, cue numbers and identifiers, timing
lines, timestamp lines, speaker lines, a date line at the top, a tool's footer. A turn's
text keeps the source's line layout (structure lines inside a merged turn become empty
lines), so ``turn.line + text[:i].count("\\n")`` is the source line of any character.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from bot.engine.model import Participant, Role, Turn
from bot.errors import TranscriptError
from bot.loaders.common import is_date_header
from bot.loaders.notes import read_notes
from bot.loaders.speakers import MAX_LABEL_CHARS, cast_roles, is_speaker_label

DETECT_CHARS = 64 * 1024  # how much of the text detect_kind looks at

_OFFSET = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"  # 0:05, 12:04, 00:12:04.500, 0:0:3.45
_CLOCK = r"\s?[AaPp]\.?[Mm]\.?"
_TS = rf"{_OFFSET}(?:{_CLOCK})?"
_L = MAX_LABEL_CHARS
_ARROW = re.compile(rf"(?P<start>{_OFFSET})\s*-->\s*(?P<end>\S*)")
_OFFSET_ONLY = re.compile(rf"{_OFFSET}")
_TS_ONLY = re.compile(rf"[\[(]?(?P<ts>{_TS})[\])]?")
_INLINE = re.compile(
    rf"(?:[\[(]?(?P<ts>{_TS})[\])]?\s*(?:[-–—|]\s*)?)?(?:-\s+|>>\s*)?"
    rf"(?P<label>[^\W\d_][^:\n]{{0,{_L}}}?)\s*:(?:\s+(?P<text>.*)|$)"
)
_INLINE_TS_AFTER = re.compile(
    rf"(?P<label>[^\W\d_][^:\n\[(]{{0,{_L}}}?)\s*[\[(](?P<ts>{_TS})[\])]\s*:(?:\s+(?P<text>.*)|$)"
)
_HEADER_NAME_TS = re.compile(
    rf"\[?(?P<label>[^\W\d_][^\[\]:\n]{{0,{_L}}}?)\]?\s*(?:[-–—|@,·•]\s*)?[\[(]?(?P<ts>{_TS})[\])]?"
)
_HEADER_TS_NAME = re.compile(
    rf"[\[(]?(?P<ts>{_TS})[\])]?\s*(?:[-–—|]\s*)?(?P<label>[^\W\d_][^:\n]{{0,{_L}}})"
)
_LOOKS_LIKE_TS = re.compile(rf"{_TS}\s*$")
_IS_CLOCK = re.compile(rf"{_CLOCK}$")
_VTT_METADATA = re.compile(r"(?:Kind|Language|Region|Style|X-[\w-]+)\s*[:=].*", re.IGNORECASE)
_VTT_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:\s|$)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+(?P<name>[^>]+)>")
_MARKUP = re.compile(
    r"</?(?:v|c|i|b|u|ruby|rt|lang|font|span)(?:[.\s][^>]*)?>|<\d{1,2}(?::\d{2}){1,2}\.\d{3}>",
    re.IGNORECASE,
)
_PARTIAL_TAG = re.compile(r"<(?:/?[a-zA-Z][^<>]*|\d[\d:.]*)?$")
_FOOTER = re.compile(r"transcribed by https?://otter\.ai/?", re.IGNORECASE)
_TIMING_FIRST = frozenset("0123456789[(")
_HEADER_ENDS = (*"0123456789)]", "M", "m", "M.", "m.")
_ENDS_SENTENCE = re.compile(r"[.!?…\"'”’)\]]$")


@dataclass
class _Draft:
    """A turn being read: its speaker and its lines (1-based source line, text)."""

    speaker: str | None
    timestamp: str | None
    timed: bool  # opened by a cue or timestamp line: same-speaker cues merge into it
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.lines[0][0]

    def text(self) -> str:
        if len(self.lines) == 1:
            return self.lines[0][1]
        out: list[str] = []
        expected = self.start
        for number, body in self.lines:
            out.extend([""] * (number - expected))
            out.append(body)
            expected = number + 1
        return "\n".join(out)


@dataclass
class TranscriptTurns:
    turns: list[Turn]
    participants: list[Participant]
    rep: str | None
    rep_guessed: bool
    warnings: list[str]


def read_transcript(text: str, rep: str | None) -> TranscriptTurns:
    """Turns with speakers, timestamps and roles. Raises TranscriptError when no words."""
    reader = _Reader(text)
    drafts = reader.read()
    warnings = list(reader.warnings)
    if not drafts:
        raise TranscriptError("It has only headers, cue numbers and timestamps, no spoken text.")
    speakers = [d.speaker for d in drafts if d.speaker]
    if not speakers:
        warnings.append("no speaker names found; each line, paragraph or cue is read as a note")
        if not reader.timed:
            return TranscriptTurns(read_notes(text), [], rep, False, warnings)
    cast = cast_roles(speakers, rep)
    turns = [
        Turn(
            index=index,
            text=draft.text(),
            line=draft.start,
            speaker=draft.speaker,
            role=cast.roles.get(draft.speaker, Role.UNKNOWN) if draft.speaker else Role.UNKNOWN,
            timestamp=draft.timestamp,
            offset_seconds=offset_seconds(draft.timestamp),
        )
        for index, draft in enumerate(drafts)
    ]
    return TranscriptTurns(
        turns, cast.participants, cast.rep, cast.rep_guessed, warnings + cast.warnings
    )


def offset_seconds(timestamp: str | None) -> float | None:
    """Seconds from the start for "28:45" / "00:28:45.120"; None for clock times ("9:03 AM")."""
    if timestamp is None or _IS_CLOCK.search(timestamp):
        return None
    seconds = 0.0
    for part in timestamp.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


class _Reader:
    """One pass over the lines; each line is structure, a speaker change or words."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.first = next((i for i, line in enumerate(self.lines) if line.strip()), 0)
        self.vtt = self.lines[self.first].lstrip().startswith("WEBVTT")
        self.name_lines = _names_follow_timestamps(self.lines)
        self.drafts: list[_Draft] = []
        self.warnings: list[str] = []
        self.timed = False  # any cue or timestamp line seen
        self.cue_ts: str | None = None  # timing of the cue being read
        self.in_cue = False
        self.in_arrow_cue = False
        self.cue_first = False  # the next words are the cue's first line
        self.block_start = True
        self.skipping = False  # inside a NOTE / STYLE / REGION block
        self.last_arrow: tuple[int, bool] | None = None  # (line, complete)
        self.spoken = False  # a speaker has been seen

    @property
    def current(self) -> _Draft | None:
        return self.drafts[-1] if self.drafts else None

    def read(self) -> list[_Draft]:
        start = self._skip_vtt_header() if self.vtt else 0
        for index in range(start, len(self.lines)):
            self._line(index)
        if self.last_arrow is not None:
            self._check_truncation()
        return [draft for draft in self.drafts if draft.lines]

    def _skip_vtt_header(self) -> int:
        """The WEBVTT line and the metadata under it; anything else is read as usual."""
        index = self.first + 1
        while index < len(self.lines) and _VTT_METADATA.fullmatch(self.lines[index].strip()):
            index += 1
        return index

    def _line(self, index: int) -> None:
        line = self.lines[index].strip()
        if not line:
            self.block_start, self.skipping = True, False
            self.in_cue = self.in_arrow_cue = self.cue_first = False
            return
        block_start, self.block_start = self.block_start, False
        if self.skipping:
            return
        if self.vtt and block_start and _VTT_BLOCK.match(line):
            self.skipping = True
        elif line[0].isdigit() and (arrow := _ARROW.match(line)):
            self.last_arrow = (index + 1, _OFFSET_ONLY.fullmatch(arrow.group("end")) is not None)
            self._timing(arrow.group("start"), arrow_cue=True)
        elif self._is_structure(index, line, block_start):
            return
        elif line[0] in _TIMING_FIRST and (stamp := _TS_ONLY.fullmatch(line)):
            self._timing(stamp.group("ts"), arrow_cue=False)
        elif not self.in_arrow_cue and (header := _speaker_line(line)):
            self._open(header[0], header[1], timed=False)
            self.in_cue = self.cue_first = False
        else:
            self._words(index, line)

    def _is_structure(self, index: int, line: str, block_start: bool) -> bool:
        """A cue number or identifier, a date line before anyone speaks, a tool's footer.
        (The cheap tests go first: most lines are words.)"""
        if (block_start or line.isdigit()) and self._is_cue_id(index):
            return True
        return (not self.spoken or line[0] in "Tt") and self._is_boilerplate(line)

    def _is_cue_id(self, index: int) -> bool:
        """A cue number or identifier: the line just above a timing line."""
        if index + 1 >= len(self.lines):
            return False
        following = self.lines[index + 1].lstrip()
        return following[:1].isdigit() and _ARROW.match(following) is not None

    def _is_boilerplate(self, line: str) -> bool:
        """A date line before anyone speaks, or a tool's footer."""
        if not self.spoken and is_date_header(line):
            return True
        return _FOOTER.fullmatch(line) is not None

    def _timing(self, timestamp: str, *, arrow_cue: bool) -> None:
        self.timed = True
        self.cue_ts, self.in_cue, self.cue_first = timestamp, True, True
        self.in_arrow_cue = arrow_cue

    def _words(self, index: int, line: str) -> None:
        body, speaker, timestamp = line, None, None
        if self.in_arrow_cue or self.vtt:
            body, speaker = self._cue_markup(index, line)
        if speaker is None and (inline := _inline_label(body)):
            speaker, timestamp, body = inline
        first, self.cue_first = self.cue_first, False
        if speaker is None and first and self.name_lines and self._is_name_line(index, body):
            self._start_turn(body, self.cue_ts)
            return
        if speaker is not None:
            self._start_turn(speaker, timestamp or self.cue_ts)
        elif not body:
            return
        elif self.current is None or (first and self.current.speaker is None):
            self._open(None, self.cue_ts if first else None, timed=self.in_cue)
        if body:
            assert self.current is not None
            self.current.lines.append((index + 1, body))

    def _cue_markup(self, index: int, line: str) -> tuple[str, str | None]:
        """Cue text without tags, and the speaker of a ``<v Name>`` voice tag."""
        speaker = None
        if voice := _VOICE.match(line):
            speaker = voice.group("name").strip() or None
        if "<" in line:
            line = _MARKUP.sub("", line)
            if index == len(self.lines) - 1 and (partial := _PARTIAL_TAG.search(line)):
                line = line[: partial.start()]
                self._warn_cut(index + 1)
            line = line.strip()
        if "&" in line:
            line = html.unescape(line)
        return line, speaker

    def _is_name_line(self, index: int, body: str) -> bool:
        following = self.lines[index + 1].strip() if index + 1 < len(self.lines) else ""
        return _is_name_line(body) and bool(following) and not _is_timing(following)

    def _start_turn(self, speaker: str, timestamp: str | None) -> None:
        current = self.current
        if self.in_cue and current and current.timed and current.speaker == speaker:
            return  # the same speaker's next cue: one turn
        self._open(speaker, timestamp, timed=self.in_cue)

    def _open(self, speaker: str | None, timestamp: str | None, *, timed: bool) -> None:
        if self.drafts and not self.drafts[-1].lines:
            self.drafts.pop()  # a speaker line with no words after it
        self.drafts.append(_Draft(speaker, timestamp, timed))
        self.spoken = self.spoken or speaker is not None

    def _check_truncation(self) -> None:
        assert self.last_arrow is not None
        last = len(self.lines)
        while last > 0 and not self.lines[last - 1].strip():
            last -= 1
        arrow_line, complete = self.last_arrow
        if arrow_line == last or not complete:
            self._warn_cut(arrow_line)
        elif last == len(self.lines) and not _ENDS_SENTENCE.search(self.lines[-1].strip()):
            self._warn_cut(last)

    def _warn_cut(self, line: int) -> None:
        warning = (
            f"the transcript stops in the middle of a cue at line {line}; it looks cut off, "
            "so only what is there was read"
        )
        if warning not in self.warnings:
            self.warnings.append(warning)


def _is_timing(line: str) -> bool:
    if line[:1] not in _TIMING_FIRST:
        return False
    return _ARROW.match(line) is not None or _TS_ONLY.fullmatch(line) is not None


def _is_name_line(line: str) -> bool:
    """A line that is only a speaker's name (Teams puts it under the timestamp)."""
    return ":" not in line and not _ENDS_SENTENCE.search(line) and is_speaker_label(line)


def _inline_label(line: str) -> tuple[str, str | None, str] | None:
    """(speaker, timestamp, words) for "Name: words", "[12:04] Name: words" and the like."""
    if ":" not in line:
        return None
    for pattern in (_INLINE, _INLINE_TS_AFTER):
        match = pattern.match(line)
        if not match:
            continue
        label, text = match.group("label").strip(), (match.group("text") or "").strip()
        if label[-1].isdigit() and _LOOKS_LIKE_TS.match(text):
            return None  # "Speaker 1 00:28:45" cut at its first colon
        if is_speaker_label(label):
            return label, match.group("ts"), text
    return None


def _speaker_line(line: str) -> tuple[str, str] | None:
    """(speaker, timestamp) for a line that is only a speaker and a time."""
    if line[0] not in _TIMING_FIRST and not line.endswith(_HEADER_ENDS):
        return None  # neither starts nor ends with a time
    for pattern in (_HEADER_NAME_TS, _HEADER_TS_NAME):
        match = pattern.fullmatch(line)
        if match and is_speaker_label(match.group("label")):
            return match.group("label").strip(), match.group("ts")
    return None


def _names_follow_timestamps(lines: list[str]) -> bool:
    """Teams style: most timed blocks of two or more lines start with a recurring name."""
    names: Counter[str] = Counter()
    blocks = 0
    for index in range(len(lines) - 2):
        if not _is_timing(lines[index].strip()):
            continue
        first, second = lines[index + 1].strip(), lines[index + 2].strip()
        if not first or not second or _is_timing(second):
            continue
        blocks += 1
        if _is_name_line(first):
            names[first] += 1
    return bool(names) and names.most_common(1)[0][1] >= 2 and names.total() * 2 >= blocks


def looks_like_transcript(text: str) -> bool:
    """WEBVTT, an SRT/VTT timing line, or three speaker turns (bare "Name:" turns count
    only when a name comes back, so "Budget: / Timeline: / Owner:" notes stay notes)."""
    sample = text[:DETECT_CHARS]
    if sample.startswith("WEBVTT"):
        return True
    lines = [line.strip() for line in sample.split("\n")]
    timed, bare = 0, Counter[str]()
    for index, line in enumerate(lines):
        if not line:
            continue
        if arrow := _ARROW.match(line):
            if _OFFSET_ONLY.fullmatch(arrow.group("end")):
                return True  # a cue's timing line: "00:00:01,000 --> 00:00:04,000"
        elif _speaker_line(line):
            timed += 1
        elif inline := _inline_label(line):
            if inline[1]:
                timed += 1
            else:
                bare[inline[0].lower()] += 1
        elif (
            _TS_ONLY.fullmatch(line) and index + 1 < len(lines) and _is_name_line(lines[index + 1])
        ):
            timed += 1
        if timed >= 3:
            return True
    repeated = any(count >= 2 for count in bare.values())
    if timed + bare.total() >= 3 and (repeated or timed > 0):
        return True
    return _short_exchange(lines, bare)


def _short_exchange(lines: list[str], bare: Counter[str]) -> bool:
    """Two or more lines, every one a "Name: words" turn, by two or more people of whom
    one at least is named in full ("Dana Reyes: ..."): a short exchange, not notes
    ("Budget: / Owner:" labels are single words)."""
    content = [line for line in lines if line]
    return (
        len(content) >= 2
        and bare.total() == len(content)
        and len(bare) >= 2
        and any(len(label.split()) >= 2 for label in bare)
    )
