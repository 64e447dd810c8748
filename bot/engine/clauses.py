"""Read one clause: who commits, to what kind of step, with which words.

A sentence can hold several steps ("I'll send the proposal Monday and we'll review it
Wednesday at 2pm"), so sentences are cut into clauses where a new subject takes over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.engine import lexicon as lx
from bot.engine.model import Owner, Role, StepKind
from bot.engine.patterns import ci

# The same clause is read several times (split, revision, proposal): pure functions of
# their text, so each is worked out once. Bounded, so memory stays flat on any input.
CACHED_SENTENCES = 4096

_CLAUSE_SPLIT = ci(
    r"(?:;\s+|\s+(?:->|→|=>)\s+|,?\s+and then\s+|,\s+then\s+|\.\s+then\s+|,?\s+and\s+(?=(?:i|we|you|they|she|he)"
    r"(?:'|’)?(?:ll| will| can| are| am|'re| to)\b|let(?:'|’)s\b|[A-Z][a-z]+ (?:will|to)\b)"
    r"|,?\s+and\s+(?=(?:could|can|shall|should|would|will) (?:we|you|i)\b)"
    r"|,\s+and\s+(?=(?:then\s+)?(?:on\s+)?(?:mon|tue|wed|thu|fri|sat|sun|tomorrow|next\b|"
    r"the \d|\d))"
    r"|,\s+(?=(?:i|we|you)(?:'|’)ll\b|i will\b|we will\b))"
)
_IMPERATIVE = ci(
    r"^\s*(?:[-*•·]\s*|\d{1,2}[.)]\s*|\[[ xX]?\]\s*)?(?:(?:ns|next steps?|todo|to do|action|"
    r"ai|agreed)\s*[:\-–]\s*)?(?:(?:and|so|also|then|before then|in the meantime|meanwhile|"
    r"before (?:we (?:meet|talk|speak) again|(?:our|the) next (?:session|call|meeting))|"
    r"between now and then|until then|for next time|before next time|"
    r"this week|over the weekend|tonight|tomorrow)[,\s]+)*(?:(?:i|we)\s+)?(?P<verb>fill in|"
    r"fill out|complete|try|read|jot|write down|think about|pull|gather|collect|upload|install|"
    r"email|send|share|email|forward|draft|prepare|"
    r"schedule|book|set up|setup|arrange|organi[sz]e|call(?!\s*(?:w/|with\b|:|,|-|–))|phone|"
    r"ring|f/u|follow[- ]up|followup|demo(?!\s*(?:w/|with\b|:|,|-|–))|meet|review|"
    r"introduce|intro(?!\s*(?:call|mtg|meeting|chat|session)\b|\s*:)|loop in|confirm|finali[sz]e|get|put together|"
    r"circle back|touch base|reconnect|check in|catch up|ping|text|invite|deliver|"
    r"write up|pull together|mail|drop off|show|walk through|present|run|journal|bring|notice|"
    r"practi[cs]e|reflect|track|list|write)\b(?!:)"
)
_NAMED_SUBJECT = re.compile(
    r"^\s*(?:[-*•·]\s*)?(?:(?:agreed|ns|next steps?|action|todo|ai|confirmed)\s*[:\-–]\s*)?"
    r"(?P<name>[A-Z][a-zA-Z]+(?: [A-Z][a-zA-Z]+)?)\s+(?:will|to|is going to|"
    r"agreed to|promised to|needs to|said (?:she|he|they)(?:'|’)?(?:d| would| will))\s",
)
_PRONOUN_SUBJECT = ci(
    r"\b(?P<who>she|he|they|client|customer|candidate|cand|buyer|buyers|prospect|seller|sellers|"
    r"tenant|user|caller|coachee|hiring manager)(?:'|’)?(?:ll| will| to| is going to| agreed to| "
    r"promised to| needs to| said (?:she|he|they)(?:'|’)?(?:d| would| will))\b"
)
# The other side named by role, in the present tense notes use: "Sellers decide on price
# + ring me by Fri", "user reproduces w/ logging on".
_ROLE_PRESENT = ci(
    r"^\s*(?:[-*•·]\s*)?(?:\d{1,2}:\d\d\s*[-–]\s*)?(?:the\s+)?(?P<who>sellers?|buyers?|"
    r"clients?|customers?|users?|candidates?|tenants?|landlords?|owners?|prospects?|"
    r"coachees?|hiring managers?|callers?)\s+(?:decide|check|send|review|confirm|test|try|"
    r"tries|call|ring|email|reply|get back|come back|talk|sign|think|reproduce|share|pull|"
    r"gather|run|look|read|fill|complete)(?:s|es)?\b"
)
# A notes label that gives the line to the other side: "homework:", "HW -", "client to do:".
_THEIR_TASK = ci(
    r"^\s*(?:[-*•·]\s*)?(?:home ?work|hw|assignment|their (?:side|homework|action)|"
    r"(?:client|customer|candidate|user|buyer|seller|tenant|coachee)(?: to ?do| action)?)"
    r"\s*[:\-–]\s"
)
_YOU_RECEIVE = ci(
    r"\byou(?:'|’)ll (?:have|get|receive|see) (?:it|them|the|our|my|a|an|those|that|this)\b"
)
# Notes shorthand for the rep's own commitments: "Will send CMA Mon", "Sending JD tonight",
# "I send the SSO guide EOD", "Booked next session for Mon".
_NOTES_SELF = ci(
    r"^\s*(?:[-*•·]\s*)?(?:(?:i\s+)?will\s+\w+|(?:sending|booking|scheduling|setting up|"
    r"following up|calling|emailing|sharing|drafting|preparing|putting together|arranging|"
    r"organi[sz]ing|confirming|getting)\b|i (?:send|call|email|share|book|schedule|draft|"
    r"prepare|follow up|confirm|set up)\b|(?:booked|scheduled|set up|arranged|confirmed|"
    r"locked in|pencilled in|penciled in)\b)"
)
# Notes with the subject left out: "Agreed to meet again in two weeks" (both sides),
# "Wants to circle back after the holidays" (the counterpart).
_NOTES_BOTH = ci(
    r"^\s*(?:[-*•·]\s*)?(?:(?:both |mutually )?agreed to|we agreed to|(?:both|mutually) agreed)\b"
)
_NOTES_THEY = ci(
    r"^\s*(?:[-*•·]\s*)?(?:wants|needs|plans|hopes|intends|promised|is going|prefers|"
    r"would like|asked) to\b"
)
# "Rahul sends last 90 days of volumes", "she sends me the case study EOW".
_NAMED_PRESENT = re.compile(
    r"^\s*(?:[-*•·]\s*)?(?:(?:agreed|ns|next steps?|action|todo|ai|confirmed)\s*[:\-–]\s*)?"
    r"(?P<name>[A-Z][a-zA-Z]+|[Ss]he|[Hh]e|[Tt]hey|(?:[Tt]heir|[Hh]is|[Hh]er) [a-z]+(?: [a-z]+)?)"
    r"\s+(?:also\s+)?(?:sends|sending|emails|calls|"
    r"reviews|confirms|gets back|books|signs|decides|shares|checks|talks|reads|fills|completes|"
    r"tries|tests|gathers|collects|pulls|brings|runs|asks|looks|loops|intros|introduces|"
    r"replies|responds|reports back|lets (?:me|us) know|rings|texts|pings|"
    r"follows up|circles back|thinks|wants to|will|to)\b",
)
_NOT_NAMES = {
    "Next", "Then", "Also", "Plan", "Call", "Demo", "Meeting", "Team", "Everyone", "Both",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "We",
    "They", "She", "He", "I", "You", "It", "This", "That", "Action", "Todo", "Note",
    "Want", "Wants", "Need", "Needs", "Hope", "Hopes", "Going", "Trying", "Tried", "Agreed",
    "Confirmed", "Promised", "Asked", "Said", "Will", "Would", "Should", "Could", "Likes",
    "Prefers", "Plans", "Happy", "Keen", "Ready", "Due", "Waiting", "Proposed", "Sending",
    "So", "And", "But", "Or", "Just", "Okay", "Ok", "Great", "Yes", "Yeah", "Sure", "Perfect",
    "Good", "Fine", "Well", "Now", "Today", "Tomorrow", "Tonight", "Remember", "Back",
    "Time", "Hard", "Easy", "Nice", "Lovely", "Thanks", "Thank", "Right", "Alright",
}  # fmt: skip


# A notes line that opens with a short label or report and a colon ("Update 3/3: ...",
# "spoke to user this am: ..."); times of day ("10:30") are no colon of this kind.
_NOTES_LABEL = re.compile(r"^(?P<label>[^:\n]{2,40}?(?:[^\d\s]|\d/\d{1,2})):\s+(?=\S)")


@dataclass(frozen=True)
class Clause:
    text: str
    start: int  # offset in the sentence
    subject: str  # "i", "we", "you", "third", "imperative", "none"
    owner_name: str | None = None


@lru_cache(maxsize=CACHED_SENTENCES)
def split_clauses(sentence: str, *, spoken: bool = False) -> tuple[Clause, ...]:
    """Clauses with their committing subject. ``spoken``: an imperative said to the other
    side ("Send me the logs by Friday") commits them, as "you" would; in notes it is the
    rep's own to-do."""
    clauses: list[Clause] = []
    start = 0
    pieces: list[tuple[int, str]] = []
    label = None if spoken or _THEIR_TASK.match(sentence) else _NOTES_LABEL.match(sentence)
    if label is not None:
        # "spoke to user this am: remote session Thurs 10:30": a short report or label,
        # then the plan, each read on its own
        pieces.append((0, sentence[: label.end("label")]))
        start = label.end()
    for match in _CLAUSE_SPLIT.finditer(sentence):
        pieces.append((start, sentence[start : match.start()]))
        start = match.end()
    pieces.append((start, sentence[start:]))
    previous = "none"
    previous_name: str | None = None
    for offset, text in pieces:
        if not text.strip():
            continue
        subject, name = subject_of(text)
        if spoken and subject == "imperative":
            subject = "you"
        if subject == "none" and previous != "none":
            subject, name = previous, previous_name
        clauses.append(Clause(text=text, start=offset, subject=subject, owner_name=name))
        previous, previous_name = subject, name
    return tuple(clauses)


