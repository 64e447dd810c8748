"""A conversation's verdict with its steps: the reply to ``/nextstep <paste>`` and the
post-meeting DM. Pure."""

from __future__ import annotations

from typing import Any

from bot.slack.blocks.common import (
    MESSAGE_BLOCKS,
    TIER_EMOJI,
    Block,
    actions,
    button,
    context,
    divider,
    due_words,
    escape,
    fallback,
    section,
    status_words,
)
from bot.slack.model import ActionId, AnalysisView, StepView


def verdict_line(view: AnalysisView) -> str:
    if view.secured:
        return f"{TIER_EMOJI.get(view.tier, '')} *Secured* (tier: {view.tier})".strip()
    if view.clear_no:
        return ":no_entry_sign: *A clear no* (a clean ending, not a stall)"
    return ":warning: *Not secured*"


def step_blocks(step: StepView, number: int, tz: str, *, buttons: bool) -> list[Block]:
    """A step: what, when, its status; the evidence; what to fix; its buttons."""
    who = f"{escape(step.speaker)}: " if step.speaker else ""
    lines = [
        f"*{number}. {escape(step.action)}*  ·  {escape(due_words(step, tz))}  ·  "
        f"{status_words(step)}",
        f"> {who}“{escape(step.evidence)}”",
    ]
    if step.problem and not step.secured:
        lines.append(escape(step.problem))
    if step.fix and not step.secured:
        fix = step.fix if step.fix.startswith("Try") else f"Try: {step.fix}"
        lines.append(f"*{escape(fix)}*")
    blocks: list[Block] = [section("\n".join(lines))]
    if buttons and step.id is not None and step.status == "open":
        blocks.append(step_buttons(step))
    return blocks


def step_buttons(step: StepView) -> Block:
    value = str(step.id)
    row: list[Block] = []
    if not step.acknowledged:
        row.append(button("Mark acknowledged", ActionId.MARK_ACKNOWLEDGED, value, "primary"))
    row += [
        button("Set date/time", ActionId.SET_DUE, value),
        button("Mark done", ActionId.MARK_DONE, value),
        button("Not a next step", ActionId.NOT_A_STEP, value),
        button("Snooze", ActionId.SNOOZE, value),
    ]
    return actions(*row, block_id=f"step:{step.id}")


def _steps_within(
    view: AnalysisView, tz: str, budget: int, *, buttons: bool
) -> tuple[list[Block], int]:
    """The steps' blocks that fit in ``budget`` blocks, and how many steps were left out."""
    out: list[Block] = []
    for index, step in enumerate(view.steps, start=1):
        blocks = step_blocks(step, index, tz, buttons=buttons)
        if len(out) + len(blocks) > budget:
            return out, len(view.steps) - index + 1
        out += blocks
    return out, 0


def analysis_message(view: AnalysisView, tz: str) -> dict[str, Any]:
    """The ephemeral reply to a paste: verdict, each step with its evidence and "Try:"
    line, and a button to save it (while it is not saved)."""
    head = [section(f"{verdict_line(view)}\n{escape(view.reason)}")]
    if not view.steps:
        head.append(context("No next step was committed in what you pasted."))
    tail: list[Block] = []
    if view.save_token:
        tail = [
            divider(),
            actions(
                button(
                    "Save and track these steps", ActionId.SAVE_ANALYSIS, view.save_token, "primary"
                ),
                block_id="save",
            ),
        ]
    budget = MESSAGE_BLOCKS - len(head) - len(tail) - 1
    steps, left = _steps_within(view, tz, budget, buttons=view.save_token is None)
    if left:
        steps.append(context(f"…and {left} more steps; all of them are in the App Home tab."))
    verdict = "Secured" if view.secured else "Not secured"
    text = f"{verdict}: {len(view.steps)} next step{'s' if len(view.steps) != 1 else ''} found"
    return {
        "response_type": "ephemeral",
        "text": fallback(text),
        "blocks": head + steps + tail,
    }


def post_meeting_message(view: AnalysisView, tz: str) -> dict[str, Any]:
    """The DM after a recap, transcript or Gmail message was analysed: verdict, each
    step with status, evidence, the fix and its buttons."""
    subject = f" · {escape(view.subject)}" if view.subject else ""
    head = [
        section(f"{verdict_line(view)}{subject}\n{escape(view.reason)}"),
    ]
    budget = MESSAGE_BLOCKS - len(head) - 1
    steps, left = _steps_within(view, tz, budget, buttons=True)
    if left:
        steps.append(context(f"…and {left} more steps; all of them are in the App Home tab."))
    what = view.subject or "your last conversation"
    text = f"{'Secured' if view.secured else 'Not secured'}: {what}"
    return {"text": fallback(text), "blocks": head + steps}


def with_step_note(message_blocks: list[Block], step_id: int, note: str) -> list[Block]:
    """A posted message's blocks with the step's buttons replaced by what was done."""
    return [
        context(note) if block.get("block_id") == f"step:{step_id}" else block
        for block in message_blocks
    ]
