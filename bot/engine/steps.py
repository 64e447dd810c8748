"""Find the next steps a conversation committed to.

One pass over the sentence units: each clause that commits someone to a forward step
becomes a draft; a later counter-proposal ("actually, can we do Thursday at 10?")
revises the draft it answers, and a restatement in the wrap-up merges into the step it
repeats. Later words override earlier ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.engine import lexicon as lx
from bot.engine.clauses import (
    Clause,
    is_specific_action,
    kind_of,
    owner_for,
    split_clauses,
    subject_of,
)
from bot.engine.model import Grain, Owner, Role, StepKind, TimeExpression, Trigger
from bot.engine.patterns import ci
from bot.engine.phrases import action_phrase, participants_of, purpose_of
from bot.engine.units import Unit

FindTimes = Callable[[Unit], list[TimeExpression]]

REVISION_REACH = 10  # units back a counter-proposal may answer
# Work per step is bounded, so a dense 5 MB input costs the same per word as a short one:
STATEMENTS_KEPT = 8  # a step's latest statements, where its acknowledgment is looked for
SUPERSEDED_KEPT = 8  # the first words a step overrode and the latest ones
RESTATE_REACH = 64  # drafts back a restatement is looked for
RECAP_REACH = 40  # "So to recap: ..." sums up the whole call
_RECAP_ONLY = ci(r"\b(?:to recap|recap|to sum up|to confirm|so to be clear|just to confirm)\b")
_YOU_FREE = ci(
    r"\b(?:could|can|would) you (?:do|make|manage|squeeze in)\b|\bare you (?:free|around|"
    r"available)\b|\bdoes .{0,30} work for you\b"
)
_OPTIONS = ci(r"\bor\b")
_PROPOSAL = ci(
    r"(?:\?\s*$|^\W*(?:how about|what about|would|does|do|can we|could we|are you free|"
    r"is|shall we|maybe|perhaps|proposed|suggested|offered|pencil(?:l?ed)? in)\b|\b(?:work for you|works for you|work on your end|"
    r"suit you|you free|good for you)\b)"
)
_INVITE_ONLY = ci(r"\b(?:send|sending|shoot)\b.{0,30}\b(?:invite|invitation|calendar hold|hold)\b")
_IN_CALL = ci(
    r"\b(?:right now|now|real quick|quickly|here|on (?:this|the) call|today on|at the moment)\b"
)
_STRONG_FUTURE = ci(
    r"\b(?:will|(?:'|’)ll|going to|gonna|let(?:'|’)s|shall|plan to|planning to|need to|"
    r"agreed to|promised to|to (?:send|share|review|schedule|book|call|follow)|"
    r"scheduled|booked|set for|on for|lock(?:ed)? in|pencil(?:led)? in|"
    r"can we|could we|should we|we should|can you|could you|would you|will you|"
    r"get (?:a|the|it|something) (?:\w+ )?set up)\b"
)


@dataclass
class Draft:
    kind: StepKind
    owner: Owner
    owner_name: str | None
    action: str
    specific_action: bool
    unit: Unit  # the latest words that state the step
    clause: str
    time: TimeExpression | None
    times: list[TimeExpression]
    trigger: Trigger | None = None
    weak_trigger: bool = False
    options: bool = False
    participants: list[str] = field(default_factory=list)
    purpose: str | None = None
    units: list[Unit] = field(default_factory=list)  # statements since the time last changed
    superseded: list[Unit] = field(default_factory=list)
    withdrawn: Unit | None = None  # later words that took the agreed time back

    @property
    def specific_time(self) -> bool:
        return self.time is not None and self.time.specific and not self.options


def detect(units: list[Unit], find_times: FindTimes) -> list[Draft]:
    drafts: list[Draft] = []
    for unit in units:
        if _skip_unit(unit):
            continue
        times = [t for t in find_times(unit) if not t.past]
        if not times and not lx.STEP_WORDS.search(unit.text):
            continue  # no step word and no time: nothing here can be a step
        for draft in _read_unit(unit, times, drafts):
            _add(draft, drafts)
    return _fold_scheduling(drafts)


FOLD_REACH = 4  # units between "let's meet again" and "I'll send calendar options"


def _fold_scheduling(drafts: list[Draft]) -> list[Draft]:
    """ "Let's meet again; I'll send calendar options by EOD" is one step: the scheduling
    commitment carries the meeting, so the undated meeting is not a step of its own."""
    scheduling = [
        d
        for d in drafts
        if d.kind in (StepKind.DELIVERABLE, StepKind.HOMEWORK)
        and lx.SCHEDULING_DELIVERABLE.search(d.clause)
    ]
    if not scheduling:
        return drafts
    near: dict[int, Draft] = {}  # unit index -> the first scheduling step said there
    for d in scheduling:
        near.setdefault(d.unit.index, d)
    kept: list[Draft] = []
    for draft in drafts:
        carrier = None
        if draft.kind == StepKind.MEETING and not draft.specific_time and draft.trigger is None:
            index = draft.unit.index
            carrier = next(
                (near[i] for i in range(index - FOLD_REACH, index + FOLD_REACH + 1) if i in near),
                None,
            )
        if carrier is not None:
            carrier.purpose = carrier.purpose or draft.action
            carrier.participants = carrier.participants or draft.participants
        else:
            kept.append(draft)
    return kept


def _skip_unit(unit: Unit) -> bool:
    text = unit.text
    if len(text) < 4:
        return True
    if lx.PLEASANTRY.match(text) and not _STRONG_FUTURE.search(text) and not lx.STALL.search(text):
        return True  # "Thanks!" but not "Thanks. Let me sit on the pricing."
    return lx.HYPOTHETICAL.search(text) is not None


def _read_unit(unit: Unit, times: list[TimeExpression], drafts: list[Draft]) -> list[Draft]:
    trigger = lx.TRIGGER.search(unit.text)
    if trigger and trigger.start() < len(unit.text) // 2:
        draft = _read_clause(unit, Clause(unit.text, 0, subject_of(unit.text)[0]), times, drafts)
        return [draft] if draft else []
    out: list[Draft] = []
    for clause in split_clauses(unit.text, spoken=unit.role != Role.UNKNOWN):
        end = clause.start + len(clause.text)
        clause_times = [t for t in times if clause.start <= t.start < end]
        if _withdraw(unit, clause.text, clause_times, drafts):
            continue
        if _revise(unit, clause.text, clause_times, drafts):
            continue
        draft = _read_clause(unit, clause, clause_times, drafts)
        if draft:
            out.append(draft)
        else:
            _open_meeting(unit, clause.text, clause_times, drafts)
    return out


def _read_clause(
    unit: Unit, clause: Clause, times: list[TimeExpression], drafts: list[Draft]
) -> Draft | None:
    text = clause.text
    subject = clause.subject
    if lx.LEAVING.search(text):
        return None
    if lx.OPEN_QUESTION.match(text) and not any(t.specific for t in times):
        return None
    under_heading = unit.heading is not None and lx.STEP_HEADING.search(unit.heading) is not None
    if subject == "none" and under_heading and unit.bullet:
        subject = "imperative"
    if subject == "none" and _OFFER_LEAD.match(text):
        subject = "i"  # "Happy to put together a case study if useful"
    if subject == "none" and unit.role == Role.UNKNOWN and lx.STALL.search(text):
        subject = "imperative"  # notes shorthand: "- Maybe revisit pricing in Q1"
    told = lx.STATED_ACK.sub("", text)  # "Sam said ok" confirms; it is not a past event
    if lx.PAST_CUE.search(told) and not lx.FUTURE_CUE.search(told) and not under_heading:
        return None
    kind = kind_of(text, subject, unit.role)
    if kind is None:
        return None
    if kind == StepKind.MEETING and _THEIR_MEETING.search(text):
        return None  # "before their Wednesday sync" is their own meeting, not one with us
    if _hedges_an_offer(unit, text, times, drafts):
        return None  # "Maybe, let me check and get back to you" answers the step, it is no step
    if not _commits(unit, text, subject, kind, times, under_heading):
        return None
    if _INVITE_ONLY.search(text) and _recent_meeting(unit, drafts, timed=True):
        return None  # "I'll send the invite now" locks in the meeting just agreed
    trigger, weak = _trigger_of(text, times)
    owner = owner_for(subject, unit.role, kind, text)
    if trigger is not None:
        owner = Owner.BOTH if kind == StepKind.MEETING else owner
    step_times = [t for t in times if trigger is None or t.window is None]
    time = _choose_time(step_times)
    return Draft(
        kind=kind,
        owner=owner,
        owner_name=clause.owner_name,
        action=action_phrase(text, kind, [_shift(t, clause.start) for t in times]),
        specific_action=is_specific_action(text),
        unit=unit,
        clause=text,
        time=time,
        times=step_times,
        trigger=trigger,
        weak_trigger=weak,
        options=_has_options(text, step_times),
        participants=participants_of(text),
        purpose=purpose_of(text),
        units=[unit],
    )


ANSWER_REACH = 3  # units after a proposal in which a hedge is the answer to it


def _hedges_an_offer(
    unit: Unit, text: str, times: list[TimeExpression], drafts: list[Draft]
) -> bool:
    if unit.role != Role.COUNTERPART or not lx.HEDGE.search(text):
        return False
    if any(t.specific for t in times):
        return False
    for draft in reversed(drafts):
        if unit.index - draft.unit.index > ANSWER_REACH:
            return False
        if draft.unit.role not in (unit.role, Role.UNKNOWN):
            return True
    return False


def _shift(time: TimeExpression, offset: int) -> TimeExpression:
    return replace(time, start=time.start - offset, end=time.end - offset)


def _ahead(time: TimeExpression, unit: Unit) -> bool:
    """A time after the day the words were said ("Demo Tue 2p"), not the call's own date."""
    if not time.specific or time.value is None:
        return False
    said = unit.at.astimezone(time.value.tzinfo)
    if time.has_time_of_day:
        return time.value > said and (
            time.value.date() > said.date() or time.value.hour >= 12 > said.hour
        )
    return time.value.date() > said.date()


