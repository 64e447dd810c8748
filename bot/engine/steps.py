"""Find the next steps a conversation committed to.

One pass over the sentence units: each clause that commits someone to a forward step
becomes a draft; later words override earlier ones (``revisions``): a counter-proposal
revises the draft it answers, and a restatement in the wrap-up merges into the step it
repeats.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.engine import lexicon as lx
from bot.engine.clauses import (
    Clause,
    is_specific_action,
    kind_of,
    owner_for,
    split_clauses,
    subject_of,
)
from bot.engine.drafts import Draft, choose_time, has_options
from bot.engine.model import Grain, Owner, Role, StepKind, TimeExpression, Trigger
from bot.engine.patterns import ci
from bot.engine.phrases import action_phrase, participants_of, purpose_of
from bot.engine.revisions import PROPOSAL, RECAP, add, recent_meeting, revise, withdraw
from bot.engine.units import Unit

__all__ = ["Draft", "FindTimes", "detect"]

FindTimes = Callable[[Unit], list[TimeExpression]]

_YOU_FREE = ci(
    r"\b(?:could|can|would) you (?:do|make|manage|squeeze in)\b|\bare you (?:free|around|"
    r"available)\b|\bdoes .{0,30} work for you\b"
)
# Notes that open on a reported promise, perhaps after a name: "Zoe said she'd call me".
_REPORTED_LEAD = ci(r"^\W*(?:[a-z]+\s+)?" + lx.REPORTED_THEIR_PROMISE.pattern)
# Someone's words quoted in a turn: "wraps up with "Let's touch base"", "says 'I'll call'".
_QUOTE_OPENS = ci(
    r"\b(?:with|say|says|said|saying|like|goes|go|write|writes|wrote|ask|asks|asked)\s*[,:]?\s*"
    r"[\"“‘]"
)
_JOINT_LEAD = ci(
    r"\b(?:let(?:'|’)s|let us|shall we|can we|could we|how about we|what about we|"
    r"why don(?:'|’)t we)\b"
)


def _quoted_only(text: str) -> bool:
    """The clause's commitment is inside a quotation it reports, not the speaker's own."""
    opening = _QUOTE_OPENS.search(text)
    return opening is not None and not _STRONG_FUTURE.search(text[: opening.start()])


# The invite, or the link, dial-in or address of a meeting just agreed: part of it.
_INVITE_ONLY = ci(
    r"\b(?:send|sending|shoot|drop|text|share)\b.{0,30}\b(?:invite|invitation|calendar hold|"
    r"hold|(?:zoom|teams|meet|meeting|video|call|bridge|webex) (?:link|details|info)|"
    r"dial[- ]in(?: details| number)?|bridge|address|directions)\b"
)
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


def detect(units: list[Unit], find_times: FindTimes) -> list[Draft]:
    drafts: list[Draft] = []
    for unit in units:
        if _skip_unit(unit):
            continue
        times = [t for t in find_times(unit) if not t.past]
        if not times and not lx.STEP_WORDS.search(unit.text):
            continue  # no step word and no time: nothing here can be a step
        for draft in _read_unit(unit, times, drafts):
            add(draft, drafts)
    return _bring_to_meeting(_fold_scheduling(drafts))


def _bring_to_meeting(drafts: list[Draft]) -> list[Draft]:
    """ "Tuesday at 10 it is. Bring your payslips.": what is brought is due the day of the
    meeting it is brought to, the nearest one said with a day within ``FOLD_REACH`` units."""
    meetings = [d for d in drafts if d.kind == StepKind.MEETING and d.specific_time]
    for draft in drafts:
        if draft.time is not None or not lx.BRING_ALONG.search(draft.clause):
            continue
        if draft.kind not in (StepKind.HOMEWORK, StepKind.DELIVERABLE):
            continue
        near = [m for m in meetings if abs(m.unit.index - draft.unit.index) <= FOLD_REACH]
        if near:
            meeting = min(near, key=lambda m: abs(m.unit.index - draft.unit.index))
            assert meeting.time is not None
            day = replace(meeting.time, grain=Grain.DAY, deadline=False)
            draft.time, draft.times = day, [day]
    return drafts


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
        if withdraw(unit, clause.text, clause_times, drafts):
            continue
        if revise(unit, clause.text, clause_times, drafts):
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
    if subject == "none" and unit.role == Role.UNKNOWN and _REPORTED_LEAD.match(text):
        subject = "third"  # notes: "said she'd call me Mon AM", their promise
    if subject == "none" and unit.role == Role.UNKNOWN and lx.STALL.search(text):
        subject = "imperative"  # notes shorthand: "- Maybe revisit pricing in Q1"
    told = lx.STATED_ACK.sub("", text)  # "Sam said ok" confirms; it is not a past event
    told = _REPORTED_PAST.sub("", told)  # "tell me how it went by Fri" asks for a report
    told = _PARTICIPLE.sub("", told)  # "email me the signed copy": an adjective, not the past
    told = lx.REPORTED_PROMISE.sub("will", told)  # "said I'd send it Mon" is a promise
    if unit.role == Role.UNKNOWN:
        told = lx.REPORTED_THEIR_PROMISE.sub("will", told)  # notes: "she said she'd think"
    if lx.PAST_CUE.search(told) and not lx.FUTURE_CUE.search(told) and not under_heading:
        return None
    if unit.role != Role.UNKNOWN and _quoted_only(text):
        return None  # 'Everyone wraps up with "Let's touch base next week."': an example
    kind = kind_of(text, subject, unit.role)
    if kind is None and _JOINT_LEAD.search(text) and any(t.has_time_of_day for t in times):
        kind = StepKind.MEETING  # "let's practise the close on Friday at 9": an appointment
    if kind is None and under_heading and unit.bullet and times:
        # A dated bullet under "Agreed next steps:" is a step even when its verb is not one
        # the lexicon knows ("I re-run the CMA by Wed"): the heading says so.
        kind = StepKind.HOMEWORK if subject in ("third", "you") else StepKind.DELIVERABLE
    if kind is None:
        return None
    if kind == StepKind.MEETING and _THEIR_MEETING.search(text):
        return None  # "before their Wednesday sync" is their own meeting, not one with us
    if kind == StepKind.MEETING and _OWN_APPOINTMENT.search(text) and not _WITH_US.search(text):
        return None  # "I have a standup at 9:30", "I present at the board meeting on the 15th"
    if _BRINGS_SOMEONE.search(text) and (
        kind == StepKind.DELIVERABLE
        or (kind == StepKind.HOMEWORK and recent_meeting(unit, drafts, timed=False))
    ):
        return None  # "Works. I'll bring Janelle from finance.": who comes, not what is sent
    if _reports_on_trigger(unit, text, drafts):
        return None  # "Great, will tell you as soon as it's through" answers the trigger step
    if _hedges_an_offer(unit, text, times, drafts):
        return None  # "Maybe, let me check and get back to you" answers the step, it is no step
    if not _commits(unit, text, subject, kind, times, under_heading):
        return None
    if _INVITE_ONLY.search(text) and recent_meeting(unit, drafts, timed=True):
        return None  # "I'll send the invite now" locks in the meeting just agreed
    trigger, weak = _trigger_of(text, times)
    owner = owner_for(subject, unit.role, kind, text)
    if trigger is not None:
        owner = Owner.BOTH if kind == StepKind.MEETING else owner
    step_times = _outside_asides(text, [t for t in times if trigger is None or t.window is None])
    time = choose_time(step_times)
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
        options=has_options(text, step_times),
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
    if lx.DELIBERATE.search(text) and lx.REVISIT.search(text):
        return False  # "Let me sit on the pricing and get back to you" is a stall, still a step
    if _promises_an_answer(text):
        return False  # "Tuesday might be tricky. I'll let you know.": a callback still owed
    if any(t.specific for t in times):
        return False
    for draft in reversed(drafts):
        if unit.index - draft.unit.index > ANSWER_REACH:
            return False
        if draft.unit.role not in (unit.role, Role.UNKNOWN):
            return True
    return False


def _promises_an_answer(text: str) -> bool:
    """The speaker owes the other side an answer: "I'll let you know", "let me look at the
    week and get back to you". Unsecured (no time), but a step someone can be nudged on."""
    return subject_of(text)[0] == "i" and lx.ANSWER_OWED.search(text) is not None