@lru_cache(maxsize=CACHED_SENTENCES)
def subject_of(text: str) -> tuple[str, str | None]:
    """The committing subject of a clause, the earliest one that appears."""
    if _YOU_RECEIVE.search(text):
        return "i", None  # "You'll have the redlines by Friday" is the speaker's delivery
    found: list[tuple[int, str, str | None]] = []
    for pattern, label in (
        (lx.FIRST_SINGULAR, "i"),
        (lx.FIRST_PLURAL, "we"),
        (lx.SECOND_PERSON, "you"),
    ):
        match = pattern.search(text)
        if match:
            found.append((match.start(), label, None))
    named = _NAMED_SUBJECT.match(text)
    if named and named.group("name") not in _NOT_NAMES:
        found.append((named.start(), "third", named.group("name")))
    pronoun = _PRONOUN_SUBJECT.search(text)
    if pronoun:
        found.append((pronoun.start(), "third", None))
    if _THEIR_TASK.match(text):
        return "third", None  # "homework: hand off the weekly report to Jon"
    role = _ROLE_PRESENT.match(text)
    if role:
        found.append((role.start("who"), "third", None))
    if found:
        found.sort(key=lambda item: item[0])
        return found[0][1], found[0][2]
    if _NOTES_BOTH.match(text):
        return "we", None
    if _NOTES_THEY.match(text):
        return "third", None
    if _IMPERATIVE.match(text) or _NOTES_SELF.match(text):
        return "imperative", None
    named = _NAMED_PRESENT.match(text)
    if named and named.group("name") not in _NOT_NAMES:
        return "third", named.group("name")
    return "none", None


