"""Did the other side agree? The rubric's third test, with the words it rests on.

- A step the counterpart voices themselves (without hedging) is acknowledged by them.
- A step the rep voices needs the counterpart's answer: the first turn by the
  counterpart after it (a second one when the first only asks a question). Agreement
  without a hedge or refusal counts; silence, a change of topic, a hedge do not.
- In notes, the text must say the counterpart confirmed ("Jane confirmed", "agreed",
  an "Agreed next steps" heading); a plan alone is not an agreement.
- In email, the counterpart's reply answers the message it quotes: a general "sounds
  good" agrees to all of it, a reply about one item agrees to that item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine import lexicon as lx
from bot.engine.drafts import Draft
from bot.engine.model import AckSource, Owner, Role, SourceKind
from bot.engine.units import Unit

MAX_ANSWER_TURNS = 2
ANSWER_WINDOW = 40  # sentences after a statement in which its answer is looked for


@dataclass(frozen=True)
class Acknowledgment:
    acknowledged: bool
    source: AckSource | None = None
    unit: Unit | None = None
    hedged: bool = False
    declined: bool = False
    reply: Unit | None = None  # the words that hedged, declined or took the time back


NONE = Acknowledgment(False)


def acknowledge(draft: Draft, units: list[Unit], kind: SourceKind) -> Acknowledgment:
    if draft.withdrawn is not None:
        # "Actually, let's drop Tuesday": the later words take the agreement back.
        return Acknowledgment(False, declined=True, reply=draft.withdrawn)
    result = NONE
    for unit in draft.units:
        found = _ack_of(unit, draft, units, kind)
        if found.acknowledged:
            return found
        if found.hedged or found.declined:
            result = found
    return result


def _ack_of(unit: Unit, draft: Draft, units: list[Unit], kind: SourceKind) -> Acknowledgment:
    if unit.role == Role.COUNTERPART:
        if lx.HEDGE.search(unit.text) or lx.DECLINE.search(unit.text):
            return Acknowledgment(False, hedged=True, reply=unit)
        doubted = _rep_doubts(unit, units) if unit.text.rstrip().endswith("?") else None
        if doubted is not None:
            # "could we move to Friday at 11?" answered "let me check whether Friday works"
            return Acknowledgment(False, hedged=True, reply=doubted)
        return Acknowledgment(True, AckSource.TEXT, unit)
    # In a call the other side answers for themselves: the rep saying someone accepted is
    # not their yes (notes and recaps are where a stated confirmation counts).
    live = kind == SourceKind.TRANSCRIPT and unit.role == Role.REP
    stated = NONE if live else _stated(unit, units, draft)
    if stated.acknowledged or unit.role == Role.UNKNOWN:
        return stated
    source = AckSource.REPLY if kind == SourceKind.EMAIL else AckSource.TEXT
    return _answer(unit, draft, units, source)


def _rep_doubts(question: Unit, units: list[Unit]) -> Unit | None:
    """The rep's answer to the other side's counter-proposal, when it hedges or declines."""
    for follower in units[question.index + 1 : question.index + 1 + ANSWER_WINDOW]:
        if follower.role != Role.REP or follower.turn == question.turn:
            continue
        if lx.HEDGE.search(follower.text) or lx.DECLINE.search(follower.text):
            return follower
        if lx.AFFIRM.search(follower.text):
            return None
    return None


def _stated(unit: Unit, units: list[Unit], draft: Draft) -> Acknowledgment:
    """Notes and recaps that state the counterpart confirmed."""
    text = unit.text
    if draft.trigger is not None and draft.trigger.condition in text:
        # "Once the pilot sites are confirmed, ..." states a condition, not an agreement.
        text = text.replace(draft.trigger.condition, "")
    if lx.NOT_ACK.search(text):
        return Acknowledgment(False, hedged=True, reply=unit)
    if lx.STATED_ACK.search(text):
        return Acknowledgment(True, AckSource.TEXT, unit)
    if draft.owner == Owner.COUNTERPART and lx.REPORTED_THEIR_PROMISE.search(text):
        # "said she'd call me Mon AM": their own promise, in their own words
        return Acknowledgment(True, AckSource.TEXT, unit)
    if (
        unit.heading
        and lx.ACK_HEADING.search(unit.heading)
        and not lx.NOT_ACK.search(unit.heading)  # "Proposed, not yet agreed:"
        and unit.role != Role.COUNTERPART
    ):
        return Acknowledgment(True, AckSource.TEXT, unit)
    for follower in units[unit.index + 1 : unit.index + 3]:
        if follower.turn != unit.turn and unit.role != Role.UNKNOWN:
            break
        if len(follower.text.split()) > 12 or follower.bullet:
            break
        if lx.MEETING_STRONG.search(follower.text) or lx.DELIVERABLE.search(follower.text):
            break  # "Exec review w/ Priya Jan 15 2pm (confirmed)" confirms its own step

        if lx.NOT_ACK.search(follower.text):
            return Acknowledgment(False, hedged=True, reply=follower)
        if lx.STATED_ACK.search(follower.text) or (
            unit.role == Role.UNKNOWN and _says_yes(follower.text)
        ):
            return Acknowledgment(True, AckSource.TEXT, follower)
    return NONE


def _answer(unit: Unit, draft: Draft, units: list[Unit], source: AckSource) -> Acknowledgment:
    turns_seen = 0
    current_turn: int | None = None
    answer: list[Unit] = []
    for position in range(unit.index + 1, min(len(units), unit.index + 1 + ANSWER_WINDOW)):
        follower = units[position]
        if follower.turn == unit.turn:
            continue
        if follower.role != Role.COUNTERPART:
            if answer:
                verdict = _judge(answer, draft, source)
                if verdict is not None:
                    return verdict
                answer = []
            if turns_seen >= MAX_ANSWER_TURNS:
                break
            continue
        if follower.turn != current_turn:
            if answer:
                verdict = _judge(answer, draft, source)
                if verdict is not None:
                    return verdict
                answer = []
            turns_seen += 1
            current_turn = follower.turn
            if turns_seen > MAX_ANSWER_TURNS:
                break
        answer.append(follower)
    if answer:
        verdict = _judge(answer, draft, source)
        if verdict is not None:
            return verdict
    return NONE


def _judge(answer: list[Unit], draft: Draft, source: AckSource) -> Acknowledgment | None:
    """The verdict of one counterpart turn, or None when it only asked a question."""
    yes: Unit | None = None
    refusal: Acknowledgment | None = None
    for index, sentence in enumerate(answer):
        text = sentence.text
        declined = lx.DECLINE.search(text) is not None
        hedged = lx.HEDGE.search(text) is not None
        if (declined or hedged) and (refusal is None or _mentions(text, draft)):
            refusal = Acknowledgment(False, hedged=hedged, declined=declined, reply=sentence)
            if _mentions(text, draft) or declined:
                continue
        if (
            yes is None
            and not declined
            and (
                lx.AFFIRM.search(text)
                or (index == 0 and _weak_yes(answer))
                or _reports_on_trigger(text, draft)
            )
        ):
            yes = sentence
    if refusal is not None and refusal.declined:
        return refusal  # "Great to hear from you. I've accepted another offer."
    if yes is not None and (refusal is None or _mentions(yes.text, draft)):
        return Acknowledgment(True, source, yes)
    if refusal is not None:
        return refusal
    if all(sentence.text.rstrip().endswith("?") for sentence in answer):
        return None
    return NONE


def _weak_yes(answer: list[Unit]) -> bool:
    """ "Great." or "Okay, thanks." on its own agrees; "Great. What about pricing?" moves on."""
    first = answer[0].text
    opener = lx.AFFIRM_WEAK.search(first)
    if not opener or any("?" in u.text for u in answer):
        return False
    if len(first.split()) <= 6:
        return True
    # "Brilliant, I'll keep an eye out for the delivery": a yes that takes up their part.
    rest = first[opener.end() :]
    return (
        rest[:1] in (",", "!", "-", "–")
        and _OWN_PART.match(rest.lstrip(",!-– ")) is not None
        and not lx.STALL.search(rest)
        and not lx.HEDGE.search(rest)
    )


_OWN_PART = re.compile(r"(?:i|we)(?:'|’)ll\b|(?:i|we) will\b", re.IGNORECASE)


def _reports_on_trigger(text: str, draft: Draft) -> bool:
    """ "Great, will tell you as soon as it's through" commits the other side to the trigger."""
    return (
        draft.trigger is not None
        and not draft.weak_trigger
        and lx.REPORT_BACK.search(text) is not None
        and lx.TRIGGER_CUE.search(text) is not None
    )


def _says_yes(text: str) -> bool:
    return lx.AFFIRM.search(text) is not None and len(text.split()) <= 8


_WORD = re.compile(r"[a-z]{4,}")


def _mentions(text: str, draft: Draft) -> bool:
    lowered = text.lower()
    if draft.time is not None and draft.time.text.lower() in lowered:
        return True
    words = set(_WORD.findall(draft.action.lower())) - {"with", "that", "this", "your", "will"}
    return any(word in lowered for word in words)
