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

Gmail sits behind the small ``MailboxSource`` protocol; ``GmailMailbox`` is the real
adapter over google-api-python-client and takes its transport (an ``httplib2.Http``,
``HttpMockSequence`` in tests, or credentials, and an API endpoint) as a parameter.
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
from typing import TYPE_CHECKING, Any, Protocol

import httplib2
from google.auth.exceptions import GoogleAuthError, RefreshError
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from bot.application import Application
from bot.errors import ConfigError, MailboxError, NextStepError
from bot.vocabulary import GmailMode, IngestOutcome, InputSource, InputStatus
from integrations.google_oauth import (
    GMAIL_MODIFY,
    GMAIL_READONLY,
    GoogleLoginError,
    granted_scopes,
    refused_login,
    short_scope,
)

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)

__all__ = ["GMAIL_MODIFY", "GMAIL_READONLY", "GoogleLoginError"]

SOURCE = InputSource.GMAIL
PROCESSED_LABEL = "nextstep/processed"
DEFAULT_LABEL = "nextstep"
HISTORY_TYPES = ["messageAdded", "labelAdded"]
DEFAULT_MAX_BYTES = 25 * 1024 * 1024  # as the SMTP listener
RECONNECT = "Run `nextstep gmail connect` again."
# The scope each mode asks for, and the granted scopes that are enough for it.
SCOPE_FOR = {GmailMode.READONLY: GMAIL_READONLY, GmailMode.LABEL: GMAIL_MODIFY}
FULL_ACCESS = "https://mail.google.com/"
ENOUGH_FOR = {
    GmailMode.READONLY: {GMAIL_READONLY, GMAIL_MODIFY, FULL_ACCESS},
    GmailMode.LABEL: {GMAIL_MODIFY, FULL_ACCESS},
}
SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})


class GmailNotFound(MailboxError):
    """Gmail has no such item."""


class HistoryExpired(GmailNotFound):
    """Gmail no longer has the mailbox history since the saved point."""


class MessageGone(GmailNotFound):
    """The message is no longer in the mailbox."""


class UnreadableMessage(MailboxError):
    """The message cannot be taken as an email."""

    def __init__(self, detail: str, *, kept: bytes) -> None:
        super().__init__(detail)
        self.kept = kept  # what to keep of it: the raw field as Gmail sent it, or a note


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
        """Raises ``MessageGone`` when the message was deleted meanwhile,
        ``UnreadableMessage`` when it cannot be taken as an email."""
        ...

    def add_label(self, message_id: str, label_id: str) -> None:
        """Raises ``MessageGone`` when the message (or the label) is not there."""
        ...