_AGENDA = ci(
    r"\blet(?:'|’)s (?:talk|chat|start|begin|dive|jump|get|look|go|walk|discuss|review|cover|"
    r"focus|spend|take|hear|see|pull up|open|switch|move on|turn)\b(?!.*\b(?:again|next|"
    r"another|soon|later|reconnect|touch base|catch up|meet|schedule|book|set up)\b)"
)
_RECAP = ci(
    r"\b(?:to recap|recap|so that(?:'|’)s|so we(?:'|’)re|we(?:'|’)re (?:set|on)|it is|it(?:'|’)s a date|"
    r"locked in|confirmed for|see you|that works|works for me|works for us|works)\b"
)
_THEIR_MEETING = ci(
    r"\b(?:their|his|her|the panel(?:'|’)s|the board(?:'|’)s)\s+(?:\w+\s+){0,2}?"
    r"(?:sync|meeting|standup|offsite|board meeting|call|review|session)\b"
)
# Words that settle a day between two people: "Let's do Wednesday then", "Say Tuesday?"
_SETTLES = ci(
    r"^\W*(?:so\s+|ok(?:ay)?,?\s+|great,?\s+)?(?:let(?:'|’)s (?:do|say|go with|make it|aim for|plan on|"
    r"pencil in|lock in)|how about|what about|shall we say|say|maybe)\b"
)
_OFFER_LEAD = ci(r"^\W*(?:(?:and|also|oh|btw),?\s+)?(?:happy|glad|more than happy) to\b")
_NEXT_MEETING = ci(
    r"\bnext\s+(?:\w+[- ])?(?:meeting|call|session|sit[- ]down|check[- ]in|sync|mtg|"
    r"catch[- ]up|review|interview|round|touchpoint|step)\b"
)
_REQUEST = ci(r"^(?:\w+[,.!]\s+)?(?:can|could|would|will) you\b")


