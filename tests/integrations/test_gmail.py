"""The Gmail poller against recorded Gmail API responses (HttpMockSequence, static
discovery) and a real database (SQLite, then PostgreSQL).

Every test asserts the exact calls made, in order: HttpMockSequence answers calls in
sequence whatever they ask for, so a call out of place would otherwise read the wrong
recorded response and still pass.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from googleapiclient.http import HttpMockSequence
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.application import Application
from bot.application.worker import Worker
from bot.config import Settings
from bot.errors import ConfigError, IngestError
from integrations.gmail import (
    GMAIL_MODIFY,
    GmailMailbox,
    GmailPoller,
    MailboxChanges,
    PollReport,
    added_under,
    decode_raw,
    find_label,
    load_credentials,
)
from storage.models import Conversation, InboundMessage
from storage.repo import add_rep, get_sync_state, set_sync_state

DATA = Path(__file__).resolve().parents[1] / "data" / "gmail"
NOW = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
OWNER = "dana.reyes@acme-robotics.com"
KEY = f"gmail:{OWNER}:Label_3"
FIRST = ["19a8c6f0aa13b5c7", "19a8c52d7e6a0f93", "19a8c3e1f04b7d21"]  # the two list pages
LATER = "19a8d01b3c44e2a8"  # arrives after the first sync


def recorded(name: str, status: int = 200) -> tuple[dict[str, str], str]:
    return {"status": str(status)}, (DATA / f"{name}.json").read_text()


def fetched(message_id: str) -> list[tuple[dict[str, str], str]]:
    """messages.get(format=raw): a pass only stores what it fetches."""
    return [recorded(f"message_raw_{message_id}")]


def labelled(*message_ids: str) -> list[tuple[dict[str, str], str]]:
    """messages.modify adding the processed label, once per message a worker analysed."""
    return [recorded("message_modified") for _ in message_ids]


def modified(*message_ids: str) -> list[str]:
    return [f"POST messages/{i}/modify" for i in message_ids]


def first_sync() -> list[tuple[dict[str, str], str]]:
    return [
        recorded("labels_list"),
        recorded("label_created"),
        recorded("profile"),
        recorded("messages_list_page1"),
        recorded("messages_list_page2"),
        *[reply for message_id in FIRST for reply in fetched(message_id)],
    ]


def calls(http: HttpMockSequence) -> list[str]:
    """The requests made, as "METHOD path" below users/me/."""
    made = []
    for uri, method, _body, _headers in http.request_sequence:
        path = urlsplit(uri).path.removeprefix("/gmail/v1/users/me/")
        made.append(f"{method} {path}")
    return made


def query(http: HttpMockSequence, index: int) -> dict[str, list[str]]:
    return parse_qs(urlsplit(http.request_sequence[index][0]).query)


FIRST_SYNC_CALLS = [
    "GET labels",
    "POST labels",
    "GET profile",
    "GET messages",
    "GET messages",
    *[f"GET messages/{i}" for i in FIRST],
]


def make_poller(
    http: HttpMockSequence,
    engine: Engine,
    settings: Settings,
    label: str = "NextStep",
    query: str | None = None,
) -> GmailPoller:
    mailbox = GmailMailbox.from_http(http, num_retries=0)
    application = Application(engine, settings, clock=lambda: NOW)
    return GmailPoller(mailbox, application=application, label=label, query=query)


def stored_ids(engine: Engine) -> list[str]:
    """The Gmail ids stored, each under the mailbox's name (``<mailbox>/<gmail id>``)."""
    with Session(engine) as session:
        statement = select(InboundMessage.source_id).where(InboundMessage.source == "gmail")
        found = [str(i) for i in session.exec(statement.order_by(col(InboundMessage.id)))]
    assert all(i.startswith(f"{OWNER}/") for i in found), found
    return sorted(i.removeprefix(f"{OWNER}/") for i in found)


def cursor(engine: Engine) -> str | None:
    with Session(engine) as session:
        return (get_sync_state(KEY, session=session) or {}).get("history_id")


