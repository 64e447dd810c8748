"""The Gmail poller: recaps filed under a Gmail label are ingested as they arrive.

The first pass (and any pass whose saved history id Gmail no longer knows) lists every
message under the label; later passes read only the mailbox history since the saved
id. Each new message is fetched raw and handed to the application; in ``label`` mode
(``NEXTSTEP_GMAIL_MODE``) one that was analysed is then marked with the
``nextstep/processed`` label, in ``readonly`` mode nothing in the mailbox changes.

What a restart or a failure leaves behind:

- messages are stored under ``<mailbox>/<gmail id>`` and never fetched again; content
  duplicates (the same recap filed twice) are remembered by Gmail id in the cursor;
- a message that cannot be taken as a message at all (not base64url, over the size
  limit) is kept as a failed input and the pass moves on; so is one whose analysis
  failed, and neither is labelled processed;
- a message whose labelling failed (or did not happen: the process was killed) is
  labelled on the next pass; a processed label deleted meanwhile is found or created
  again;
- the history cursor moves only after the whole batch is stored;
- a refused login (revoked token, missing scope, no delegation) is a configuration
  error that names the fix; the loop stops on it instead of retrying forever.

Gmail sits behind the small ``MailboxSource`` protocol (``integrations.gmail_api``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.application import Application
from bot.errors import ConfigError, MailboxError, NextStepError
from bot.vocabulary import GmailMode, InputSource, InputStatus
from integrations.gmail_api import (
    DEFAULT_MAX_BYTES,
    GMAIL_MODIFY,
    GMAIL_READONLY,
    HISTORY_TYPES,
    SCOPE_FOR,
    GmailMailbox,
    GmailNotFound,
    GoogleLoginError,
    HistoryExpired,
    MailboxChanges,
    MailboxSource,
    MessageGone,
    Profile,
    UnreadableMessage,
    added_under,
    decode_raw,
    load_credentials,
)

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "GMAIL_MODIFY",
    "GMAIL_READONLY",
    "HISTORY_TYPES",
    "SCOPE_FOR",
    "GmailMailbox",
    "GmailNotFound",
    "GoogleLoginError",
    "HistoryExpired",
    "MailboxChanges",
    "MailboxSource",
    "MessageGone",
    "Profile",
    "UnreadableMessage",
    "added_under",
    "decode_raw",
    "load_credentials",
]

SOURCE = InputSource.GMAIL
PROCESSED_LABEL = "nextstep/processed"
DEFAULT_LABEL = "nextstep"


def connected_token_path(settings: Settings) -> Path:
    """Where `nextstep gmail connect` saves the token by default."""
    return settings.data_dir / "google-gmail" / "token.json"


def poller_from_settings(
    application: Application,
    *,
    credentials: Path | None = None,
    user: str | None = None,
    label: str | None = None,
    query: str | None = None,
) -> GmailPoller:
    """The poller the settings describe: ``credentials`` (else NEXTSTEP_GMAIL_CREDENTIALS,
    else the token `nextstep gmail connect` saved), the mode, the API endpoint."""
    settings = application.settings
    path = credentials or settings.gmail_credentials
    if path is None:
        path = connected_token_path(settings)
        if not path.is_file():
            raise ConfigError(
                "Gmail is not connected: run `nextstep gmail connect`, or set "
                "NEXTSTEP_GMAIL_CREDENTIALS to a service account key (with "
                "NEXTSTEP_GMAIL_USER) or an installed-app token file."
            )
    mode = settings.gmail_mode
    log.info("Gmail: %s mode, scope %s, credentials %s", mode.value, SCOPE_FOR[mode], path)
    mailbox = GmailMailbox.from_credentials_file(
        path, user=user or settings.gmail_user, mode=mode, api_url=settings.gmail_api_url,
        token_uri=settings.google_token_uri, max_bytes=settings.smtp_max_bytes,
    )  # fmt: skip
    return GmailPoller(
        mailbox, application=application, label=label or settings.gmail_label, query=query,
        mode=mode,
    )  # fmt: skip


@dataclass
class PollReport:
    """What one pass did, in counts."""

    full_sync: bool = False
    ingested: int = 0  # new inputs stored for the workers
    duplicates: int = 0
    failed: int = 0  # kept, but could not be read (the workers report these now)
    skipped: int = 0  # stored before, or gone from the mailbox
    labelled_late: int = 0  # stored on an earlier pass whose labelling had failed

    def __str__(self) -> str:
        kind = "full sync" if self.full_sync else "new mail"
        late = f", {self.labelled_late} labelled late" if self.labelled_late else ""
        return (
            f"{kind}: {self.ingested} ingested, {self.duplicates} duplicates, "
            f"{self.failed} failed, {self.skipped} skipped{late}"
        )


@dataclass
class _Cursor:
    """What the poller keeps between passes, saved as one JSON object."""

    history_id: str | None
    unlabelled: list[str]  # stored and analysed, not labelled yet
    duplicates: set[str]  # Gmail ids whose content was stored under another id
    waiting: dict[str, int]  # Gmail id -> stored input, until a worker analysed it

    @classmethod
    def of(cls, saved: dict[str, Any] | None) -> _Cursor:
        saved = saved or {}
        history_id = saved.get("history_id")
        return cls(
            history_id=str(history_id) if history_id is not None else None,
            unlabelled=[str(i) for i in saved.get("unlabelled", [])],
            duplicates={str(i) for i in saved.get("duplicates", [])},
            waiting={str(k): int(v) for k, v in (saved.get("waiting") or {}).items()},
        )

    def as_saved(self, history_id: str | None) -> dict[str, Any]:
        return {
            "history_id": history_id,
            "unlabelled": list(dict.fromkeys(self.unlabelled)),
            "duplicates": sorted(self.duplicates),
            "waiting": self.waiting,
        }


class GmailPoller:
    """Ingests what arrives under one Gmail label, one pass at a time."""

    def __init__(
        self,
        mailbox: MailboxSource,
        *,
        application: Application,
        label: str = DEFAULT_LABEL,
        query: str | None = None,
        mode: GmailMode = GmailMode.LABEL,
    ) -> None:
        self._mailbox = mailbox
        self._application = application
        self._label = label
        self._query = query
        self._mode = mode
        self._label_ids: tuple[str, str | None] | None = None
        self._email: str | None = None
        self._rep_email: str | None = None  # the mailbox's owner, when a registered rep
        self._key = ""  # the cursor's, once the mailbox and label are known

    def poll(self) -> PollReport:
        """One pass: new mail since the saved cursor, or everything on the first run."""
        watched, profile, key, cursor = self._open()
        report = PollReport()
        moved_to = cursor.history_id
        try:
            if self._mode == GmailMode.LABEL:
                self._label_late(cursor, report)
            if cursor.history_id is not None:
                try:
                    changes = self._mailbox.changes_since(cursor.history_id, watched)
                except HistoryExpired:
                    log.warning(
                        "Gmail history %s is too old for %s: full sync", cursor.history_id, key
                    )
                else:
                    self._process(changes.message_ids, cursor, report)
                    moved_to = changes.history_id
                    return report
            # The starting point is read before the listing, so nothing slips in between.
            start = (profile or self._mailbox.profile()).history_id
            report.full_sync = True
            self._process(self._mailbox.message_ids(watched, self._query), cursor, report)
            moved_to = start
            return report
        finally:  # what was learnt is kept even when the pass stops half-way
            self._application.save_cursor(key, cursor.as_saved(moved_to))

    def _open(self) -> tuple[str, Profile | None, str, _Cursor]:
        """The watched label's id, the mailbox profile when it was read, and the saved
        cursor with its key (one per mailbox and label)."""
        watched, _ = self._resolve_labels()
        profile = self._identify()
        key = self._key = f"gmail:{self._email}:{watched}"
        return watched, profile, key, _Cursor.of(self._application.get_cursor(key))

    def run(self, *, interval: float, stop: threading.Event) -> None:
        """Poll every ``interval`` seconds until ``stop`` is set. A failed pass is logged
        and retried: nothing is lost, as the cursor only moves after a stored batch. A
        configuration error (a refused login) stops the loop: retrying cannot fix it."""
        while not stop.is_set():
            try:
                log.info("Gmail %s", self.poll())
            except ConfigError as error:
                log.error("Gmail polling stopped: %s", error.message)
                raise
            except NextStepError as error:
                log.error("Gmail poll failed: %s", error.message)
                self._label_ids = None  # a label may have been renamed or deleted: look again
            except Exception:
                log.exception("Gmail poll failed")
            stop.wait(interval)

    def _resolve_labels(self) -> tuple[str, str | None]:
        """The watched label's id and, in label mode, the processed label's (created
        when missing). Cached until a modify finds the processed label gone."""
        if self._label_ids is None:
            labels = self._mailbox.labels()
            watched = find_label(labels, self._label)
            if watched is None:
                raise MailboxError(
                    f"Gmail has no label {self._label!r}; create it (and a filter that "
                    "applies it), or pass --label with an existing one."
                )
            processed: str | None = None
            if self._mode == GmailMode.LABEL:
                processed = find_label(labels, PROCESSED_LABEL)
                if processed is None:
                    processed = self._mailbox.create_label(PROCESSED_LABEL)
            self._label_ids = (watched, processed)
        return self._label_ids

    def _identify(self) -> Profile | None:
        """On the first pass: whose mailbox this is. Returns the profile it read."""
        if self._email is not None:
            return None
        profile = self._mailbox.profile()
        if self._application.is_rep(profile.email):
            self._rep_email = profile.email
        self._email = profile.email
        return profile

    def _source_id(self, message_id: str) -> str:
        return f"{self._email}/{message_id}"

    def _process(self, message_ids: Iterable[str], cursor: _Cursor, report: PollReport) -> None:
        pending = list(dict.fromkeys(message_ids))  # an id on two pages is fetched once
        # Stored under <mailbox>/<id>; inputs stored before mailboxes were named: <id>.
        asked = [self._source_id(i) for i in pending] + pending
        stored = self._application.stored_source_ids(SOURCE, asked)
        for message_id in pending:
            seen = {self._source_id(message_id), message_id} & stored
            if seen or message_id in cursor.duplicates:
                report.skipped += 1
            else:
                self._ingest_one(message_id, cursor, report)

    def _ingest_one(self, message_id: str, cursor: _Cursor, report: PollReport) -> None:
        source_id = self._source_id(message_id)
        try:
            raw = self._mailbox.raw_message(message_id)
        except MessageGone:
            log.info("Gmail message %s is gone; skipped", message_id)
            report.skipped += 1
            return
        except UnreadableMessage as error:
            input_id = self._application.keep_failed(
                error.kept, source=SOURCE, source_id=source_id, error=error.message
            )
            log.warning("Gmail message %s kept as input #%s: %s", message_id, input_id, error)
            report.failed += 1
            return
        # Stored and committed first; a worker analyses it, and only once it is analysed
        # is it labelled processed (``_settle``).
        stored = self._application.store(
            raw, source=SOURCE, source_id=source_id, rep_email=self._rep_email
        )
        if stored.duplicate:
            report.duplicates += 1
            cursor.duplicates.add(message_id)
            if stored.previous_status == InputStatus.FAILED:
                return
        else:
            report.ingested += 1
        if self._mode == GmailMode.LABEL:  # labelled once it is analysed
            cursor.waiting[message_id] = stored.inbound_id
            # saved first: a crash now still labels it later
            self._application.save_cursor(self._key, cursor.as_saved(cursor.history_id))

    def label_analysed(self) -> PollReport:
        """Label what the workers have analysed since the pass stored it (label mode);
        ``gmail poll --once`` calls it after draining the queue."""
        _, _, key, cursor = self._open()
        report = PollReport()
        try:
            if self._mode == GmailMode.LABEL:
                self._label_late(cursor, report)
        finally:
            self._application.save_cursor(key, cursor.as_saved(cursor.history_id))
        return report

    def _settle(self, cursor: _Cursor) -> None:
        """Move the stored messages whose analysis ended out of ``waiting``: analysed
        ones to be labelled, failed ones dropped (never labelled processed)."""
        if not cursor.waiting:
            return
        statuses = self._application.input_statuses(list(cursor.waiting.values()))
        # In the order they were stored, an original before its copies: the saved map's
        # own order is not kept (PostgreSQL's jsonb orders keys its own way).
        in_order = sorted(
            cursor.waiting.items(),
            key=lambda item: (item[1], item[0] in cursor.duplicates, item[0]),
        )
        for message_id, inbound_id in in_order:
            status = statuses.get(inbound_id)
            if status == InputStatus.PROCESSED:
                cursor.unlabelled.append(message_id)
            elif status == InputStatus.FAILED:
                log.warning("Gmail message %s: its analysis failed; not labelled", message_id)
            elif status is not None:
                continue  # still waiting for a worker
            del cursor.waiting[message_id]

    def _label_late(self, cursor: _Cursor, report: PollReport) -> None:
        """Label the messages analysed since they were stored, and those whose labelling
        failed on an earlier pass."""
        self._settle(cursor)
        for message_id in list(cursor.unlabelled):  # what is left stays on a refused login
            if self._label_processed(message_id):
                cursor.unlabelled.remove(message_id)
                report.labelled_late += 1

    def _label_processed(self, message_id: str) -> bool:
        """Mark a message processed (label mode); False when Gmail would not, for now.
        A 404 may mean the label was deleted: it is looked up (or made) again, once."""
        _, processed = self._resolve_labels()
        if processed is None:
            return True
        try:
            try:
                self._mailbox.add_label(message_id, processed)
            except MessageGone:
                self._label_ids = None
                _, fresh = self._resolve_labels()
                if fresh == processed:
                    raise
                log.warning("Gmail label %s was replaced by %s", PROCESSED_LABEL, fresh)
                assert fresh is not None
                self._mailbox.add_label(message_id, fresh)
        except MessageGone:
            log.info("Gmail message %s was deleted before it could be labelled", message_id)
        except MailboxError as error:
            log.warning("Gmail message %s stored, labelled on the next pass: %s", message_id, error)
            return False
        return True


def find_label(labels: dict[str, str], wanted: str) -> str | None:
    """A label's id by name (any case) or by id (``INBOX``, ``Label_12``)."""
    if wanted in labels.values():
        return wanted
    folded = wanted.casefold()
    return next((i for name, i in labels.items() if name.casefold() == folded), None)
