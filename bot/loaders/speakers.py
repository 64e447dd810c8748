"""Who is speaking: which labels are people's names, and which speaker is the rep.

A label is what a transcript puts before the words ("Dana Reyes:", "Speaker 1  0:05",
"<v Jane Kim>"). Field names in notes ("Budget:", "Next steps:") and ordinary words
("Thanks:", "Pacific") are not speakers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.engine.model import Participant, Role

MAX_LABEL_CHARS = 48
MAX_LABEL_WORDS = 5

_ORG = re.compile(r"\s*[(\[][^()\[\]]{1,40}[)\]]\s*$")  # "Dana Reyes (Acme)"
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")  # starts with a letter


def _word_set(words: str, separator: str | None = None) -> frozenset[str]:
    return frozenset(word.strip() for word in words.split(separator))


_PARTICLES = _word_set(
    "de da del della der den di du van von la le bin binti al el dos das y st. mc"
)
# Field names and headings that look like "Label: value" but are not people.
_NOT_SPEAKERS = _word_set(
    """next steps|next step|action items|action item|actions|agreed next steps|ns|
    notes|note|summary|agenda|date|time|subject|re|fwd|fw|to|from|cc|bcc|attendees|
    participants|budget|timeline|decision|decision maker|decisions|owner|owners|status|
    outcome|follow-up|follow up|follow-ups|todo|to do|to-do|tbd|ps|p.s.|update|recap|title|
    meeting|call|location|where|duration|topic|topics|pain|pain points|competition|
    objections|risks|risk|pricing|price|contact|company|account|deal|stage|amount|phone|
    email|e-mail|website|warning|important|reminder|ask|asks|goal|goals|context|background|
    question|questions|takeaways|key takeaways|highlights|keywords|transcript|source|
    recording|language|kind|url|link|http|https|mailto|www|tel|fax|mobile|address|sent|
    received|reply|answer|total|cost|quote|deadline|due|priority|next|open questions|
    key points|discussion|comment|comments|edit|edited|nb|n.b.|fyi|tl;dr|tldr|details|
    product|products|plan|plans|team|role|industry|size|revenue|region|channel""",
    "|",
)
# First words that start a sentence, not a name (for name lines without a colon).
_NOT_FIRST_WORDS = _word_set(
    """yes yeah yep no nope ok okay sure thanks thank hi hello hey great perfect sounds right
    so and but or well um uh oh good cool absolutely exactly bye goodbye alright awesome
    agreed correct totally definitely wow nice understood got makes that this it i we you
    they he she let lets let's see talk will can could would should what why how when where
    who is are do does did maybe probably not the a an my our your all just also then now
    tomorrow today tonight yesterday monday tuesday wednesday thursday friday saturday sunday
    mon tue tues wed thu thurs fri sat sun january february march september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec pacific eastern central
    mountain et pt ct mt est pst cst mst edt pdt cdt mdt gmt utc bst cet cest am pm a.m.
    p.m. noon midnight morning afternoon evening night in on at by for with of from to
    if as please sorry excellent fine true indeed hmm mhm mm ah there here demo call review
    meeting sync lunch coffee check-in checkin kickoff kick-off interview viewing showing
    follow-up followup send sent proposal deck invite standup stand-up onsite qbr webinar
    training session workshop presentation pilot trial contract signing"""
)
# Words that put a label in the calendar, not in a person's name ("Demo Tuesday 2:30").
_TIME_WORDS = _word_set(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs
    fri sat sun today tomorrow tonight yesterday eod eow cob noon midnight morning afternoon
    evening week month year january february march september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec am pm"""
)


def label_name(label: str) -> str:
    """The label without its organisation: "Dana Reyes (Acme)" -> "Dana Reyes"."""
    return _ORG.sub("", label).strip()