def save_cursor(engine: Engine, history_id: str) -> None:
    """Set the saved history id back; the rest of the cursor stays as it was."""
    with Session(engine) as session:
        saved = dict(get_sync_state(KEY, session=session) or {})
        set_sync_state(KEY, saved | {"history_id": history_id}, now=NOW, session=session)
        session.commit()


def saved_cursor(engine: Engine) -> dict[str, Any]:
    with Session(engine) as session:
        return dict(get_sync_state(KEY, session=session) or {})


def drain(engine: Engine, settings: Settings) -> int:
    """Run a worker over the queue, as `gmail poll` does; how many it analysed."""
    worker = Worker(Application(engine, settings))
    try:
        tally = worker.run_once()
    finally:
        worker.close()
    assert tally.failed == 0
    return tally.processed


@pytest.fixture(autouse=True)
def mailbox_owner(request: pytest.FixtureRequest) -> None:
    """The mailbox is Dana's, a registered rep in Los Angeles (for the tests on a database)."""
    if "engine" not in request.fixturenames:
        return
    engine: Engine = request.getfixturevalue("engine")
    with Session(engine) as session:
        add_rep(OWNER, name="Dana Reyes", tz="America/Los_Angeles", session=session)
        session.commit()


def conversations(engine: Engine) -> list[Conversation]:
    with Session(engine) as session:
        return list(session.exec(select(Conversation).order_by(col(Conversation.id))))


# --- the poller over recorded responses --------------------------------------------------


def test_first_sync_ingests_every_message_under_the_label(
    engine: Engine, db_settings: Settings
) -> None:
    http = HttpMockSequence([*first_sync(), *labelled(*FIRST)])
    poller = make_poller(http, engine, db_settings)
    report = poller.poll()

    assert report == PollReport(full_sync=True, ingested=3)
    assert calls(http) == FIRST_SYNC_CALLS  # stored, not labelled: nothing is analysed yet
    assert query(http, 3) == {"labelIds": ["Label_3"], "alt": ["json"]}
    assert query(http, 4)["pageToken"] == ["06433981208712925488"]
    assert query(http, 5)["format"] == ["raw"]
    assert stored_ids(engine) == sorted(FIRST)
    assert cursor(engine) == "1843211"  # the profile's, read before listing
    assert conversations(engine) == []  # stored; a worker analyses them
    assert poller.label_analysed() == PollReport()  # nothing analysed, nothing labelled

    assert drain(engine, db_settings) == 3
    assert poller.label_analysed() == PollReport(labelled_late=3)
    assert calls(http)[len(FIRST_SYNC_CALLS) :] == modified(*FIRST)
    assert http.request_sequence[-1][2] == '{"addLabelIds": ["Label_7"]}'
    assert saved_cursor(engine)["waiting"] == {}
    assert saved_cursor(engine)["unlabelled"] == []
    analysed = conversations(engine)
    assert len(analysed) == 3
    assert {c.subject for c in analysed} == {
        "Recap: Northwind pilot scoping call",
        "RE: Next steps on the Halcyon rollout",
        "Notes: Brightline intro call",
    }
    assert all(c.rep_id is not None and c.source == "gmail" for c in analysed)


def test_second_poll_reads_only_what_the_history_adds(
    engine: Engine, db_settings: Settings
) -> None:
    http = HttpMockSequence(
        [*first_sync(), *labelled(*FIRST), recorded("history_list"), *fetched(LATER)]
    )
    poller = make_poller(http, engine, db_settings)
    poller.poll()
    drain(engine, db_settings)  # the worker beside the loop analyses the first batch

    report = poller.poll()

    # The next pass first labels what was analysed since, then reads the history.
    assert report == PollReport(ingested=1, labelled_late=3)
    assert calls(http)[len(FIRST_SYNC_CALLS) :] == [
        *modified(*FIRST),
        "GET history",
        f"GET messages/{LATER}",
    ]
    history = query(http, len(FIRST_SYNC_CALLS) + len(FIRST))
    assert history["startHistoryId"] == ["1843211"]
    assert history["labelId"] == ["Label_3"]
    assert history["historyTypes"] == ["messageAdded", "labelAdded"]
    assert stored_ids(engine) == sorted([*FIRST, LATER])
    assert cursor(engine) == "1843305"
    assert set(saved_cursor(engine)["waiting"]) == {LATER}  # labelled once analysed


