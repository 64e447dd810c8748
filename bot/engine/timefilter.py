"""The fast pre-filter of the time layer, derived from the rules' own patterns.

Most sentences hold no time phrase, and one cheap search proves it: every match of a
rule must contain a digit or one of a few words ("tomorrow", "noon", "week"...). Those
words are read off each rule's pattern, so a phrase added to a rule is found without a
second list to keep in step.

``cues(pattern)`` walks the regular expression's syntax tree and returns a set of
``Cue`` values one of which every match contains, or None when it cannot tell (then the
filter lets every sentence through: slower, never wrong). In a sequence it keeps the
most telling part; in an alternation it needs every branch. A cue knows whether the
pattern puts a word edge before or after it ("at" must be a word of its own, "day" may
end "Monday"), so short words do not let every sentence through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_SHORT = 3  # words this short tell little unless they stand alone
_DIGIT_WEIGHT = 10
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
        "be",
        "thing",
        "work",
    ]
)


@dataclass(frozen=True, order=True)
class Cue:
    """A word every match holds, or any digit (``word`` "\\d"); ``left`` / ``right``: it
    starts / ends a word there."""

    word: str
    left: bool = False
    right: bool = False

    @property
    def weight(self) -> int:
        if self.word == DIGIT.word:
            return _DIGIT_WEIGHT
        if self.word in _COMMON:
            return 0
        if len(self.word) > _SHORT:
            return min(len(self.word) + 2, _DIGIT_WEIGHT - 1)
        return len(self.word) * (self.left + self.right)  # "h" inside words is worth nothing


DIGIT = Cue("\\d")
Cues = frozenset[Cue] | None


def cues(pattern: str) -> Cues:
    """The cues one of which every match of ``pattern`` contains, or None."""
    return _sequence(_parsed(pattern), left=False, right=False)


@lru_cache(maxsize=64)
def _parsed(pattern: str) -> list[Any]:
    """The pattern's syntax tree, parsed once for the cues and the guard (read only)."""
    return list(sre_parse.parse(pattern))


def prefilter(patterns: Iterable[str]) -> re.Pattern[str]:
    """One search that finds something in every text any of ``patterns`` matches in."""
    found: set[Cue] = set()
    for pattern in patterns:
        some = cues(pattern)
        if some is None:
            return re.compile(r"(?s).")  # cannot tell: let everything through
        found |= some
    parts = [r"\d"] if DIGIT in found else []
    found.discard(DIGIT)
    for left, right in ((False, False), (True, False), (False, True), (True, True)):
        words = sorted({c.word for c in found if (c.left, c.right) == (left, right)})
        if words:
            before, after = ("(?<![a-z])" if left else ""), ("(?![a-z])" if right else "")
            parts.append(before + _trie(words) + after)
    return re.compile("|".join(parts))


def _best(candidates: list[frozenset[Cue]]) -> Cues:
    if not candidates:
        return None
    best = candidates[0]
    for candidate in candidates[1:]:
        if _weight(candidate) >= _weight(best):
            best = candidate
    return best


def _weight(found: frozenset[Cue]) -> int:
    return min(cue.weight for cue in found)


def _separates(item: tuple[Any, Any], *, before: bool) -> bool:
    """Whether ``item`` always puts a non-letter (or a word edge) next to a letter run
    that follows it (``before``) or precedes it."""
    op, av = item
    if op is sre.AT:
        return av is sre.AT_BOUNDARY
    if op is sre.LITERAL:
        return not chr(av).isalpha()
    if op is sre.IN:
        return not _letters_in(av)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _, body = av
        return low >= 1 and len(body) == 1 and _separates(body[0], before=before)
    if op is sre.ASSERT_NOT:
        direction, body = av
        looks_back = direction < 0
        return looks_back == before and _letters_in_items(list(body))
    return False


def _letters_in(items: Any) -> bool:
    for op, av in items:
        if op is sre.LITERAL and chr(av).isalpha():
            return True
        if op is sre.RANGE and (chr(av[0]).isalpha() or chr(av[1]).isalpha()):
            return True
        if op is sre.CATEGORY and av in (sre.CATEGORY_WORD, sre.CATEGORY_NOT_DIGIT,
                                         sre.CATEGORY_NOT_SPACE):  # fmt: skip
            return True
        if op is sre.NEGATE:
            return True
    return False


def _letters_in_items(items: list[Any]) -> bool:
    """A look-around body that matches letters: (?<![a-z]), (?!\\w)."""
    return len(items) == 1 and items[0][0] is sre.IN and _letters_in(items[0][1])


def _leading_run(items: list[Any]) -> str:
    run = ""
    for op, av in items:
        if op is sre.LITERAL and chr(av).isalpha():
            run += chr(av).lower()
        else:
            break
    return run


