"""Block Kit pieces and Slack's limits. Pure: data in, JSON-ready dicts out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.nudges.messages import clock
from bot.slack.model import StepView

Block = dict[str, Any]

MESSAGE_BLOCKS = 50  # blocks in one message
VIEW_BLOCKS = 100  # blocks in a Home tab or a modal
SECTION_TEXT = 3000  # characters in a section's text
FALLBACK_TEXT = 150  # we keep the notification text short
BUTTON_TEXT = 75
CONTEXT_TEXT = 2000
HEADER_TEXT = 150
COMMAND_TEXT = 4000  # Slack cuts a slash command's text here

TIER_EMOJI = {"gold": ":first_place_medal:", "silver": ":second_place_medal:"}
TIER_EMOJI |= {"bronze": ":third_place_medal:", "none": ":warning:"}

FAILURE_WORDS = {
    "vague_action": "vague action",
    "vague_time": "no specific time",
    "no_time": "no time",
    "options_open": "options left open",
    "open_trigger": "open-ended trigger",
    "not_acknowledged": "no yes from the other side",
    "no_invite": "no calendar invite",
    "deliverable_without_followup": "deliverable without follow-up",
    "no_step": "no next step",
}


def escape(text: str) -> str:
    """Text as mrkdwn shows it literally (Slack's three control characters escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fallback(text: str) -> str:
    """The top-level ``text``: what a notification shows. One short line."""
    return clip(" ".join(text.split()), FALLBACK_TEXT)


def plain(text: str, limit: int = BUTTON_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def section(text: str, accessory: Block | None = None, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_TEXT)}}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = block_id
    return block


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_TEXT)}


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clip(t, CONTEXT_TEXT)} for t in texts[:10]],
    }


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str, style: str | None = None, confirm: Block | None = None
) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(text),
        "action_id": action_id,
        "value": value[:2000],
    }
    if style is not None:
        element["style"] = style
    if confirm is not None:
        element["confirm"] = confirm
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[:25]}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def due_words(step: StepView, tz: str) -> str:
    """The step's due in the rep's zone: "Wed 25 Nov 10am", or what was said."""
    if step.due is None:
        return step.due_text or "no date"
    local = step.due.astimezone(ZoneInfo(tz))
    if step.due_is_date:
        return f"{local:%a %-d %b}"
    return f"{local:%a %-d %b} {clock(local)}"


def status_words(step: StepView) -> str:
    if step.status == "done":
        return ":white_check_mark: done"
    if step.status == "dropped":
        return ":heavy_multiplication_x: not a next step"
    if step.secured:
        return ":white_check_mark: secured"
    if step.vague:
        return ":warning: vague"
    if not step.acknowledged:
        return ":hourglass: not acknowledged"
    return ":warning: not secured"


def duration_words(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours and hours % 24 == 0:
        days = hours // 24
        return "1 day" if days == 1 else f"{days} days"
    return "1 hour" if hours == 1 else f"{hours} hours"


def count_section_chars(blocks: list[Block]) -> int:
    """The longest section text (for tests and a last check before sending)."""
    return max((len(b["text"]["text"]) for b in blocks if b.get("type") == "section"), default=0)