@lru_cache(maxsize=4096)  # a transcript repeats a handful of labels thousands of times
def is_speaker_label(label: str) -> bool:
    """A person's name (or "Speaker 1", "Unknown"), optionally with "(Company)"."""
    label = label.strip()
    if not label or len(label) > MAX_LABEL_CHARS:
        return False
    name = label_name(label)
    if len(name) == 1:  # "Q:" / "A:" in interviews
        return name.isupper()
    if not name or name.lower() in _NOT_SPEAKERS:
        return False
    words = name.split()
    if not 1 <= len(words) <= MAX_LABEL_WORDS:
        return False
    if words[0].lower().rstrip(",") in _NOT_FIRST_WORDS:
        return False
    if any(word.lower().strip(".,") in _TIME_WORDS for word in words):
        return False
    return all(_is_name_word(word, first=i == 0) for i, word in enumerate(words))


def _is_name_word(word: str, *, first: bool) -> bool:
    if not first and (word.isdigit() or word.lower() in _PARTICLES):
        return True
    return _WORD.fullmatch(word) is not None and not word[0].islower()


def speaker_key(label: str) -> str:
    """How two labels are compared: no company, no case, single spaces."""
    name = label_name(label).strip(" .,;:-").lower()
    if "@" in name:  # "dana.reyes@acme.com" -> "dana reyes"
        name = re.sub(r"[._+\-]+", " ", name.split("@", 1)[0])
    return " ".join(name.split())


def rep_matches(rep: str, speaker: str) -> bool:
    """Full name, or first name where either side gives only a first name."""
    rep_key, speaker_key_ = speaker_key(rep), speaker_key(speaker)
    if not rep_key or not speaker_key_:
        return False
    if rep_key == speaker_key_:
        return True
    rep_words, speaker_words = rep_key.split(), speaker_key_.split()
    if len(rep_words) == 1 or len(speaker_words) == 1:
        return rep_words[0] == speaker_words[0]
    return False


@dataclass
class Cast:
    """The speakers of a transcript, who the rep is, and what was assumed to decide it."""

    roles: dict[str, Role]  # by speaker label as written
    participants: list[Participant]
    rep: str | None
    rep_guessed: bool = False
    warnings: list[str] = field(default_factory=list)


def cast_roles(speakers: list[str], rep: str | None) -> Cast:
    """Roles for the speakers (labels in order of first appearance)."""
    distinct = list(dict.fromkeys(speakers))
    if not distinct:
        return Cast(roles={}, participants=[], rep=rep)
    if rep is None:
        return _guess_rep(distinct)
    reps = _rep_speakers(distinct, rep)
    warnings: list[str] = []
    if not reps:
        names = ", ".join(distinct[:8])
        warnings.append(
            f"the rep {rep!r} is not among the speakers ({names}); everyone is read as "
            "the counterpart. Pass --rep with one of the speaker names"
        )
    elif len(reps) > 1:
        warnings.append(
            f"the rep {rep!r} matches several speakers ({', '.join(reps)}); "
            "all of them are read as the rep. Pass the full name to tell them apart"
        )
    return _cast(distinct, set(reps), rep, guessed=False, warnings=warnings)


def _guess_rep(distinct: list[str]) -> Cast:
    first = distinct[0]
    same = [s for s in distinct if speaker_key(s) == speaker_key(first)]
    warning = f"guessed the rep: {label_name(first)} (first speaker); pass --rep to set it"
    return _cast(distinct, set(same), label_name(first), guessed=True, warnings=[warning])


def _rep_speakers(distinct: list[str], rep: str) -> list[str]:
    exact = [s for s in distinct if speaker_key(s) == speaker_key(rep)]
    return exact or [s for s in distinct if rep_matches(rep, s)]


def _cast(
    distinct: list[str], reps: set[str], rep: str, *, guessed: bool, warnings: list[str]
) -> Cast:
    roles = {s: Role.REP if s in reps else Role.COUNTERPART for s in distinct}
    participants: list[Participant] = []
    seen: set[str] = set()
    for label in distinct:
        key = speaker_key(label)
        if key not in seen:
            seen.add(key)
            participants.append(Participant(name=label, role=roles[label]))
    return Cast(roles, participants, rep, guessed, warnings)
