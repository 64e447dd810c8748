"""The product's memory: who the reps are, what was said, which steps were agreed,
what the calendar shows and which nudges went out.

Model families follow the SQLModel template: ``XBase`` holds the fields a reader may
see, ``X(XBase, table=True)`` adds keys and private columns, ``XRead`` is what leaves
the storage layer (``XRead.model_validate(row)``). Every datetime column is aware UTC
(``UTCDateTime``); JSON columns are replaced, never mutated in place.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import AutoString, Field, SQLModel

from bot.engine.model import Outcome
from bot.vocabulary import (
    CalendarStatus,
    ConversationSource,
    InputSource,
    InputStatus,
    NudgeStatus,
    StepStatus,
    VerdictCause,
)
from storage.types import UTCDateTime, json_type

# The vocabularies live in bot.vocabulary; the old name stays importable from here.
InboundStatus = InputStatus

# Stable constraint names, so migrations can refer to them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def _when(**kwargs: Any) -> Any:
    """An aware-UTC datetime column."""
    return Field(sa_type=UTCDateTime(), **kwargs)


def _json(**kwargs: Any) -> Any:
    return Field(sa_type=json_type(), **kwargs)


def _word(default: Any = ..., **kwargs: Any) -> Any:
    """A vocabulary column: the enum in code, a plain string in the database."""
    return Field(default=default, sa_type=AutoString, **kwargs)


def _key(target: str, ondelete: Literal["CASCADE", "SET NULL"], **kwargs: Any) -> Any:
    """A foreign key to ``target``, indexed."""
    return Field(foreign_key=target, ondelete=ondelete, index=True, **kwargs)


# --- who ---------------------------------------------------------------------------


class WorkspaceBase(SQLModel):
    slack_team_id: str | None = Field(default=None, index=True)
    slack_enterprise_id: str | None = None
    name: str | None = None


class Workspace(WorkspaceBase, table=True):
    __table_args__ = (sa.UniqueConstraint("slack_enterprise_id", "slack_team_id"),)
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _when(default_factory=utcnow)


class WorkspaceRead(WorkspaceBase):
    id: int


class RepBase(SQLModel):
    slack_user_id: str | None = None
    display_name: str | None = None
    tz: str | None = None  # IANA name
    quiet_hours_start: time | None = None  # local wall clock in ``tz``
    quiet_hours_end: time | None = None
    nudge_preferences: dict[str, Any] = _json(default_factory=dict)
    digest: bool = False  # one daily digest instead of single nudges


class Rep(RepBase, table=True):
    __table_args__ = (sa.UniqueConstraint("workspace_id", "slack_user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = _key("workspace.id", "SET NULL", default=None)
    created_at: datetime = _when(default_factory=utcnow)


class RepRead(RepBase):
    id: int
    workspace_id: int | None


class RepEmail(SQLModel, table=True):
    """An address that belongs to a rep: what forwarded mail is matched on."""

    __tablename__ = "rep_email"
    __table_args__ = (sa.CheckConstraint("address = lower(address)", name="lower_case"),)
    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = _key("rep.id", "CASCADE")
    address: str = Field(unique=True)


class CounterpartOrg(SQLModel, table=True):
    """The other side: a company (by mail domain) or, without one, a name."""

    __tablename__ = "counterpart_org"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = _key("workspace.id", "SET NULL", default=None)
    domain: str | None = Field(default=None, index=True)
    name: str | None = None
    created_at: datetime = _when(default_factory=utcnow)


class Contact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    org_id: int = _key("counterpart_org.id", "CASCADE")
    name: str | None = None
    email: str | None = Field(default=None, index=True)
    created_at: datetime = _when(default_factory=utcnow)


# --- what was said -------------------------------------------------------------------


class ConversationBase(SQLModel):
    source: ConversationSource = _word()
    source_id: str | None = None  # Message-ID, file path, Slack ts
    # The thread's first Message-ID: unique, so two first messages of one thread that
    # arrive at once make one conversation (the second insert fails and is retried).
    thread_key: str | None = Field(default=None, index=True, unique=True)
    subject: str | None = None
    reference_time: datetime = _when()  # when the conversation happened
    tz: str  # the rep's IANA zone the analysis used
    participants: list[dict[str, Any]] = _json(default_factory=list)
    kind: str  # transcript / notes / email
    next_steps_secured: bool = False
    tier: str = "none"
    outcome: Outcome = _word(Outcome.OPEN, index=True)  # secured / clear_no / open
    reason: str = ""
    analysed_at: datetime = _when()
    schema_version: int = 1


class Conversation(ConversationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    rep_id: int | None = _key("rep.id", "SET NULL", default=None)
    org_id: int | None = _key("counterpart_org.id", "SET NULL", default=None)
    # The newest input this was analysed from. Not a foreign key: inbound_message
    # already points here, and a cycle of keys would need ALTERs SQLite lacks.
    inbound_message_id: int | None = Field(default=None, index=True)
    subject_key: str | None = Field(default=None, index=True)  # normalised, for threading
    analysis: dict[str, Any] = _json(default_factory=dict)  # analysis_to_dict(...)
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class ConversationRead(ConversationBase):
    id: int
    rep_id: int | None
    org_id: int | None
    inbound_message_id: int | None


class NextStepBase(SQLModel):
    position: int = 0  # order within the conversation's analysis
    action: str
    kind: str  # bot.engine.model.StepKind
    owner: str  # bot.engine.model.Owner
    owner_name: str | None = None
    due: datetime | None = _when(default=None)
    due_is_date: bool = False  # only the day is known: ``due`` is its local midnight
    due_text: str | None = None
    deadline: bool = False
    trigger_condition: str | None = None
    trigger_response: str | None = None
    trigger_window_seconds: int | None = None
    participants: list[str] = _json(default_factory=list)
    purpose: str | None = None
    acknowledged: bool = False
    ack_source: str | None = None  # text / reply / calendar / manual
    ack_evidence: dict[str, Any] | None = _json(default=None)
    specific_action: bool = True
    secured: bool = False
    continues: bool = False
    findings: list[dict[str, Any]] = _json(default_factory=list)
    suggestion: str | None = None
    evidence_quote: str = ""
    evidence_line: int = 0
    evidence_speaker: str | None = None
    evidence_timestamp: str | None = None
    status: StepStatus = _word(StepStatus.OPEN)
    status_changed_by: str | None = None  # a Slack user id or "cli"
    status_changed_at: datetime | None = _when(default=None)
    fingerprint: str = Field(index=True)  # kind:owner:normalised action


class NextStep(NextStepBase, table=True):
    __tablename__ = "next_step"
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = _key("conversation.id", "CASCADE")
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)
    snoozed_until: datetime | None = _when(default=None)  # its nudges wait until then
    due_set_by: str | None = None  # "calendar", "cli" or a Slack user: re-analysis keeps it


class NextStepRead(NextStepBase):
    id: int
    conversation_id: int


# --- what happened since -------------------------------------------------------------


class CalendarLinkBase(SQLModel):
    """A meeting step's place on the calendar: the newest status and the event it rests
    on (none for no_invite and unknown)."""

    provider: str  # google / ics / memory
    event_id: str | None = None
    ical_uid: str | None = Field(default=None, index=True)
    status: CalendarStatus = _word(CalendarStatus.NO_INVITE)
    sequence: int | None = None  # iTIP SEQUENCE of the newest update applied
    starts_at: datetime | None = _when(default=None)
    checked_at: datetime | None = _when(default=None)
    ends_at: datetime | None = _when(default=None)
    all_day: bool = False  # starts_at/ends_at are then local midnights
    title: str | None = None
    organizer: str | None = None
    link: str | None = None
    attendees: list[dict[str, Any]] = _json(default_factory=list)  # {"email", "partstat"}
    reason: str | None = None  # why: who has not answered, why the check failed
    status_changed_at: datetime | None = _when(default=None)
    accepted_at: datetime | None = _when(default=None)  # first seen accepted


class CalendarLink(CalendarLinkBase, table=True):
    __tablename__ = "calendar_link"
    id: int | None = Field(default=None, primary_key=True)
    step_id: int = _key("next_step.id", "CASCADE")
    created_at: datetime = _when(default_factory=utcnow)


class CalendarLinkRead(CalendarLinkBase):
    id: int
    step_id: int


class CalendarStatusChangeBase(SQLModel):
    """One change of a step's calendar status: the history behind ``CalendarLink``."""

    status: str  # a CalendarStatus
    previous: str | None = None
    reason: str | None = None
    ical_uid: str | None = None
    changed_at: datetime = _when()