def _commits(
    unit: Unit,
    text: str,
    subject: str,
    kind: StepKind,
    times: list[TimeExpression],
    under_heading: bool,
) -> bool:
    """Whether the clause commits to a future step rather than describing the present."""
    if under_heading and subject in ("imperative", "i", "we", "you", "third"):
        return True
    has_time = bool(times)
    if subject == "none":
        if kind == StepKind.MEETING and (
            lx.UNSCHEDULED.search(text) is not None or _NEXT_MEETING.search(text) is not None
        ):
            return True  # "Next sit-down tbd": a meeting still to be fixed
        return (
            kind == StepKind.MEETING
            and lx.MEETING_STRONG.search(text) is not None
            and any(_ahead(t, unit) for t in times)
        )
    if lx.STALL.search(text) and not lx.OPEN_QUESTION.match(text):
        return True  # "let me sit on the pricing and get back to you": a stall is a step
    if (
        lx.OFFER.search(text)
        and unit.role != Role.COUNTERPART
        and kind in (StepKind.DELIVERABLE, StepKind.MEETING, StepKind.CALLBACK)
    ):
        return True  # an offer on the table: a step the other side must take up
    if subject == "you" and _REQUEST.match(text.strip()) and not has_time:
        return False  # "Can you read me the IPv4 address?" is asked for now, not committed
    if (
        unit.role == Role.COUNTERPART
        and lx.HEDGE.search(text)
        and not any(t.specific for t in times)
    ):
        return False  # "I'll try, no promises" commits to nothing
    if subject == "imperative":
        return has_time or kind == StepKind.DELIVERABLE or lx.SCHEDULING.search(text) is not None
    triggered = lx.TRIGGER.search(text) is not None
    if _IN_CALL.search(text) and not has_time and not triggered:
        return False
    if _AGENDA.search(text) and not has_time and not triggered:
        return False  # "Let's talk about the proposal" sets the agenda of this call
    return (
        has_time or _STRONG_FUTURE.search(text) is not None or lx.TRIGGER.search(text) is not None
    )