def test_a_restarted_poller_reprocesses_nothing(engine: Engine, db_settings: Settings) -> None:
    make_poller(HttpMockSequence(first_sync()), engine, db_settings).poll()

    http = HttpMockSequence(
        [
            recorded("labels_list_with_processed"),
            recorded("profile"),
            recorded("history_list_unchanged"),
        ]
    )
    report = make_poller(http, engine, db_settings).poll()

    assert report == PollReport()
    assert calls(http) == ["GET labels", "GET profile", "GET history"]
    assert stored_ids(engine) == sorted(FIRST)


def test_a_batch_stored_before_a_crash_is_not_fetched_again(
    engine: Engine, db_settings: Settings
) -> None:
    # The previous run stored LATER but stopped before saving its history id.
    first = HttpMockSequence([*first_sync(), recorded("history_list"), *fetched(LATER)])
    poller = make_poller(first, engine, db_settings)
    poller.poll()
    poller.poll()
    save_cursor(engine, "1843211")

    http = HttpMockSequence(
        [
            recorded("labels_list_with_processed"),
            recorded("profile"),
            recorded("history_list"),
            *labelled(*FIRST, LATER),
        ]
    )
    restarted = make_poller(http, engine, db_settings)
    report = restarted.poll()

    assert report == PollReport(skipped=1)
    assert calls(http) == ["GET labels", "GET profile", "GET history"]
    assert cursor(engine) == "1843305"

    # The stored messages are still labelled once a worker has analysed them.
    assert drain(engine, db_settings) == 4
    assert restarted.label_analysed() == PollReport(labelled_late=4)
    assert calls(http)[3:] == modified(*FIRST, LATER)


def test_stale_history_id_means_a_full_sync_without_duplicates(
    engine: Engine, db_settings: Settings
) -> None:
    make_poller(HttpMockSequence(first_sync()), engine, db_settings).poll()
    save_cursor(engine, "1200000")  # older than Gmail keeps

    http = HttpMockSequence(
        [
            recorded("labels_list_with_processed"),
            recorded("profile"),
            recorded("history_not_found", status=404),
            recorded("messages_list_all"),
            *fetched(LATER),
        ]
    )
    report = make_poller(http, engine, db_settings).poll()

    assert report == PollReport(full_sync=True, ingested=1, skipped=3)
    assert calls(http) == [
        "GET labels",
        "GET profile",
        "GET history",
        "GET messages",
        f"GET messages/{LATER}",
    ]
    assert stored_ids(engine) == sorted([*FIRST, LATER])
    assert cursor(engine) == "1843211"


def test_a_search_narrows_the_full_sync(engine: Engine, db_settings: Settings) -> None:
    answers = [recorded("labels_list_with_processed"), recorded("profile")]
    http = HttpMockSequence([*answers, recorded("messages_list_page2"), *fetched(FIRST[2])])
    make_poller(http, engine, db_settings, query="newer_than:30d").poll()
    assert query(http, 2)["q"] == ["newer_than:30d"]