def _reports_on_trigger(unit: Unit, text: str, drafts: list[Draft]) -> bool:
    """The other side's promise to say when the trigger has happened: their half of a
    trigger-based step said just before, not a step of its own."""
    if not (lx.REPORT_BACK.search(text) and lx.TRIGGER_CUE.search(text)):
        return False
    for draft in reversed(drafts):
        if unit.index - draft.unit.index > ANSWER_REACH:
            return False
        if draft.trigger is not None and not draft.weak_trigger and draft.unit.role != unit.role:
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
    r"another|soon|later|reconnect|touch base|catch up|meet|schedule|book|set up|calendars?)\b)"
)
# One speaker's own appointment, said in the first person: their calendar, not a step.
_OWN_APPOINTMENT = ci(
    r"^\W*(?:(?:and|but|also|well|actually|plus),?\s+)?i(?:\s+(?:also|already|still))?\s*"
    r"(?:'ve got|'ve|have got|have|'m|am|present|speak|'m presenting|am presenting|'m speaking|"
    r"am speaking|'m flying|am flying)\s+(?:to\s+)?(?:at|in|to|a|an)?\s*(?:a|an|the|our|my)?\s*"
    r"(?:[\w-]+\s+){0,3}?(?:standup|stand-up|meeting|offsite|off-site|conference|sync|session|"
    r"appointment|presentation|trip|board meeting|all-hands|town hall|workshop|call|calls)\b"
)
_WITH_US = ci(r"\b(?:with|for) (?:you|us)\b")
_ASIDE = re.compile(r"\([^()]*\)")


