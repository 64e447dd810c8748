"""A step while it is being read: the words that state it, its time, and what it overrode."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.engine.model import Grain, Owner, StepKind, TimeExpression, Trigger
from bot.engine.patterns import ci
from bot.engine.units import Unit

# Work per step is bounded, so a dense 5 MB input costs the same per word as a short one:
STATEMENTS_KEPT = 8  # a step's latest statements, where its acknowledgment is looked for


SUPERSEDED_KEPT = 8  # the first words a step overrode and the latest ones


_OPTIONS = ci(r"\bor\b")


@dataclass
class Draft:
    kind: StepKind
    owner: Owner
    owner_name: str | None
    action: str
    specific_action: bool
    unit: Unit  # the latest words that state the step
    clause: str
    time: TimeExpression | None
    times: list[TimeExpression]
    trigger: Trigger | None = None
    weak_trigger: bool = False
    options: bool = False
    participants: list[str] = field(default_factory=list)
    purpose: str | None = None
    units: list[Unit] = field(default_factory=list)  # statements since the time last changed
    superseded: list[Unit] = field(default_factory=list)
    withdrawn: Unit | None = None  # later words that took the agreed time back

    @property
    def specific_time(self) -> bool:
        return self.time is not None and self.time.specific and not self.options


_CLOCK_ONLY = ci(
    r"^(?:at|by|around|about|@|from)?\s*(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m?\.?)?|noon|midday)"
    r"(?:\s+[A-Za-z]{1,8})?$"
)


def clock_only(time: TimeExpression) -> bool:
    return time.has_time_of_day and _CLOCK_ONLY.match(time.text.strip()) is not None


def combine(times: list[TimeExpression]) -> list[TimeExpression]:
    """ "Jan 11 at Lakeshore Title, 1pm": a day and a separate clock time make one moment."""
    days = [t for t in times if t.specific and t.grain == Grain.DAY and t.value is not None]
    clocks = [t for t in times if clock_only(t) and t.value is not None]
    if len(days) != 1 or len(clocks) != 1:
        return times
    day, clock = days[0], clocks[0]
    assert day.value is not None and clock.value is not None
    moment = datetime.combine(day.value.date(), clock.value.timetz().replace(tzinfo=None))
    value = moment.replace(tzinfo=day.value.tzinfo)
    merged = replace(
        day,
        text=f"{day.text} {clock.text}",
        end=max(day.end, clock.end),
        value=value,
        grain=Grain.MINUTE,
        deadline=day.deadline or clock.deadline,
    )
    return [merged if t is day else t for t in times if t is not clock]


def choose_time(times: list[TimeExpression]) -> TimeExpression | None:
    if not times:
        return None
    specific = [t for t in times if t.specific]
    if specific:
        timed = [t for t in specific if t.has_time_of_day]
        return (timed or specific)[-1] if len(specific) > 1 else specific[0]
    return times[0]


def has_options(text: str, times: list[TimeExpression]) -> bool:
    specific = [t for t in times if t.specific]
    if len(specific) < 2:
        return False
    between = text[specific[0].end : specific[1].start]
    return _OPTIONS.search(between) is not None


def state(draft: Draft, unit: Unit) -> None:
    draft.units.append(unit)
    if len(draft.units) > STATEMENTS_KEPT:
        del draft.units[0]


def supersede(draft: Draft) -> None:
    """Keep the first words the step overrode and the latest ones, never an unbounded list."""
    draft.superseded.append(draft.unit)
    if len(draft.superseded) > SUPERSEDED_KEPT:
        del draft.superseded[1]