def test_a_message_deleted_meanwhile_is_skipped(engine: Engine, db_settings: Settings) -> None:
    http = HttpMockSequence(
        [
            recorded("labels_list_with_processed"),
            recorded("profile"),
            recorded("messages_list_page2"),
            recorded("history_not_found", status=404),  # messages.get: gone
        ]
    )
    report = make_poller(http, engine, db_settings).poll()

    assert report == PollReport(full_sync=True, skipped=1)
    assert cursor(engine) == "1843211"


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (
            403,
            '{"error": {"code": 403, "message": "The domain administrators have disabled Gmail apps.", '
            '"errors": [{"message": "The domain administrators have disabled Gmail apps.", '
            '"domain": "global", "reason": "domainPolicy"}], "status": "PERMISSION_DENIED"}}',
        ),
        (
            429,
            '{"error": {"code": 429, "message": "User-rate limit exceeded.", "status": "RESOURCE_EXHAUSTED"}}',
        ),
        (500, "<html>Backend Error</html>"),
    ],
)
def test_gmail_failures_are_clear_errors_and_keep_the_cursor(
    engine: Engine, db_settings: Settings, status: int, body: str
) -> None:
    save_cursor(engine, "1843211")
    http = HttpMockSequence(
        [
            recorded("labels_list_with_processed"),
            recorded("profile"),
            ({"status": str(status)}, body),
        ]
    )
    with pytest.raises(
        IngestError, match=f"Gmail answered {status} when asked to read the mailbox history: "
    ) as raised:
        make_poller(http, engine, db_settings).poll()
    if status == 403:
        assert raised.value.message.endswith(": domainPolicy")
    assert cursor(engine) == "1843211"


def test_history_is_read_across_pages() -> None:
    http = HttpMockSequence([recorded("history_list_page1"), recorded("history_list_page2")])
    changes = GmailMailbox.from_http(http, num_retries=0).changes_since("1843211", "Label_3")

    assert changes == MailboxChanges(message_ids=[LATER], history_id="1843305")
    assert calls(http) == ["GET history", "GET history"]
    assert query(http, 1)["pageToken"] == ["00871230981730194"]
    assert query(http, 1)["startHistoryId"] == ["1843211"]


def test_a_missing_label_is_a_clear_error(engine: Engine, db_settings: Settings) -> None:
    http = HttpMockSequence([recorded("labels_list")])
    with pytest.raises(IngestError, match="Gmail has no label 'recaps'"):
        make_poller(http, engine, db_settings, label="recaps").poll()
    assert stored_ids(engine) == []


# --- the pieces ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "label_id"),
    [
        ("NextStep", "Label_3"),
        ("nextstep", "Label_3"),
        ("INBOX", "INBOX"),
        ("Label_1", "Label_1"),
        ("Recaps", None),
    ],
)
def test_labels_are_found_by_name_in_any_case_or_by_id(wanted: str, label_id: str | None) -> None:
    labels = {"INBOX": "INBOX", "Receipts": "Label_1", "NextStep": "Label_3"}
    assert find_label(labels, wanted) == label_id


@pytest.mark.parametrize(
    ("record", "ids"),
    [
        (
            {
                "id": "1",
                "messagesAdded": [{"message": {"id": "a", "labelIds": ["INBOX", "Label_3"]}}],
            },
            ["a"],
        ),
        ({"id": "2", "messagesAdded": [{"message": {"id": "b", "labelIds": ["INBOX"]}}]}, []),
        ({"id": "3", "labelsAdded": [{"message": {"id": "c"}, "labelIds": ["Label_3"]}]}, ["c"]),
        # our own "processed" label being added is not new mail
        (
            {
                "id": "4",
                "labelsAdded": [
                    {"message": {"id": "d", "labelIds": ["Label_3"]}, "labelIds": ["Label_7"]}
                ],
            },
            [],
        ),
        ({"id": "5", "messages": [{"id": "e"}]}, []),
    ],
)
def test_history_records_that_put_mail_under_the_label(
    record: dict[str, object], ids: list[str]
) -> None:
    assert list(added_under(record, "Label_3")) == ids  # type: ignore[arg-type]


@given(st.binary(max_size=2048), st.booleans())
def test_raw_messages_decode_with_or_without_padding(raw: bytes, padded: bool) -> None:
    encoded = base64.urlsafe_b64encode(raw).decode()
    assert decode_raw(encoded if padded else encoded.rstrip("="), "m1") == raw


def test_undecodable_raw_names_the_message() -> None:
    with pytest.raises(IngestError, match="19a8c3e1f04b7d21"):
        decode_raw("abc*def", "19a8c3e1f04b7d21")


# --- running ------------------------------------------------------------------------------