class GmailMailbox:
    """``MailboxSource`` over the Gmail API v1 (static discovery: no discovery call).
    google-api-python-client retries 429, 5xx and 403 rate limits ``num_retries`` times
    with exponential back-off."""

    def __init__(
        self,
        service: Any,
        *,
        user_id: str = "me",
        num_retries: int = 3,
        max_bytes: int = DEFAULT_MAX_BYTES,
        mode: GmailMode = GmailMode.LABEL,
    ) -> None:
        self._users = service.users()
        self._user_id = user_id
        self._num_retries = num_retries
        self._max_bytes = max_bytes
        self._scope = SCOPE_FOR[mode]

    @classmethod
    def from_http(cls, http: Any, *, api_url: str | None = None, **kwargs: Any) -> GmailMailbox:
        service = build(
            "gmail", "v1", http=http, static_discovery=True, cache_discovery=False,
            client_options=_endpoint(api_url),
        )  # fmt: skip
        return cls(service, **kwargs)

    @classmethod
    def from_credentials_file(
        cls,
        path: Path,
        *,
        user: str | None = None,
        mode: GmailMode = GmailMode.LABEL,
        api_url: str | None = None,
        token_uri: str | None = None,
        **kwargs: Any,
    ) -> GmailMailbox:
        credentials = load_credentials(path, user=user, mode=mode)
        if token_uri:  # google-auth fixes an installed-app token's endpoint to Google's
            credentials = credentials.with_token_uri(token_uri)
        service = build(
            "gmail", "v1", credentials=credentials, static_discovery=True,
            cache_discovery=False, client_options=_endpoint(api_url),
        )  # fmt: skip
        return cls(service, mode=mode, **kwargs)

    def _execute(self, request: Any, doing: str) -> dict[str, Any]:
        try:
            response: dict[str, Any] = request.execute(num_retries=self._num_retries)
        except HttpError as error:
            raise self._refused(error, doing) from error
        except RefreshError as error:
            raise refused_login(error, service="Gmail", scope=self._scope, fix=RECONNECT) from error
        except (OSError, httplib2.HttpLib2Error, GoogleAuthError) as error:
            raise MailboxError(f"Gmail could not be reached to {doing}: {error}") from error
        return response

    def _refused(self, error: HttpError, doing: str) -> NextStepError:
        status, reason = error.status_code, error_reason(error)
        if status == 401:
            return GoogleLoginError(
                f"Gmail refused the token (401 {reason}) when asked to {doing}: it expired or "
                f"was revoked. {RECONNECT}"
            )
        if status == 403 and reason in SCOPE_REASONS:
            return GoogleLoginError(
                f"The Gmail token does not grant {short_scope(self._scope)} ({reason}), which "
                f"is needed to {doing}. {RECONNECT}"
            )
        detail = f"Gmail answered {status} when asked to {doing}: {reason}"
        if status == 404:
            return GmailNotFound(detail)
        return MailboxError(detail)

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
        size = int(response.get("sizeEstimate") or 0)
        encoded = str(response.get("raw", ""))
        if size > self._max_bytes or len(encoded) * 3 // 4 > self._max_bytes:
            size = max(size, len(encoded) * 3 // 4)
            note = f"Gmail message {message_id}: about {size} bytes; left in Gmail."
            raise UnreadableMessage(
                f"Gmail message {message_id} is about {size} bytes, over the "
                f"{self._max_bytes}-byte limit; it stays in Gmail, not analysed.",
                kept=note.encode(),
            )
        return decode_raw(encoded, message_id)

    def add_label(self, message_id: str, label_id: str) -> None:
        body = {"addLabelIds": [label_id]}
        request = self._users.messages().modify(userId=self._user_id, id=message_id, body=body)
        try:
            self._execute(request, f"label message {message_id}")
        except GmailNotFound as error:
            raise MessageGone(f"(message {message_id} or label {label_id})") from error


def _endpoint(api_url: str | None) -> dict[str, str] | None:
    return {"api_endpoint": api_url} if api_url else None


def error_reason(error: HttpError) -> str:
    """The first ``errors[].reason`` of a Google error body, else its status or message."""
    try:
        body = json.loads(error.content.decode("utf-8"))["error"]
        errors = body.get("errors") or []
        if errors and errors[0].get("reason"):
            return str(errors[0]["reason"])
        return str(body.get("status") or body.get("message") or error.reason)
    except (ValueError, KeyError, TypeError, AttributeError):
        return str(error.reason)


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
        raise UnreadableMessage(
            f"Gmail message {message_id} is not valid base64url ({error}); it is kept as a "
            "failed input and left unlabelled in Gmail.",
            kept=raw.encode("utf-8", "replace"),
        ) from error


def load_credentials(path: Path, *, user: str | None, mode: GmailMode = GmailMode.LABEL) -> Any:
    """A service account key (with ``user`` for domain-wide delegation), asked for the
    scope ``mode`` needs; or an installed-app token file, used with the scopes it was
    granted, which must be enough for ``mode`` (``gmail.readonly`` is for readonly)."""
    from google.oauth2 import credentials as user_credentials
    from google.oauth2 import service_account

    scope = SCOPE_FOR[mode]
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
                info, scopes=[scope], subject=user
            )
        granted = granted_scopes(info)
        if granted and not ENOUGH_FOR[mode] & set(granted):
            raise GoogleLoginError(
                f"The Gmail token in {path} grants {', '.join(map(short_scope, granted))}; "
                f"NEXTSTEP_GMAIL_MODE={mode.value} needs {short_scope(scope)}. {RECONNECT}"
            )
        return user_credentials.Credentials.from_authorized_user_info(
            info, scopes=granted or [scope]
        )
    except (OSError, ValueError, KeyError) as error:
        raise ConfigError(f"Cannot read Gmail credentials from {path}: {error}") from error


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
    ingested: int = 0  # new or updated conversations
    duplicates: int = 0
    failed: int = 0  # kept, but could not be read as a conversation
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
    unlabelled: list[str]  # stored and analysed, but labelling failed
    duplicates: set[str]  # Gmail ids whose content was stored under another id

    @classmethod
    def of(cls, saved: dict[str, Any] | None) -> _Cursor:
        saved = saved or {}
        history_id = saved.get("history_id")
        return cls(
            history_id=str(history_id) if history_id is not None else None,
            unlabelled=[str(i) for i in saved.get("unlabelled", [])],
            duplicates={str(i) for i in saved.get("duplicates", [])},
        )

    def as_saved(self, history_id: str | None) -> dict[str, Any]:
        return {
            "history_id": history_id,
            "unlabelled": list(dict.fromkeys(self.unlabelled)),
            "duplicates": sorted(self.duplicates),
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
        watched, _ = self._resolve_labels()
        profile = self._identify()
        key = self._key = f"gmail:{self._email}:{watched}"
        cursor = _Cursor.of(self._application.get_cursor(key))
        report = PollReport()
        moved_to = cursor.history_id
        try:
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
        result = self._application.ingest(
            raw, source=SOURCE, source_id=source_id, rep_email=self._rep_email
        )
        if result.status == IngestOutcome.FAILED:
            log.warning("Gmail message %s kept but not read: %s", message_id, result.error)
            report.failed += 1
            return  # not labelled processed: it was not
        if result.status == IngestOutcome.DUPLICATE:
            report.duplicates += 1
            cursor.duplicates.add(message_id)
            if result.previous_status == InputStatus.FAILED:
                return
        else:
            report.ingested += 1
        cursor.unlabelled.append(message_id)  # until Gmail says it is labelled
        if self._mode == GmailMode.LABEL:  # saved first: a crash now still labels it later
            self._application.save_cursor(self._key, cursor.as_saved(cursor.history_id))
        if self._label_processed(message_id):
            cursor.unlabelled.remove(message_id)

    def _label_late(self, cursor: _Cursor, report: PollReport) -> None:
        """Label the messages stored on earlier passes whose labelling failed."""
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
