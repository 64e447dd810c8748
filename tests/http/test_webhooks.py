"""Webhooks end to end, on SQLite and PostgreSQL: inputs posted to the running API queue
events; the deliverer signs and posts them to a local receiver, in order, retrying the
receiver's 500s; every attempt is recorded; a forged signature fails the check."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlmodel import Session

from bot.application.webhooks import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookDeliverer,
    verify_signature,
)
from bot.vocabulary import DeliveryStatus, WebhookEvent
from storage.api import list_deliveries
from tests.http.conftest import DATA, JORDAN, NOW, OTHER_TEAM, Receiver, Served


def _post(served: Served, name: str) -> None:
    with served.client(served.write) as client:
        response = client.post(
            "/api/v1/inputs", json={"text": (DATA / name).read_text(), "rep": JORDAN}
        )
    assert response.status_code == 201, response.text


def test_signed_events_arrive_in_order_through_the_receivers_500s(
    served: Served, receiver: Receiver
) -> None:
    hook, secret = served.use.add_webhook("default", receiver.url, [])
    other_hook, _ = served.use.add_webhook(OTHER_TEAM, receiver.url + "/other", [])
    receiver.failures = 2  # the receiver is down for the first two posts
    _post(served, "recap_sent.eml")  # not secured yet
    _post(served, "recap_reply_accepts.eml")  # Carla agrees: secured
    deliverer = WebhookDeliverer(served.application, backoff_base=0.0)
    deliverer.run_once()

    assert [status for _, _, status in receiver.posts] == [500, 500, 204, 204, 204, 204]
    events = receiver.delivered()
    assert [e["type"] for e in events] == [
        "conversation.analysed",
        "conversation.unsecured",
        "conversation.analysed",
        "conversation.secured",
    ]
    # The first event was tried three times, with the same id each time.
    ids = [headers[EVENT_ID_HEADER] for headers, _, _ in receiver.posts]
    assert ids[0] == ids[1] == ids[2] == events[0]["id"]
    assert len(set(ids[2:])) == 4
    conversation = events[-1]["data"]["conversation"]
    assert conversation["next_steps_secured"] is True
    assert events[-1]["data"]["account"] == "harborfreight-logistics.com"
    assert all(e["workspace"] == "default" for e in events)
    for headers, body, _ in receiver.posts:
        assert verify_signature(
            secret, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER], now=NOW.timestamp()
        )
    with Session(served.application.engine) as session:
        recorded = list_deliveries(session=session, webhook_id=hook.id)
        assert [d.status for d in recorded] == [DeliveryStatus.DELIVERED] * 4
        assert [d.attempts for d in recorded] == [3, 1, 1, 1]
        assert recorded[0].last_code == 204
        assert list_deliveries(session=session, webhook_id=other_hook.id) == []
    listed = {h.id: h for h in served.use.list_webhooks()}
    assert listed[hook.id].delivered == 4 and listed[hook.id].pending == 0
    assert deliverer.run_once() == 0  # nothing sent twice


def test_a_forged_or_stale_signature_fails_the_check(served: Served, receiver: Receiver) -> None:
    _, secret = served.use.add_webhook(
        "default", receiver.url, [WebhookEvent.SECURED, WebhookEvent.UNSECURED]
    )
    _post(served, "recap_sent.eml")
    WebhookDeliverer(served.application).run_once()
    assert len(receiver.posts) == 1
    headers, body, _ = receiver.posts[0]
    assert json.loads(body)["type"] == "conversation.unsecured"  # only what was asked for
    stamp, signature, now = headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], NOW.timestamp()
    assert verify_signature(secret, stamp, body, signature, now=now)
    forged = body.replace(b'"next_steps_secured":false', b'"next_steps_secured":true')
    assert forged != body
    assert not verify_signature(secret, stamp, forged, signature, now=now)
    assert not verify_signature("whsec_guessed", stamp, body, signature, now=now)
    assert not verify_signature(secret, stamp, body, signature, now=now + 3600)  # a replay


def test_a_receiver_that_never_answers_is_given_up_on(served: Served, receiver: Receiver) -> None:
    hook, _ = served.use.add_webhook("default", receiver.url, [WebhookEvent.ANALYSED])
    receiver.failures = 100
    _post(served, "recap_sent.eml")
    deliverer = WebhookDeliverer(served.application, backoff_base=0.0, max_attempts=3)
    deliverer.run_once()
    assert [status for _, _, status in receiver.posts] == [500, 500, 500]
    with Session(served.application.engine) as session:
        (delivery,) = list_deliveries(session=session, webhook_id=hook.id)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert delivery.last_code == 500 and delivery.last_error == "HTTP 500"


def test_the_back_off_waits_before_the_next_attempt(served: Served, receiver: Receiver) -> None:
    served.use.add_webhook("default", receiver.url, [WebhookEvent.ANALYSED])
    receiver.failures = 1
    _post(served, "recap_sent.eml")
    now = [NOW]
    served.application.clock = lambda: now[0]
    deliverer = WebhookDeliverer(served.application, backoff_base=30.0)
    deliverer.run_once()
    assert len(receiver.posts) == 1  # failed; the retry waits 30 s
    now[0] = NOW + timedelta(seconds=29)
    deliverer.run_once()
    assert len(receiver.posts) == 1
    now[0] = NOW + timedelta(seconds=31)
    deliverer.run_once()
    assert [status for _, _, status in receiver.posts] == [500, 204]


def test_overdue_steps_are_announced_once(served: Served, receiver: Receiver) -> None:
    served.use.add_webhook("default", receiver.url, [WebhookEvent.OVERDUE])
    _post(served, "recap_sent.eml")  # the quote is due by the end of Fri 20 Nov
    deliverer = WebhookDeliverer(served.application)
    deliverer.run_once()
    assert receiver.posts == []  # not overdue yet
    served.application.clock = lambda: NOW + timedelta(days=3)
    deliverer.run_once()
    deliverer.run_once()
    events = receiver.delivered()
    assert len(events) >= 1 and all(e["type"] == "step.overdue" for e in events)
    assert len({e["id"] for e in events}) == len(events)  # once per step
    assert all(e["data"]["step"]["overdue"] for e in events)


def test_the_serving_loop_delivers_on_its_own(served: Served, receiver: Receiver) -> None:
    import threading

    served.use.add_webhook("default", receiver.url, [WebhookEvent.ANALYSED])
    stopping = threading.Event()
    loop = threading.Thread(
        target=WebhookDeliverer(served.application).run, args=(stopping, 0.05), daemon=True
    )
    loop.start()
    try:
        _post(served, "recap_sent.eml")
        deadline = time.monotonic() + 10
        while not receiver.posts and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stopping.set()
        loop.join(timeout=5)
    assert [e["type"] for e in receiver.delivered()] == ["conversation.analysed"]