def _trigger_of(text: str, times: list[TimeExpression]) -> tuple[Trigger | None, bool]:
    if lx.WEAK_TRIGGER.search(text):
        match = lx.WEAK_TRIGGER.search(text)
        assert match is not None
        return Trigger(condition=text[match.start() : match.end()]), True
    match = lx.TRIGGER.search(text)
    if match is None:
        return None, False
    condition = text[match.start("condition") : match.end("condition")].strip()
    cue = text[match.start("cue") : match.end("cue")]
    if any(t.start >= match.start("condition") and t.end <= match.end("condition") for t in times):
        return None, False  # "after Tuesday's call" is a time, not a trigger
    window = next((t for t in times if t.window is not None), None)
    response = text[match.end() :].strip(" ,.;") or None
    return (
        Trigger(
            condition=f"{cue} {condition}",
            response=response,
            window=window.window if window else None,
            window_text=window.text if window else None,
        ),
        False,
    )


_CLOCK_ONLY = ci(
    r"^(?:at|by|around|about|@|from)?\s*(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m?\.?)?|noon|midday)"
    r"(?:\s+[A-Za-z]{1,8})?$"
)


def _clock_only(time: TimeExpression) -> bool:
    return time.has_time_of_day and _CLOCK_ONLY.match(time.text.strip()) is not None


def _combine(times: list[TimeExpression]) -> list[TimeExpression]:
    """ "Jan 11 at Lakeshore Title, 1pm": a day and a separate clock time make one moment."""
    days = [t for t in times if t.specific and t.grain == Grain.DAY and t.value is not None]
    clocks = [t for t in times if _clock_only(t) and t.value is not None]
    if len(days) != 1 or len(clocks) != 1:
        return times
    day, clock = days[0], clocks[0]
    assert day.value is not None and clock.value is not None
    moment = datetime.combine(day.value.date(), clock.value.timetz().replace(tzinfo=None))
    value = moment.replace(tzinfo=day.value.tzinfo)
    merged = replace(
        day,
        text=f"{day.text} {clock.text}",
        end=max(day.end, clock.end),
        value=value,
        grain=Grain.MINUTE,
        deadline=day.deadline or clock.deadline,
    )
    return [merged if t is day else t for t in times if t is not clock]


def _choose_time(times: list[TimeExpression]) -> TimeExpression | None:
    if not times:
        return None
    specific = [t for t in times if t.specific]
    if specific:
        timed = [t for t in specific if t.has_time_of_day]
        return (timed or specific)[-1] if len(specific) > 1 else specific[0]
    return times[0]


def _has_options(text: str, times: list[TimeExpression]) -> bool:
    specific = [t for t in times if t.specific]
    if len(specific) < 2:
        return False
    between = text[specific[0].end : specific[1].start]
    return _OPTIONS.search(between) is not None


