"""The product's vocabularies, one ``StrEnum`` each, used in code and storage alike.

Storage keeps them as plain strings (no database enum types), so a value compares equal
to its string: ``InputStatus.FAILED == "failed"``. Add a word here, never a bare string
in a module.
"""

from __future__ import annotations

from enum import StrEnum


class InputSource(StrEnum):
    """Where a stored input (``inbound_message.source``) came from."""

    SMTP = "smtp"  # forwarded to the bot's address
    EMAIL = "email"  # an email handed over by other means
    GMAIL = "gmail"  # read from a Gmail label
    FILE = "file"  # `nextstep ingest PATH`
    CLI = "cli"  # typed or piped in
    SLACK = "slack"  # pasted into Slack
    ATTACHMENT = "attachment"  # a transcript or notes attached to an email
    CALENDAR = "ics"  # a calendar part of an email, for the calendar check
    API = "api"  # posted to /api/v1/inputs

    @property
    def is_email(self) -> bool:
        return self in EMAIL_SOURCES

    @property
    def is_local(self) -> bool:
        """Given on this machine, so the machine's zone may stand for the rep's."""
        return self in LOCAL_SOURCES


EMAIL_SOURCES = frozenset({InputSource.SMTP, InputSource.EMAIL, InputSource.GMAIL})
LOCAL_SOURCES = frozenset({InputSource.FILE, InputSource.CLI})


class ConversationSource(StrEnum):
    """Where a stored conversation came from."""

    SLACK = "slack"
    EMAIL = "email"
    GMAIL = "gmail"
    FILE = "file"
    CLI = "cli"
    API = "api"

    @classmethod
    def of_input(cls, source: str) -> ConversationSource:
        """A conversation's source by the source of the input it was read from."""
        found = _CONVERSATION_OF_INPUT.get(InputSource(source))
        return found if found is not None else cls(source)


_CONVERSATION_OF_INPUT = {
    InputSource.SMTP: ConversationSource.EMAIL,
    InputSource.EMAIL: ConversationSource.EMAIL,
    InputSource.GMAIL: ConversationSource.GMAIL,
    InputSource.FILE: ConversationSource.FILE,
    InputSource.CLI: ConversationSource.CLI,
    InputSource.SLACK: ConversationSource.SLACK,
    InputSource.API: ConversationSource.API,
}


class InputStatus(StrEnum):
    """What became of a stored input."""

    RECEIVED = "received"  # stored, not (yet) processed; calendar parts stay so
    PROCESSING = "processing"  # claimed by a worker (storage.queue) until its lease ends
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    FAILED = "failed"  # kept with the reason, for `nextstep reprocess`


class IngestOutcome(StrEnum):
    """What one ingest or reprocess did, as the user is told."""

    INGESTED = "ingested"  # a new conversation
    UPDATED = "updated"  # a stored conversation (thread) read again
    DUPLICATE = "duplicate"  # the same input was stored before; nothing added
    FAILED = "failed"  # kept, not processed


class StepStatus(StrEnum):
    """What people did with a step (re-analysis keeps it)."""

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class StepFilter(StrEnum):
    """The views of steps a user asks for (`nextstep steps list --status`)."""

    OPEN = "open"  # not done, not dropped
    OVERDUE = "overdue"  # open, and its due time has passed
    VAGUE = "vague"  # open, and its action or time is not specific
    UNACKNOWLEDGED = "unacknowledged"  # open, and the other side has not agreed
    AWAITING = "awaiting"  # open, the other side's move or a trigger not yet met
    DONE = "done"


class FileKind(StrEnum):
    """How a file given to `nextstep ingest` is read, by its extension."""

    EMAIL = "email"  # .eml
    MAILBOX = "mailbox"  # .mbox, one input per message
    TRANSCRIPT = "transcript"  # .vtt, .srt, .txt
    NOTES = "notes"  # .md
    EXPORT = "export"  # .json, a meeting tool's export
    CALENDAR = "calendar"  # .ics, an invitation or reply: read by the calendar check

    @classmethod
    def of(cls, filename: str | None) -> FileKind | None:
        """The kind by extension (any case), or None for a file nextstep does not read."""
        name = (filename or "").lower()
        return next((kind for suffix, kind in FILE_SUFFIXES.items() if name.endswith(suffix)), None)


FILE_SUFFIXES = {
    ".eml": FileKind.EMAIL,
    ".mbox": FileKind.MAILBOX,
    ".vtt": FileKind.TRANSCRIPT,
    ".srt": FileKind.TRANSCRIPT,
    ".txt": FileKind.TRANSCRIPT,
    ".md": FileKind.NOTES,
    ".json": FileKind.EXPORT,
    ".ics": FileKind.CALENDAR,
}


class CalendarStatus(StrEnum):
    """Where a meeting step stands on the calendar (see ``bot.calendar``)."""

    NO_INVITE = "no_invite"  # nothing on the calendar matches it
    AWAITING = "awaiting"  # invited; the other side has not answered
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    MOVED = "moved"  # the event is at another time than the one agreed
    UNKNOWN = "unknown"  # the calendar could not be read: see the reason


class NudgeStatus(StrEnum):
    PLANNED = "planned"
    CLAIMED = "claimed"  # a worker took it and is sending it
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class VerdictCause(StrEnum):
    """Why a conversation's verdict changed (``verdict_change.cause``)."""

    ANALYSIS = "analysis"  # first read
    REPLY = "reply"  # the thread grew: a later message read with the rest
    REANALYSIS = "reanalysis"  # the same input read again (`nextstep reprocess`)
    CALENDAR = "calendar"  # an invite accepted, declined, cancelled
    MANUAL = "manual"  # a rep on the command line (`nextstep steps ack`, `steps due`)
    SLACK = "slack"  # a rep with a button in Slack


class SenderAuth(StrEnum):
    """How the SMTP listener authenticates who a message is from
    (NEXTSTEP_SMTP_SENDER_AUTH; see ``integrations.smtp_trust``)."""

    NONE = "none"  # the envelope sender and the From header are believed
    TRUSTED_MTA = "trusted-mta"  # the Authentication-Results of a named MTA in front
    VERIFY = "verify"  # DKIM and SPF checked here, aligned with the From domain (DMARC)


class GmailMode(StrEnum):
    """What the Gmail poller may do to the mailbox (``NEXTSTEP_GMAIL_MODE``)."""

    READONLY = "readonly"  # read only (scope gmail.readonly); nothing is labelled
    LABEL = "label"  # also label each processed recap (scope gmail.modify)


class TokenScope(StrEnum):
    """What an API token may do."""

    READ = "read"  # GET, and POST /api/v1/analyze (nothing stored)
    WRITE = "write"  # also store inputs and change steps


class WebhookEvent(StrEnum):
    """What a webhook subscription can hear about."""

    ANALYSED = "conversation.analysed"
    SECURED = "conversation.secured"
    UNSECURED = "conversation.unsecured"
    OVERDUE = "step.overdue"


class DeliveryStatus(StrEnum):
    """Where one webhook delivery stands."""

    PENDING = "pending"  # waiting for its (next) attempt
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # every attempt failed; kept for a look
