"""What the rep is told: the reason, the words it rests on, and a line to try next time.

The voice is a coach's: plain, specific, never scolding. Every message quotes the words
it is about and every suggestion is a sentence the rep could say or send as it is.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.engine.ack import Acknowledgment
from bot.engine.drafts import Draft
from bot.engine.model import Evidence, Finding, Owner, Role, Step, StepKind

QUOTE_CHARS = 110


def quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def proposal_day(draft: Draft, step: Step | None = None) -> str:
    """A concrete day to propose: two business days after the words were said, and never
    on or before the step's own due (a review of the proposal comes after it is sent)."""
    day = _business_days_after(draft.unit.at.date(), 2)
    due = step.due if step is not None else None
    if isinstance(due, datetime):
        due = due.date()
    if isinstance(due, date) and due >= day:
        day = _business_days_after(due, 1)
    return day.strftime("%A")


def _business_days_after(day: date, count: int) -> date:
    added = 0
    while added < count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    return day


def when(step: Step) -> str:
    if isinstance(step.due, datetime):
        return f"{step.due:%A} at {_clock(step.due)}"
    if isinstance(step.due, date):
        return f"{step.due:%A}"
    return "that time"


def _clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def _purpose(step: Step) -> str:
    if step.purpose:
        return step.purpose
    if step.kind == StepKind.MEETING and step.specific_action:
        return step.action
    return "review this together"


def _finding(code: str, message: str, suggestion: str, draft: Draft) -> Finding:
    return Finding(
        code=code, message=message, suggestion=suggestion, evidence=draft.unit.evidence()
    )


def vague_action(step: Step, draft: Draft) -> Finding:
    day = proposal_day(draft, step)
    if step.kind == StepKind.DELIVERABLE:
        suggestion = f'Try: "Which of these helps you most? I\'ll have it to you by {day} at 10am."'
    elif step.owner == Owner.COUNTERPART and step.kind != StepKind.MEETING:
        suggestion = (
            f'Try: "What would you need to decide? Could we put 15 minutes on {day} at 2pm '
            'to go through it?"'
        )
    else:
        suggestion = f'Try: "Can we lock in {day} at 2pm to {_purpose(step)}?"'
    return _finding(
        "vague_action",
        f'"{quote(draft.clause)}" has no specific action: it is a stall that looks like momentum.',
        suggestion,
        draft,
    )


def vague_time(step: Step, draft: Draft) -> Finding:
    said = draft.time.text if draft.time else "that"
    return _finding(
        "vague_time",
        f'"{said}" is not a day anyone can put on a calendar.',
        f'Try: "Can we put it on the calendar for {proposal_day(draft, step)} at 2pm?"',
        draft,
    )


def no_time(step: Step, draft: Draft) -> Finding:
    day = proposal_day(draft, step)
    if step.scheduling:
        suggestion = f'Try: "I\'ll send the invite by {day} at 10am; does that work?"'
    elif step.kind in (StepKind.DELIVERABLE, StepKind.CALLBACK) and step.owner != Owner.COUNTERPART:
        suggestion = f'Try: "You\'ll have it by {day} at 10am."'
    elif step.kind in (StepKind.HOMEWORK, StepKind.DECISION):
        suggestion = (
            f'Try: "Could you get that back to me by {day}, and we\'ll go through it together?"'
        )
    else:
        suggestion = f'Try: "Can we lock in {day} at 2pm to {_purpose(step)}?"'
    return _finding("no_time", f'"{quote(draft.clause)}" has no date or time.', suggestion, draft)


def options_open(step: Step, draft: Draft) -> Finding:
    first, second = (t.text for t in draft.times[:2])
    return _finding(
        "options_open",
        f'Two times were offered ("{first}", "{second}") and none was chosen.',
        f"Try: \"Which is better for you, {first} or {second}? I'll send the invite as soon "
        'as you pick."',
        draft,
    )


def open_trigger(step: Step, draft: Draft) -> Finding:
    condition = draft.trigger.condition if draft.trigger else "that"
    return _finding(
        "open_trigger",
        f'"{condition}" leaves the next move open: no specific event and no committed response.',
        "Try: \"Once you've reviewed it with your team, ping me and we'll book the next "
        'call within 48 hours. Fair?"',
        draft,
    )


