"""The Gmail poller: recaps filed under a Gmail label are ingested as they arrive.

The first pass (and any pass whose saved history id Gmail no longer knows) lists every
message under the label; later passes read only the mailbox history since the saved
id. Each new message is fetched raw, handed to the ingestion service, then marked with
the ``nextstep/processed`` label. The cursor is saved only after the whole batch is
stored, and messages already stored (by Gmail id) are never fetched again, so a restart
neither re-processes nor skips anything.

Gmail sits behind the small ``MailboxSource`` protocol; ``GmailMailbox`` is the real
adapter over google-api-python-client and takes its transport (an ``httplib2.Http``,
``HttpMockSequence`` in tests, or credentials) as a parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httplib2
from google.auth.exceptions import GoogleAuthError
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from bot.application import Application
from bot.errors import ConfigError, IngestError, MailboxError, NextStepError
from bot.vocabulary import InputSource

log = logging.getLogger(__name__)

SOURCE = InputSource.GMAIL
GMAIL_MODIFY = "https://www.googleapis.com/auth/gmail.modify"
PROCESSED_LABEL = "nextstep/processed"
DEFAULT_LABEL = "nextstep"
HISTORY_TYPES = ["messageAdded", "labelAdded"]


class GmailNotFound(MailboxError):
    """Gmail has no such item."""


class HistoryExpired(GmailNotFound):
    """Gmail no longer has the mailbox history since the saved point."""


class MessageGone(GmailNotFound):
    """The message is no longer in the mailbox."""


@dataclass(frozen=True)
class Profile:
    email: str
    history_id: str


@dataclass(frozen=True)
class MailboxChanges:
    """Messages that arrived under a label since a history id, and the mailbox's newest id."""

    message_ids: list[str]
    history_id: str


class MailboxSource(Protocol):
    def profile(self) -> Profile: ...

    def labels(self) -> dict[str, str]:
        """Label name -> label id."""
        ...

    def create_label(self, name: str) -> str: ...

    def message_ids(self, label_id: str, query: str | None) -> Iterator[str]: ...

    def changes_since(self, history_id: str, label_id: str) -> MailboxChanges:
        """Raises ``HistoryExpired`` when Gmail no longer knows ``history_id``."""
        ...

    def raw_message(self, message_id: str) -> bytes:
        """Raises ``MessageGone`` when the message was deleted meanwhile."""
        ...

    def add_label(self, message_id: str, label_id: str) -> None:
        """Raises ``MessageGone`` when the message was deleted meanwhile."""
        ...


