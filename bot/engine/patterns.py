"""Case-insensitive patterns that run fast.

Python's ``re`` is five to ten times slower with IGNORECASE than on lower-cased text
with a plain pattern, and the engine runs a few dozen word patterns over every sentence
of an hour-long call. ``ci(pattern)`` keeps the IGNORECASE meaning and takes the fast
path: the text is lower-cased once per search (when lower-casing keeps its length, so
match positions still point into the original), else it falls back to IGNORECASE.

Match *positions* always refer to the original text; a group's text is lower-case on
the fast path, so slice the original where case matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_CASED = re.compile(r"(\\.|\(\?P)|([A-Z])")


# The same sentence goes through a few dozen patterns in a row: lower-case it once.
_last: list[str | None] = [None, None]


def _lower(text: str) -> str | None:
    """``text`` lower-cased, or None when that changes its length (positions would drift)."""
    if _last[0] is text:
        return _last[1]
    low: str | None = text.lower()
    if low is not None and len(low) != len(text):
        low = None
    _last[0], _last[1] = text, low
    return low


class CaseFree:
    """Compiled on first use (a few of the lexicon's patterns are large), the IGNORECASE
    fallback only when a text needs it."""

    __slots__ = ("_fast", "_slow", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._fast: re.Pattern[str] | None = None
        self._slow: re.Pattern[str] | None = None

    @property
    def fast(self) -> re.Pattern[str]:
        if self._fast is None:
            self._fast = re.compile(self.pattern)
        return self._fast

    @property
    def slow(self) -> re.Pattern[str]:
        if self._slow is None:
            self._slow = re.compile(self.pattern, re.IGNORECASE)
        return self._slow

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        low = _lower(text)
        return self.fast.search(low, pos) if low is not None else self.slow.search(text, pos)

    def match(self, text: str) -> re.Match[str] | None:
        low = _lower(text)
        return self.fast.match(low) if low is not None else self.slow.match(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        low = _lower(text)
        return self.fast.finditer(low) if low is not None else self.slow.finditer(text)

    def sub(self, replacement: str, text: str, count: int = 0) -> str:
        """Substitution keeps the original's case outside what is replaced."""
        pieces: list[str] = []
        last = 0
        for number, match in enumerate(self.finditer(text)):
            if count and number >= count:
                break
            pieces.append(text[last : match.start()])
            pieces.append(match.expand(replacement))
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces)


def _lower_pattern(pattern: str) -> str:
    """Lower-case a pattern's letters, leaving escapes (\\W, \\S) and group syntax alone:
    on lower-cased text that is what IGNORECASE means ("[A-Z]" becomes "[a-z]")."""
    return _CASED.sub(lambda m: m.group(1) or m.group(2).lower(), pattern)


def ci(pattern: str) -> CaseFree:
    """A case-insensitive pattern, matched the fast way."""
    return CaseFree(_lower_pattern(pattern))
