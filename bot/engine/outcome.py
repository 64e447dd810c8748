"""How a conversation ended: ``secured``, ``clear_no`` or ``open`` (RUBRIC.md, "A clear
no is a clean ending").

A clear no is a firm, final decline of the whole engagement, said by the other side and
not taken back later in the conversation: another vendor chosen, a candidate
withdrawing, a subscription cancelled, a buyer who bought elsewhere. A decline of one
step ("Tuesday doesn't work", "we don't need the training session"), the rep's own no
("we can't go to thirty percent off") and a soft no ("not right now", "maybe next
quarter") leave the conversation ``open``.

The words are in ONE table keyed by meaning (the style of ``lexicon.py``): adding a
phrase is a one-place change, and the patterns below are built from the table.
"""

from __future__ import annotations

from enum import StrEnum

from bot.engine.model import Outcome, Role, Tier
from bot.engine.patterns import CaseFree, ci
from bot.engine.units import Unit

__all__ = ["Outcome", "clear_no", "outcome_of", "tentative_yes"]


class NoMeaning(StrEnum):
    CHOSE_ANOTHER = "chose_another"  # the other side went elsewhere
    ENDED = "ended"  # the engagement itself is cancelled, withdrawn or not renewed
    NOT_A_FIT = "not_a_fit"
    FINAL = "final"  # words that shut the door however the sentence is hedged
    SOFT = "soft"  # words that turn a no into a "not yet": a stall
    REVERSAL = "reversal"  # the no is taken back later
    TENTATIVE_YES = "tentative_yes"  # a yes with doubts left: coach a follow-up with a purpose


# What the other side's no can be about for it to end the engagement (not one step).
_ENGAGEMENT = (
    r"(?:subscription|contract|account|request|project|integration|order|search|listing|"
    r"application|membership|programme|program|renewal|deal|opportunity|ticket|file|"
    r"req|engagement|process|pilot|partnership|coaching|mandate|offer|purchase)"
)
_ANOTHER = (
    r"(?:another|a different|a competing|a competitor|someone else|an? \w+ (?:who|that|whose))"
)

PHRASES: dict[NoMeaning, tuple[str, ...]] = {
    NoMeaning.CHOSE_ANOTHER: (
        rf"decided (?:to go|to work|to partner|to stay|we(?:'|’)re going|we will go) (?:with|in) {_ANOTHER}",
        r"decided to go (?:in|with) an(?:other)? \w+",
        r"decided to go in (?:another|a different) direction",
        rf"(?:go|going|gone|went) with {_ANOTHER}",
        r"(?:go|going|gone|went) with (?:another|a different|a competing) (?:vendor|provider|agency|"
        r"partner|candidate|firm|solution|company|broker|agent|tool|platform|offer|coach|"
        r"programme|program)",
        r"(?:accepted|taking|take|signed|took) (?:another|a different|an(?:other)? \w+) (?:offer|role|position|job)",
        r"accepted an offer elsewhere",
        r"signed with (?:another|a different|someone else|\w+ (?:last|this|on))",
        r"(?:bought|booked|closed on|purchased|rented|leased|took) (?:a|another|the) (?:house|home|flat|"
        r"apartment|place|property|unit|condo)(?: in| elsewhere| on| at)",
        r"(?:decided|going) to stay (?:where (?:i|we) (?:am|are)|with (?:my|our) current)",
        r"(?:consolidated|consolidating|standardi[sz]ing|standardi[sz]ed) on(?:to)? ",
        r"moving to (?:a|another) (?:pos|platform|vendor|provider|tool|system|crm)\b",
        r"work with another",
    ),
    NoMeaning.ENDED: (
        r"(?:not|won(?:'|’)t be|will not be|aren(?:'|’)t|are not) renewing",
        r"decided not to (?:renew|extend|sell|move|buy|proceed|go ahead|continue|sign|hire|list)",
        r"(?:not|won(?:'|’)t be) (?:going ahead|proceeding|moving forward)",
        r"not (?:be )?moving forward",
        r"(?:is|are|(?:we|they)(?:'|’)re) not extending",
        rf"(?:cancel|cancelled|canceled|cancelling|canceling) (?:the|our|my|this|their) {_ENGAGEMENT}",
        r"(?:decided|want|like) to cancel",
        rf"has cancelled the {_ENGAGEMENT}",
        rf"withdr(?:aw|awing|ew|awn) (?:me|us|my|our|from|the|her|his|their)(?: {_ENGAGEMENT})?",
        r"withdrawing from",
        r"(?:take|taking|remove|removing) (?:us|me|them|the listing) (?:off|down)",
        rf"close (?:this|it|us|(?:the|our|my) {_ENGAGEMENT}) out",
        rf"close out (?:the|this|our|my) {_ENGAGEMENT}",
        rf"close (?:the|this|our|my) {_ENGAGEMENT}\b",
        r"(?:stop|end) the search",
        r"(?:done|finished) looking",
        r"no longer (?:interested|looking|considering|in the market|needs?|want)",
        r"not interested",
        r"(?:going to|we(?:'|’)ll|we will|i(?:'|’)ll|have to|decided to|we(?:'|’)re going to) pass",
        r"decided against",
        r"don(?:'|’)t want it at all",
        r"not going ahead with it",
        r"off the table",
        r"release the \w+ slot",
    ),
    NoMeaning.NOT_A_FIT: (
        r"(?:isn(?:'|’)t|is not|not|wasn(?:'|’)t) (?:a|the) (?:right |good )?fit",
    ),
    NoMeaning.FINAL: (
        r"it(?:'|’)s final",
        r"(?:decision is|that(?:'|’)s) final",
        r"final decision",
        r"^final\W*$",
        r"(?:firm|hard) no",
        r"for good",
        r"not a pause",
        r"nothing to revisit",
        r"no further action",
        r"withdr(?:aw|awing|ew|awn)",
        r"accepted (?:another|a different|an(?:other)? \w+) (?:offer|role|position|job)",
        r"signed with",
        rf"close (?:this|it|us|(?:the|our|my) {_ENGAGEMENT}) out",
    ),
    NoMeaning.SOFT: (
        r"right now",
        r"for now",
        r"at the moment",
        r"maybe",
        r"yet",
        r"this (?:quarter|month|week)",
        r"down the road",
        r"later",
        r"revisit",
        r"until",
        r"next (?:quarter|year|month)",
        r"probably",
        r"i think",
        r"not sure",
        r"on the fence",
    ),
    NoMeaning.REVERSAL: (
        r"changes things",
        r"change(?:d|s)? (?:my|our) minds?",
        r"forget what i said",
        r"scratch that",
        r"(?:still|are) interested",
        r"let(?:'|’)s not close",
        r"don(?:'|’)t close",
        r"on second thought",
        r"reconsider(?:ed)?",
        r"take (?:that|it) back",
        r"stay in the running",
    ),
    NoMeaning.TENTATIVE_YES: (
        r"probably (?:a )?yes",
        r"i think (?:so|i(?:'|’)m in|we(?:'|’)re in|it(?:'|’)s a yes)",
        r"(?:leaning|leaning towards?|inclined) (?:to say )?(?:yes|towards? (?:it|yes))",
        r"most likely (?:a )?yes",
        r"(?:in principle|tentatively),? (?:yes|we(?:'|’)re in|it(?:'|’)s a yes)",
        r"(?:should|could) be a yes",
        r"yes,? (?:probably|in principle|tentatively|i think)",
    ),
}


