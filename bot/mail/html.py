"""HTML bodies as readable text: lists and tables kept, no image noise, links as their text,
hidden preheaders and marked-up signatures left out."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import html2text

from bot.mail.text import normalize

# Elements that are never part of what the author wrote.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.I)
_SIGNATURE_CLASS = re.compile(r"\b(?:gmail_signature|moz-signature|signature)\b", re.I)
_SIGNATURE_ID = re.compile(r"^(?:signature|Signature|x_Signature|ms-outlook-mobile-signature)$")
_WORTH_FILTERING = re.compile(r"display\s*:\s*none|mso-hide|signature", re.I)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_TABLE_RULE = re.compile(
    r"^[ \t]*\|?[ \t]*-{3,}(?:[ \t]*\|[ \t]*-{3,})*[ \t]*\|?[ \t]*(?:\n|$)", re.M
)
_CELL_JOIN = re.compile(r"(?<=\S)\| ")


def html_to_text(html: str) -> str:
    """Render an HTML body as plain text (quotes as "> " lines, tables as "a | b" rows)."""
    if _WORTH_FILTERING.search(html):
        html = _without_hidden(html)
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    converter.ignore_links = True
    converter.ignore_emphasis = True
    converter.unicode_snob = True
    converter.single_line_break = False
    text = converter.handle(html)
    text = _TABLE_RULE.sub("", text)
    return normalize(_CELL_JOIN.sub(" | ", text))


class _HiddenFinder(HTMLParser):
    """Finds the character ranges of hidden elements and marked-up signatures."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self._line_starts = [0]
        self._line_starts.extend(m.end() for m in re.finditer("\n", html))
        self._html = html
        self._open: list[tuple[str, int, int]] = []  # tag, nesting, start offset
        self.ranges: list[tuple[int, int]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if self._open and self._open[-1][0] == tag:
            name, nesting, start = self._open[-1]
            self._open[-1] = (name, nesting + 1, start)
            return
        if self._open:
            return  # inside an element already being dropped
        values = {key: value or "" for key, value in attrs}
        if (
            _HIDDEN_STYLE.search(values.get("style", ""))
            or _SIGNATURE_CLASS.search(values.get("class", ""))
            or _SIGNATURE_ID.match(values.get("id", ""))
        ):
            self._open.append((tag, 0, self._offset()))

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            return
        name, nesting, start = self._open.pop()
        if nesting:
            self._open.append((name, nesting - 1, start))
            return
        end = self._html.find(">", self._offset())
        self.ranges.append((start, len(self._html) if end < 0 else end + 1))


def _without_hidden(html: str) -> str:
    finder = _HiddenFinder(html)
    finder.feed(html)
    finder.close()
    if not finder.ranges:
        return html
    pieces: list[str] = []
    position = 0
    for start, end in finder.ranges:
        pieces.append(html[position:start])
        position = end
    pieces.append(html[position:])
    return "".join(pieces)
