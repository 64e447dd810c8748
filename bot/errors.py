"""The errors nextstep raises on purpose. Each docstring is the message a user reads.

Every error carries an exit code for the command line (documented in the README) and a
detail string with what exactly was wrong.
"""

from __future__ import annotations


class NextStepError(Exception):
    """Something went wrong in nextstep."""

    exit_code = 1
    # Whether the class's line goes in front of the detail ("Unknown time zone. 'X' ...").
    names_itself = True

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        base = (self.__doc__ or "").strip().splitlines()[0]
        if not self.detail:
            return base
        return f"{base} {self.detail}" if self.names_itself else self.detail


class UsageError(NextStepError):
    """The command was given options that do not fit together."""

    exit_code = 2
    names_itself = False  # the detail says what was wrong with which option


class InputError(NextStepError):
    """The input could not be read as a conversation."""

    exit_code = 3


class EmptyInputError(InputError):
    """The input has no text to analyse."""


class BinaryInputError(InputError):
    """The input looks like a binary file, not text."""


class InputTooLargeError(InputError):
    """The input is larger than nextstep analyses in one go."""


class TranscriptError(InputError):
    """The transcript could not be read."""


class EmailParseError(InputError):
    """The email could not be read."""


class TimeZoneError(UsageError):
    """Unknown time zone."""

    names_itself = True


class IngestError(NextStepError):
    """The input was kept but could not be processed."""

    exit_code = 4


class MailboxError(IngestError):
    """The mailbox could not be read."""


class StorageError(NextStepError):
    """The database could not be used."""

    exit_code = 5


class CalendarError(NextStepError):
    """The calendar could not be read."""

    exit_code = 6


class ConfigError(NextStepError):
    """The configuration is not valid."""

    exit_code = 7
