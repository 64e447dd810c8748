"""The nudge planner's vocabulary: what it reads (a step's state, the calendar's word on
it, the rep's preferences) and what it plans. Plain frozen data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum


class NudgeReason(StrEnum):
    """Why a rep is nudged; stored in ``nudge.reason`` and part of the dedupe key."""

    VAGUE = "vague"
    UNACKNOWLEDGED = "unacknowledged"
    NO_INVITE = "no_invite"
    NOT_ACCEPTED = "not_accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    MOVED = "moved"
    OVERDUE = "overdue"
    TRIGGER_WINDOW = "trigger_window"
    PATTERN = "pattern"
    POST_MEETING = "post_meeting"  # the verdict DM after a recap or transcript is analysed
    NOTES_WANTED = "notes_wanted"  # a meeting with outsiders ended and left no notes


# Sent first when the daily cap leaves room for only some: what costs the deal most.
PRIORITY: tuple[NudgeReason, ...] = (
    NudgeReason.POST_MEETING,
    NudgeReason.DECLINED,
    NudgeReason.CANCELLED,
    NudgeReason.MOVED,
    NudgeReason.OVERDUE,
    NudgeReason.TRIGGER_WINDOW,
    NudgeReason.NOT_ACCEPTED,
    NudgeReason.NO_INVITE,
    NudgeReason.UNACKNOWLEDGED,
    NudgeReason.VAGUE,
    NudgeReason.PATTERN,
)

# Reasons that cannot wait for the daily digest: the meeting itself is at stake.
URGENT = frozenset({NudgeReason.DECLINED, NudgeReason.CANCELLED, NudgeReason.MOVED})


class CalendarState(StrEnum):
    """What the calendar says about a meeting step (the calendar check's statuses)."""

    NO_INVITE = "no_invite"
    AWAITING = "awaiting"
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    MOVED = "moved"
    UNKNOWN = "unknown"


class StepState(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


# Findings that make a step vague (the rubric's first two conditions).
VAGUE_FINDINGS = frozenset({"vague_action", "vague_time", "no_time", "options_open"})


@dataclass(frozen=True)
class StepFacts:
    """One stored next step as the planner sees it.

    ``calendar`` is None when no calendar check ran: calendar reasons are then absent.
    ``window_ends_at`` is the end of a committed response window ("within 48 hours of
    the trigger") once its start is known.
    """

    step_id: int
    rep_id: int
    conversation_id: int
    action: str
    kind: str  # bot.engine.model.StepKind
    analysed_at: datetime  # when the analysis was stored: vague nudges go right after
    conversation_at: datetime  # when the conversation happened
    evidence: str  # the words the step rests on
    state: StepState = StepState.OPEN
    due: datetime | None = None
    due_is_date: bool = False  # only the day is known; ``due`` is its local midnight
    due_text: str | None = None
    acknowledged: bool = False
    findings: tuple[str, ...] = ()  # finding codes
    suggestion: str | None = None  # the engine's "Try: ..." line
    counterpart: str | None = None  # who should accept the invite, where known
    calendar: CalendarState | None = None
    calendar_changed_at: datetime | None = None  # when the calendar reported ``calendar``
    window_ends_at: datetime | None = None
    window: timedelta | None = None
    clear_no: bool = False  # the conversation ended in a clear no
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class ConversationFacts:
    """A stored conversation, for the post-meeting DM."""

    conversation_id: int
    rep_id: int
    source: str  # email / gmail / file / slack / cli
    analysed_at: datetime


@dataclass(frozen=True)
class RecentOutcome:
    """One of a rep's recent conversations, for the pattern note."""

    conversation_id: int
    at: datetime
    secured: bool
    clear_no: bool = False
    failure: str | None = None  # the most telling finding code when not secured


@dataclass(frozen=True)
class Preferences:
    """A rep's nudge settings; the defaults are the product's."""

    tz: str = "UTC"
    quiet_start: time | None = time(19, 0)
    quiet_end: time | None = time(8, 0)
    digest: bool = False
    digest_at: time = time(9, 0)
    daily_cap: int = 5
    no_invite_after: timedelta = timedelta(hours=4)
    not_accepted_after: timedelta = timedelta(hours=24)
    unacknowledged_after: timedelta = timedelta(hours=24)
    window_warning: timedelta = timedelta(hours=12)  # before a response window closes
    pattern_calls: int = 5
    pattern_weekday: int = 0  # Monday
    snooze: timedelta = timedelta(days=1)


@dataclass(frozen=True)
class RepFacts:
    rep_id: int
    preferences: Preferences = field(default_factory=Preferences)
    recent: tuple[RecentOutcome, ...] = ()  # newest first


@dataclass(frozen=True)
class PlannedNudge:
    """A nudge to send once: ``dedupe_key`` is unique for a step and reason."""

    dedupe_key: str
    rep_id: int
    step_id: int | None
    reason: NudgeReason
    planned_for: datetime  # aware UTC; already out of quiet hours, on a digest time
    why: str  # the reason in words
    evidence: str  # the quote it rests on
    fix: str  # "Try: ..."
    digest: bool = False  # goes out grouped with the rep's other digest nudges
    covered: bool = False  # said already by another message (the post-meeting DM)
