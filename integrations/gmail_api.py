"""Gmail API v1 behind the small ``MailboxSource`` protocol: ``GmailMailbox`` is the real
adapter over google-api-python-client (static discovery: no discovery call) and takes its
transport (an ``httplib2.Http``, ``HttpMockSequence`` in tests, or credentials, and an
API endpoint) as a parameter.

At this boundary Google's answers become the project's errors: a 404 is ``GmailNotFound``
(``HistoryExpired``, ``MessageGone``); a 401, a 403 for a missing scope and a refused
token refresh are ``GoogleLoginError`` naming the fix; a message that is not base64url
or is over the size limit is ``UnreadableMessage``, carrying what to keep of it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httplib2
from google.auth.exceptions import GoogleAuthError, RefreshError
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from bot.errors import ConfigError, MailboxError, NextStepError
from bot.vocabulary import GmailMode
from integrations.google_oauth import (
    GMAIL_MODIFY,
    GMAIL_READONLY,
    GoogleLoginError,
    granted_scopes,
    refused_login,
    short_scope,
)

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
