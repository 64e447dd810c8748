"""Short phrases for a step: its action in a few words, who will be there, and why."""

from __future__ import annotations

import re

from bot.engine import lexicon as lx
from bot.engine.model import StepKind, TimeExpression
from bot.engine.patterns import ci

MAX_ACTION_WORDS = 9

_LEAD = ci(
    r"^(?:[-*•·]\s*|\d{1,2}[.)]\s*|\[[ xX]?\]\s*)?(?:(?:ns|next steps?|todo|action items?|ai)"
    r"\s*[:\-–]\s*)?(?:so|ok(?:ay)?|great|perfect|alright|and|then|also|sure|yes|yeah|well|"
    r"good|cool)?[,.!]?\s*"
)
_SUBJECT = ci(
    r"^.*?\b(?:i(?:'|’)ll|i will|i(?:'|’)m going to|i am going to|we(?:'|’)ll|we will|"
    r"we(?:'|’)re going to|let(?:'|’)s|let me|you(?:'|’)ll|you will|can you|could you|"
    r"would you|will you|i can|we can|we should|i(?:'|’)d like to|i want to|i need to|"
    r"we need to|could we|can we|shall we|should we|(?:they|she|he)(?:'|’)ll|"
    r"(?:i|we) (?:could|might|would)|let us|(?:i|we)(?:'|’)d|"
    # a word and its promise: "Priya to draft", "cand to send", "HR will send" (any word,
    # as ``ci`` matches lower-cased text)
    r"[a-z]+ (?:will|to|is going to|agreed to|promised to))\s+"
)
# Notes in the first person with no modal: "We send the SOC 2 report today".
_BARE_SUBJECT = ci(r"^(?:i|we)\s+(?!(?:am|are|was|were|have|had|do|did|don't|can't)\b)")
_WORKS_FOR = ci(
    r"^(?:does|do|would|will|could|can)\s+(?:that\s+|it\s+|this\s+)?work\s+"
    r"(?:for|on|with)\s+(?:you\s+(?:for\s+)?)?"
)
_FILLER = ci(
    r"\b(?:just|quickly|definitely|go ahead and|also|actually|probably|please|then|"
    r"absolutely|be sure to|make sure to|try to)\s+"
)
_TAIL = re.compile(r"[\s,;:.!?)(\-–—]+$")
_CUT = re.compile(
    r"\s*(?:,|;|\(|\s[-–—]\s|\bif (?:that|it|you|useful|helpful|i|we|they|she|he)\b|"
    r"\bso that\b|\bbecause\b|\bdoes that\b|\bsound\b|"
    # what it is for, or when: "so your team can get a head start", "once I've checked"
    r"\bso (?=(?:[\w'’-]+ ){0,2}(?:can|could|has|have|had|will|would|is|are|gets?|knows?)\b)|"
    r"\b(?:once|when|whenever|as soon as|whether|in case)\b)",
    re.IGNORECASE,
)
_DANGLING = ci(
    r"(?:\s+\b(?:on|at|by|for|before|until|around|this|next|to|with|and|or|the|a|so|"
    r"from|of|in|w/))+$"
)
_PARTICIPANTS = re.compile(
    r"\b(?:with|w/|including|and)\s+(?P<who>(?:you and )?(?:your|our|their|the|my)\s+"
    r"(?:[a-z]+\s+){0,2}(?:lead|team|cfo|ceo|cto|coo|vp|manager|director|head|partner|"
    r"engineer|engineers|admin|board|committee|founder|owner|buyer|lawyer|attorney|"
    r"accountant|spouse|wife|husband)s?|[A-Z][a-z]+(?: (?:and|&) [A-Z][a-z]+)?)\b"
)
_PURPOSE = ci(
    r"\bto (?P<purpose>(?:review|go over|go through|walk through|discuss|finali[sz]e|sign|"
    r"decide|confirm|agree on|align on|plan|choose|pick|look at|cover|present|demo|show|"
    r"answer|address|work through|map out|scope|kick off)\b[^,.;?!]{0,80})"
)
_NOT_PARTICIPANTS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "The",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Zoom", "Teams", "Google", "I",
}  # fmt: skip


