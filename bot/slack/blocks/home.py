"""The App Home tab: open steps grouped by what they need, the pattern, the settings.
Pure: the steps, ``now`` and the rep's zone in, a ``home`` view out."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.slack.blocks.common import (
    VIEW_BLOCKS,
    Block,
    actions,
    button,
    context,
    divider,
    due_words,
    duration_words,
    escape,
    header,
    plain,
    section,
)
from bot.slack.model import ActionId, Delivery, HomeView, StepGroup, StepView

GROUP_TITLES = {
    StepGroup.OVERDUE: ":red_circle: Overdue",
    StepGroup.NEEDS_INVITE: ":calendar: Needs an invite",
    StepGroup.AWAITING: ":hourglass_flowing_sand: Awaiting acceptance",
    StepGroup.VAGUE_OR_UNACKNOWLEDGED: ":warning: Vague or unacknowledged",
    StepGroup.ON_TRACK: ":white_check_mark: On track",
}

MENU = (
    ("Mark done", "done"),
    ("Mark acknowledged", "acknowledged"),
    ("Not a next step", "dropped"),
    ("Snooze", "snooze"),
    ("Set date/time", "set_due"),
)


def past_due(step: StepView, now: datetime, tz: str) -> bool:
    if step.due is None:
        return False
    if not step.due_is_date:
        return step.due <= now
    day = step.due.astimezone(ZoneInfo(tz)).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)) <= now


def home_group(step: StepView, now: datetime, tz: str) -> StepGroup:
    if past_due(step, now, tz):
        return StepGroup.OVERDUE
    if step.calendar in ("no_invite", "declined", "cancelled"):
        return StepGroup.NEEDS_INVITE
    if step.calendar in ("awaiting", "tentative"):
        return StepGroup.AWAITING
    if step.vague or not step.acknowledged:
        return StepGroup.VAGUE_OR_UNACKNOWLEDGED
    return StepGroup.ON_TRACK


def grouped(
    steps: tuple[StepView, ...] | list[StepView], now: datetime, tz: str
) -> dict[StepGroup, list[StepView]]:
    groups: dict[StepGroup, list[StepView]] = {g: [] for g in StepGroup}
    for step in steps:
        if step.status == "open":
            groups[home_group(step, now, tz)].append(step)
    return groups


def step_menu(step: StepView) -> Block:
    return {
        "type": "overflow",
        "action_id": ActionId.STEP_MENU,
        "options": [{"text": plain(label), "value": f"{what}:{step.id}"} for label, what in MENU],
    }


def step_line(step: StepView, tz: str, now: datetime) -> Block:
    text = f"*{escape(step.action)}*  ·  {escape(due_words(step, tz))}\n> “{escape(step.evidence)}”"
    if step.fix and not step.secured:
        text += f"\n{escape(step.fix)}"
    if step.snoozed_until and step.snoozed_until > now:
        local = step.snoozed_until.astimezone(ZoneInfo(tz))
        text += f"\n:zzz: snoozed until {local:%a %-d %b %H:%M}"
    return section(text, accessory=step_menu(step) if step.id is not None else None)


def settings_blocks(view: HomeView) -> list[Block]:
    prefs = view.preferences
    if prefs.quiet_start and prefs.quiet_end:
        quiet = f"{prefs.quiet_start:%H:%M}–{prefs.quiet_end:%H:%M}"
    else:
        quiet = "none"
    delivery = "one daily digest" if prefs.delivery == Delivery.DIGEST else "as they happen"
    return [
        header("Settings"),
        section(
            f"*Quiet hours:* {quiet} ({escape(view.tz)})\n*Nudges:* {delivery}\n"
            f"*Snooze:* {duration_words(prefs.snooze)}",
            accessory=button("Edit settings", ActionId.OPEN_PREFERENCES, "preferences"),
        ),
    ]


def home_view(view: HomeView, now: datetime) -> dict[str, Any]:
    """The Home tab; at most 100 blocks (long groups are cut with a count)."""
    top: list[Block] = [
        header("Your next steps"),
        actions(button("Paste call notes", ActionId.OPEN_PASTE, "home", "primary")),
    ]
    if view.pattern is not None:
        top.append(section(f":bar_chart: *Your pattern:* {escape(view.pattern.sentence)}"))
    bottom = [divider(), *settings_blocks(view)]
    budget = VIEW_BLOCKS - len(top) - len(bottom) - 1  # one kept for the last line
    body: list[Block] = []
    groups = grouped(view.steps, now, view.tz)
    if not any(groups.values()):
        body.append(section("No open next steps. Paste your notes after your next call."))
    hidden = 0
    for group, steps in groups.items():
        if not steps:
            continue
        if hidden or budget - len(body) < 4:  # a title, one step and a "more" line
            hidden += len(steps)
            continue
        body += [divider(), section(f"*{GROUP_TITLES[group]}* ({len(steps)})")]
        for index, step in enumerate(steps):
            left = len(steps) - index
            if budget - len(body) < (2 if left > 1 else 1):
                body.append(context(f"…and {left} more in this group."))
                break
            body.append(step_line(step, view.tz, now))
    if hidden:
        body.append(context(f"…and {hidden} more open steps."))
    return {"type": "home", "blocks": top + body + bottom}
