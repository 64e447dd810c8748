"""Later words override earlier ones: revisions, withdrawals, a chosen option, restatements.

A counter-proposal ("actually, can we do Thursday at 10?") revises the step it answers,
"let's drop Tuesday" takes an agreed time back, "Thursday's better for us" picks one of
the options offered, and the same step said again in the wrap-up merges into the first.
Every look-up stays within a window, so the work per step is bounded.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.engine import lexicon as lx
from bot.engine.clauses import kind_of, subject_of
from bot.engine.drafts import (
    Draft,
    choose_time,
    clock_only,
    combine,
    has_options,
    state,
    supersede,
)
from bot.engine.model import Grain, Owner, StepKind, TimeExpression
from bot.engine.patterns import ci
from bot.engine.units import Unit

REVISION_REACH = 10  # units back a counter-proposal may answer


RESTATE_REACH = 64  # drafts back a restatement is looked for


RECAP_REACH = 40  # "So to recap: ..." sums up the whole call


_RECAP_ONLY = ci(r"\b(?:to recap|recap|to sum up|to confirm|so to be clear|just to confirm)\b")


# What may stand beside a time said on its own: "Great, Thursday at 11 then."
_SETTLING_WORDS = frozenset(
    [
        "then",
        "it",
        "is",
        "it's",
        "its",
        "so",
        "that's",
        "that",
        "settled",
        "done",
        "deal",
        "sounds",
        "good",
        "perfect",
        "great",
        "ok",
        "okay",
        "fine",
        "works",
    ]
)
_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _bare_time(text: str, times: list[TimeExpression]) -> bool:
    """A time said on its own, perhaps with "great" or "then": it settles (or moves) the
    meeting just discussed, as a proposal would."""
    rest = text.lower().replace("’", "'")
    for time in times:
        rest = rest.replace(time.text.lower(), " ")
    rest = lx.AFFIRM.sub(" ", rest)
    words = _WORDS.findall(rest)
    return bool(times) and all(word in _SETTLING_WORDS for word in words)


PROPOSAL = ci(
    r"(?:\?\s*$|^\W*(?:how about|what about|would|does|do|can we|could we|are you free|"
    r"is|shall we|maybe|perhaps|proposed|suggested|offered|pencil(?:l?ed)? in)\b|\b(?:work for you|works for you|work on your end|"
    r"suit you|you free|good for you)\b)"
)


RECAP = ci(
    r"\b(?:to recap|recap|so that(?:'|’)s|so we(?:'|’)re|we(?:'|’)re (?:set|on)|it is|it(?:'|’)s a date|"
    r"locked in|confirmed for|see you|that works|works for me|works for us|works)\b"
)


def recent_meeting(
    unit: Unit, drafts: list[Draft], *, timed: bool, reach: int = REVISION_REACH
) -> Draft | None:
    for draft in reversed(drafts):
        if unit.index - draft.unit.index > reach:
            break
        if draft.kind in (StepKind.MEETING, StepKind.CALLBACK) and (
            not timed or draft.specific_time
        ):
            return draft
    return None


def revise(unit: Unit, text: str, times: list[TimeExpression], drafts: list[Draft]) -> bool:
    """A bare time proposal or counter-proposal revises the meeting it answers."""
    specific = [t for t in times if t.specific]
    if not specific:
        return False
    if not lx.DECLINE.search(text) and _choose_option(unit, specific, drafts):
        return True
    cue = (
        PROPOSAL.search(text)
        or lx.COUNTER.search(text)
        or RECAP.search(text)
        or _bare_time(text, specific)
    )
    if not cue:
        return False
    if lx.DECLINE.search(text):
        return False  # "No, Monday doesn't work" refuses the time; it proposes none
    subject, _ = subject_of(text)
    new_kind = kind_of(text, subject, unit.role)
    if new_kind not in (None, StepKind.MEETING, StepKind.CALLBACK):
        return False
    chosen = choose_time(specific)
    assert chosen is not None
    confirmed = _same_time_draft(unit, chosen, drafts)
    if confirmed is not None:
        _restate(confirmed, unit)
        return True
    reach = RECAP_REACH if _RECAP_ONLY.search(text) else REVISION_REACH
    target = recent_meeting(unit, drafts, timed=False, reach=reach)
    if target is None:
        return False
    if new_kind is not None and not _same_meeting(target, text):
        return False
    own_day = any(t.grain == Grain.DAY or not clock_only(t) for t in specific)
    if (
        clock_only(chosen)
        and not own_day
        and target.time is not None
        and target.time.value is not None
    ):
        # "could we make it 11 instead?" keeps the agreed day; "the first Monday of this
        # month, at noon" has its own.
        day = replace(target.time, grain=Grain.DAY, deadline=False)
        chosen = combine([day, chosen])[0]
        specific = [chosen]
    if target.time is not None and not target.options and same_time(target.time, chosen):
        _restate(target, unit)
        return True
    supersede(target)
    target.unit = unit
    target.withdrawn = None
    target.time = chosen
    target.times = specific
    target.options = has_options(text, specific)
    target.units = [unit]
    return True


def withdraw(unit: Unit, text: str, times: list[TimeExpression], drafts: list[Draft]) -> bool:
    """ "Actually, let's drop Tuesday, I'll come back to you": the agreed time is taken back,
    so the step it fixed is no longer agreed (later words win). A new time in the same
    words ("push it back to Friday at 3") is a revision, not a withdrawal."""
    if not lx.WITHDRAWAL.search(text):
        return False
    target = recent_meeting(unit, drafts, timed=True)
    if target is None and times:
        # "let's drop Thursday" after a meeting whose time was never read: still taken back
        target = recent_meeting(unit, drafts, timed=False)
        if target is not None and target.time is None:
            target.withdrawn = unit
            return True
    if target is None or target.time is None:
        return False
    if any(t.specific and not same_time(target.time, t) for t in times):
        return False
    target.withdrawn = unit
    return True


def _choose_option(unit: Unit, specific: list[TimeExpression], drafts: list[Draft]) -> bool:
    """ "Monday at 9 or Thursday at 3?" answered "Thursday's better for us" fixes Thursday
    at 3: the answer names the day of exactly one of the options offered."""
    for draft in reversed(drafts):
        if unit.index - draft.unit.index > REVISION_REACH:
            break
        if not draft.options or draft.unit.role == unit.role:
            continue
        days = {t.value.date() for t in _preferred(unit.text, specific) if t.value is not None}
        picked = [t for t in draft.times if t.value is not None and t.value.date() in days]
        if len(picked) != 1:
            return False
        said = next(
            (t for t in specific if t.value is not None and t.value.date() in days), picked[0]
        )
        if said.has_time_of_day and not picked[0].has_time_of_day:
            picked = [said]  # "Friday at 2 is easier" is more precise than the "Friday" offered
        supersede(draft)
        draft.unit = unit
        draft.time = picked[0]
        draft.times = picked
        draft.options = False
        draft.units = [unit]
        return True
    return False


_SEGMENT_END = re.compile(r"[,.;!?]|\s(?:but|and|while|whereas)\s")


def _preferred(text: str, specific: list[TimeExpression]) -> list[TimeExpression]:
    """The times an answer picks: all it names, or, when it names several ("Friday at 2
    is easier, Wednesday he's in board prep"), those said with a preference and no no."""
    if len(specific) < 2:
        return specific
    chosen = []
    for time in specific:
        before = max((m.end() for m in _SEGMENT_END.finditer(text, 0, time.start)), default=0)
        after = _SEGMENT_END.search(text, time.end)
        segment = text[before : after.start() if after else len(text)]
        if lx.PREFERENCE.search(segment) and not lx.DECLINE.search(segment):
            chosen.append(time)
    return chosen or specific


def _same_time_draft(unit: Unit, time: TimeExpression, drafts: list[Draft]) -> Draft | None:
    """The recent step whose time these words repeat ("Yes, first thing Monday")."""
    for draft in reversed(drafts):
        if unit.index - draft.unit.index > REVISION_REACH:
            break
        if draft.time is not None and draft.specific_time and same_time(draft.time, time):
            return draft
    return None


def _restate(draft: Draft, unit: Unit) -> None:
    """The same step said again: the newest words become its evidence."""
    state(draft, unit)
    supersede(draft)
    draft.unit = unit


def same_time(old: TimeExpression, new: TimeExpression) -> bool:
    """Equal, or the new words name the same day less precisely ("Monday" after "Monday 10am")."""
    if old.value is None or new.value is None:
        return old.value == new.value
    if old.value == new.value:
        return True
    return not new.has_time_of_day and old.value.date() == new.value.date()


def _same_meeting(draft: Draft, text: str) -> bool:
    noun = lx.MEETING_STRONG.search(text)
    if noun is None:
        return True
    return noun.group(0).lower() in draft.clause.lower() or draft.action.lower() in (
        "meet",
        "call",
        "meeting",
    )


def add(draft: Draft, drafts: list[Draft]) -> None:
    for existing in reversed(drafts[-RESTATE_REACH:]):
        if _restates(existing, draft):
            _merge(existing, draft)
            return
    drafts.append(draft)


def _restates(old: Draft, new: Draft) -> bool:
    if old.kind != new.kind:
        return False
    if old.owner != new.owner and Owner.BOTH not in (old.owner, new.owner):
        return False
    if (old.trigger is None) != (new.trigger is None):
        return False  # a trigger-based step is a step of its own
    if old.specific_action != new.specific_action:
        return False  # "let's stay in touch over the summer" does not restate the call
    same_words = _similar(old.action, new.action) or _answers(old, new)
    if old.kind == StepKind.MEETING and not same_words:
        same_words = _same_noun(old.clause, new.clause)
    if not same_words:
        return False
    if old.time is None or new.time is None or not (old.specific_time and new.specific_time):
        return True
    return old.time.value == new.time.value or old.kind == StepKind.MEETING


def _same_noun(a: str, b: str) -> bool:
    """Two mentions of one meeting: the same noun, or one of them names none."""
    noun_a, noun_b = lx.MEETING_STRONG.search(a), lx.MEETING_STRONG.search(b)
    if noun_a is None or noun_b is None:
        return True
    return noun_a.group(0).lower() == noun_b.group(0).lower()


def _answers(old: Draft, new: Draft) -> bool:
    """ "Yes, I'll have them to you by Friday" answers the request for the same thing, same time."""
    return (
        new.unit.index - old.unit.index <= REVISION_REACH
        and new.unit.role != old.unit.role
        and old.specific_time
        and new.specific_time
        and old.time is not None
        and new.time is not None
        and old.time.value == new.time.value
    )


def _merge(old: Draft, new: Draft) -> None:
    """Later words override earlier ones; what the new words leave out is kept."""
    changed = new.specific_time and (not old.specific_time or new.time.value != old.time.value)  # type: ignore[union-attr]
    supersede(old)
    old.unit = new.unit
    old.clause = new.clause if len(new.clause) >= len(old.clause) // 2 else old.clause
    if new.specific_time or (old.time is None and new.time is not None):
        old.time, old.times, old.options = new.time, new.times, new.options
    old.trigger = new.trigger or old.trigger
    old.weak_trigger = old.weak_trigger and new.weak_trigger
    old.specific_action = old.specific_action or new.specific_action
    if len(new.action) > len(old.action) and new.specific_action:
        old.action = new.action
    old.participants = old.participants or new.participants
    old.purpose = old.purpose or new.purpose
    old.owner_name = old.owner_name or new.owner_name
    if changed:
        old.units = [new.unit]
    else:
        state(old, new.unit)


_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "to",
        "and",
        "of",
        "for",
        "with",
        "on",
        "in",
        "at",
        "by",
        "it",
        "this",
        "that",
        "you",
        "your",
        "our",
        "my",
        "we",
        "i",
        "me",
        "us",
        "them",
        "their",
        "over",
        "up",
    ]
)


def _similar(a: str, b: str) -> bool:
    wa = {w for w in re.findall(r"[a-z]+", a.lower()) if w not in _STOP}
    wb = {w for w in re.findall(r"[a-z]+", b.lower()) if w not in _STOP}
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.5