def _recent_meeting(
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


def _revise(unit: Unit, text: str, times: list[TimeExpression], drafts: list[Draft]) -> bool:
    """A bare time proposal or counter-proposal revises the meeting it answers."""
    specific = [t for t in times if t.specific]
    if not specific:
        return False
    if not lx.DECLINE.search(text) and _choose_option(unit, specific, drafts):
        return True
    cue = _PROPOSAL.search(text) or lx.COUNTER.search(text) or _RECAP.search(text)
    if not cue:
        return False
    if lx.DECLINE.search(text):
        return False  # "No, Monday doesn't work" refuses the time; it proposes none
    subject, _ = subject_of(text)
    new_kind = kind_of(text, subject, unit.role)
    if new_kind not in (None, StepKind.MEETING, StepKind.CALLBACK):
        return False
    chosen = _choose_time(specific)
    assert chosen is not None
    confirmed = _same_time_draft(unit, chosen, drafts)
    if confirmed is not None:
        _restate(confirmed, unit)
        return True
    reach = RECAP_REACH if _RECAP_ONLY.search(text) else REVISION_REACH
    target = _recent_meeting(unit, drafts, timed=False, reach=reach)
    if target is None:
        return False
    if new_kind is not None and not _same_meeting(target, text):
        return False
    if _clock_only(chosen) and target.time is not None and target.time.value is not None:
        chosen = _combine([target.time, chosen])[0]  # "yes, 11 works" keeps the agreed day
        specific = [chosen]
    if target.time is not None and not target.options and _same_time(target.time, chosen):
        _restate(target, unit)
        return True
    _supersede(target)
    target.unit = unit
    target.withdrawn = None
    target.time = chosen
    target.times = specific
    target.options = _has_options(text, specific)
    target.units = [unit]
    return True


def _withdraw(unit: Unit, text: str, times: list[TimeExpression], drafts: list[Draft]) -> bool:
    """ "Actually, let's drop Tuesday, I'll come back to you": the agreed time is taken back,
    so the step it fixed is no longer agreed (later words win). A new time in the same
    words ("push it back to Friday at 3") is a revision, not a withdrawal."""
    if not lx.WITHDRAWAL.search(text):
        return False
    target = _recent_meeting(unit, drafts, timed=True)
    if target is None or target.time is None:
        return False
    if any(t.specific and not _same_time(target.time, t) for t in times):
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
        days = {t.value.date() for t in specific if t.value is not None}
        picked = [t for t in draft.times if t.value is not None and t.value.date() in days]
        if len(picked) != 1:
            return False
        _supersede(draft)
        draft.unit = unit
        draft.time = picked[0]
        draft.times = picked
        draft.options = False
        draft.units = [unit]
        return True
    return False


def _open_meeting(unit: Unit, text: str, times: list[TimeExpression], drafts: list[Draft]) -> bool:
    """ "How about Wednesday at 12:30?" proposes a meeting even when no noun names it."""
    specific = [t for t in times if t.specific]
    chosen = _choose_time(specific)
    if chosen is None or chosen.deadline:
        return False
    if not chosen.has_time_of_day and not _SETTLES.search(text):
        return False
    subject, _ = subject_of(text)
    proposal_to_you = subject == "you" and _YOU_FREE.search(text) is not None
    if (subject not in ("none", "we") and not proposal_to_you) or kind_of(
        text, subject, unit.role
    ) not in (None, StepKind.MEETING, StepKind.HOMEWORK):
        return False
    if not (_PROPOSAL.search(text) or _RECAP.search(text)):
        return False
    drafts.append(
        Draft(
            kind=StepKind.MEETING,
            owner=Owner.BOTH,
            owner_name=None,
            action=_meeting_noun(text),
            specific_action=True,
            unit=unit,
            clause=text,
            time=chosen,
            times=specific,
            options=_has_options(text, specific),
            units=[unit],
        )
    )
    return True


def _meeting_noun(text: str) -> str:
    noun = lx.MEETING_STRONG.search(text)
    return noun.group(0).lower() if noun else "meet"


def _same_time_draft(unit: Unit, time: TimeExpression, drafts: list[Draft]) -> Draft | None:
    """The recent step whose time these words repeat ("Yes, first thing Monday")."""
    for draft in reversed(drafts):
        if unit.index - draft.unit.index > REVISION_REACH:
            break
        if draft.time is not None and draft.specific_time and _same_time(draft.time, time):
            return draft
    return None


def _restate(draft: Draft, unit: Unit) -> None:
    """The same step said again: the newest words become its evidence."""
    _state(draft, unit)
    _supersede(draft)
    draft.unit = unit


def _same_time(old: TimeExpression, new: TimeExpression) -> bool:
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


def _add(draft: Draft, drafts: list[Draft]) -> None:
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
    _supersede(old)
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
        _state(old, new.unit)


def _state(draft: Draft, unit: Unit) -> None:
    draft.units.append(unit)
    if len(draft.units) > STATEMENTS_KEPT:
        del draft.units[0]


def _supersede(draft: Draft) -> None:
    """Keep the first words the step overrode and the latest ones, never an unbounded list."""
    draft.superseded.append(draft.unit)
    if len(draft.superseded) > SUPERSEDED_KEPT:
        del draft.superseded[1]


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