def _outside_asides(text: str, times: list[TimeExpression]) -> list[TimeExpression]:
    """ "sends the SOW Friday (has to land before Dec 12)": a time in parentheses is an
    aside about something else when a specific time is said outside them."""
    asides = [m.span() for m in _ASIDE.finditer(text)]
    if not asides:
        return times
    outside = [t for t in times if not any(a <= t.start < b for a, b in asides)]
    return outside if any(t.specific for t in outside) else times


_THEIR_MEETING = ci(
    r"\b(?:their|his|her|the panel(?:'|’)s|the board(?:'|’)s)\s+(?:\w+\s+){0,2}?"
    r"(?:sync|meeting|standup|offsite|board meeting|call|review|session)\b"
)
# Words that settle a day between two people: "Let's do Wednesday then", "Say Tuesday?"
_SETTLES = ci(
    r"^\W*(?:so\s+|ok(?:ay)?,?\s+|great,?\s+)?(?:let(?:'|’)s (?:do|say|go with|make it|aim for|plan on|"
    r"pencil in|lock in)|how about|what about|shall we say|say|maybe)\b"
)
_BRINGS_SOMEONE = re.compile(
    r"\b(?:bring|brings|bringing)\s+(?:along\s+)?(?:[A-Z][a-z]+\b|(?:my|our)\s+(?:boss|manager|"
    r"colleague|partner|wife|husband|cfo|cto|ceo|coo|team|lawyer|accountant|contractor|"
    r"director|lead)\b)"
)
_PARTICIPLE = ci(r"\b(?:the|a|an|their|our|your|his|her|my|its) (?:signed|sent|reviewed|shared)\b")
_REPORTED_PAST = ci(
    r"\b(?:how|what|whether) (?:it|that|this|things|they|she|he|the \w+) (?:went|was|were|"
    r"turned out|landed|happened)\b|\bwhat happened\b"
)
_OFFER_LEAD = ci(r"^\W*(?:(?:and|also|oh|btw),?\s+)?(?:happy|glad|more than happy) to\b")
_NEXT_MEETING = ci(
    r"\bnext\s+(?:\w+[- ])?(?:meeting|call|session|sit[- ]down|check[- ]in|sync|mtg|"
    r"catch[- ]up|review|interview|round|touchpoint|step)\b"
)
_AVAILABLE = ci(
    r"\b(?:i|we) (?:can|could) do\b|\b(?:i|we)(?:(?:'|’)m| am|(?:'|’)re| are) (?:free|around|"
    r"available)\b|\b(?:i|we) have (?:openings|slots|time)\b"
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
        if kind == StepKind.MEETING and lx.PROPOSAL_LEAD.match(text):
            return True  # notes: "proposed training refresher for branch staff"
        return (
            kind == StepKind.MEETING
            and lx.MEETING_STRONG.search(text) is not None
            and any(_ahead(t, unit) for t in times)
        )
    if (
        unit.role == Role.UNKNOWN
        and subject == "third"
        and kind != StepKind.MEETING
        and not lx.WISH.search(text)
    ):
        return True  # notes give the other side a task: "Anke also sending updated payslip"
    if lx.REPORTED_PROMISE.search(text) or (
        unit.role == Role.UNKNOWN and lx.REPORTED_THEIR_PROMISE.search(text)
    ):
        return True  # "said I'd send some info over": the notes report a promise
    if lx.STALL.search(text) and not lx.OPEN_QUESTION.match(text):
        return True  # "let me sit on the pricing and get back to you": a stall is a step
    if (
        lx.OFFER.search(text)
        and unit.role != Role.COUNTERPART
        and kind in (StepKind.DELIVERABLE, StepKind.MEETING, StepKind.CALLBACK)
    ):
        return True  # an offer on the table: a step the other side must take up
    if (
        subject == "you"
        and kind == StepKind.HOMEWORK
        and unit.role == Role.REP
        and subject_of(lx.POLITE_TAIL.sub("", text))[0] == "imperative"
    ):
        return True  # "Between now and then, journal the three conversations": homework set
    if subject == "you" and _REQUEST.match(text.strip()) and not has_time:
        return False  # "Can you read me the IPv4 address?" is asked for now, not committed
    if (
        unit.role == Role.COUNTERPART
        and lx.HEDGE.search(text)
        and not any(t.specific for t in times)
    ):
        # "I'll try, no promises" commits to nothing; "I'll let you know" owes an answer
        return _promises_an_answer(text)
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


def _open_meeting(unit: Unit, text: str, times: list[TimeExpression], drafts: list[Draft]) -> bool:
    """ "How about Wednesday at 12:30?" proposes a meeting even when no noun names it."""
    specific = [t for t in times if t.specific]
    chosen = choose_time(specific)
    if chosen is None or chosen.deadline:
        return False
    if not chosen.has_time_of_day and not _SETTLES.search(text):
        return False
    subject, _ = subject_of(text)
    proposal_to_you = subject == "you" and _YOU_FREE.search(text) is not None
    # "I can do Monday at 9 or Thursday at 3": the speaker's free times, offered
    offered = has_options(text, specific) and _AVAILABLE.search(text) is not None
    if (subject not in ("none", "we") and not proposal_to_you and not offered) or kind_of(
        text, subject, unit.role
    ) not in (None, StepKind.MEETING, StepKind.HOMEWORK):
        return False
    if not (PROPOSAL.search(text) or RECAP.search(text) or offered):
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
            options=has_options(text, specific),
            units=[unit],
        )
    )
    return True


def _meeting_noun(text: str) -> str:
    noun = lx.MEETING_STRONG.search(text)
    return noun.group(0).lower() if noun else "meet"
