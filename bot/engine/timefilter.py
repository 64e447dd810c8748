"""The fast pre-filter of the time layer, derived from the rules' own patterns.

Most sentences hold no time phrase, and one cheap search proves it: every match of a
rule must contain a digit or one of a few words ("tomorrow", "noon", "week"...). Those
words are read off each rule's compiled pattern, so a phrase added to a rule is found
without a second list to keep in step.

``cues(pattern)`` walks the regular expression's syntax tree and returns a set of
strings one of which every match contains (``DIGIT`` standing for any digit), or None
when it cannot tell (then the filter lets every sentence through: slower, never wrong).
In a sequence it keeps the most telling part (the one whose weakest word is longest; a
digit counts as very telling); in an alternation it needs every branch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

DIGIT = "\\d"
# Words of up to three letters are matched where a word starts, as the start of a word
# or, when the pattern puts a word boundary after them ("one\\b"), as a whole word
# (marked with a trailing "$"); longer words anywhere ("day" in "Monday" is short, but
# "week" in "weekend" is found as a stem).
_SHORT = 3
_WHOLE = "$"
# Words so common that a sentence holding one proves nothing.
_COMMON = frozenset(
    [
        "a",
        "an",
        "the",
        "at",
        "in",
        "on",
        "to",
        "by",
        "of",
        "or",
        "and",
        "for",
        "is",
        "it",
        "this",
        "next",
        "last",
        "my",
        "our",
        "your",
        "up",
        "other",
        "these",
        "time",
        "point",
        "line",
        "while",
        "little",
        "before",
        "after",
        "some",
        "over",
        "down",
        "end",
        "close",
    ]
)
_DIGIT_WEIGHT = 10
Cues = frozenset[str] | None


def cues(pattern: str) -> Cues:
    """The strings one of which every match of ``pattern`` contains, or None."""
    return _sequence(list(sre_parse.parse(pattern)), bounded=False)


def prefilter(patterns: Iterable[str]) -> re.Pattern[str]:
    """One search that finds something in every text any of ``patterns`` matches in."""
    words: set[str] = set()
    for pattern in patterns:
        found = cues(pattern)
        if found is None:
            return re.compile(r"(?s).")  # cannot tell: let everything through
        words |= found
    parts = [DIGIT] if DIGIT in words else []
    words.discard(DIGIT)
    whole = sorted(w[:-1] for w in words if w.endswith(_WHOLE))
    stems = sorted(w for w in words if not w.endswith(_WHOLE) and len(w) > _SHORT)
    starts = sorted(w for w in words if not w.endswith(_WHOLE) and len(w) <= _SHORT)
    if stems:
        parts.append(_trie(stems))
    if whole:
        parts.append(rf"(?<![a-z]){_trie(whole)}(?![a-z])")
    if starts:
        parts.append(rf"(?<![a-z]){_trie(starts)}")
    return re.compile("|".join(parts))


def _weight(found: frozenset[str]) -> int:
    def one(word: str) -> int:
        word = word.removesuffix(_WHOLE)
        if word == DIGIT:
            return _DIGIT_WEIGHT
        return 0 if word in _COMMON else min(len(word), _DIGIT_WEIGHT - 1)

    return min(one(w) for w in found)


def _best(candidates: list[frozenset[str]]) -> Cues:
    if not candidates:
        return None
    best = candidates[0]
    for candidate in candidates[1:]:
        if _weight(candidate) >= _weight(best):
            best = candidate
    return best


def _sequence(items: list[Any], *, bounded: bool) -> Cues:
    """``bounded``: a word boundary follows the sequence where it is used."""
    candidates: list[frozenset[str]] = []
    run = ""

    def flush(boundary: bool) -> None:
        nonlocal run
        if run:
            short_whole = boundary and len(run) <= _SHORT
            candidates.append(frozenset([run + _WHOLE if short_whole else run]))
            run = ""

    for index, (op, av) in enumerate(items):
        if op is sre.LITERAL and chr(av).isalpha():
            run += chr(av).lower()
            continue
        flush(op is sre.AT and av is sre.AT_BOUNDARY)
        follows = items[index + 1] if index + 1 < len(items) else None
        boundary = bounded if follows is None else _is_boundary(follows)
        found = _node(op, av, boundary)
        if found:
            candidates.append(found)
    flush(bounded)
    return _best(candidates)


def _is_boundary(item: tuple[Any, Any]) -> bool:
    return item[0] is sre.AT and item[1] is sre.AT_BOUNDARY


def _node(op: Any, av: Any, bounded: bool) -> Cues:
    if op is sre.SUBPATTERN:
        return _sequence(list(av[-1]), bounded=bounded)
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _sequence(list(branch), bounded=bounded)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, _, body = av
        return _sequence(list(body), bounded=bounded and low == 1) if low >= 1 else None
    if op is sre.IN:
        return _char_class(av)
    return None  # assertions, anchors, conditionals, other single characters


def _char_class(items: Any) -> Cues:
    letters: set[str] = set()
    digits = True
    for op, av in items:
        if op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            continue
        if op is sre.RANGE and chr(av[0]) >= "0" and chr(av[1]) <= "9":
            continue
        if op is sre.LITERAL and chr(av).isdigit():
            continue
        digits = False
        if op is sre.LITERAL and chr(av).isalpha():
            letters.add(chr(av).lower())
        else:
            return None
    if digits:
        return frozenset([DIGIT])
    return frozenset(letters) if letters else None


def _trie(words: list[str]) -> str:
    """One regex for a list of words, factored by prefix (much faster than a flat
    alternation)."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
