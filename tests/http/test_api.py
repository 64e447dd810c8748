"""API v1 over real HTTP against the running server, on SQLite and PostgreSQL: every
endpoint, tokens and scopes, another workspace's ids, bad bodies, pagination and the
rate limit."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.vocabulary import CalendarStatus
from storage.models import Conversation, InboundMessage
from tests.http.conftest import DATA, JORDAN, OTHER_REP, Served, serve


def _stored(served: Served) -> tuple[int, int]:
    with Session(served.application.engine) as session:
        inputs = session.exec(select(func.count()).select_from(InboundMessage)).one()
        conversations = session.exec(select(func.count()).select_from(Conversation)).one()
    return inputs, conversations


def _post_recap(served: Served, name: str = "recap_sent.eml") -> dict[str, Any]:
    with served.client(served.write) as client:
        response = client.post(
            "/api/v1/inputs",
            json={"text": (DATA / name).read_text(), "rep": JORDAN, "filename": name},
        )
    assert response.status_code == 201, response.text
    return response.json()


def test_no_endpoint_answers_without_a_good_token(served: Served) -> None:
    paths = [
        ("GET", "/api/v1/conversations"),
        ("GET", "/api/v1/conversations/1"),
        ("GET", "/api/v1/steps"),
        ("PATCH", "/api/v1/steps/1"),
        ("GET", "/api/v1/accounts"),
        ("GET", "/api/v1/accounts/example.com/next-step"),
        ("POST", "/api/v1/analyze"),
        ("POST", "/api/v1/inputs"),
        ("GET", "/api/v1/openapi.json"),
    ]
    for token in (None, "ns_not-a-token"):
        with served.client(token) as client:
            for method, path in paths:
                response = client.request(method, path, json={"text": "x"})
                assert response.status_code == 401, (method, path, response.text)
                assert response.json()["error"] == "unauthorized"
                assert response.headers["www-authenticate"].startswith("Bearer")
    token_id = served.use.list_tokens()[0].id
    served.use.revoke_token(token_id)
    with served.client(served.read) as client:
        assert client.get("/api/v1/conversations").status_code == 401


def test_a_read_token_cannot_store_or_change(served: Served) -> None:
    before = _stored(served)
    with served.client(served.read) as client:
        response = client.post(
            "/api/v1/inputs", json={"text": "We will call Friday.", "rep": JORDAN}
        )
        assert response.status_code == 403
        assert "write" in response.json()["message"]
        response = client.post("/api/v1/analyze", json={"text": "x", "store": True})
        assert response.status_code == 403
        assert client.patch("/api/v1/steps/1", json={"status": "done"}).status_code == 403
    assert _stored(served) == before


def test_inputs_store_and_conversations_read_them_back(served: Served) -> None:
    stored = _post_recap(served)
    assert stored["schema"] == 1 and stored["status"] == "ingested"
    conversation_id = stored["conversation_id"]
    assert stored["conversation"]["id"] == conversation_id
    assert stored["conversation"]["schema"] == 1
    with served.client(served.read) as client:
        listed = client.get("/api/v1/conversations").json()
        assert listed["total"] == 1  # the other workspace's call is not listed
        assert [c["id"] for c in listed["items"]] == [conversation_id]
        assert listed["items"][0]["next_steps_secured"] is False
        shown = client.get(f"/api/v1/conversations/{conversation_id}").json()
        assert shown["id"] == conversation_id and shown["steps"]
        assert shown["steps"][0]["id"] is not None
        assert client.get("/api/v1/conversations", params={"secured": "true"}).json()["total"] == 0
        assert client.get("/api/v1/conversations", params={"secured": "false"}).json()["total"] == 1
        by_account = client.get(
            "/api/v1/conversations", params={"account": "harborfreight-logistics.com"}
        ).json()
        assert by_account["total"] == 1
        assert client.get("/api/v1/conversations", params={"account": "x.com"}).json()["total"] == 0
        late = client.get("/api/v1/conversations", params={"since": "2026-11-20T00:00:00Z"})
        assert late.json()["total"] == 0
        naive = client.get("/api/v1/conversations", params={"since": "2026-11-19"})
        assert naive.status_code == 200 and naive.json()["total"] == 1  # read in New York
        wrong = client.get("/api/v1/conversations", params={"since": "yesterday"})
        assert wrong.status_code == 422 and "since" in wrong.json()["message"]
        unknown = client.get("/api/v1/conversations", params={"rep": "nobody@example.com"})
        assert unknown.status_code == 422 and "nobody@example.com" in unknown.json()["message"]
        assert client.get("/api/v1/conversations", params={"rep": JORDAN}).json()["total"] == 1


def test_another_workspaces_ids_are_not_found(served: Served) -> None:
    theirs = served.other_conversation
    their_steps = served.application.show_conversation(theirs).steps
    assert their_steps
    with served.client(served.write) as client:
        response = client.get(f"/api/v1/conversations/{theirs}")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
        response = client.patch(f"/api/v1/steps/{their_steps[0].id}", json={"status": "done"})
        assert response.status_code == 404
        assert client.get("/api/v1/steps").json()["total"] == 0
        assert client.get("/api/v1/conversations/999999").status_code == 404
    assert served.application.show_conversation(theirs).steps[0].status == "open"
    with served.client(served.other) as client:
        assert client.get(f"/api/v1/conversations/{theirs}").status_code == 200
        assert client.get("/api/v1/conversations").json()["total"] == 1

    with served.client(served.write) as client:  # a rep of the other workspace's, posted here
        response = client.post(
            "/api/v1/inputs", json={"text": "Let's talk Friday.", "rep": OTHER_REP}
        )
    assert response.status_code == 201
    assert response.json()["conversation_id"] is None and response.json()["conversation"] is None


def test_steps_are_listed_and_changed(served: Served) -> None:
    conversation_id = _post_recap(served)["conversation_id"]
    with served.client(served.write) as client:
        listed = client.get("/api/v1/steps", params={"status": "open"}).json()
        assert listed["total"] >= 2
        assert all(s["conversation_id"] == conversation_id for s in listed["items"])
        first, second = listed["items"][0]["id"], listed["items"][1]["id"]
        done = client.patch(f"/api/v1/steps/{first}", json={"status": "done"})
        assert done.status_code == 200 and done.json()["status"] == "done"
        acknowledged = client.patch(f"/api/v1/steps/{second}", json={"acknowledged": True})
        assert acknowledged.json()["acknowledged"] is True
        moved = client.patch(f"/api/v1/steps/{second}", json={"due": "2026-12-04"})
        assert moved.status_code == 200, moved.text
        assert moved.json()["due"] == "2026-12-04"
        dropped = client.patch(f"/api/v1/steps/{second}", json={"status": "dropped"})
        assert dropped.json()["status"] == "dropped"
        assert (
            client.get("/api/v1/steps", params={"status": "done"}).json()["items"][0]["id"] == first
        )
        nothing = client.patch(f"/api/v1/steps/{first}", json={})
        assert nothing.status_code == 422 and "Nothing to change" in nothing.json()["message"]
        wrong = client.patch(f"/api/v1/steps/{first}", json={"status": "finished"})
        assert wrong.status_code == 422 and "status" in wrong.json()["message"]


def test_the_stage_gate_answers_per_account(served: Served) -> None:
    _post_recap(served)
    with served.client(served.read) as client:
        gate = client.get("/api/v1/accounts/harborfreight-logistics.com/next-step").json()
        assert gate["schema"] == 1 and gate["next_steps_secured"] is False
        assert gate["step"] is not None and gate["conversation"]["id"]
    _post_recap(served, "recap_reply_accepts.eml")  # Carla agrees: the same thread, secured
    with served.client(served.read) as client:
        gate = client.get("/api/v1/accounts/HarborFreight-Logistics.com/next-step").json()
        assert gate["next_steps_secured"] is True
        assert gate["step"]["secured"] is True and gate["due"] == gate["step"]["due"]
        assert gate["calendar_status"] is None  # no calendar looked at yet
    served.application.record_calendar_status(
        gate["step"]["id"], CalendarStatus.ACCEPTED, provider="ics", event_id="qbr-1"
    )
    with served.client(served.read) as client:
        gate = client.get("/api/v1/accounts/harborfreight-logistics.com/next-step").json()
        assert gate["calendar_status"] == "accepted"
        accounts = client.get("/api/v1/accounts").json()
        assert [a["account"] for a in accounts["items"]] == ["harborfreight-logistics.com"]
        assert accounts["items"][0]["conversations"] == 1
        missing = client.get("/api/v1/accounts/nobody.example/next-step")
        assert missing.status_code == 404
    with served.client(served.other) as client:  # the same domain, another workspace
        response = client.get("/api/v1/accounts/harborfreight-logistics.com/next-step")
        assert response.status_code == 404


def test_analyze_stores_nothing(served: Served) -> None:
    before = _stored(served)
    with served.client(served.read) as client:
        response = client.post(
            "/api/v1/analyze",
            json={
                "text": "Dana: I'll send the proposal by Friday 3pm.\nPriya: Great, thanks.",
                "at": "2026-11-16T10:00:00-05:00",
                "tz": "America/New_York",
                "rep": "Dana",
            },
        )
    assert response.status_code == 200, response.text
    analysis = response.json()
    assert analysis["schema"] == 1 and len(analysis["steps"]) == 1
    assert analysis["steps"][0]["due"].startswith("2026-11-20T15:00")
    with served.client(served.read) as client:  # a raw email: its Date is the reference
        response = client.post(
            "/api/v1/analyze", json={"text": (DATA / "recap_sent.eml").read_text(), "rep": JORDAN}
        )
    assert response.status_code == 200, response.text
    email = response.json()
    assert email["conversation"]["kind"] == "email" and email["steps"]
    assert email["conversation"]["reference_time"].startswith("2026-11-19T16:30")
    assert _stored(served) == before
    with served.client(served.write) as client:
        stored = client.post(
            "/api/v1/analyze", json={"text": "We will call Friday.", "store": True}
        )
        assert stored.status_code == 200 and stored.json()["input_id"]
    assert _stored(served)[0] == before[0] + 1


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b'{"text": "We will call', 400, "not valid JSON"),
        (b"[1, 2", 400, "not valid JSON"),
        (b'{"txt": "hello"}', 422, "text"),
        (b'{"text": ""}', 422, "text"),
        (b'{"text": "hi", "tz": "Mars/Olympus"}', 422, "Mars/Olympus"),
        (b'{"text": "hi", "at": "last week"}', 422, "at"),
    ],
)
def test_bad_bodies_get_a_clear_4xx_and_store_nothing(
    served: Served, body: bytes, status: int, words: str
) -> None:
    before = _stored(served)
    with served.client(served.write) as client:
        response = client.post(
            "/api/v1/inputs", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == status, response.text
    assert words in response.json()["message"]
    assert "Traceback" not in response.text
    assert _stored(served) == before


def test_an_oversized_body_is_refused(served: Served) -> None:
    before = _stored(served)
    text = "We will call Friday. " * 4000  # ~84 kB, over the server's 64 kB
    with served.client(served.write) as client:
        response = client.post("/api/v1/inputs", json={"text": text})
        assert response.status_code == 413
        assert "64" in response.json()["message"] or "65536" in response.json()["message"]

        def chunks() -> Any:  # no Content-Length: counted as it streams in
            for _ in range(100):
                yield b"x" * 1024

        response = client.post(
            "/api/v1/inputs", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413
        assert client.get("/api/v1/conversations").status_code == 200  # still serving
    assert _stored(served) == before


def test_pages_follow_one_another(served: Served) -> None:
    _post_recap(served)
    _post_recap(served, "recap_with_transcript.eml")
    with served.client(served.read) as client:
        everything = client.get("/api/v1/conversations").json()
        assert everything["total"] >= 2 and everything["next"] is None
        page = client.get("/api/v1/conversations", params={"limit": 1}).json()
        seen = []
        while True:
            assert len(page["items"]) == 1 and page["total"] == everything["total"]
            seen.append(page["items"][0]["id"])
            if page["next"] is None:
                break
            page = client.get(page["next"]).json()
        assert seen == [c["id"] for c in everything["items"]]
        too_big = client.get("/api/v1/conversations", params={"limit": 1000})
        assert too_big.status_code == 422


def test_openapi_document_lists_every_endpoint(served: Served) -> None:
    with served.client(served.read) as client:
        document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/analyze",
        "/api/v1/inputs",
        "/api/v1/conversations",
        "/api/v1/conversations/{conversation_id}",
        "/api/v1/steps",
        "/api/v1/steps/{step_id}",
        "/api/v1/accounts",
        "/api/v1/accounts/{domain}/next-step",
    }


def test_the_rate_limit_is_per_token(served: Served) -> None:
    server = serve(served.application, rate_limit=3)
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            read = {"Authorization": f"Bearer {served.read}"}
            codes = [client.get("/api/v1/accounts", headers=read).status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429]
            refused = client.get("/api/v1/accounts", headers=read)
            assert int(refused.headers["retry-after"]) >= 1
            assert "3 requests a minute" in refused.json()["message"]
            write = {"Authorization": f"Bearer {served.write}"}
            assert client.get("/api/v1/accounts", headers=write).status_code == 200
    finally:
        server.stop()