class CalendarStatusChange(CalendarStatusChangeBase, table=True):
    __tablename__ = "calendar_status_change"
    id: int | None = Field(default=None, primary_key=True)
    step_id: int = _key("next_step.id", "CASCADE")


class CalendarStatusChangeRead(CalendarStatusChangeBase):
    id: int
    step_id: int


class NudgeBase(SQLModel):
    reason: str  # a finding code: vague, unacknowledged, no_invite, overdue, ...
    dedupe_key: str = Field(unique=True)  # sent once per key, whoever plans it
    planned_for: datetime = _when()
    sent_at: datetime | None = _when(default=None)
    slack_channel: str | None = None
    slack_ts: str | None = None
    status: NudgeStatus = _word(NudgeStatus.PLANNED)
    claimed_at: datetime | None = _when(default=None)
    attempts: int = 0
    error: str | None = None
    detail: dict[str, Any] | None = _json(default=None)  # what a step-less nudge is about


class Nudge(NudgeBase, table=True):
    __table_args__ = (sa.Index("ix_nudge_status_planned_for", "status", "planned_for"),)
    id: int | None = Field(default=None, primary_key=True)
    step_id: int | None = _key("next_step.id", "SET NULL", default=None)
    rep_id: int = _key("rep.id", "CASCADE")
    created_at: datetime = _when(default_factory=utcnow)


