"""What the Slack front end shows and which ids it speaks: plain data the service hands
to the Block Kit builders, and the vocabularies of action ids, view callbacks and
commands that the manifest, the builders and the listeners must agree on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum


class ActionId(StrEnum):
    """Every interactive element's ``action_id``; each has a listener."""

    SAVE_ANALYSIS = "save_analysis"
    MARK_ACKNOWLEDGED = "mark_acknowledged"
    SET_DUE = "set_due"  # opens the date and time pickers
    MARK_DONE = "mark_done"
    NOT_A_STEP = "not_a_step"
    SNOOZE = "snooze"
    STEP_MENU = "step_menu"  # App Home: one overflow menu per step
    OPEN_PASTE = "open_paste"  # opens the paste modal
    OPEN_PREFERENCES = "open_preferences"


class InputId(StrEnum):
    """``action_id``s of modal inputs: read from ``view.state``, no listener of their own."""

    DUE_DATE = "due_date"
    DUE_TIME = "due_time"
    PASTED_TEXT = "pasted_text"
    QUIET_START = "quiet_start"
    QUIET_END = "quiet_end"
    DELIVERY = "delivery"
    SNOOZE_HOURS = "snooze_hours"


class ViewId(StrEnum):
    """Modal ``callback_id``s; each has a view-submission listener."""

    SET_DUE = "set_due_view"
    PASTE = "paste_view"
    PREFERENCES = "preferences_view"


class ShortcutId(StrEnum):
    ANALYZE_MESSAGE = "analyze_message"  # a message shortcut: long pastes


class Subcommand(StrEnum):
    HELP = "help"
    LIST = "list"
    DONE = "done"
    PATTERN = "pattern"
    TEAM = "team"


COMMAND = "/nextstep"


class StepGroup(StrEnum):
    """App Home's groups, most pressing first."""

    OVERDUE = "overdue"
    NEEDS_INVITE = "needs_invite"
    AWAITING = "awaiting"
    VAGUE_OR_UNACKNOWLEDGED = "vague_or_unacknowledged"
    ON_TRACK = "on_track"


class Delivery(StrEnum):
    INSTANT = "instant"
    DIGEST = "digest"


@dataclass(frozen=True)
class SlackUser:
    """Who is asking: a Slack user in one workspace. Everything is scoped to the team."""

    team_id: str
    user_id: str
    enterprise_id: str | None = None


@dataclass(frozen=True)
class StepView:
    """One next step as a rep sees it."""

    action: str
    kind: str
    secured: bool
    acknowledged: bool
    evidence: str
    id: int | None = None  # None before the analysis is saved
    status: str = "open"  # open / done / dropped
    due: datetime | None = None
    due_is_date: bool = False
    due_text: str | None = None
    speaker: str | None = None
    problem: str | None = None  # the first finding's message
    fix: str | None = None  # "Try: ..."
    vague: bool = False
    calendar: str | None = None  # the calendar's word: no_invite, awaiting, ...
    snoozed_until: datetime | None = None
    conversation_subject: str | None = None


@dataclass(frozen=True)
class AnalysisView:
    """A conversation's verdict and its steps."""

    secured: bool
    tier: str
    reason: str
    steps: tuple[StepView, ...]
    save_token: str | None = None  # what the Save button sends back; None once saved
    conversation_id: int | None = None
    subject: str | None = None
    clear_no: bool = False


@dataclass(frozen=True)
class PatternView:
    calls: int
    unsecured: int
    clear_no: int
    most_common_failure: str | None  # a finding code
    sentence: str  # "4 of your last 5 calls ended without a secured next step."


@dataclass(frozen=True)
class TeamRow:
    rep: str  # display name
    calls: int
    secured: int
    most_common_failure: str | None
    clear_no: int = 0  # ended in a clear no: a clean ending, counted apart from stalls

    @property
    def secured_rate(self) -> float:
        return self.secured / self.calls if self.calls else 0.0

    @property
    def answered(self) -> int:
        """Calls that ended with a clear answer: a secured step or a clear no."""
        return self.secured + self.clear_no


@dataclass(frozen=True)
class TeamView:
    rows: tuple[TeamRow, ...]
    chart_png: bytes | None = None


@dataclass(frozen=True)
class SlackPreferences:
    quiet_start: time | None = time(19, 0)
    quiet_end: time | None = time(8, 0)
    delivery: Delivery = Delivery.INSTANT
    snooze: timedelta = timedelta(days=1)


@dataclass(frozen=True)
class HomeView:
    steps: tuple[StepView, ...]
    pattern: PatternView | None
    preferences: SlackPreferences
    tz: str
