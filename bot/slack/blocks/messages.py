"""Short messages: help, my open steps, the pattern, the team view, the welcome, nudges
and digests, the request for missing notes, errors. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.nudges.model import NudgeReason, PlannedNudge
from bot.slack.blocks.analysis import step_buttons
from bot.slack.blocks.common import (
    FAILURE_WORDS,
    MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    context,
    divider,
    due_words,
    escape,
    fallback,
    header,
    section,
    status_words,
)
from bot.slack.model import COMMAND, ActionId, PatternView, StepView, TeamView

HELP = f"""*{COMMAND}* checks that your calls end with a secured next step: a specific action, \
a specific time and the other side's yes.
• `{COMMAND} <paste notes, a transcript or a recap email>`: the verdict, each step and what to fix
• `{COMMAND} list`: your open steps, numbered
• `{COMMAND} done N`: mark step N of the list done
• `{COMMAND} pattern`: how your last calls ended
• `{COMMAND} team`: each rep's secured rate and most common miss
• `{COMMAND} help`: this message
Pastes longer than Slack's 4,000 characters: use *Paste call notes* in the App Home tab, \
or the message shortcut *Check next steps* on a message."""

REASON_TITLES = {
    NudgeReason.VAGUE: "A vague next step",
    NudgeReason.UNACKNOWLEDGED: "Not acknowledged yet",
    NudgeReason.NO_INVITE: "No calendar invite",
    NudgeReason.NOT_ACCEPTED: "Invite not accepted",
    NudgeReason.DECLINED: "Invite declined",
    NudgeReason.CANCELLED: "Meeting cancelled",
    NudgeReason.MOVED: "Meeting moved",
    NudgeReason.OVERDUE: "Overdue",
    NudgeReason.TRIGGER_WINDOW: "Window closing",
    NudgeReason.PATTERN: "Your pattern this week",
}


def ephemeral(text: str, blocks: list[Block] | None = None) -> dict[str, Any]:
    return {
        "response_type": "ephemeral",
        "text": fallback(text),
        "blocks": blocks or [section(text)],
    }


def help_message(problem: str | None = None) -> dict[str, Any]:
    blocks = [section(f":warning: {escape(problem)}")] if problem else []
    blocks.append(section(HELP))
    return {
        "response_type": "ephemeral",
        "text": fallback(problem or f"How to use {COMMAND}"),
        "blocks": blocks,
    }


def error_message(problem: str) -> dict[str, Any]:
    return ephemeral(f":warning: {escape(problem)}")


def list_message(steps: Sequence[StepView], tz: str) -> dict[str, Any]:
    """``/nextstep list``: the open steps, numbered as ``done N`` reads them."""
    if not steps:
        return ephemeral("You have no open next steps.")
    blocks: list[Block] = [section(f"*Your open next steps* ({len(steps)})")]
    for number, step in enumerate(steps[: MESSAGE_BLOCKS - 2], start=1):
        blocks.append(
            section(
                f"*{number}.* {escape(step.action)}  ·  {escape(due_words(step, tz))}  ·  "
                f"{status_words(step)}\n> “{escape(step.evidence)}”"
            )
        )
    if len(steps) > MESSAGE_BLOCKS - 2:
        blocks.append(
            context(f"…and {len(steps) - (MESSAGE_BLOCKS - 2)} more in the App Home tab.")
        )
    return {
        "response_type": "ephemeral",
        "text": fallback(f"{len(steps)} open next steps"),
        "blocks": blocks,
    }


def done_message(step: StepView, number: int) -> dict[str, Any]:
    return ephemeral(f":white_check_mark: Marked done: *{number}. {escape(step.action)}*")


def pattern_blocks(pattern: PatternView) -> list[Block]:
    lines = [f":bar_chart: *{escape(pattern.sentence)}*"]
    if pattern.most_common_failure:
        words = FAILURE_WORDS.get(pattern.most_common_failure, pattern.most_common_failure)
        lines.append(f"Most common miss: {words}.")
    return [section("\n".join(lines))]