class NudgeRead(NudgeBase):
    id: int
    step_id: int | None
    rep_id: int


# --- what came in --------------------------------------------------------------------


class InboundMessageBase(SQLModel):
    source: InputSource = _word()  # attachment and ics for parts of an email
    source_id: str | None = None  # Gmail id, file path, "inbox.mbox:12"
    message_id: str | None = Field(default=None, index=True)  # not unique: dedupe is by content
    content_hash: str = Field(unique=True)  # sha256 of ``raw`` (mail: bot.mail.identity)
    filename: str | None = None
    received_at: datetime = _when()
    status: InputStatus = _word(InputStatus.RECEIVED)
    error: str | None = None
    attempts: int = 0
    occurred_at: datetime | None = _when(default=None)  # a file's mtime; mail has a Date
    rep_email: str | None = None  # the rep it was attributed to when it came in
    parent_id: int | None = _key("inbound_message.id", "CASCADE", default=None)  # attachments
    conversation_id: int | None = _key("conversation.id", "SET NULL", default=None)
    # The intake queue (storage.queue): which worker holds the input, and until when.
    claimed_by: str | None = None
    lease_until: datetime | None = _when(default=None)


class InboundMessage(InboundMessageBase, table=True):
    __tablename__ = "inbound_message"
    __table_args__ = (sa.Index("ix_inbound_message_status_lease_until", "status", "lease_until"),)
    id: int | None = Field(default=None, primary_key=True)
    raw: bytes = Field(sa_type=sa.LargeBinary)
    traceback: str | None = None


class InboundMessageRead(InboundMessageBase):
    id: int


class MessageTextKey(SQLModel, table=True):
    """A fingerprint of the text of one message in an input (the newest one and each
    one it quotes), so a later reply that quotes it joins the same conversation."""

    __tablename__ = "message_text_key"
    id: int | None = Field(default=None, primary_key=True)
    inbound_id: int = _key("inbound_message.id", "CASCADE")
    key: str = Field(index=True)


class SyncState(SQLModel, table=True):
    """A poller's cursor (Gmail historyId, a calendar syncToken), by key."""

    __tablename__ = "sync_state"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    value: dict[str, Any] = _json(default_factory=dict)
    updated_at: datetime = _when(default_factory=utcnow)


# --- Slack ---------------------------------------------------------------------------


class SlackOnce(SQLModel, table=True):
    """Something done once per Slack team, whichever process gets there first: an
    Events API ``event_id`` processed, a user welcomed (``welcome:U…``)."""

    __tablename__ = "slack_once"
    __table_args__ = (sa.UniqueConstraint("team_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str
    key: str
    created_at: datetime = _when(default_factory=utcnow)


class SlackPaste(SQLModel, table=True):
    """Text pasted in Slack and analysed, kept until the rep saves it (or not)."""

    __tablename__ = "slack_paste"
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True)
    user_id: str
    text: str = Field(sa_type=sa.Text)
    created_at: datetime = _when(default_factory=utcnow)


# --- how verdicts changed ------------------------------------------------------------


class VerdictChangeBase(SQLModel):
    """One change of a conversation's verdict (its first one included): before and
    after, why, the words or calendar fact it rests on and who gave them."""

    at: datetime = _when(index=True)
    secured_before: bool | None = None  # None: the first analysis
    secured_after: bool
    tier_before: str | None = None
    tier_after: str
    cause: VerdictCause = _word()
    evidence: str | None = Field(default=None, sa_type=sa.Text)
    who: str | None = None
    reason: str = Field(default="", sa_type=sa.Text)


class VerdictChange(VerdictChangeBase, table=True):
    __tablename__ = "verdict_change"
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = _key("conversation.id", "CASCADE")
    step_id: int | None = _key("next_step.id", "SET NULL", default=None)


class VerdictChangeRead(VerdictChangeBase):
    id: int
    conversation_id: int
    step_id: int | None