class GmailMailbox:
    """``MailboxSource`` over the Gmail API v1 (static discovery: no discovery call)."""

    def __init__(self, service: Any, *, user_id: str = "me", num_retries: int = 3) -> None:
        self._users = service.users()
        self._user_id = user_id
        self._num_retries = num_retries

    @classmethod
    def from_http(cls, http: Any, **kwargs: Any) -> GmailMailbox:
        service = build("gmail", "v1", http=http, static_discovery=True, cache_discovery=False)
        return cls(service, **kwargs)

    @classmethod
    def from_credentials_file(
        cls, path: Path, *, user: str | None = None, **kwargs: Any
    ) -> GmailMailbox:
        credentials = load_credentials(path, user=user)
        service = build(
            "gmail", "v1", credentials=credentials, static_discovery=True, cache_discovery=False
        )
        return cls(service, **kwargs)

    def _execute(self, request: Any, doing: str) -> dict[str, Any]:
        try:
            response: dict[str, Any] = request.execute(num_retries=self._num_retries)
        except HttpError as error:
            detail = f"Gmail answered {error.status_code} when asked to {doing}: {error.reason}"
            if error.status_code == 404:
                raise GmailNotFound(detail) from error
            raise MailboxError(detail) from error
        except (OSError, httplib2.HttpLib2Error, GoogleAuthError) as error:
            raise MailboxError(f"Gmail could not be reached to {doing}: {error}") from error
        return response

    def profile(self) -> Profile:
        response = self._execute(self._users.getProfile(userId=self._user_id), "read the profile")
        return Profile(email=response["emailAddress"], history_id=str(response["historyId"]))

    def labels(self) -> dict[str, str]:
        request = self._users.labels().list(userId=self._user_id)
        response = self._execute(request, "list labels")
        return {label["name"]: label["id"] for label in response.get("labels", [])}

    def create_label(self, name: str) -> str:
        body = {"name": name, "labelListVisibility": "labelShow", "messageListVisibility": "show"}
        request = self._users.labels().create(userId=self._user_id, body=body)
        return str(self._execute(request, f"create the label {name!r}")["id"])

    def _pages(
        self, request_for: Callable[[str | None], Any], doing: str
    ) -> Iterator[dict[str, Any]]:
        """Every page of a list call. Not ``list_next``: it cannot copy a request with a
        repeated parameter (``historyTypes``) and raises ValueError."""
        token: str | None = None
        while True:
            response = self._execute(request_for(token), doing)
            yield response
            token = response.get("nextPageToken")
            if not token:
                return

    def message_ids(self, label_id: str, query: str | None) -> Iterator[str]:
        messages = self._users.messages()

        def request_for(token: str | None) -> Any:
            return messages.list(
                userId=self._user_id, labelIds=[label_id], q=query, pageToken=token
            )

        for response in self._pages(request_for, "list messages"):
            for message in response.get("messages", []):
                yield message["id"]

    def changes_since(self, history_id: str, label_id: str) -> MailboxChanges:
        history = self._users.history()

        def request_for(token: str | None) -> Any:
            return history.list(
                userId=self._user_id,
                startHistoryId=history_id,
                historyTypes=HISTORY_TYPES,
                labelId=label_id,
                pageToken=token,
            )

        found: dict[str, None] = {}  # ordered and unique
        newest = history_id
        try:
            for response in self._pages(request_for, "read the mailbox history"):
                for record in response.get("history", []):
                    found.update(dict.fromkeys(added_under(record, label_id)))
                newest = str(response.get("historyId", newest))
        except GmailNotFound as error:
            raise HistoryExpired(f"(history id {history_id})") from error
        return MailboxChanges(message_ids=list(found), history_id=newest)

    def raw_message(self, message_id: str) -> bytes:
        request = self._users.messages().get(userId=self._user_id, id=message_id, format="raw")
        try:
            response = self._execute(request, f"fetch message {message_id}")
        except GmailNotFound as error:
            raise MessageGone(f"(message {message_id})") from error
        return decode_raw(response["raw"], message_id)

    def add_label(self, message_id: str, label_id: str) -> None:
        body = {"addLabelIds": [label_id]}
        request = self._users.messages().modify(userId=self._user_id, id=message_id, body=body)
        try:
            self._execute(request, f"label message {message_id}")
        except GmailNotFound as error:
            raise MessageGone(f"(message {message_id})") from error


def added_under(record: dict[str, Any], label_id: str) -> Iterator[str]:
    """Ids of messages a history record put under ``label_id``: new mail carrying the
    label, and existing mail the label was applied to (a rep filing a recap by hand)."""
    for added in record.get("messagesAdded", []):
        message = added["message"]
        # history.list was asked for this label only: no labelIds means no reason to doubt
        if label_id in message.get("labelIds", [label_id]):
            yield message["id"]
    for added in record.get("labelsAdded", []):
        if label_id in added.get("labelIds", []):
            yield added["message"]["id"]


def decode_raw(raw: str, message_id: str) -> bytes:
    """Gmail's ``raw`` field (base64url, padding optional) as the message's bytes."""
    try:
        return base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise IngestError(
            f"Gmail message {message_id} is not valid base64url; remove the label from it "
            "in Gmail to have it skipped."
        ) from error


def load_credentials(path: Path, *, user: str | None) -> Any:
    """A service account key (with ``user`` for domain-wide delegation) or an
    installed-app token file, scoped to ``gmail.modify``."""
    from google.oauth2 import credentials as user_credentials
    from google.oauth2 import service_account

    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(info, dict):
            raise ValueError("not a JSON object")
        if info.get("type") == "service_account":
            if not user:
                raise ConfigError(
                    f"{path} is a service account key: pass --user with the mailbox "
                    "to read (domain-wide delegation)."
                )
            return service_account.Credentials.from_service_account_info(
                info, scopes=[GMAIL_MODIFY], subject=user
            )
        return user_credentials.Credentials.from_authorized_user_info(info, scopes=[GMAIL_MODIFY])
    except (OSError, ValueError, KeyError) as error:
        raise ConfigError(f"Cannot read Gmail credentials from {path}: {error}") from error


