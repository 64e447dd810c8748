"""`nextstep gmail poll` as a user runs it: the command line (``main()``, so exit codes
and messages are the real ones), a token file, a real database, and Gmail answering
over real HTTP from recorded responses of the API's shapes, errors included. The
client's retries are on (``num_retries=3``); their sleeps are turned off and counted.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from integrations.google_oauth import CALENDAR_READONLY, GMAIL_MODIFY, GMAIL_READONLY
from storage.models import InboundMessage, SyncState
from tests.integrations.google_server import GoogleServer, google_server, recorded

ROOT = Path(__file__).resolve().parents[2]
OWNER = "dana.reyes@acme-robotics.com"
KEY = f"gmail:{OWNER}:Label_3"
FIRST = ["19a8c6f0aa13b5c7", "19a8c52d7e6a0f93", "19a8c3e1f04b7d21"]
LATER = "19a8d01b3c44e2a8"
RECONNECT = "Run `nextstep gmail connect` again."
INSUFFICIENT_SCOPE = {
    "error": {
        "code": 403,
        "message": "Request had insufficient authentication scopes.",
        "errors": [
            {"message": "Insufficient Permission", "domain": "global", "reason": "insufficientPermissions"}
        ],
        "status": "PERMISSION_DENIED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                "domain": "googleapis.com",
                "metadata": {"service": "gmail.googleapis.com", "method": "caribou.api.proto.MailboxService.GetProfile"},
            }
        ],
    }
}  # fmt: skip
RATE_LIMITED = {
    "error": {
        "code": 403,
        "message": "User-rate limit exceeded.  Retry after 2026-12-03T05:01:12.000Z",
        "errors": [{"message": "User-rate limit exceeded.", "domain": "usageLimits", "reason": "userRateLimitExceeded"}],
        "status": "PERMISSION_DENIED",
    }
}  # fmt: skip
BACKEND_ERROR = {
    "error": {
        "code": 500,
        "message": "Internal error encountered.",
        "errors": [{"message": "Internal error encountered.", "domain": "global", "reason": "backendError"}],
        "status": "INTERNAL",
    }
}  # fmt: skip
NOT_FOUND = recorded("history_not_found")


@pytest.fixture
def gmail() -> Iterator[GoogleServer]:
    with google_server() as server:
        yield server


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The client's retry back-off, turned off and recorded."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str, gmail: GoogleServer
) -> Path:
    """A user's environment: the database, a data directory, Gmail at the test server.
    Returns the data directory."""
    data = tmp_path / "data"
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("NEXTSTEP_DATA_DIR", str(data))
    monkeypatch.setenv("NEXTSTEP_DEFAULT_TZ", "America/Los_Angeles")
    monkeypatch.setenv("NEXTSTEP_GMAIL_API_URL", f"{gmail.url}/")
    monkeypatch.setenv("NEXTSTEP_GOOGLE_TOKEN_URI", gmail.token_uri)
    for name in ("NEXTSTEP_GMAIL_CREDENTIALS", "NEXTSTEP_GMAIL_USER", "NEXTSTEP_GMAIL_MODE"):
        monkeypatch.delenv(name, raising=False)
    return data


def token_file(path: Path, gmail: GoogleServer, *, scopes: list[str], valid: bool = True) -> Path:
    """An installed-app token as `nextstep gmail connect` saves it; ``valid=False``
    means it must be refreshed at the token endpoint first."""
    info = {
        "refresh_token": "1//0g-test-refresh",
        "token_uri": gmail.token_uri,
        "client_id": "123-test.apps.googleusercontent.com",
        "client_secret": "GOCSPX-test",
        "scopes": scopes,
    }
    if valid:
        info |= {"token": "ya29.a0-valid", "expiry": "2099-01-01T00:00:00Z"}
    path.write_text(json.dumps(info))
    return path


@pytest.fixture
def token(env: Path, tmp_path: Path, gmail: GoogleServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = token_file(tmp_path / "token.json", gmail, scopes=[GMAIL_MODIFY])
    monkeypatch.setenv("NEXTSTEP_GMAIL_CREDENTIALS", str(path))
    return path


def nextstep(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run the command line; its exit code, stdout and stderr."""
    from bot.cli import main

    monkeypatch.setattr(sys, "argv", ["nextstep", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    out, err = capsys.readouterr()
    return (code if isinstance(code, int) else 0), out, err


def poll_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    return nextstep(monkeypatch, capsys, "gmail", "poll", "--once", "--label", "NextStep")


def message(message_id: str, raw: bytes, *, size: int | None = None) -> str:
    """A messages.get(format=raw) answer."""
    return json.dumps(
        {
            "id": message_id,
            "threadId": message_id,
            "labelIds": ["Label_3", "INBOX"],
            "snippet": "",
            "sizeEstimate": size if size is not None else len(raw),
            "historyId": "1843290",
            "internalDate": "1764010800000",
            "raw": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        }
    )


def listing(*ids: str, next_page: str | None = None) -> str:
    page: dict[str, object] = {
        "messages": [{"id": i, "threadId": i} for i in ids],
        "resultSizeEstimate": len(ids),
    }
    if next_page:
        page["nextPageToken"] = next_page
    return json.dumps(page)


def raw_of(message_id: str) -> bytes:
    return base64.urlsafe_b64decode(json.loads(recorded(f"message_raw_{message_id}"))["raw"] + "==")


def fetch_and_label(gmail: GoogleServer, message_id: str, label: str = "Label_7") -> None:
    fetch(gmail, message_id)
    label_processed(gmail, message_id, label)


def fetch(gmail: GoogleServer, message_id: str) -> None:
    gmail.recorded(f"GET messages/{message_id}", f"message_raw_{message_id}")


def label_processed(gmail: GoogleServer, message_id: str, label: str = "Label_7") -> None:
    """The modify that labels a message, once the worker has analysed it: after the
    pass has fetched every message."""
    gmail.answer(
        f"POST messages/{message_id}/modify",
        json.dumps({"id": message_id, "threadId": message_id, "labelIds": ["Label_3", label]}),
    )


def start_of_pass(gmail: GoogleServer, *, labels: str = "labels_list_with_processed") -> None:
    gmail.recorded("GET labels", labels)
    gmail.recorded("GET profile", "profile")


def inputs(database_url: str) -> dict[str, tuple[str, str | None]]:
    """Stored Gmail inputs: source id -> (status, error)."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(InboundMessage).where(InboundMessage.source == "gmail")
                .order_by(col(InboundMessage.id))
            ).all()  # fmt: skip
            return {str(r.source_id): (str(r.status), r.error) for r in rows}
    finally:
        engine.dispose()


def saved_cursor(database_url: str) -> dict[str, object]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            row = session.exec(select(SyncState).where(SyncState.key == KEY)).first()
            return dict(row.value) if row else {}
    finally:
        engine.dispose()


def the_owed_label_is_applied_on_the_next_pass(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    """The next pass labels the one message whose label was owed, and fetches nothing."""
    start_of_pass(gmail)
    gmail.recorded(f"POST messages/{FIRST[2]}/modify", "message_modified")
    gmail.recorded("GET history", "history_list_unchanged")

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail new mail: 0 ingested, 0 duplicates, 0 failed, 0 skipped, 1 labelled late" in out
    assert gmail.script == []
    assert saved_cursor(database_url)["unlabelled"] == []


def mailbox(message_id: str) -> str:
    return f"{OWNER}/{message_id}"


# --- passes -------------------------------------------------------------------------------


@pytest.mark.usefixtures("token")
def test_full_sync_fetches_an_id_on_two_pages_once_then_labels_added_are_read(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    start_of_pass(gmail)
    gmail.answer("GET messages", listing(FIRST[0], FIRST[1], next_page="0643398"))
    gmail.answer("GET messages", listing(FIRST[1], FIRST[2]))  # the list moved between pages
    for message_id in FIRST:
        fetch(gmail, message_id)
    for message_id in FIRST:  # stored, analysed by the worker, then labelled
        label_processed(gmail, message_id)

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 3 ingested, 0 duplicates, 0 failed, 0 skipped" in out
    assert "3 inputs analysed: 3 processed, 0 failed" in out
    assert "3 labelled processed" in out
    assert gmail.calls.count(f"GET messages/{FIRST[1]}") == 1
    assert gmail.script == []
    assert set(inputs(database_url)) == {mailbox(i) for i in FIRST}

    # A rep files an older mail under the label by hand: history says labelsAdded.
    start_of_pass(gmail)
    gmail.recorded("GET history", "history_list_page1")
    filed = json.loads(recorded("history_list_page2"))
    filed["history"][0].pop("messagesAdded")
    filed["history"][0]["labelsAdded"] = [
        {"message": {"id": LATER, "threadId": LATER, "labelIds": ["Label_3", "INBOX"]}, "labelIds": ["Label_3"]}
    ]  # fmt: skip
    gmail.answer("GET history", json.dumps(filed))
    fetch_and_label(gmail, LATER)

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail new mail: 1 ingested, 0 duplicates, 0 failed, 0 skipped" in out
    assert gmail.script == []
    assert gmail.requests[-1].body == '{"addLabelIds": ["Label_7"]}'
    assert inputs(database_url)[mailbox(LATER)] == ("processed", None)
    assert saved_cursor(database_url)["history_id"] == "1843305"


@pytest.mark.usefixtures("token")
def test_an_undecodable_message_is_kept_as_failed_and_later_ones_are_read(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    start_of_pass(gmail)
    gmail.answer("GET messages", listing("19a8bad0000000001", FIRST[0]))
    broken = json.loads(message("19a8bad0000000001", b""))
    broken["raw"] = "RGVsaXZlcmVk*LVRv"  # not base64url
    gmail.answer("GET messages/19a8bad0000000001", json.dumps(broken))
    fetch_and_label(gmail, FIRST[0])

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 1 ingested, 0 duplicates, 1 failed, 0 skipped" in out
    assert gmail.script == []  # the broken one was not labelled processed
    assert "POST messages/19a8bad0000000001/modify" not in gmail.calls
    stored = inputs(database_url)
    status, error = stored[mailbox("19a8bad0000000001")]
    assert status == "failed"
    assert error is not None and "not valid base64url" in error
    assert stored[mailbox(FIRST[0])] == ("processed", None)
    assert saved_cursor(database_url)["history_id"] == "1843211"

    # Gmail forgot the history: the full listing skips both, fetching neither again.
    start_of_pass(gmail)
    gmail.answer("GET history", NOT_FOUND, status=404)
    gmail.answer("GET messages", listing("19a8bad0000000001", FIRST[0]))
    code, out, err = poll_once(monkeypatch, capsys)
    assert code == 0, err
    assert "Gmail full sync: 0 ingested, 0 duplicates, 0 failed, 2 skipped" in out
    assert gmail.script == []


@pytest.mark.usefixtures("token")
def test_a_failed_analysis_is_not_labelled_processed(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    empty = (
        b"From: Dana Reyes <dana.reyes@acme-robotics.com>\r\nTo: priya@northwind.example\r\n"
        b"Subject: Recap\r\nDate: Mon, 23 Nov 2026 10:00:00 -0800\r\n"
        b"Message-ID: <empty-recap@acme-robotics.com>\r\n\r\n"
    )
    start_of_pass(gmail)
    gmail.answer("GET messages", listing("19a8e0000000000e"))
    gmail.answer("GET messages/19a8e0000000000e", message("19a8e0000000000e", empty))

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 1 ingested, 0 duplicates, 0 failed" in out  # stored
    assert "1 inputs analysed: 0 processed, 1 failed" in out  # the worker's analysis failed
    assert "labelled processed" not in out
    assert gmail.calls[-1] == "GET messages/19a8e0000000000e"  # no modify after it
    assert inputs(database_url)[mailbox("19a8e0000000000e")][0] == "failed"
    assert saved_cursor(database_url)["waiting"] == {}  # not waiting to be labelled either
    assert saved_cursor(database_url)["unlabelled"] == []

    # Nor is it labelled on the next pass.
    start_of_pass(gmail)
    gmail.recorded("GET history", "history_list_unchanged")
    code, out, err = poll_once(monkeypatch, capsys)
    assert code == 0, err
    assert "Gmail new mail: 0 ingested, 0 duplicates, 0 failed, 0 skipped" in out
    assert gmail.script == []
    assert not any(call.endswith("/modify") for call in gmail.calls)

    # The same recap filed again is a duplicate of a failed input: not labelled either.
    copy = "19a8e000000000c0"
    added = {"message": {"id": copy, "threadId": copy, "labelIds": ["Label_3", "INBOX"]}}
    start_of_pass(gmail)
    gmail.answer(
        "GET history",
        json.dumps(
            {"history": [{"id": "1843300", "messagesAdded": [added]}], "historyId": "1843305"}
        ),
    )
    gmail.answer(f"GET messages/{copy}", message(copy, empty))
    code, out, err = poll_once(monkeypatch, capsys)
    assert code == 0, err
    assert "Gmail new mail: 0 ingested, 1 duplicates, 0 failed, 0 skipped" in out
    assert "0 inputs analysed" in out
    assert gmail.script == []
    assert not any(call.endswith("/modify") for call in gmail.calls)
    saved = saved_cursor(database_url)
    assert (saved["duplicates"], saved["waiting"], saved["unlabelled"]) == ([copy], {}, [])


@pytest.mark.usefixtures("token")
def test_a_message_whose_labelling_failed_is_labelled_on_the_next_pass(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    sleeps: list[float],
) -> None:
    start_of_pass(gmail)
    gmail.recorded("GET messages", "messages_list_page2")
    gmail.recorded(f"GET messages/{FIRST[2]}", f"message_raw_{FIRST[2]}")
    for _ in range(4):  # the first try and three retries
        gmail.answer(f"POST messages/{FIRST[2]}/modify", json.dumps(BACKEND_ERROR), status=500)

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 1 ingested" in out
    assert len(sleeps) == 3
    assert saved_cursor(database_url)["unlabelled"] == [FIRST[2]]

    the_owed_label_is_applied_on_the_next_pass(gmail, monkeypatch, capsys, database_url)


@pytest.mark.usefixtures("token")
def test_a_deleted_processed_label_is_made_again_on_a_404(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    start_of_pass(gmail)
    gmail.recorded("GET messages", "messages_list_page2")
    gmail.recorded(f"GET messages/{FIRST[2]}", f"message_raw_{FIRST[2]}")
    gmail.answer(f"POST messages/{FIRST[2]}/modify", NOT_FOUND, status=404)
    gmail.recorded("GET labels", "labels_list")  # someone deleted nextstep/processed
    gmail.answer("POST labels", json.dumps({"id": "Label_9", "name": "nextstep/processed"}))
    gmail.recorded(f"POST messages/{FIRST[2]}/modify", "message_modified")

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 1 ingested, 0 duplicates, 0 failed, 0 skipped" in out
    assert gmail.script == []
    assert gmail.requests[-1].body == '{"addLabelIds": ["Label_9"]}'


@pytest.mark.usefixtures("token")
def test_content_duplicates_are_remembered_by_gmail_id(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    copy = "19a8f00000000c0p"  # the same recap filed twice
    start_of_pass(gmail)
    gmail.answer("GET messages", listing(FIRST[2], copy))
    fetch(gmail, FIRST[2])
    gmail.answer(f"GET messages/{copy}", message(copy, raw_of(FIRST[2])))
    label_processed(gmail, FIRST[2])  # both, once the one stored input is analysed
    gmail.recorded(f"POST messages/{copy}/modify", "message_modified")

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 1 ingested, 1 duplicates, 0 failed, 0 skipped" in out
    assert "1 inputs analysed: 1 processed, 0 failed" in out
    assert "2 labelled processed" in out
    assert gmail.script == []
    assert saved_cursor(database_url)["duplicates"] == [copy]

    start_of_pass(gmail)
    gmail.answer("GET history", NOT_FOUND, status=404)
    gmail.answer("GET messages", listing(FIRST[2], copy))
    code, out, err = poll_once(monkeypatch, capsys)
    assert code == 0, err
    assert "Gmail full sync: 0 ingested, 0 duplicates, 0 failed, 2 skipped" in out
    assert gmail.script == []


@pytest.mark.usefixtures("token")
def test_a_message_over_the_size_limit_is_kept_as_failed(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    monkeypatch.setenv("NEXTSTEP_SMTP_MAX_BYTES", "800")
    start_of_pass(gmail)
    gmail.answer("GET messages", listing(FIRST[2], FIRST[0]))
    gmail.recorded(f"GET messages/{FIRST[2]}", f"message_raw_{FIRST[2]}")  # 918 bytes
    fetch_and_label(gmail, FIRST[0])  # 657 bytes

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 1 ingested, 0 duplicates, 1 failed, 0 skipped" in out
    assert gmail.script == []
    status, error = inputs(database_url)[mailbox(FIRST[2])]
    assert status == "failed"
    assert error is not None and "over the 800-byte limit" in error


# --- retries and errors ----------------------------------------------------------------------


@pytest.mark.usefixtures("token")
def test_rate_limits_and_server_errors_are_retried(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    gmail.answer("GET labels", json.dumps(RATE_LIMITED), status=403)
    gmail.recorded("GET labels", "labels_list_with_processed")
    gmail.answer("GET profile", json.dumps(BACKEND_ERROR), status=500)
    gmail.answer("GET profile", '{"error": {"code": 429, "message": "Too many"}}', status=429)
    gmail.recorded("GET profile", "profile")
    gmail.recorded("GET messages", "messages_list_page2")
    fetch_and_label(gmail, FIRST[2])

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 1 ingested" in out
    assert len(sleeps) == 3
    assert gmail.script == []


@pytest.mark.usefixtures("token")
def test_a_404_on_a_later_history_page_means_a_full_sync(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    start_of_pass(gmail)
    gmail.recorded("GET messages", "messages_list_page2")
    fetch_and_label(gmail, FIRST[2])
    assert poll_once(monkeypatch, capsys)[0] == 0

    start_of_pass(gmail)
    gmail.recorded("GET history", "history_list_page1")
    gmail.answer("GET history", NOT_FOUND, status=404)
    gmail.recorded("GET messages", "messages_list_all")
    for message_id in (LATER, FIRST[0], FIRST[1]):
        fetch(gmail, message_id)
    for message_id in (LATER, FIRST[0], FIRST[1]):
        label_processed(gmail, message_id)

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 3 ingested, 0 duplicates, 0 failed, 1 skipped" in out
    assert gmail.script == []
    assert saved_cursor(database_url)["history_id"] == "1843211"


@pytest.mark.usefixtures("token")
def test_a_token_without_the_scope_is_a_configuration_error_naming_it(
    gmail: GoogleServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gmail.answer("GET labels", json.dumps(INSUFFICIENT_SCOPE), status=403)

    code, _, err = poll_once(monkeypatch, capsys)

    assert code == 7, err
    assert "does not grant gmail.modify (insufficientPermissions)" in err
    assert RECONNECT in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("token")
def test_a_revoked_token_at_gmail_is_a_configuration_error(
    gmail: GoogleServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    revoked = {
        "error": {
            "code": 401,
            "message": "Request had invalid authentication credentials.",
            "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError", "location": "Authorization", "locationType": "header"}],
            "status": "UNAUTHENTICATED",
        }
    }  # fmt: skip
    for _ in range(3):  # the client refreshes the token and tries again, twice
        gmail.answer("GET labels", json.dumps(revoked), status=401)

    code, _, err = poll_once(monkeypatch, capsys)

    assert code == 7, err
    assert "401 authError" in err and RECONNECT in err
    assert len(gmail.token_forms) == 2
    assert gmail.script == []


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (
            {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
            "The Gmail token expired or was revoked (invalid_grant: Token has been expired or revoked.)",
        ),
        (
            {"error": "invalid_scope", "error_description": "Bad Request"},
            "The Gmail token was not granted gmail.modify (invalid_scope: Bad Request)",
        ),
    ],
)  # fmt: skip
def test_a_refused_refresh_stops_the_poller_with_the_fix(
    env: Path,
    tmp_path: Path,
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    answer: dict[str, str],
    says: str,
) -> None:
    path = token_file(tmp_path / "token.json", gmail, scopes=[GMAIL_MODIFY], valid=False)
    gmail.token_answer = (400, answer)

    code, _, err = nextstep(
        monkeypatch, capsys, "gmail", "poll", "--once", "--credentials", str(path)
    )
    assert code == 7, err
    assert says in err and RECONNECT in err
    assert gmail.token_forms[0]["grant_type"] == ["refresh_token"]
    assert gmail.calls == []

    # Run as a loop (no --once): the same refusal stops it instead of retrying forever.
    code, _, err = nextstep(
        monkeypatch, capsys, "gmail", "poll", "--interval", "5", "--credentials", str(path)
    )
    assert code == 7, err
    assert "Gmail polling stopped" in err or says in err


def test_a_service_account_without_delegation_says_what_to_grant(
    env: Path,
    tmp_path: Path,
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.integrations.test_gmail import service_account_key

    key = service_account_key() | {"token_uri": gmail.token_uri}
    path = tmp_path / "key.json"
    path.write_text(json.dumps(key))
    monkeypatch.setenv("NEXTSTEP_GMAIL_MODE", "readonly")
    gmail.token_answer = (
        401,
        {
            "error": "unauthorized_client",
            "error_description": "Client is unauthorized to retrieve access tokens using this "
            "method, or client not authorized for any of the scopes requested.",
        },
    )

    code, _, err = nextstep(
        monkeypatch, capsys, "gmail", "poll", "--once", "--credentials", str(path),
        "--user", OWNER,
    )  # fmt: skip

    assert code == 7, err
    assert "not authorised for gmail.readonly (unauthorized_client" in err
    assert f"{GMAIL_READONLY} under domain-wide delegation" in err
    assert gmail.token_forms[0]["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]


# --- modes --------------------------------------------------------------------------------


def test_readonly_mode_reads_with_a_readonly_token_and_labels_nothing(
    env: Path,
    tmp_path: Path,
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    path = token_file(tmp_path / "token.json", gmail, scopes=[GMAIL_READONLY])
    monkeypatch.setenv("NEXTSTEP_GMAIL_CREDENTIALS", str(path))

    code, _, err = poll_once(monkeypatch, capsys)  # label mode, the default
    assert code == 7, err
    assert "grants gmail.readonly; NEXTSTEP_GMAIL_MODE=label needs gmail.modify" in err
    assert gmail.calls == []

    monkeypatch.setenv("NEXTSTEP_GMAIL_MODE", "readonly")
    gmail.recorded("GET labels", "labels_list")  # no processed label, and none is made
    gmail.recorded("GET profile", "profile")
    gmail.recorded("GET messages", "messages_list_page2")
    gmail.recorded(f"GET messages/{FIRST[2]}", f"message_raw_{FIRST[2]}")

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 1 ingested" in out
    assert "1 inputs analysed: 1 processed, 0 failed" in out
    assert "labelled" not in out
    assert gmail.script == []
    assert not any(call.startswith("POST") for call in gmail.calls)
    assert inputs(database_url)[mailbox(FIRST[2])] == ("processed", None)
    # Nothing is owed a label in readonly mode: the cursor keeps no message ids.
    assert saved_cursor(database_url) == {
        "history_id": "1843211", "unlabelled": [], "duplicates": [], "waiting": {},
    }  # fmt: skip

    # A later pass labels nothing either, and the cursor does not grow.
    gmail.recorded("GET labels", "labels_list")
    gmail.recorded("GET profile", "profile")
    gmail.recorded("GET history", "history_list")
    fetch(gmail, LATER)
    code, out, err = poll_once(monkeypatch, capsys)
    assert code == 0, err
    assert "Gmail new mail: 1 ingested" in out
    assert gmail.script == []
    assert not any(call.startswith("POST") for call in gmail.calls)
    assert saved_cursor(database_url) == {
        "history_id": "1843305", "unlabelled": [], "duplicates": [], "waiting": {},
    }  # fmt: skip


# --- connecting -------------------------------------------------------------------------------


def sign_in(args: list[str], gmail: GoogleServer, tmp_path: Path) -> tuple[list[str], str, str]:
    """Run a connect command in a real process and play the rep's browser: read the
    address it prints, answer Google's redirect to its loopback port. The scopes asked,
    and the process's stdout and stderr."""
    secrets = tmp_path / "client_secret.json"
    secrets.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": "123-test.apps.googleusercontent.com",
                    "client_secret": "GOCSPX-test",
                    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                    "token_uri": "https://oauth2.googleapis.com/token",  # the setting wins
                    "redirect_uris": ["http://localhost"],
                }
            }
        )
    )
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "OAUTHLIB_INSECURE_TRANSPORT": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args, "--client-secrets", str(secrets), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=environment,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        printed = []
        for line in process.stdout:
            printed.append(line)
            if line.startswith("https://accounts.google.com/o/oauth2/auth?"):
                break
        asked = parse_qs(urlparse(printed[-1].strip()).query)
        scopes = asked["scope"][0].split()
        gmail.token_answer = (
            200,
            {
                "access_token": "ya29.a0-connected",
                "expires_in": 3599,
                "refresh_token": "1//0g-connected",
                "scope": " ".join(scopes),
                "token_type": "Bearer",
            },
        )
        redirect = asked["redirect_uri"][0]
        assert redirect.startswith("http://127.0.0.1:")
        answer = urlencode(
            {"state": asked["state"][0], "code": "4/0test", "scope": " ".join(scopes)}
        )
        with urllib.request.urlopen(f"{redirect}?{answer}", timeout=30) as response:
            assert b"nextstep can now read" in response.read()
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    return scopes, "".join(printed) + out, err


