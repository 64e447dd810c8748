"""Modals: set a step's date and time, paste notes, edit settings. Pure."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.slack.blocks.common import Block, clip, duration_words, escape, plain, section
from bot.slack.model import Delivery, InputId, SlackPreferences, StepView, ViewId

PASTE_MAX = 3000  # Slack's limit for a plain-text input
SNOOZE_CHOICES: tuple[timedelta, ...] = tuple(
    timedelta(hours=h) for h in (1, 4, 24, 3 * 24, 7 * 24)
)


def modal(
    callback_id: str, title: str, blocks: list[Block], submit: str, metadata: str = ""
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain("Cancel", 24),
        "private_metadata": metadata[:3000],
        "blocks": blocks,
    }


def input_block(block_id: str, label: str, element: Block, optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }


def set_due_modal(step: StepView, tz: str, now: datetime) -> dict[str, Any]:
    """Date and time pickers, in the rep's zone, for one step (its id in the metadata)."""
    start = (step.due or now).astimezone(ZoneInfo(tz))
    date_picker: Block = {
        "type": "datepicker",
        "action_id": InputId.DUE_DATE,
        "initial_date": f"{start:%Y-%m-%d}",
    }
    time_picker: Block = {
        "type": "timepicker",
        "action_id": InputId.DUE_TIME,
        "initial_time": "10:00" if step.due is None or step.due_is_date else f"{start:%H:%M}",
    }
    blocks = [
        section(f"*{escape(step.action)}*\n> “{escape(clip(step.evidence, 500))}”"),
        input_block(InputId.DUE_DATE, "Date", date_picker),
        input_block(InputId.DUE_TIME, f"Time ({tz})", time_picker, optional=True),
    ]
    return modal(ViewId.SET_DUE, "Set date and time", blocks, "Save", metadata=str(step.id))


def paste_modal(metadata: str = "") -> dict[str, Any]:
    text_input: Block = {
        "type": "plain_text_input",
        "action_id": InputId.PASTED_TEXT,
        "multiline": True,
        "max_length": PASTE_MAX,
        "placeholder": plain("Your call notes, a transcript or a recap email", 150),
    }
    blocks = [input_block(InputId.PASTED_TEXT, "What was said or agreed", text_input)]
    return modal(ViewId.PASTE, "Check next steps", blocks, "Check", metadata=metadata)


def _option(label: str, value: str) -> Block:
    return {"text": plain(label), "value": value}


def preferences_modal(prefs: SlackPreferences) -> dict[str, Any]:
    def clock_picker(action_id: str, value: time | None) -> Block:
        picker: Block = {"type": "timepicker", "action_id": action_id}
        if value is not None:
            picker["initial_time"] = f"{value:%H:%M}"
        return picker

    delivery_options = [
        _option("Each nudge as it happens", Delivery.INSTANT),
        _option("One daily digest", Delivery.DIGEST),
    ]
    delivery: Block = {
        "type": "radio_buttons",
        "action_id": InputId.DELIVERY,
        "options": delivery_options,
        "initial_option": delivery_options[prefs.delivery == Delivery.DIGEST],
    }
    snooze_options = [
        _option(duration_words(c), str(int(c.total_seconds() // 3600))) for c in SNOOZE_CHOICES
    ]
    current = str(int(prefs.snooze.total_seconds() // 3600))
    snooze: Block = {
        "type": "static_select",
        "action_id": InputId.SNOOZE_HOURS,
        "options": snooze_options,
    }
    chosen = [o for o in snooze_options if o["value"] == current]
    if chosen:
        snooze["initial_option"] = chosen[0]
    blocks = [
        input_block(
            InputId.QUIET_START,
            "Quiet hours start",
            clock_picker(InputId.QUIET_START, prefs.quiet_start),
            True,
        ),
        input_block(
            InputId.QUIET_END,
            "Quiet hours end",
            clock_picker(InputId.QUIET_END, prefs.quiet_end),
            True,
        ),
        input_block(InputId.DELIVERY, "Nudges", delivery),
        input_block(InputId.SNOOZE_HOURS, "Snooze for", snooze),
    ]
    return modal(ViewId.PREFERENCES, "Settings", blocks, "Save")


def _value(state: dict[str, Any], block_id: str) -> dict[str, Any]:
    return state.get("values", {}).get(block_id, {}).get(block_id, {})


def read_due(state: dict[str, Any], tz: str) -> datetime:
    """The chosen date and time as an aware datetime in the rep's zone (10:00 if no time)."""
    day = _value(state, InputId.DUE_DATE).get("selected_date")
    if not day:
        raise ValueError("Pick a date.")
    clock = _value(state, InputId.DUE_TIME).get("selected_time") or "10:00"
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZoneInfo(tz))


def read_pasted(state: dict[str, Any]) -> str:
    return (_value(state, InputId.PASTED_TEXT).get("value") or "").strip()


def read_preferences(state: dict[str, Any]) -> SlackPreferences:
    def clock(block_id: str) -> time | None:
        chosen = _value(state, block_id).get("selected_time")
        return time.fromisoformat(chosen) if chosen else None

    delivery = (_value(state, InputId.DELIVERY).get("selected_option") or {}).get("value")
    hours = (_value(state, InputId.SNOOZE_HOURS).get("selected_option") or {}).get("value")
    return SlackPreferences(
        quiet_start=clock(InputId.QUIET_START),
        quiet_end=clock(InputId.QUIET_END),
        delivery=Delivery(delivery or Delivery.INSTANT),
        snooze=timedelta(hours=int(hours or 24)),
    )
