"""Google Calendar v3 through the real client, built from its bundled discovery
document and answered offline by recorded responses of the API's shape."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.http import HttpMockSequence

from bot.application.calendar import check_step
from bot.calendar.matcher import window_for
from bot.calendar.model import CalendarStatus, EventStatus, MeetingQuery, PartStat, Window
from bot.errors import CalendarError, ConfigError
from integrations.calendar.google import GoogleCalendarSource, load_credentials

DATA = Path(__file__).parent.parent / "data" / "calendar" / "google"
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
WINDOW = Window(datetime(2026, 11, 19, tzinfo=UTC), datetime(2026, 12, 10, tzinfo=UTC))
QUERY = MeetingQuery(
    action="review the proposal",
    conversation_at=datetime(2026, 11, 19, 23, 0, tzinfo=UTC),
    tz="America/Los_Angeles",
    due=datetime(2026, 11, 25, 18, 0, tzinfo=UTC),
    counterpart_emails=frozenset({"priya@acme.example"}),
    rep_emails=frozenset({"dana@northwind.example"}),
)


def ok(name: str) -> tuple[dict[str, str], str]:
    return ({"status": "200"}, (DATA / name).read_text())


def error(status: int, name: str) -> tuple[dict[str, str], str]:
    return ({"status": str(status)}, (DATA / name).read_text())


class Recorder(HttpMockSequence):
    """HttpMockSequence that keeps the URIs it was asked for."""

    def __init__(self, responses: list[tuple[dict[str, str], str]]) -> None:
        super().__init__(responses)
        self.uris: list[str] = []

    def request(self, uri: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.uris.append(uri)
        return super().request(uri, *args, **kwargs)


def params(uri: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(uri).query).items()}


def source(
    *responses: tuple[dict[str, str], str], **kwargs
) -> tuple[GoogleCalendarSource, Recorder, list[float]]:
    http = Recorder(list(responses))
    slept: list[float] = []
    return GoogleCalendarSource.from_http(http, sleep=slept.append, **kwargs), http, slept


def test_window_listing_pages_through_every_event() -> None:
    google, http, _ = source(ok("events_window_page1.json"), ok("events_window_page2.json"))
    listing = google.events(WINDOW)
    assert len(listing.events) == 4
    assert len(http.uris) == 2
    first, second = params(http.uris[0]), params(http.uris[1])
    assert first["singleEvents"] == "true" and first["maxResults"] == "2500"
    assert first["timeMin"] == "2026-11-19T00:00:00+00:00"
    assert first["timeMax"] == "2026-12-10T00:00:00+00:00"
    assert "/calendars/primary/events" in http.uris[0]
    assert second["pageToken"].startswith("CigKGjBsdHA2")
    review, weekly, onsite, declined = listing.events
    assert review.uid == "5k2q9v3hb1c0u7o0j0v8p5s1ds@google.com"
    assert review.start == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    assert review.link == "https://www.google.com/calendar/event?eid=5k2q9v3hb1c0u7o0j0v8p5s1ds"
    assert [a.resource for a in review.attendees] == [False, False, False, True]
    assert weekly.recurrence_id == "20261124T170000Z"
    assert onsite.start == date(2026, 12, 4) and onsite.all_day
    assert declined.attendees[1].partstat == PartStat.DECLINED


def test_check_reads_the_attendees_answers() -> None:
    google, _, _ = source(ok("events_window_page1.json"), ok("events_window_page2.json"))
    check = check_step(google, QUERY, now=NOW)
    assert check.status == CalendarStatus.AWAITING
    assert check.reason == "priya@acme.example has not answered the invite yet."


def test_sync_then_incremental_sync_with_the_token() -> None:
    google, http, _ = source(
        ok("events_full_page1.json"),
        ok("events_full_page2.json"),
        ok("events_incremental.json"),
        ok("events_incremental_unchanged.json"),
    )
    first = google.sync()
    assert (first.full, first.pages, first.changed) == (True, 2, 4)
    assert first.sync_token == "CPDAlvWDx70CEPDAlvWDx70CGAU="
    assert "syncToken" not in params(http.uris[0]) and "timeMin" not in params(http.uris[0])
    assert check_step(google, QUERY, now=NOW).status == CalendarStatus.AWAITING

    second = google.sync()
    assert (second.full, second.pages, second.changed) == (False, 1, 2)
    assert params(http.uris[2])["syncToken"] == "CPDAlvWDx70CEPDAlvWDx70CGAU="
    assert check_step(google, QUERY, now=NOW).status == CalendarStatus.ACCEPTED
    assert google.mirror is not None
    onsite = google.mirror["2dq5c1o7v0mpl8i2bq5u6e3t4k"]
    assert onsite.status == EventStatus.CANCELLED and onsite.start == date(2026, 12, 4)

    third = google.sync()
    assert (third.full, third.changed) == (False, 0)
    assert google.requests == 4


def test_expired_sync_token_means_a_full_sync() -> None:
    google, http, _ = source(
        ok("events_full_page1.json"),
        ok("events_full_page2.json"),
        error(410, "error_410_full_sync_required.json"),
        ok("events_full_page1.json"),
        ok("events_full_page2.json"),
    )
    google.sync()
    report = google.sync()
    assert report.full and report.pages == 2
    assert "syncToken" in params(http.uris[2]) and "syncToken" not in params(http.uris[3])
    assert google.mirror is not None and len(google.mirror) == 4


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (403, "error_403_rate_limit.json"),
        (403, "error_403_user_rate_limit.json"),
        (429, "error_429_rate_limit.json"),
        (503, "error_503_backend.json"),
    ],
)
def test_rate_limits_and_server_errors_are_retried_with_back_off(status: int, name: str) -> None:
    google, _, slept = source(
        error(status, name), error(status, name), ok("events_window_page1.json"),
        ok("events_window_page2.json"),
    )  # fmt: skip
    assert len(google.events(WINDOW).events) == 4
    assert len(slept) == 2
    assert 0.5 <= slept[0] <= 1.5 and 1.0 <= slept[1] <= 3.0  # doubling, with jitter
    assert google.requests == 4


def test_back_off_gives_up_with_a_reason() -> None:
    responses = [error(429, "error_429_rate_limit.json")] * 3
    google, _, slept = source(*responses, max_attempts=3)
    check = check_step(google, QUERY, now=NOW)
    assert check.status == CalendarStatus.UNKNOWN
    assert "kept limiting the rate" in (check.reason or "") or "429" in (check.reason or "")
    assert len(slept) == 2


@pytest.mark.parametrize(
    ("status", "name", "says"),
    [
        (401, "error_401_invalid_credentials.json", "expired or were revoked"),
        (404, "error_404_not_found.json", "is not shared with this account"),
        (403, "error_403_forbidden.json", "is not shared with this account"),
    ],
)
def test_failures_are_unknown_with_why_never_no_invite(
    status: int, name: str, says: str, caplog: pytest.LogCaptureFixture
) -> None:
    google, _, slept = source(error(status, name))
    check = check_step(google, QUERY, now=NOW)
    assert check.status == CalendarStatus.UNKNOWN
    assert says in (check.reason or "")
    assert slept == []  # not retried
    assert any("could not be read" in r.getMessage() for r in caplog.records)


def test_revoked_refresh_token_is_unknown_with_why(tmp_path: Path) -> None:
    token = tmp_path / "token.json"
    token.write_text(
        json.dumps(
            {
                "token": "ya29.expired",
                "refresh_token": "1//0revoked",
                "token_uri": "https://oauth2.googleapis.com/token",
                "client_id": "123.apps.googleusercontent.com",
                "client_secret": "not-a-secret",
                "scopes": ["https://www.googleapis.com/auth/calendar.readonly"],
                "expiry": "2026-11-01T00:00:00Z",
            }
        )
    )
    credentials = load_credentials(token, subject=None)
    assert credentials.expired
    mock = Recorder([({"status": "400"}, (DATA / "token_invalid_grant.json").read_text())])
    google = GoogleCalendarSource.from_http(AuthorizedHttp(credentials, http=mock))
    check = check_step(google, QUERY, now=NOW)
    assert check.status == CalendarStatus.UNKNOWN
    assert "expired or were revoked" in (check.reason or "")
    assert "Token has been expired or revoked" in (check.reason or "")
    assert mock.uris == ["https://oauth2.googleapis.com/token"]


def test_credentials_files(tmp_path: Path) -> None:
    key = tmp_path / "service.json"
    key.write_text(json.dumps({"type": "service_account", "client_email": "x@y"}))
    with pytest.raises(ConfigError, match="name the rep whose calendar"):
        load_credentials(key, subject=None)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ConfigError, match="Cannot read Google Calendar credentials"):
        load_credentials(broken, subject=None)
    with pytest.raises(ConfigError):
        load_credentials(tmp_path / "missing.json", subject=None)


def test_the_window_covers_the_step() -> None:
    window = window_for(QUERY)
    assert window.start <= QUERY.conversation_at
    assert window.end >= QUERY.due + timedelta(days=14)  # type: ignore[operator]
    with pytest.raises(CalendarError):
        google, _, _ = source(error(404, "error_404_not_found.json"))
        google.events(window)


def test_the_mirror_is_kept_on_disk_so_the_next_run_is_incremental(tmp_path: Path) -> None:
    cache = tmp_path / "google-dana.json"
    first, _, _ = source(ok("events_full_page1.json"), ok("events_full_page2.json"), cache=cache)
    token = first.sync().sync_token
    assert cache.is_file()
    # A new process: the saved token and the cache; one request brings it up to date.
    second, http2, _ = source(ok("events_incremental.json"), cache=cache, sync_token=token)
    report = second.sync()
    assert (report.full, report.pages) == (False, 1)
    assert params(http2.uris[0])["syncToken"] == token
    assert check_step(second, QUERY, now=NOW).status == CalendarStatus.ACCEPTED
    # A token that is not the cache's (another process synced since): full sync.
    third, _, _ = source(
        ok("events_full_page1.json"), ok("events_full_page2.json"), cache=cache,
        sync_token="someone-else",
    )  # fmt: skip
    assert third.sync().full
