"""One message's text split into the messages it carries, newest first.

A message's text is what its author wrote, then (at the first boundary) an older message:
a forward, an Outlook header block, or an attribution line with "> " quotes. The older
message's text is split the same way, so a thread of any depth becomes a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.mail.forwards import (
    FORWARD_MARKER,
    ORIGINAL_MARKER,
    REPLY_ABOVE,
    RULE,
    WrittenHeader,
    is_bare_outlook_block,
    is_field_line,
    is_forward_subject,
    read_header_block,
)
from bot.mail.quotes import ATTRIBUTION_END, dequote, is_quoted, read_attribution

MAX_PARTS = 60
_UNKNOWN = WrittenHeader()


@dataclass(frozen=True)
class Segment:
    """One message found in the text; ``header`` is None for the outermost one."""

    header: WrittenHeader | None
    text: str  # as written, signature and footers still in
    depth: int
    forwarded: bool


@dataclass(frozen=True)
class _Boundary:
    own_end: int  # the author's own text is lines[:own_end] ...
    own_after: list[str]  # ... plus these (answers written between quoted lines)
    older: list[str]  # the older message's text
    header: WrittenHeader
    forward: bool | None  # True: marked as a forward; None: decided by the subject


def split_thread(
    text: str, *, subject: str | None, forwarded: bool = False
) -> tuple[list[Segment], list[str]]:
    """The messages in ``text``, newest first, and warnings."""
    lines = text.split("\n")
    segments: list[Segment] = []
    header: WrittenHeader | None = None
    depth = 0
    for _level in range(2 * MAX_PARTS):  # bounded: a hostile text cannot make this quadratic
        boundary = _find_boundary(lines)
        if boundary is None:
            segments.append(Segment(header, "\n".join(lines), depth, forwarded))
            return segments, []
        own = lines[: boundary.own_end] + boundary.own_after
        if header == _UNKNOWN and not any(line.strip() for line in own):
            # "> On ... wrote:" (iOS quotes the attribution too): one message, not two
            header, lines = boundary.header, boundary.older
            forwarded = forwarded or bool(boundary.forward)
            continue
        segments.append(Segment(header, "\n".join(own), depth, forwarded))
        current_subject = subject if header is None else header.subject
        forwarded = (
            forwarded
            or bool(boundary.forward)
            or (boundary.forward is None and is_forward_subject(current_subject))
        )
        header, lines, depth = boundary.header, boundary.older, depth + 1
        if len(segments) + 1 >= MAX_PARTS:
            break
    segments.append(Segment(header, "\n".join(lines), depth, forwarded))
    return segments, [_too_deep()]


def _too_deep() -> str:
    return f"the thread is nested more than {MAX_PARTS} levels deep; the rest is kept as one part"


def _find_boundary(lines: list[str]) -> _Boundary | None:
    for i, line in enumerate(lines):
        if is_quoted(line):
            return _wrapped_attribution(lines, i) or _quoted(lines, i, i, _UNKNOWN)
        if ":" not in line and "--" not in line and "__" not in line and "*" not in line:
            if "above this line" in line and REPLY_ABOVE.match(line) and _written_above(lines, i):
                return _Boundary(i, [], lines[i + 1 :], _UNKNOWN, False)
            continue  # prose: no marker (bold ones too), header field or attribution lacks all
        boundary = _marked(lines, i, line)
        if boundary is not None:
            return boundary
        if line.rstrip().endswith(":") and _ends_attribution(lines, i):
            attribution = read_attribution(lines, i)
            if attribution is not None and _credible(attribution.header, lines, i + 1):
                return _quoted(lines, attribution.start, attribution.end, attribution.header)
    return None


def _wrapped_attribution(lines: list[str], i: int) -> _Boundary | None:
    """An attribution whose address was wrapped so that its end (">:") opens the next line,
    where it reads as a quote: "Am 21.04.2016 17:48 schrieb Jane <jane@acme.com" / ">:"."""
    if lines[i].strip() != ">:" or not i or not lines[i - 1].strip():
        return None
    joined = [*lines[: i - 1], lines[i - 1].rstrip() + ">:"]
    if not ATTRIBUTION_END.search(joined[-1]):
        return None
    attribution = read_attribution(joined, i - 1)
    if attribution is None or not _credible(attribution.header, lines, i + 1):
        return None
    return _quoted(lines, attribution.start, i + 1, attribution.header)


def _ends_attribution(lines: list[str], i: int) -> bool:
    """Whether ``lines[i]`` can end an attribution: it ends with the verb ("wrote:"), or the
    verb sits on the line above ("... schrieb am Fr., 28." / "Apr. 2017 um 11:53 Uhr:")."""
    if ATTRIBUTION_END.search(lines[i]):
        return True
    above = lines[i - 1] if i else ""
    return bool(above.strip()) and ATTRIBUTION_END.search(f"{above} {lines[i]}") is not None


def _written_above(lines: list[str], i: int) -> bool:
    """Whether a reply was typed above line ``i`` (a help desk's own notification opens
    with the marker: then it splits nothing)."""
    return any(line.strip() for line in lines[:i])


def _marked(lines: list[str], i: int, line: str) -> _Boundary | None:
    """A forward marker, an Outlook "Original Message" / rule line, or a bare header block."""
    if FORWARD_MARKER.match(line):
        block = read_header_block(lines, i + 1)
        end = block.end if block else i + 1
        return _Boundary(i, [], lines[end:], block.header if block else WrittenHeader(), True)
    original = ORIGINAL_MARKER.match(line)
    if original or RULE.match(line):
        block = read_header_block(lines, i + 1)
        if block is not None and "from" in block.fields:
            return _Boundary(i, [], lines[block.end :], block.header, None)
        if original and original["dashes"]:
            return _Boundary(i, [], lines[i + 1 :], WrittenHeader(), None)
        return None
    if is_field_line(line):
        block = read_header_block(lines, i)
        if block is not None and is_bare_outlook_block(block, line):
            return _Boundary(i, [], lines[block.end :], block.header, None)
    return None


def _credible(header: WrittenHeader, lines: list[str], after: int) -> bool:
    """A dated or addressed attribution stands alone; "Jane wrote:" needs quotes below."""
    if header.date_text or (header.author is not None and header.author.email):
        return True
    following = next((line for line in lines[after:] if line.strip()), "")
    return is_quoted(following)


def _quoted(lines: list[str], start: int, body: int, header: WrittenHeader) -> _Boundary:
    """Split what follows an attribution: "> " lines are the older message; unquoted lines
    between or after them are the author's own (inline answers, a bottom signature)."""
    rest = lines[body:]
    first = next((line for line in rest if line.strip()), "")
    if not is_quoted(first):  # the quote marks were lost (an HTML reply): all of it
        return _Boundary(start, [], rest, header, False)
    older: list[str] = []
    own_after: list[str] = []
    target = older
    for line in rest:
        if is_quoted(line):
            target = older
            older.append(dequote(line))
        elif line.strip():
            target = own_after
            own_after.append(line)
        else:
            target.append("")
    return _Boundary(start, own_after, older, header, False)