def _sequence(items: list[Any], *, left: bool, right: bool) -> Cues:
    """``left`` / ``right``: a word edge comes before / after the sequence where used."""
    candidates: list[frozenset[Cue]] = []
    run, run_left = "", False

    def edge_before(index: int) -> bool:
        return left if index == 0 else _separates(items[index - 1], before=True)

    def edge_after(index: int) -> bool:
        return right if index >= len(items) else _separates(items[index], before=False)

    for index, (op, av) in enumerate(items):
        if op is sre.LITERAL and chr(av).isalpha():
            if not run:
                run_left = edge_before(index)
            run += chr(av).lower()
            continue
        if run:
            candidates.append(frozenset([Cue(run, run_left, edge_after(index))]))
            joined = _joined(run, op, av)
            if joined:
                candidates.append(frozenset(Cue(w, run_left) for w in joined))
            run = ""
        found = _node(op, av, left=edge_before(index), right=edge_after(index + 1))
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset([Cue(run, run_left, right)]))
    return _best(candidates)


def _joined(run: str, op: Any, av: Any) -> set[str] | None:
    """A run the parser factored out of an alternation ("q" + "uarter|tr"): the whole
    words again, when every branch starts with letters."""
    if op is sre.SUBPATTERN:
        inner = list(av[-1])
        if len(inner) != 1:
            return None
        op, av = inner[0]
    if op is not sre.BRANCH:
        return None
    leads = [_leading_run(list(branch)) for branch in av[1]]
    return {run + lead for lead in leads} if all(leads) else None


def _node(op: Any, av: Any, *, left: bool, right: bool) -> Cues:
    if op is sre.SUBPATTERN:
        return _sequence(list(av[-1]), left=left, right=right)
    if op is sre.BRANCH:
        union: set[Cue] = set()
        for branch in av[1]:
            found = _sequence(list(branch), left=left, right=right)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        if low < 1:
            return None
        return _sequence(list(body), left=left, right=right and high == 1)
    if op is sre.IN:
        return _char_class(av)
    return None  # look-arounds, anchors, conditionals, other single characters


def _char_class(items: Any) -> Cues:
    for op, av in items:
        if op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            continue
        if op is sre.RANGE and chr(av[0]) >= "0" and chr(av[1]) <= "9":
            continue
        if op is sre.LITERAL and chr(av).isdigit():
            continue
        return None
    return frozenset([DIGIT])


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


def guard(pattern: str) -> str:
    """A look-ahead that fails fast where no match of ``pattern`` can start: the letters,
    digits and signs every match begins with, read off the pattern ("" when it cannot
    tell, so the guard never rejects a match)."""
    found = _starts(_parsed(pattern))
    if found is None or found[1] or not found[0]:
        return ""
    words, signs = sorted(w for w in found[0] if w.isalpha()), sorted(found[0] - {DIGIT.word})
    parts = [r"\d"] if DIGIT.word in found[0] else []
    parts += [re.escape(s) for s in signs if not s.isalpha()]
    if words:
        parts.append(_trie(words))
    return "(?=" + "|".join(parts) + ")"


Starts = tuple[set[str], bool] | None  # (what a match begins with, whether it can be empty)


def _starts(items: list[Any]) -> Starts:
    result: set[str] = set()
    index = 0
    while index < len(items):
        op, av = items[index]
        if op is sre.LITERAL and chr(av).isalpha():
            run = ""
            while (
                index < len(items)
                and items[index][0] is sre.LITERAL
                and chr(items[index][1]).isalpha()
            ):
                run += chr(items[index][1]).lower()
                index += 1
            return result | {run}, False
        found = _start_node(op, av)
        if found is None:
            return None
        result |= found[0]
        if not found[1]:
            return result, False
        index += 1
    return result, True


def _start_node(op: Any, av: Any) -> Starts:
    if op is sre.LITERAL:
        return {chr(av).lower()}, False
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return set(), True
    if op is sre.IN:
        if _char_class(av) == frozenset([DIGIT]):
            return {DIGIT.word}, False
        chars = {chr(v).lower() for o, v in av if o is sre.LITERAL}
        if chars and all(o is sre.LITERAL for o, _ in av):
            return chars, False
        return None
    if op is sre.SUBPATTERN:
        return _starts(list(av[-1]))
    if op is sre.BRANCH:
        union: set[str] = set()
        empty = False
        for branch in av[1]:
            found = _starts(list(branch))
            if found is None:
                return None
            union |= found[0]
            empty = empty or found[1]
        return union, empty
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, _, body = av
        found = _starts(list(body))
        if found is None:
            return None
        return found[0], low == 0 or found[1]
    if op is sre.GROUPREF_EXISTS:
        _, yes, no = av
        a = _starts(list(yes))
        b = _starts(list(no)) if no is not None else (set(), True)
        if a is None or b is None:
            return None
        return a[0] | b[0], a[1] or b[1]
    return None
