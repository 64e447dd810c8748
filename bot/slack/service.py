"""The use cases the Slack listeners call, and nothing else: a narrow ``Protocol`` the
Bolt layer depends on, with an in-memory fake (``InMemorySlackService``) for listener
tests. The real implementation sits over the application layer.

Every call names the ``SlackUser`` asking; an implementation scopes everything to that
user's team (nothing of one workspace is visible from another) and raises
``SlackUseError`` (its message is shown to the user) for a step that is not theirs.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Protocol

from bot.errors import NextStepError
from bot.slack.model import (
    AnalysisView,
    PatternView,
    SlackPreferences,
    SlackUser,
    StepView,
    TeamRow,
    TeamView,
)


class SlackUseError(NextStepError):
    """That did not work."""

    @property
    def message(self) -> str:
        return self.detail or super().message


class SlackService(Protocol):
    def now(self) -> datetime:
        """The clock (aware)."""
        ...

    def first_delivery(self, event_id: str, *, team_id: str) -> bool:
        """True the first time an Events API ``event_id`` is seen (retries are not)."""
        ...

    def first_contact(self, user: SlackUser) -> bool:
        """True exactly once per user: the welcome is due."""
        ...

    def zone(self, user: SlackUser) -> str:
        """The IANA zone the user's times are shown and read in."""
        ...

    def analyze_text(self, user: SlackUser, text: str) -> AnalysisView:
        """Analyse pasted text; nothing is tracked until ``save_analysis``."""
        ...

    def save_analysis(self, user: SlackUser, token: str) -> AnalysisView:
        """Store an analysis made by ``analyze_text``; its steps get ids."""
        ...

    def open_steps(self, user: SlackUser) -> list[StepView]:
        """The user's open steps, oldest first: ``done N`` counts in this order."""
        ...

    def step(self, user: SlackUser, step_id: int) -> StepView: ...

    def mark_done(self, user: SlackUser, step_id: int) -> StepView: ...

    def mark_acknowledged(self, user: SlackUser, step_id: int) -> StepView: ...

    def mark_dropped(self, user: SlackUser, step_id: int) -> StepView: ...

    def set_due(self, user: SlackUser, step_id: int, due: datetime) -> StepView: ...

    def snooze(self, user: SlackUser, step_id: int) -> StepView:
        """Hold the step's nudges back for the user's snooze time."""
        ...

    def pattern(self, user: SlackUser) -> PatternView: ...

    def team(self, user: SlackUser) -> TeamView: ...

    def preferences(self, user: SlackUser) -> SlackPreferences: ...

    def set_preferences(
        self, user: SlackUser, preferences: SlackPreferences
    ) -> SlackPreferences: ...


# --- the fake ------------------------------------------------------------------------


def fake_analysis(text: str) -> AnalysisView:
    """A stand-in analysis for listener tests: one step per line starting "- "; a line
    with "?" is not acknowledged, "next week" makes it vague."""
    steps = []
    for line in text.splitlines():
        if line.startswith("- "):
            words = line[2:].strip()
            vague = "next week" in words
            steps.append(
                StepView(
                    action=words.rstrip("?."),
                    kind="meeting",
                    secured=not vague and "?" not in words,
                    acknowledged="?" not in words,
                    vague=vague,
                    evidence=words,
                    fix='Try: "Can we lock in Tuesday at 2pm?"' if vague else None,
                )
            )
    secured = any(s.secured for s in steps)
    reason = "Secured (gold): fake." if secured else "Not secured: fake."
    return AnalysisView(
        secured=secured, tier="gold" if secured else "none", reason=reason, steps=tuple(steps)
    )