@dataclass
class PollReport:
    """What one pass did, in counts."""

    full_sync: bool = False
    ingested: int = 0  # new inputs stored for the workers
    duplicates: int = 0
    failed: int = 0  # kept, but could not be read (the workers report these now)
    skipped: int = 0  # stored before, or gone from the mailbox

    def __str__(self) -> str:
        kind = "full sync" if self.full_sync else "new mail"
        return (
            f"{kind}: {self.ingested} ingested, {self.duplicates} duplicates, "
            f"{self.failed} failed, {self.skipped} skipped"
        )


class GmailPoller:
    """Ingests what arrives under one Gmail label, one pass at a time."""

    def __init__(
        self,
        mailbox: MailboxSource,
        *,
        application: Application,
        label: str = DEFAULT_LABEL,
        query: str | None = None,
    ) -> None:
        self._mailbox = mailbox
        self._application = application
        self._label = label
        self._query = query
        self._label_ids: tuple[str, str] | None = None
        self._email: str | None = None
        self._rep_email: str | None = None  # the mailbox's owner, when a registered rep

    def poll(self) -> PollReport:
        """One pass: new mail since the saved cursor, or everything on the first run."""
        watched, processed = self._resolve_labels()
        profile = self._identify()
        key = f"gmail:{self._email}:{watched}"
        cursor = (self._application.get_cursor(key) or {}).get("history_id")
        if cursor is not None:
            try:
                changes = self._mailbox.changes_since(str(cursor), watched)
            except HistoryExpired:
                log.warning("Gmail history %s is too old for %s: full sync", cursor, key)
            else:
                report = self._process(changes.message_ids, processed, full_sync=False)
                self._save_cursor(key, changes.history_id)
                return report
        # The starting point is read before the listing, so nothing slips in between.
        start = (profile or self._mailbox.profile()).history_id
        listed = self._mailbox.message_ids(watched, self._query)
        report = self._process(listed, processed, full_sync=True)
        self._save_cursor(key, start)
        return report

    def run(self, *, interval: float, stop: threading.Event) -> None:
        """Poll every ``interval`` seconds until ``stop`` is set. A failed pass is logged
        and retried: nothing is lost, as the cursor only moves after a stored batch."""
        while not stop.is_set():
            try:
                log.info("Gmail %s", self.poll())
            except NextStepError as error:
                log.error("Gmail poll failed: %s", error.message)
            except Exception:
                log.exception("Gmail poll failed")
            stop.wait(interval)

    def _resolve_labels(self) -> tuple[str, str]:
        if self._label_ids is None:
            labels = self._mailbox.labels()
            watched = find_label(labels, self._label)
            if watched is None:
                raise MailboxError(
                    f"Gmail has no label {self._label!r}; create it (and a filter that "
                    "applies it), or pass --label with an existing one."
                )
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

    def _process(
        self, message_ids: Iterable[str], processed: str, *, full_sync: bool
    ) -> PollReport:
        report = PollReport(full_sync=full_sync)
        pending = list(message_ids)
        stored = self._application.stored_source_ids(SOURCE, pending)
        for message_id in pending:
            if message_id in stored:
                report.skipped += 1
            else:
                self._ingest_one(message_id, processed, report)
        return report

    def _ingest_one(self, message_id: str, processed: str, report: PollReport) -> None:
        try:
            raw = self._mailbox.raw_message(message_id)
        except MessageGone:
            log.info("Gmail message %s is gone; skipped", message_id)
            report.skipped += 1
            return
        # Stored and committed before the label says so; a worker analyses it.
        stored = self._application.store(
            raw, source=SOURCE, source_id=message_id, rep_email=self._rep_email
        )
        if stored.duplicate:
            report.duplicates += 1
        else:
            report.ingested += 1
        try:
            self._mailbox.add_label(message_id, processed)
        except MessageGone:
            log.info("Gmail message %s was deleted before it could be labelled", message_id)

    def _save_cursor(self, key: str, history_id: str) -> None:
        self._application.save_cursor(key, {"history_id": history_id})


def find_label(labels: dict[str, str], wanted: str) -> str | None:
    """A label's id by name (any case) or by id (``INBOX``, ``Label_12``)."""
    if wanted in labels.values():
        return wanted
    folded = wanted.casefold()
    return next((i for name, i in labels.items() if name.casefold() == folded), None)
