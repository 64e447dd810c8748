"""The engine's vocabulary: a conversation in, next steps and verdicts out.

Everything here is plain data (frozen dataclasses where the value never changes after
it is built). Nothing imports Slack, Google, the database or the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

SCHEMA_VERSION = 1


class Role(StrEnum):
    REP = "rep"
    COUNTERPART = "counterpart"
    UNKNOWN = "unknown"


class SourceKind(StrEnum):
    TRANSCRIPT = "transcript"
    NOTES = "notes"
    EMAIL = "email"


@dataclass(frozen=True)
class Participant:
    name: str
    role: Role
    email: str | None = None


@dataclass(frozen=True)
class Turn:
    """One stretch of text by one speaker (a transcript turn, a note line, an email part).

    ``line`` is the 1-based line of the source where the turn's text starts; the text
    keeps its own newlines, so a line inside the turn is ``line + text[:i].count("\\n")``.
    """

    index: int
    text: str
    line: int
    speaker: str | None = None
    role: Role = Role.UNKNOWN
    timestamp: str | None = None  # as written in the source: "28:45", "00:28:45"
    offset_seconds: float | None = None  # from the start of the meeting, where known
    at: datetime | None = None  # absolute time, where known (an email part's Date)
    quoted: bool = False  # quoted or forwarded history, not the newest message
    part: int = 0  # which email message (0 = the newest) the turn belongs to
    # notes: the heading the turn sits under ("agreed next steps"), "" for none; None
    # when the loader did not say
    heading: str | None = None


@dataclass
class Document:
    """One normalised conversation."""

    text: str
    turns: list[Turn]
    kind: SourceKind
    reference_time: datetime  # aware: when the conversation happened
    tz: str  # IANA name of the rep's time zone
    rep: str | None = None
    rep_guessed: bool = False
    participants: list[Participant] = field(default_factory=list)
    source: str | None = None  # a file name, a Message-ID, "stdin"
    subject: str | None = None
    warnings: list[str] = field(default_factory=list)


class Grain(StrEnum):
    MINUTE = "minute"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TimeExpression:
    """A time phrase found in text and what it resolves to.

    ``specific`` is the rubric's test: True for a resolvable calendar day or finer
    ("Monday", "Jan 15", "by 4pm", "EOD"); False for "next week", "soon", "early next
    month". ``window`` is a committed response window ("within 48 hours") that is
    anchored to the conversation or to a trigger; ``value`` is then the window's end
    counted from the reference time.
    """

    text: str
    start: int  # character offsets in the text that was searched
    end: int
    value: datetime | None  # aware; start of the period, or the deadline itself
    end_value: datetime | None = None  # aware; end of the period where it is one
    grain: Grain = Grain.UNKNOWN
    deadline: bool = False  # "by Friday", "EOD", "no later than", "within"
    specific: bool = False
    window: timedelta | None = None
    past: bool = False  # refers to before the reference time
    ambiguous: bool = False
    ambiguity: str | None = None  # the documented rule applied, in words

    @property
    def has_time_of_day(self) -> bool:
        return self.grain == Grain.MINUTE


class StepKind(StrEnum):
    MEETING = "meeting"
    DELIVERABLE = "deliverable"
    HOMEWORK = "homework"
    CALLBACK = "callback"
    DECISION = "decision"


class Owner(StrEnum):
    REP = "rep"
    COUNTERPART = "counterpart"
    BOTH = "both"


class Tier(StrEnum):
    GOLD = "gold"
    SILVER = "silver"
    BRONZE = "bronze"
    NONE = "none"


class Outcome(StrEnum):
    """How the conversation ended: a secured step, a clear no (a clean ending), or neither."""

    SECURED = "secured"
    CLEAR_NO = "clear_no"
    OPEN = "open"


class AckSource(StrEnum):
    TEXT = "text"  # said in the conversation / stated in the notes
    REPLY = "reply"  # a reply email
    CALENDAR = "calendar"  # an accepted invite
    MANUAL = "manual"  # someone marked it in Slack


@dataclass(frozen=True)
class Evidence:
    quote: str
    line: int
    speaker: str | None = None
    timestamp: str | None = None
    turn: int | None = None


@dataclass(frozen=True)
class Finding:
    """A rubric finding with a stable code, the reason in words and a suggestion."""

    code: str
    message: str
    suggestion: str | None = None
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Trigger:
    condition: str  # "once IT confirms SSO is set up"
    response: str | None = None  # "I'll schedule the security review"
    window: timedelta | None = None  # "within 48 hours"
    window_text: str | None = None


@dataclass
class Step:
    action: str
    kind: StepKind
    owner: Owner
    evidence: Evidence
    owner_name: str | None = None
    due: datetime | date | None = None  # a date when only the day is known
    due_text: str | None = None
    deadline: bool = False
    time: TimeExpression | None = None
    trigger: Trigger | None = None
    participants: list[str] = field(default_factory=list)
    purpose: str | None = None
    acknowledged: bool = False
    ack_source: AckSource | None = None
    ack_evidence: Evidence | None = None
    specific_action: bool = True
    secured: bool = False
    continues: bool = False  # leads to continued interaction with the counterpart
    findings: list[Finding] = field(default_factory=list)
    suggestion: str | None = None
    superseded: list[Evidence] = field(default_factory=list)  # earlier words it overrode
    scheduling: bool = False  # a commitment to schedule the meeting (invite, times, a slot)


@dataclass
class Analysis:
    document: Document
    steps: list[Step]
    next_steps_secured: bool
    reason: str
    tier: Tier
    findings: list[Finding] = field(default_factory=list)
    schema: int = SCHEMA_VERSION
    outcome: Outcome = Outcome.OPEN
    clear_no: Evidence | None = None  # the other side's firm no, when the outcome is clear_no