def pattern_message(pattern: PatternView) -> dict[str, Any]:
    if pattern.calls == 0:
        return ephemeral("No conversations of yours yet: the pattern starts with your first.")
    return {
        "response_type": "ephemeral",
        "text": fallback(pattern.sentence),
        "blocks": pattern_blocks(pattern),
    }


def team_message(team: TeamView) -> dict[str, Any]:
    """``/nextstep team``: each rep's secured rate and most common failure."""
    if not team.rows:
        return ephemeral("No conversations in this workspace yet.")
    lines = []
    for row in team.rows[:40]:
        miss = FAILURE_WORDS.get(row.most_common_failure or "", row.most_common_failure or "–")
        answered = f" · {row.answered}/{row.calls} a clear answer" if row.clear_no else ""
        lines.append(
            f"*{escape(row.rep)}*: {row.secured}/{row.calls} secured "
            f"({row.secured_rate:.0%}){answered} · most common miss: {escape(miss)}"
        )
    blocks = [section("*Team: secured next steps*"), section("\n".join(lines))]
    return {
        "response_type": "ephemeral",
        "text": fallback("Team: secured next steps"),
        "blocks": blocks,
    }


def welcome_message() -> dict[str, Any]:
    text = (
        ":wave: Hi! I check that your calls end with a *secured next step*: a specific action, "
        "a specific time and the other side's yes. Forward me a recap, paste your notes with "
        f"`{COMMAND}`, and I'll tell you what to fix. I nudge you only when it matters, never "
        "in your quiet hours. Your open steps live in my *Home* tab."
    )
    return {"text": fallback("Welcome to nextstep"), "blocks": [section(text)]}


def nudge_blocks(nudge: PlannedNudge, step: StepView | None) -> list[Block]:
    title = REASON_TITLES[nudge.reason]
    lines = [f"*{title}:* {escape(nudge.why)}"]
    if nudge.evidence:
        lines.append(f"> “{escape(nudge.evidence)}”")
    lines.append(f"*{escape(nudge.fix)}*")
    blocks = [section("\n".join(lines))]
    if step is not None and step.id is not None and step.status == "open":
        blocks.append(step_buttons(step))
    return blocks


def nudge_message(nudge: PlannedNudge, step: StepView | None) -> dict[str, Any]:
    """One nudge: why, the words it rests on, the fix, and the step's buttons."""
    return {
        "text": fallback(f"{REASON_TITLES[nudge.reason]}: {nudge.why}"),
        "blocks": nudge_blocks(nudge, step),
    }


def digest_message(items: Sequence[tuple[PlannedNudge, StepView | None]]) -> dict[str, Any]:
    """Several nudges as one message, most urgent first."""
    blocks: list[Block] = [header(f"Your next steps today ({len(items)})")]
    shown = 0
    for nudge, step in items:
        chunk = [divider(), *nudge_blocks(nudge, step)]
        if len(blocks) + len(chunk) > MESSAGE_BLOCKS - 1:
            break
        blocks += chunk
        shown += 1
    if shown < len(items):
        blocks.append(context(f"…and {len(items) - shown} more in the App Home tab."))
    return {"text": fallback(f"{len(items)} next steps need you today"), "blocks": blocks}


def notes_wanted_message(meeting: str, when: str) -> dict[str, Any]:
    """After a meeting with outsiders that left no notes: ask for them."""
    text = (
        f":memo: *{escape(meeting)}* ({escape(when)}) ended and I have no notes or transcript "
        "for it. What was agreed? Paste your notes and I'll check the next step."
    )
    return {
        "text": fallback(f"Notes for {meeting}?"),
        "blocks": [
            section(text),
            actions(button("Paste notes", ActionId.OPEN_PASTE, meeting[:200], "primary")),
        ],
    }