def test_connect_then_poll_from_nothing_to_a_polled_label(
    env: Path,
    tmp_path: Path,
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rep = "dana.reyes@acme-robotics.com"
    scopes, out, _ = sign_in(["gmail", "connect", "--with-calendar", "--rep", rep], gmail, tmp_path)

    assert scopes == [GMAIL_MODIFY, CALENDAR_READONLY]
    assert "Asking Google for gmail.modify, calendar.readonly (NEXTSTEP_GMAIL_MODE=label" in out
    assert gmail.token_forms[0]["code"] == ["4/0test"]  # at NEXTSTEP_GOOGLE_TOKEN_URI
    gmail_token = env / "google-gmail" / "token.json"
    calendar_token = env / "google-calendar" / f"{rep}.json"
    for saved in (gmail_token, calendar_token):
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert json.loads(saved.read_text())["refresh_token"] == "1//0g-connected"
    assert f"Saved the Gmail token to {gmail_token}." in out
    assert f"Saved {rep}'s calendar token to {calendar_token} (read-only access)." in out

    # No --credentials: the poller reads the token `gmail connect` saved.
    start_of_pass(gmail)
    gmail.recorded("GET messages", "messages_list_page2")
    fetch_and_label(gmail, FIRST[2])
    code, out, err = poll_once(monkeypatch, capsys)
    assert code == 0, err
    assert "Gmail full sync: 1 ingested" in out
    assert gmail.script == []


def test_calendar_connect_with_gmail_asks_for_what_readonly_mode_needs(
    env: Path, tmp_path: Path, gmail: GoogleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEXTSTEP_GMAIL_MODE", "readonly")
    rep = "dana.reyes@acme-robotics.com"
    scopes, out, _ = sign_in(["calendar", "connect", "--rep", rep, "--with-gmail"], gmail, tmp_path)

    assert scopes == [CALENDAR_READONLY, GMAIL_READONLY]  # never gmail.modify in readonly
    assert "NEXTSTEP_GMAIL_MODE=readonly: read recaps only" in out
    saved = json.loads((env / "google-gmail" / "token.json").read_text())
    assert saved["scopes"] == [CALENDAR_READONLY, GMAIL_READONLY]
    assert (env / "google-calendar" / f"{rep}.json").is_file()


def test_gmail_connect_with_calendar_needs_the_rep(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = nextstep(monkeypatch, capsys, "gmail", "connect", "--with-calendar")
    assert code == 2
    assert "--with-calendar needs --rep" in err


@pytest.mark.usefixtures("token")
def test_a_login_refused_while_labelling_keeps_the_message_for_the_next_pass(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    start_of_pass(gmail)
    gmail.recorded("GET messages", "messages_list_page2")
    gmail.recorded(f"GET messages/{FIRST[2]}", f"message_raw_{FIRST[2]}")
    gmail.answer(f"POST messages/{FIRST[2]}/modify", json.dumps(INSUFFICIENT_SCOPE), status=403)

    code, _, err = poll_once(monkeypatch, capsys)

    assert code == 7, err
    assert "does not grant gmail.modify" in err
    assert inputs(database_url)[mailbox(FIRST[2])] == ("processed", None)
    assert saved_cursor(database_url) == {
        "history_id": "1843211",  # the pass stored the batch; only the label is owed
        "unlabelled": [FIRST[2]],
        "duplicates": [],
        "waiting": {},
    }

    the_owed_label_is_applied_on_the_next_pass(gmail, monkeypatch, capsys, database_url)


@pytest.mark.usefixtures("token")
def test_inputs_stored_before_mailboxes_were_named_are_not_fetched_again(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    from bot.application import Application
    from bot.config import Settings
    from bot.vocabulary import InputSource

    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    with Application.from_settings(settings) as application:
        application.ingest(raw_of(FIRST[2]), source=InputSource.GMAIL, source_id=FIRST[2])
    start_of_pass(gmail)
    gmail.answer("GET messages", listing(FIRST[2], FIRST[0]))
    fetch_and_label(gmail, FIRST[0])

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail full sync: 1 ingested, 0 duplicates, 0 failed, 1 skipped" in out
    assert gmail.script == []
    assert set(inputs(database_url)) == {FIRST[2], mailbox(FIRST[0])}


@pytest.mark.usefixtures("token")
def test_a_poller_killed_before_labelling_labels_on_the_next_pass(
    gmail: GoogleServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    start_of_pass(gmail)
    gmail.recorded("GET messages", "messages_list_page2")
    gmail.recorded(f"GET messages/{FIRST[2]}", f"message_raw_{FIRST[2]}")
    started: list[subprocess.Popen[str]] = []
    gmail.on_call[f"POST messages/{FIRST[2]}/modify"] = lambda: started[0].kill()
    gmail.recorded(f"POST messages/{FIRST[2]}/modify", "message_modified")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "gmail", "poll", "--once", "--label", "NextStep"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip
    started.append(process)  # stored the recap, then killed while asking for the label
    process.communicate(timeout=60)

    assert process.returncode == -9
    assert inputs(database_url)[mailbox(FIRST[2])] == ("processed", None)
    saved = saved_cursor(database_url)
    assert saved["history_id"] == "1843211"  # the pass had ended: the worker had analysed it
    waiting = saved["waiting"]
    assert isinstance(waiting, dict) and list(waiting) == [FIRST[2]]  # still owed its label
    assert saved["unlabelled"] == []

    gmail.on_call.clear()
    gmail.script.clear()
    start_of_pass(gmail)
    gmail.recorded(f"POST messages/{FIRST[2]}/modify", "message_modified")
    gmail.recorded("GET history", "history_list_unchanged")

    code, out, err = poll_once(monkeypatch, capsys)

    assert code == 0, err
    assert "Gmail new mail: 0 ingested, 0 duplicates, 0 failed, 0 skipped, 1 labelled late" in out
    assert gmail.script == []
    assert saved_cursor(database_url)["waiting"] == {}