def action_phrase(text: str, kind: StepKind, times: list[TimeExpression]) -> str:
    """The action in a few words: the clause from its verb on, without the time phrase."""
    clause = text
    for t in sorted(times, key=lambda t: t.start, reverse=True):
        if 0 <= t.start < t.end <= len(clause):
            clause = clause[: t.start] + clause[t.end :]
    if kind == StepKind.MEETING:
        meeting = _meeting_action(clause)
        if meeting:
            return meeting
    clause = _LEAD.sub("", clause.strip())
    clause = _WORKS_FOR.sub("", clause, count=1)  # "Does <time> work for the pricing review"
    stripped = _SUBJECT.sub("", clause, count=1)
    clause = stripped if stripped != clause else _BARE_SUBJECT.sub("", clause, count=1)
    clause = _FILLER.sub("", clause)
    cut = _CUT.search(clause)
    if cut and cut.start() > 8:
        clause = clause[: cut.start()]
    words = re.sub(r"\s+", " ", clause).split(" ")
    phrase = _TAIL.sub("", " ".join(words[:MAX_ACTION_WORDS]))
    phrase = _DANGLING.sub("", phrase).strip()
    return phrase or _default_action(kind, text)


_MEETING_NOUN = ci(
    r"\b(?P<noun>(?:(?:follow[- ]up|check[- ]in|kick[- ]?off|intro|technical|security|"
    r"proposal|pricing|contract|final|second|onboarding|strategy|discovery|planning|review|"
    r"team|quick|short|\d+[- ]minute) )?(?:meeting|call|demo|walk[- ]?through|viewing|showing|"
    r"tour|interview|session|qbr|sync|onsite|lunch|coffee|workshop|presentation|site visit|"
    r"appointment|mtg|debrief|inspection|consultation|open house))\b"
)


def _meeting_action(text: str) -> str | None:
    """ "call to review the budget", "demo with your CFO", or the purpose alone."""
    noun = _MEETING_NOUN.search(text)
    purpose = purpose_of(text)
    if noun and purpose:
        if _letters(purpose).startswith(_letters(noun.group("noun"))):
            return purpose  # "a walkthrough to walk through the contract": say it once
        return f"{noun.group('noun').lower()} to {purpose}"
    if purpose:
        return purpose
    if noun:
        rest = text[noun.end() :]
        with_whom = re.match(
            r"\s+(?:with|w/)\s+((?:your|our|the|my)?\s*[\w']+(?: [A-Z]\w+)?)", rest
        )
        base = noun.group("noun").lower()
        return f"{base} with {with_whom.group(1).strip()}" if with_whom else base
    return None


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _default_action(kind: StepKind, text: str) -> str:
    noun = lx.MEETING_STRONG.search(text) or lx.MEETING.search(text)
    if kind == StepKind.MEETING and noun:
        return noun.group(0).lower()
    return {
        StepKind.MEETING: "meet",
        StepKind.DELIVERABLE: "send",
        StepKind.HOMEWORK: "homework",
        StepKind.CALLBACK: "call back",
        StepKind.DECISION: "decide",
    }[kind]


def participants_of(text: str) -> list[str]:
    found: list[str] = []
    for match in _PARTICIPANTS.finditer(text):
        who = match.group("who").strip()
        if who.split(" ")[0] in _NOT_PARTICIPANTS:
            continue
        if who not in found:
            found.append(who)
    return found


def purpose_of(text: str) -> str | None:
    match = _PURPOSE.search(text)
    if not match:
        return None
    purpose = text[match.start("purpose") : match.end("purpose")]
    return _TAIL.sub("", purpose).strip() or None