def pattern_of(*meanings: NoMeaning) -> CaseFree:
    return ci(r"\b(?:" + "|".join(p for m in meanings for p in PHRASES[m]) + r")")


DECLINE = pattern_of(NoMeaning.CHOSE_ANOTHER, NoMeaning.ENDED, NoMeaning.NOT_A_FIT)
FINAL = pattern_of(NoMeaning.FINAL)
SOFT = pattern_of(NoMeaning.SOFT)
REVERSAL = pattern_of(NoMeaning.REVERSAL)
TENTATIVE_YES = pattern_of(NoMeaning.TENTATIVE_YES)
_QUESTION = ci(r"\?\s*$")


def clear_no(units: list[Unit]) -> Unit | None:
    """The other side's firm, final no to the whole engagement, when it stands at the end.

    The newest such sentence counts; it is a clear no unless it is the rep's own, asked
    as a question, softened ("not right now") without a word of finality in it or in the
    other side's next sentences ("it's final"), or taken back by the other side later
    ("that changes things").
    """
    for position in range(len(units) - 1, -1, -1):
        unit = units[position]
        if not _declines(unit, _other_side_next(units, position)):
            continue
        if _reversed_after(units[position + 1 :]):
            return None
        return unit
    return None


def _declines(unit: Unit, following: list[Unit]) -> bool:
    if unit.role == Role.REP or _QUESTION.search(unit.text) or not DECLINE.search(unit.text):
        return False
    if not SOFT.search(unit.text):
        return True
    return any(FINAL.search(u.text) for u in (unit, *following))


def _other_side_next(units: list[Unit], position: int, count: int = 2) -> list[Unit]:
    """The other side's next sentences, up to ``count``, before the rep speaks again."""
    found: list[Unit] = []
    for index in range(position + 1, len(units)):  # no slice: a copy per sentence is O(n²)
        unit = units[index]
        if unit.role == Role.REP or len(found) == count:
            break
        found.append(unit)
    return found


def _reversed_after(later: list[Unit]) -> bool:
    return any(u.role != Role.REP and REVERSAL.search(u.text) for u in later)


def tentative_yes(units: list[Unit]) -> Unit | None:
    """The other side's newest tentative yes ("I think so. Probably yes."), if any."""
    for unit in reversed(units):
        if unit.role != Role.REP and TENTATIVE_YES.search(unit.text):
            return unit
    return None


def outcome_of(tier: Tier, refusal: Unit | None) -> Outcome:
    """Secured when a step is (the tier is not none); else a clear no when one stands."""
    if tier != Tier.NONE:
        return Outcome.SECURED
    return Outcome.CLEAR_NO if refusal is not None else Outcome.OPEN