def owner_for(subject: str, speaker_role: Role, kind: StepKind | None, text: str) -> Owner:
    """Who owns the step, from the clause's subject and who said it."""
    own = Owner.COUNTERPART if speaker_role == Role.COUNTERPART else Owner.REP
    other = Owner.REP if speaker_role == Role.COUNTERPART else Owner.COUNTERPART
    if kind == StepKind.MEETING:
        return Owner.BOTH
    if subject == "i":
        return own
    if subject == "you":
        return other
    if subject == "third":
        return Owner.COUNTERPART
    if subject == "we":
        if re.search(r"\b(?:you|your)\b", text, re.IGNORECASE) and kind in (
            StepKind.DELIVERABLE,
            StepKind.CALLBACK,
        ):
            return own
        return Owner.BOTH
    return own


@lru_cache(maxsize=CACHED_SENTENCES)
def kind_of(text: str, subject: str, speaker_role: Role) -> StepKind | None:
    """The step's kind from its verbs and nouns, or None when nothing step-like is said."""
    counterpart_acts = (subject in ("you", "third") and speaker_role != Role.COUNTERPART) or (
        subject == "i" and speaker_role == Role.COUNTERPART
    )
    delivery = lx.DELIVERABLE.search(text)
    meeting = lx.MEETING_STRONG.search(text)
    if (
        meeting
        and delivery
        and delivery.start() < meeting.start()
        and lx.MEETING_RECORD.match(text[meeting.start() :])
    ):
        meeting = None  # "I'll send the call scorecard over": a document, not a call
    scheduling = delivery is not None and lx.SCHEDULING_DELIVERABLE.search(text) is not None
    if lx.CHASE.search(text) and not counterpart_acts:
        return StepKind.CALLBACK  # "will ping her again Tues": chasing an answer
    calls_us = _CALLS_US.search(text) if counterpart_acts else None
    if calls_us and not _TASK_FIRST.search(text[: calls_us.start()]):
        # "she'll call me Mon AM w/ her decision" is their callback; "buyers review the
        # survey + ring me" is their homework that reports back.
        return StepKind.CALLBACK
    if (
        not counterpart_acts
        and subject != "we"
        and not scheduling
        and lx.CALLBACK.search(text)
        and (meeting is None or meeting.group(0).lower() == "call")
    ):
        return StepKind.CALLBACK
    if subject in ("we", "imperative") and lx.TOGETHER.search(text) and not delivery:
        return StepKind.MEETING
    if meeting is None and lx.SCHEDULING.search(text) and lx.SCHEDULING_DELIVERABLE.search(text):
        # "We'll nail down a slot over email Monday": a scheduling step, not the meeting.
        return StepKind.HOMEWORK if counterpart_acts else StepKind.DELIVERABLE
    delivery_first = delivery and (not meeting or delivery.start() < meeting.start())
    if delivery_first and (lx.SCHEDULING_DELIVERABLE.search(text) or not meeting):
        return StepKind.HOMEWORK if counterpart_acts else StepKind.DELIVERABLE
    if meeting:
        return StepKind.MEETING
    if lx.CALLBACK.search(text) and not counterpart_acts:
        return StepKind.CALLBACK
    if lx.DECISION.search(text) and counterpart_acts:
        return StepKind.DECISION
    if delivery:
        return StepKind.HOMEWORK if counterpart_acts else StepKind.DELIVERABLE
    if counterpart_acts and (
        lx.HOMEWORK.search(text) or (lx.REPORT_BACK.search(text) and not lx.MEETING.search(text))
    ):
        return StepKind.HOMEWORK  # their own task, or one that reports back to us
    if lx.CALLBACK.search(text):
        return StepKind.HOMEWORK if counterpart_acts else StepKind.CALLBACK
    if lx.MEETING.search(text):
        return StepKind.MEETING
    if subject in ("i", "we", "imperative") and lx.SCHEDULING.search(text):
        return StepKind.MEETING
    if lx.STALL.search(text):
        # "let's revisit in the spring", "let me chew on the pricing": a stall, still a step
        if subject == "we" and lx.REVISIT.search(text):
            return StepKind.MEETING
        return StepKind.HOMEWORK if counterpart_acts else StepKind.CALLBACK
    return None


