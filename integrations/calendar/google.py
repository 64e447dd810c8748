"""Google Calendar (API v3) as a calendar source, through google-api-python-client.

Two ways to read: ``events(window)`` lists one window (``timeMin``/``timeMax``,
recurring events expanded with ``singleEvents``, every page); ``sync()`` keeps a mirror
of the whole calendar, the first time by a full listing and then by the sync token
Google gave (only what changed since), which is what a scheduled recheck of thousands
of steps uses: a handful of requests, whatever the number of steps. A sync token Google
no longer accepts (410 Gone) means a full listing again.

Rate limits (403 ``rateLimitExceeded``/``userRateLimitExceeded``, 429) and server errors
(5xx) are retried with exponential back-off. Everything else that stops a read becomes a
``CalendarError`` with the reason: expired or revoked credentials, a calendar that does
not exist or is not shared with the account, no network.

Credentials: a per-rep token file from the installed-app flow (``nextstep calendar
connect``) or a service account key with domain-wide delegation (``subject``); the
scope ``calendar.readonly`` is enough.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httplib2
from google.auth.exceptions import GoogleAuthError, RefreshError
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from bot.calendar.model import (
    Attendee,
    CalendarEvent,
    EventStatus,
    Listing,
    PartStat,
    Window,
)
from bot.calendar.recurrence import recurrence_key
from bot.calendar.schema import event_from_record, event_to_record
from bot.errors import CalendarError, ConfigError

log = logging.getLogger(__name__)

CALENDAR_READONLY = "https://www.googleapis.com/auth/calendar.readonly"
PAGE_SIZE = 2500  # the most events.list gives in one page
RETRY_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
_ANSWERS = {
    "needsAction": PartStat.NEEDS_ACTION,
    "accepted": PartStat.ACCEPTED,
    "tentative": PartStat.TENTATIVE,
    "declined": PartStat.DECLINED,
}


class SyncTokenExpired(CalendarError):
    """Google no longer accepts the sync token; a full sync is needed."""


@dataclass
class SyncReport:
    full: bool  # a full listing (first sync, or the token had expired)
    changed: int  # events added, changed or cancelled
    pages: int
    sync_token: str | None


class GoogleCalendarSource:
    """A ``CalendarSource`` over one Google calendar."""

    def __init__(
        self,
        service: Any,
        *,
        calendar_id: str = "primary",
        name: str = "google",
        max_attempts: int = 6,
        sleep: Callable[[float], None] = time.sleep,
        sync_token: str | None = None,
        cache: Path | None = None,
    ) -> None:
        self._events = service.events()
        self.cache = cache
        self.calendar_id = calendar_id
        self.name = name
        self.max_attempts = max_attempts
        self.sleep = sleep
        self.sync_token = sync_token
        self.requests = 0  # API requests made (retries included)
        self.mirror: dict[str, CalendarEvent] | None = None  # by Google event id
        self._mirror_listing: Listing | None = None

    @classmethod
    def from_http(cls, http: Any, **kwargs: Any) -> GoogleCalendarSource:
        """Over a given transport (``HttpMockSequence`` in tests); no discovery call."""
        service = build("calendar", "v3", http=http, static_discovery=True, cache_discovery=False)
        return cls(service, **kwargs)

    @classmethod
    def from_credentials_file(
        cls, path: Path, *, subject: str | None = None, **kwargs: Any
    ) -> GoogleCalendarSource:
        credentials = load_credentials(path, subject=subject)
        service = build(
            "calendar", "v3", credentials=credentials, static_discovery=True, cache_discovery=False
        )
        return cls(service, **kwargs)

    # --- reading ----------------------------------------------------------------

    def events(self, window: Window) -> Listing:
        """The events in ``window``: from the mirror when ``sync`` has run, else read."""
        if self.mirror is not None:
            if self._mirror_listing is None:  # one listing (and one index) per sync
                self._mirror_listing = Listing(tuple(self.mirror.values()))
            return self._mirror_listing
        found: list[CalendarEvent] = []
        page: str | None = None
        while True:
            response = self._execute(
                self._events.list(
                    calendarId=self.calendar_id,
                    timeMin=window.start.isoformat(),
                    timeMax=window.end.isoformat(),
                    singleEvents=True,
                    maxResults=PAGE_SIZE,
                    pageToken=page,
                ),
                "list events",
            )
            found += [e for item in response.get("items", []) if (e := event_of(item))]
            page = response.get("nextPageToken")
            if not page:
                return Listing(tuple(found))

    def sync(self) -> SyncReport:
        """Bring the mirror up to date: incrementally with the sync token, else in full.
        With a ``cache`` file, the mirror and its token are read from it first (when its
        token is the one given) and written back after, so the next run is incremental."""
        if self.mirror is None and self.cache is not None:
            self._load_cache()
        try:
            return self._sync_now()
        finally:
            if self.cache is not None and self.mirror is not None:
                self._save_cache()

    def _sync_now(self) -> SyncReport:
        if self.mirror is not None and self.sync_token:
            try:
                return self._sync(full=False)
            except SyncTokenExpired:
                log.info("calendar %s: sync token expired, full sync", self.calendar_id)
        return self._sync(full=True)

    def _sync(self, *, full: bool) -> SyncReport:
        mirror: dict[str, CalendarEvent] = {} if full or self.mirror is None else self.mirror
        page: str | None = None
        pages = changed = 0
        while True:
            arguments: dict[str, Any] = {
                "calendarId": self.calendar_id,
                "singleEvents": True,
                "maxResults": PAGE_SIZE,
                "pageToken": page,
            }
            if not full:
                arguments["syncToken"] = self.sync_token
            response = self._execute(self._events.list(**arguments), "sync events")
            pages += 1
            for item in response.get("items", []):
                changed += 1
                known = mirror.get(item.get("id", ""))
                event = event_of(item, known=known)
                if event is not None:
                    mirror[item["id"]] = event
            page = response.get("nextPageToken")
            if not page:
                self.mirror = mirror
                self._mirror_listing = None
                self.sync_token = response.get("nextSyncToken")
                return SyncReport(full, changed, pages, self.sync_token)

    def _load_cache(self) -> None:
        assert self.cache is not None
        try:
            saved = json.loads(self.cache.read_text(encoding="utf-8"))
            if self.sync_token is not None and saved.get("sync_token") != self.sync_token:
                return  # another process synced since: its token is the one given
            self.mirror = {k: event_from_record(v) for k, v in saved["events"].items()}
            self.sync_token = saved.get("sync_token")
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.info("calendar cache %s not used: %s", self.cache, error)

    def _save_cache(self) -> None:
        assert self.cache is not None and self.mirror is not None
        self.cache.parent.mkdir(parents=True, exist_ok=True)
        records = {k: event_to_record(v) for k, v in self.mirror.items()}
        temporary = self.cache.with_suffix(".tmp")
        temporary.write_text(json.dumps({"sync_token": self.sync_token, "events": records}))
        temporary.replace(self.cache)

    # --- the boundary -----------------------------------------------------------

    def _execute(self, request: Any, doing: str) -> dict[str, Any]:
        for attempt in range(1, self.max_attempts + 1):
            self.requests += 1
            try:
                response: dict[str, Any] = request.execute()
                return response
            except HttpError as error:
                status, reason = error.status_code, _reason(error)
                if status == 410:
                    raise SyncTokenExpired(f"calendar {self.calendar_id}") from error
                retry = status in (429, 500, 502, 503, 504) or (
                    status == 403 and reason in RETRY_REASONS
                )
                if retry and attempt < self.max_attempts:
                    delay = min(2 ** (attempt - 1), 32) * (0.5 + random.random())
                    log.info("Google answered %s (%s); retrying in %.1fs", status, reason, delay)
                    self.sleep(delay)
                    continue
                raise CalendarError(self._explain(status, reason, doing)) from error
            except RefreshError as error:
                raise CalendarError(
                    f"Google refused the credentials for calendar {self.calendar_id}: they "
                    f"expired or were revoked ({_first_line(error)}). Run `nextstep calendar "
                    "connect` again."
                ) from error
            except (OSError, httplib2.HttpLib2Error, GoogleAuthError) as error:
                raise CalendarError(
                    f"Google Calendar could not be reached to {doing}: {error}"
                ) from error
        raise CalendarError(f"Google Calendar kept failing to {doing}.")  # not reached

    def _explain(self, status: int, reason: str, doing: str) -> str:
        calendar = self.calendar_id
        if status == 401:
            return (
                f"Google refused the credentials for calendar {calendar} (401 {reason}): they "
                "expired or were revoked. Run `nextstep calendar connect` again."
            )
        if status == 404:
            return (
                f"Calendar {calendar} was not found: it does not exist or is not shared "
                "with this account."
            )
        if status == 403 and reason in RETRY_REASONS:
            return f"Google kept limiting the rate ({reason}) when asked to {doing}; try later."
        if status == 403:
            return (
                f"Calendar {calendar} is not shared with this account ({reason}); share it "
                "or grant calendar.readonly."
            )
        return f"Google answered {status} ({reason}) when asked to {doing}."


def event_of(item: dict[str, Any], *, known: CalendarEvent | None = None) -> CalendarEvent | None:
    """A Google event resource as a ``CalendarEvent``. A cancelled event in a sync has
    little more than its id: it cancels what is known, or is dropped."""
    status = item.get("status", "confirmed")
    start = _time(item.get("start"))
    if start is None:
        if status == "cancelled" and known is not None:
            return replace(known, status=EventStatus.CANCELLED)
        return None
    organizer = (item.get("organizer") or {}).get("email")
    original = _time(item.get("originalStartTime"))
    return CalendarEvent(
        uid=item.get("iCalUID") or item.get("id", ""),
        event_id=item.get("id"),
        start=start,
        end=_time(item.get("end")),
        title=item.get("summary", ""),
        organizer=organizer.lower() if organizer else None,
        attendees=tuple(_attendee(a) for a in item.get("attendees", []) if a.get("email")),
        status=EventStatus(status)
        if status in EventStatus._value2member_map_
        else EventStatus.CONFIRMED,
        link=item.get("htmlLink"),
        sequence=int(item.get("sequence", 0)),
        recurrence_id=recurrence_key(original) if original is not None else None,
        stamp=_instant(item.get("updated")),
    )


def _attendee(item: dict[str, Any]) -> Attendee:
    return Attendee(
        email=item["email"].lower(),
        partstat=_ANSWERS.get(item.get("responseStatus", ""), PartStat.NEEDS_ACTION),
        name=item.get("displayName"),
        organizer=bool(item.get("organizer")),
        optional=bool(item.get("optional")),
        resource=bool(item.get("resource")),
    )


def _time(value: dict[str, Any] | None) -> datetime | date | None:
    if not value:
        return None
    if "dateTime" in value:
        return datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00"))
    if "date" in value:
        return date.fromisoformat(value["date"])
    return None


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _reason(error: HttpError) -> str:
    try:
        body = json.loads(error.content.decode("utf-8"))
        errors = body["error"].get("errors") or []
        if errors and errors[0].get("reason"):
            return str(errors[0]["reason"])
        return str(body["error"].get("status") or body["error"].get("message") or error.reason)
    except (ValueError, KeyError, TypeError, AttributeError):
        return str(error.reason)


def _first_line(error: Exception) -> str:
    text = str(error.args[0] if error.args else error)
    return text.splitlines()[0] if text else type(error).__name__


def load_credentials(path: Path, *, subject: str | None) -> Any:
    """A rep's installed-app token file, or a service account key (with ``subject``,
    the rep's address, for domain-wide delegation), scoped to ``calendar.readonly``."""
    from google.oauth2 import credentials as user_credentials
    from google.oauth2 import service_account

    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(info, dict):
            raise ValueError("not a JSON object")
        if info.get("type") == "service_account":
            if not subject:
                raise ConfigError(
                    f"{path} is a service account key: name the rep whose calendar to read "
                    "(domain-wide delegation)."
                )
            return service_account.Credentials.from_service_account_info(
                info, scopes=[CALENDAR_READONLY], subject=subject
            )
        return user_credentials.Credentials.from_authorized_user_info(
            info, scopes=[CALENDAR_READONLY]
        )
    except (OSError, ValueError, KeyError) as error:
        raise ConfigError(
            f"Cannot read Google Calendar credentials from {path}: {error}"
        ) from error


class SyncedCalendar:
    """A Google calendar brought up to date once per run (``sync``), then read from its
    mirror for every step; a failed sync fails every read with the same reason."""

    def __init__(
        self, google: GoogleCalendarSource, *, on_synced: Callable[[SyncReport], None] | None = None
    ) -> None:
        self.google = google
        self.name = google.name
        self.on_synced = on_synced
        self.report: SyncReport | None = None
        self.error: CalendarError | None = None

    def events(self, window: Window) -> Listing:
        if self.error is not None:
            raise self.error
        if self.report is None:
            try:
                self.report = self.google.sync()
            except CalendarError as error:
                self.error = error
                raise
            if self.on_synced is not None:
                self.on_synced(self.report)
        return self.google.events(window)
