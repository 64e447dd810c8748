"""What each nudge says: why it was sent and the fix to try, in the rubric's coaching
voice. Pure: a step's facts and the rep's zone in, words out."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.nudges.model import NudgeReason, RecentOutcome, StepFacts

QUOTE_CHARS = 200

FAILURE_WORDS = {
    "vague_action": "a vague action",
    "vague_time": "no specific time",
    "no_time": "no time at all",
    "options_open": "options left open",
    "open_trigger": "an open-ended trigger",
    "not_acknowledged": "no yes from the other side",
    "no_invite": "no calendar invite",
    "deliverable_without_followup": "a deliverable with no follow-up",
    "no_step": "no next step at all",
}


def quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def due_words(step: StepFacts, tz: str) -> str:
    """The step's due as a rep would say it: "Wednesday 2pm", "Monday"."""
    if step.due is None:
        return step.due_text or "the agreed time"
    local = step.due.astimezone(ZoneInfo(tz))
    if step.due_is_date:
        return f"{local:%A %-d %b}"
    return f"{local:%A %-d %b} {clock(local)}"


def why(reason: NudgeReason, step: StepFacts, tz: str) -> str:
    action = step.action
    when = due_words(step, tz)
    who = step.counterpart or "The other side"
    match reason:
        case NudgeReason.VAGUE:
            return f'"{action}" has no specific action or time: it is a stall, not a step.'
        case NudgeReason.UNACKNOWLEDGED:
            return "You stated the next step but the other side didn't confirm."
        case NudgeReason.NO_INVITE:
            return f"The {when} {action} has no calendar invite yet."
        case NudgeReason.NOT_ACCEPTED:
            return f"{who} hasn't accepted the {when} invite for {action}."
        case NudgeReason.DECLINED:
            return f"{who} declined the {when} invite for {action}."
        case NudgeReason.CANCELLED:
            return f"The {when} meeting for {action} was cancelled."
        case NudgeReason.MOVED:
            return f"The meeting for {action} was moved; it is now {when}."
        case NudgeReason.OVERDUE:
            return f'"{action}" was due {when} and is not marked done.'
        case NudgeReason.TRIGGER_WINDOW:
            end = step.window_ends_at or step.due
            left = f" (closes {clock(end.astimezone(ZoneInfo(tz)))})" if end else ""
            return f'The window you committed to for "{action}" is running out{left}.'
        case NudgeReason.PATTERN | NudgeReason.POST_MEETING | NudgeReason.NOTES_WANTED:
            return ""  # not about one step


def fix(reason: NudgeReason, step: StepFacts, tz: str) -> str:
    """The "Try:" line: the engine's own suggestion where it has one."""
    when = due_words(step, tz)
    if reason in (NudgeReason.VAGUE, NudgeReason.UNACKNOWLEDGED) and step.suggestion:
        return step.suggestion if step.suggestion.startswith("Try") else f"Try: {step.suggestion}"
    match reason:
        case NudgeReason.VAGUE:
            return 'Try: "Can we lock in Tuesday at 2pm to review this together?"'
        case NudgeReason.UNACKNOWLEDGED:
            return f'Try: "Does {when} work on your end? I\'ll send the invite now."'
        case NudgeReason.NO_INVITE:
            return f"Try: send the invite for {when} now, while the call is fresh."
        case NudgeReason.NOT_ACCEPTED:
            return f'Try: "Just checking {when} still works: could you accept the invite?"'
        case NudgeReason.DECLINED | NudgeReason.CANCELLED:
            return 'Try: "Sorry the time fell through. Does Thursday at 10 or 2 work instead?"'
        case NudgeReason.MOVED:
            return f'Try: "Thanks for moving it; confirming {when}. Anything to prepare?"'
        case NudgeReason.OVERDUE:
            return "Try: do it today and say when the other side will hear next, or mark it done."
        case NudgeReason.TRIGGER_WINDOW:
            return "Try: check whether the trigger happened and follow up before the window closes."
        case NudgeReason.PATTERN | NudgeReason.POST_MEETING | NudgeReason.NOTES_WANTED:
            return ""  # not about one step


def most_common_failure(outcomes: list[RecentOutcome]) -> str | None:
    failures = Counter(o.failure for o in outcomes if not o.secured and o.failure)
    if not failures:
        return None
    return failures.most_common(1)[0][0]


def pattern_sentence(outcomes: list[RecentOutcome]) -> str:
    """ "4 of your last 5 calls ended without a secured next step." """
    total = len(outcomes)
    unsecured = sum(1 for o in outcomes if not o.secured and not o.clear_no)
    noun = "call" if total == 1 else "calls"
    sentence = f"{unsecured} of your last {total} {noun} ended without a secured next step."
    clear_no = sum(1 for o in outcomes if o.clear_no)
    if clear_no:
        answered = total - unsecured
        sentence += (
            f" {answered} of {total} ended with a clear answer; {clear_no} of them a clear no,"
            " which is a clean ending."
        )
    return sentence


def pattern_fix(outcomes: list[RecentOutcome]) -> str:
    failure = most_common_failure(outcomes)
    if failure in ("vague_action", "vague_time", "no_time", "options_open"):
        return 'Try: before you hang up, name the day and time: "Can we lock in Tuesday at 2pm?"'
    if failure == "not_acknowledged":
        return 'Try: ask for the yes out loud: "Does 2pm Tuesday work on your end?"'
    if failure == "deliverable_without_followup":
        return "Try: no proposal without a scheduled review: book the review when you send it."
    return "Try: leave every call with a clear yes or a clear no: a day, a time and their yes."