def not_acknowledged(step: Step, draft: Draft, answer: Acknowledgment) -> Finding:
    reply = answer.reply
    said = f' ("{quote(reply.text)}")' if reply is not None else ""
    if reply is not None and reply is draft.withdrawn:
        message = f"The other side took the agreed time back{said}; nothing new was agreed."
    elif answer.declined:
        message = f"The other side turned this down{said} and no new time was agreed."
    elif answer.hedged and reply is not None and reply is not draft.unit:
        message = f"The other side hedged{said}; that is not a yes."
    elif answer.hedged:
        message = f'Not agreed yet ("{quote(draft.clause)}"): the words say it is still open.'
    elif draft.unit.speaker is None:
        message = f'The notes do not say the other side agreed to this ("{quote(draft.clause)}").'
    else:
        message = (
            "You stated the next step but the other side didn't confirm "
            f'("{quote(draft.clause)}").'
        )
    day = proposal_day(draft, step)
    if step.trigger is not None and step.due is None:
        condition = step.trigger.condition[:1].upper() + step.trigger.condition[1:]
        response = step.trigger.response or f"we'll {step.action}"
        suggestion = (
            f'Try: "{condition}, {response.rstrip(".")}. Will you let me know the moment '
            'that happens?"'
        )
    elif step.kind in (StepKind.MEETING, StepKind.CALLBACK) or step.scheduling:
        at = when(step) if step.due is not None else f"{day} at 2pm"
        suggestion = f'Try: "Does {at} work on your end? I\'ll send the invite now."'
    elif step.owner == Owner.COUNTERPART:
        action = facing_them(step.action) if draft.unit.role == Role.COUNTERPART else step.action
        suggestion = f'Try: "So you\'ll {action} by {_by(step, draft)}, does that work?"'
    else:
        review = day if step.due is not None else _day_after(day, draft)
        suggestion = (
            f"Try: \"I'll {step.action} by {_by(step, draft)}. Can we book 20 minutes on "
            f'{review} to go through it?"'
        )
    return _finding("not_acknowledged", message, suggestion, draft)


_PERSON = re.compile(r"\b(?:I|me|my|mine|myself|you|your|yours|yourself)\b", re.IGNORECASE)
_FACING = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "you": "me", "your": "my", "yours": "mine", "yourself": "myself",
}  # fmt: skip


def facing_them(words: str) -> str:
    """Their words said back to them: "check my calendar and come back to you" becomes
    "check your calendar and come back to me"."""
    return _PERSON.sub(lambda m: _FACING[m.group(0).lower()], words)


def _day_after(weekday: str, draft: Draft) -> str:
    """The business day after the proposed one: a review comes after the thing is sent."""
    day = draft.unit.at.date()
    while day.strftime("%A") != weekday:
        day += timedelta(days=1)
    return _business_days_after(day, 1).strftime("%A")


def _by(step: Step, draft: Draft) -> str:
    return when(step) if step.due is not None else proposal_day(draft)


def ambiguous_time(step: Step, draft: Draft) -> Finding:
    time = draft.time
    assert time is not None
    rule = time.ambiguity or "it can be read two ways"
    return _finding(
        "ambiguous_time",
        f'"{time.text}" is ambiguous; read as {when(step)} ({rule}).',
        f'Try: "Just to confirm, that\'s {_full_date(step)}?"',
        draft,
    )


def _full_date(step: Step) -> str:
    if isinstance(step.due, datetime):
        return f"{step.due:%A %-d %B} at {_clock(step.due)}"
    if isinstance(step.due, date):
        return f"{step.due:%A %-d %B}"
    return "the date we said"


def deliverable_without_followup(step: Step, draft: Draft) -> Finding:
    return _finding(
        "deliverable_without_followup",
        f"You're sending something ({step.action}), but no review meeting is on the calendar: "
        "information sent, then what?",
        f'Try: "Can we book {proposal_day(draft, step)} at 2pm to go through it together once '
        'you have it?"',
        draft,
    )


def conversation_line(finding: Finding) -> str:
    """ "[28:45] You stated the next step ... Try: ..." for the conversation's findings."""
    stamp = ""
    if finding.evidence is not None:
        if finding.evidence.timestamp:
            stamp = f"[{finding.evidence.timestamp}] "
        else:
            stamp = f"[line {finding.evidence.line}] "
    suggestion = f" {finding.suggestion}" if finding.suggestion else ""
    return f"{stamp}{finding.message}{suggestion}"


def clear_no(evidence: Evidence) -> Finding:
    """A clear no closes the loop in one line: log the reason, ask what would change."""
    return Finding(
        code="clear_no",
        message=f'A clear no ("{quote(evidence.quote)}"): a clean ending, nothing to chase.',
        suggestion=(
            'Try: log the reason and close the loop: "Thanks for the straight answer. What '
            'would have to change for this to be worth another look?"'
        ),
        evidence=evidence,
    )


def tentative_yes(evidence: Evidence, said: date) -> Finding:
    """A tentative yes gets a follow-up with a purpose: the doubts, on a short call."""
    day = _business_days_after(said, 2).strftime("%A")
    return Finding(
        code="tentative_yes",
        message=f'A tentative yes ("{quote(evidence.quote)}") with nothing set to settle it.',
        suggestion=(
            f"Try: \"Bring your doubts to a 15-minute call on {day} at 10 and we'll go "
            'through them together."'
        ),
        evidence=evidence,
    )