class StopWhenAnswered(HttpMockSequence):
    """Sets ``stop`` once every recorded response has been served."""

    def __init__(self, responses: list[tuple[dict[str, str], str]], stop: threading.Event) -> None:
        super().__init__(responses)
        self._stop = stop

    def request(self, *args: Any, **kwargs: Any) -> Any:
        answer = super().request(*args, **kwargs)
        if not self._iterable:
            self._stop.set()
        return answer


def test_run_retries_after_a_failed_pass_until_stopped(
    engine: Engine, db_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    stop = threading.Event()
    unavailable = (
        {"status": "503"},
        '{"error": {"code": 503, "message": "The service is currently unavailable."}}',
    )
    http = StopWhenAnswered(
        [
            unavailable,
            recorded("labels_list_with_processed"),
            recorded("profile"),
            recorded("messages_list_page2"),
            *fetched(FIRST[2]),
        ],
        stop,
    )
    poller = make_poller(http, engine, db_settings)
    runner = threading.Thread(target=poller.run, kwargs={"interval": 0.01, "stop": stop})
    with caplog.at_level(logging.INFO, logger="integrations.gmail"):
        runner.start()
        runner.join(10)

    assert not runner.is_alive()
    assert stored_ids(engine) == [FIRST[2]]
    messages = [r.getMessage() for r in caplog.records]
    assert "Gmail poll failed: The mailbox could not be read. Gmail answered 503" in messages[0]
    assert messages[-1] == "Gmail full sync: 1 ingested, 0 duplicates, 0 failed, 0 skipped"


# --- credentials ----------------------------------------------------------------------------


def service_account_key() -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return {
        "type": "service_account",
        "project_id": "acme-nextstep",
        "private_key_id": "4f1c2a",
        "private_key": pem.decode(),
        "client_email": "poller@acme-nextstep.iam.gserviceaccount.com",
        "client_id": "1234567890",
        "token_uri": "https://oauth2.googleapis.com/token",
    }


def test_service_account_reads_the_user_mailbox_with_gmail_modify(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(service_account_key()))
    credentials = load_credentials(path, user=OWNER)
    assert credentials._subject == OWNER
    assert credentials._scopes == [GMAIL_MODIFY]


def test_installed_app_token_file_is_used_as_is(tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    path.write_text(
        json.dumps(
            {
                "token": "ya29.a0Af",
                "refresh_token": "1//0g-refresh",
                "token_uri": "https://oauth2.googleapis.com/token",
                "client_id": "1234.apps.googleusercontent.com",
                "client_secret": "GOCSPX-secret",
                "scopes": [GMAIL_MODIFY],
            }
        )
    )
    credentials = load_credentials(path, user=None)
    assert credentials.refresh_token == "1//0g-refresh"
    assert credentials.scopes == [GMAIL_MODIFY]


def test_missing_credentials_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"Cannot read Gmail credentials from .*absent\.json"):
        load_credentials(tmp_path / "absent.json", user=None)


def test_run_looks_the_labels_up_again_after_a_failed_pass(
    engine: Engine, db_settings: Settings
) -> None:
    stop = threading.Event()
    invalid = (
        {"status": "400"},
        '{"error": {"code": 400, "message": "Invalid label: Label_3", "errors": [{"message": '
        '"Invalid label: Label_3", "domain": "global", "reason": "invalidArgument"}], '
        '"status": "INVALID_ARGUMENT"}}',
    )
    http = StopWhenAnswered(
        [
            recorded("labels_list_with_processed"),
            recorded("profile"),
            invalid,  # the label was deleted and made again between the calls
            recorded("labels_list_with_processed"),
            recorded("profile"),
            recorded("messages_list_page2"),
            *fetched(FIRST[2]),
        ],
        stop,
    )
    runner = threading.Thread(
        target=make_poller(http, engine, db_settings).run, kwargs={"interval": 0.01, "stop": stop}
    )
    runner.start()
    runner.join(10)

    assert not runner.is_alive()
    assert calls(http)[:4] == ["GET labels", "GET profile", "GET messages", "GET labels"]
    assert stored_ids(engine) == [FIRST[2]]