_CALLS_US = ci(r"\b(?:call|ring|phone)(?:s|ing)? (?:me|us)\b")
_TASK_FIRST = lx.pattern_of(
    lx.Meaning.HOMEWORK, lx.Meaning.TOGETHER, lx.Meaning.SENDING, lx.Meaning.DECISION
)


# What the step is for, said after it: its words do not make the step vague.
_PURPOSE_TAIL = ci(
    r"\s*,?\s*\b(?:so (?:that )?(?:you|we|they|he|she|i) (?:can|could|have|get)|"
    r"in time for|ahead of)\b[\s\S]*$"
)
_DECIDED = ci(r"\bwith (?:a|an|the|our|my) (?:decision|answer|yes or no|go/no-go|verdict)\b")
_VAGUE_MEETING = ci(r"\b(?:chat|talk|catch[- ]up|touch base|reconnect|circle back|check[- ]in)\b")


def is_specific_action(text: str) -> bool:
    """False for stalls disguised as momentum ("let's reconnect"), unless an object or a
    purpose makes them specific ("get back to you Thursday with the pricing")."""
    text = _PURPOSE_TAIL.sub("", text)  # "... so you can read them before we talk"
    vague = lx.VAGUE_ACTION.search(text)
    if not vague:
        return True
    if lx.DELIBERATE.search(text) and not _DECIDED.search(text):
        return False  # "let me sit on the pricing": mulling is a stall whatever its object
    if lx.SPECIFIC_OBJECT.search(text):
        return True
    meeting = lx.MEETING_STRONG.search(text)
    if meeting and not _VAGUE_MEETING.search(meeting.group(0)):
        return True
    return _strong_deliverable(text)


def _strong_deliverable(text: str) -> bool:
    match = re.search(
        r"\b(?:send|share|forward|email|draft|prepare)\s+(?:you\s+|over\s+)?(?:the|a|an|our|my|"
        r"your)\s+(?P<object>\w+)",
        text,
        re.IGNORECASE,
    )
    return bool(match) and match.group("object").lower() not in {"info", "information", "stuff"}  # type: ignore[union-attr]