@dataclass
class InMemorySlackService:
    """Everything in dicts, keyed by team: the fake at the listeners' own protocol."""

    clock: datetime = field(default_factory=lambda: datetime(2026, 11, 19, 23, 0, tzinfo=UTC))
    tz: str = "America/Los_Angeles"
    managers: set[str] = field(default_factory=set)  # user ids allowed the team view
    events: set[tuple[str, str]] = field(default_factory=set)
    contacted: set[tuple[str, str]] = field(default_factory=set)
    pending: dict[str, tuple[SlackUser, str]] = field(default_factory=dict)
    steps: dict[int, tuple[SlackUser, StepView]] = field(default_factory=dict)
    saved: list[tuple[SlackUser, AnalysisView]] = field(default_factory=list)
    prefs: dict[tuple[str, str], SlackPreferences] = field(default_factory=dict)
    calls: list[tuple[str, object]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> datetime:
        return self.clock

    def first_delivery(self, event_id: str, *, team_id: str) -> bool:
        with self._lock:
            key = (team_id, event_id)
            if key in self.events:
                return False
            self.events.add(key)
            return True

    def first_contact(self, user: SlackUser) -> bool:
        with self._lock:
            key = (user.team_id, user.user_id)
            if key in self.contacted:
                return False
            self.contacted.add(key)
            return True

    def zone(self, user: SlackUser) -> str:
        return self.tz

    def analyze_text(self, user: SlackUser, text: str) -> AnalysisView:
        self.calls.append(("analyze_text", text))
        view = fake_analysis(text)
        with self._lock:
            token = f"pending-{next(self._ids)}"
            self.pending[token] = (user, text)
        return replace(view, save_token=token)

    def save_analysis(self, user: SlackUser, token: str) -> AnalysisView:
        with self._lock:
            owner, text = self.pending.get(token, (None, ""))
            if owner is None or owner.team_id != user.team_id or owner.user_id != user.user_id:
                raise SlackUseError("That analysis is no longer there; paste the notes again.")
            del self.pending[token]
            view = fake_analysis(text)
            steps = []
            for step in view.steps:
                saved = replace(step, id=next(self._ids))
                self.steps[saved.id or 0] = (user, saved)
                steps.append(saved)
            view = replace(view, steps=tuple(steps), conversation_id=next(self._ids))
            self.saved.append((user, view))
            return view

    def _mine(self, user: SlackUser, step_id: int) -> StepView:
        owner, step = self.steps.get(step_id, (None, None))
        if (
            owner is None
            or step is None
            or (owner.team_id, owner.user_id)
            != (
                user.team_id,
                user.user_id,
            )
        ):
            raise SlackUseError(f"Step {step_id} is not one of your next steps.")
        return step

    def _change(self, user: SlackUser, step_id: int, **changes: object) -> StepView:
        with self._lock:
            step = replace(self._mine(user, step_id), **changes)  # type: ignore[arg-type]
            self.steps[step_id] = (user, step)
            self.calls.append(("change", (step_id, changes)))
            return step

    def open_steps(self, user: SlackUser) -> list[StepView]:
        return [
            s
            for owner, s in self.steps.values()
            if (owner.team_id, owner.user_id) == (user.team_id, user.user_id) and s.status == "open"
        ]

    def step(self, user: SlackUser, step_id: int) -> StepView:
        return self._mine(user, step_id)

    def mark_done(self, user: SlackUser, step_id: int) -> StepView:
        return self._change(user, step_id, status="done")

    def mark_acknowledged(self, user: SlackUser, step_id: int) -> StepView:
        step = self._mine(user, step_id)
        return self._change(user, step_id, acknowledged=True, secured=not step.vague)

    def mark_dropped(self, user: SlackUser, step_id: int) -> StepView:
        return self._change(user, step_id, status="dropped")

    def set_due(self, user: SlackUser, step_id: int, due: datetime) -> StepView:
        return self._change(user, step_id, due=due, due_is_date=False, vague=False)

    def snooze(self, user: SlackUser, step_id: int) -> StepView:
        until = self.clock + self.preferences(user).snooze
        return self._change(user, step_id, snoozed_until=until)

    def pattern(self, user: SlackUser) -> PatternView:
        mine = [v for u, v in self.saved if (u.team_id, u.user_id) == (user.team_id, user.user_id)]
        recent = mine[-5:]
        unsecured = sum(1 for v in recent if not v.secured)
        noun = "call" if len(recent) == 1 else "calls"
        return PatternView(
            calls=len(recent),
            unsecured=unsecured,
            clear_no=0,
            most_common_failure="vague_time" if unsecured else None,
            sentence=(
                f"{unsecured} of your last {len(recent)} {noun} ended without a secured next step."
            ),
        )

    def team(self, user: SlackUser) -> TeamView:
        if user.user_id not in self.managers:
            raise SlackUseError("The team view is for managers.")
        per_rep: Counter[str] = Counter()
        secured: Counter[str] = Counter()
        for owner, view in self.saved:
            if owner.team_id == user.team_id:
                per_rep[owner.user_id] += 1
                secured[owner.user_id] += int(view.secured)
        rows = tuple(
            TeamRow(rep=rep, calls=n, secured=secured[rep], most_common_failure=None)
            for rep, n in sorted(per_rep.items())
        )
        return TeamView(rows=rows)

    def preferences(self, user: SlackUser) -> SlackPreferences:
        return self.prefs.get((user.team_id, user.user_id), SlackPreferences())

    def set_preferences(self, user: SlackUser, preferences: SlackPreferences) -> SlackPreferences:
        self.prefs[(user.team_id, user.user_id)] = preferences
        return preferences
