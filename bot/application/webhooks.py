"""Webhook events: queued in the database where analysis results are stored (and when a
step falls overdue), delivered by a loop that claims them, signs them and retries with
back-off. At least once: receivers dedupe on the event id.

Signature, as Stripe and Slack sign theirs: header ``Nextstep-Timestamp`` (Unix
seconds) and ``Nextstep-Signature: v1=`` + hex HMAC-SHA256 of ``"{timestamp}.{body}"``
keyed with the subscription's secret. ``verify_signature`` is the receiver's check.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.vocabulary import StepFilter, WebhookEvent

log = logging.getLogger("nextstep.webhooks")

SIGNATURE_HEADER = "Nextstep-Signature"
TIMESTAMP_HEADER = "Nextstep-Timestamp"
EVENT_HEADER = "Nextstep-Event"
EVENT_ID_HEADER = "Nextstep-Event-Id"
TOLERANCE = 300  # seconds a receiver should accept between the timestamp and its clock
MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=60)  # a claimed delivery is taken again after this


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + digest.hexdigest()


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float,
    tolerance: int = TOLERANCE,
) -> bool:
    """The receiver's check: a fresh timestamp and the same HMAC (compared in constant
    time). A forged or altered body, or an old replay, fails."""
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs(now - moment) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, moment, body), signature)


def backoff(attempts: int, base: float = 2.0) -> timedelta:
    """Wait after the ``attempts``-th failure: base, 2·base, 4·base… at most an hour."""
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 3600.0))


def _event(event: WebhookEvent, event_id: str, workspace: str, now: datetime, data: Any) -> dict:
    return {
        "schema": 1,
        "id": event_id,
        "type": str(event),
        "created": now.isoformat(),
        "workspace": workspace,
        "data": data,
    }


def record_analysis_events(
    conversation_id: int, was_secured: bool | None, *, session: Session, now: datetime
) -> None:
    """Queue ``conversation.analysed`` and, when the verdict is new or changed,
    ``conversation.secured`` or ``.unsecured``, for the conversation's workspace."""
    from bot.application.records import ConversationSummary
    from storage.api import conversation_domain, conversation_workspace, enqueue_event
    from storage.api_models import Webhook
    from storage.models import Conversation, ConversationRead
    from storage.read import _step_counts

    if session.exec(_any_webhook(Webhook)).first() is None:
        return  # nobody listens: no work on the intake path
    session.flush()
    row = session.get(Conversation, conversation_id)
    workspace = conversation_workspace(conversation_id, session=session)
    if row is None or workspace is None:
        return
    read = (row.analysis or {}).get("conversation", {})
    steps, open_ = _step_counts([conversation_id], session=session).get(conversation_id, (0, 0))
    summary = ConversationSummary.of(
        ConversationRead.model_validate(row),
        steps,
        open_,
        read.get("rep"),
        bool(read.get("rep_guessed")),
    )
    data = {
        "conversation": summary.to_dict(),
        "account": conversation_domain(row.org_id, session=session),
    }
    events = [WebhookEvent.ANALYSED]
    if was_secured is None or was_secured != row.next_steps_secured:
        events.append(WebhookEvent.SECURED if row.next_steps_secured else WebhookEvent.UNSECURED)
    for event in events:
        event_id = "evt_" + uuid.uuid4().hex
        enqueue_event(
            workspace,
            str(event),
            event_id,
            _event(event, event_id, workspace, now, data),
            session=session,
            now=now,
        )


def _any_webhook(model: Any) -> Any:
    from sqlmodel import col, select

    return select(model.id).where(col(model.removed_at).is_(None)).limit(1)


@dataclass(frozen=True)
class Attempt:
    code: int | None
    error: str | None  # None: delivered


Post = Callable[[str, bytes, dict[str, str]], Attempt]


def post_json(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> Attempt:
    """One POST; any 2xx is a delivery, anything else (or no answer) an error."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Attempt(response.status, None)
    except urllib.error.HTTPError as error:
        return Attempt(error.code, f"HTTP {error.code}")
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return Attempt(None, f"no answer: {reason}")


class WebhookDeliverer:
    """Claims due deliveries, posts them signed, records each attempt."""

    def __init__(
        self,
        application: Any,  # bot.application.Application
        *,
        post: Post = post_json,
        backoff_base: float = 2.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.application = application
        self.post = post
        self.backoff_base = backoff_base
        self.max_attempts = max_attempts

    def queue_overdue(self) -> int:
        """Queue ``step.overdue`` once per step and due time, for every workspace that
        has a subscription. How many deliveries were queued."""
        from storage.api import conversation_workspace, enqueue_event, list_webhooks

        app = self.application
        with app.session() as session:
            listening = {
                h.workspace
                for h in list_webhooks(session=session)
                if WebhookEvent.OVERDUE in h.events
            }
        if not listening:
            return 0
        now = app.clock()
        queued = 0
        for step in app.list_steps(status=StepFilter.OVERDUE):
            with app.session() as session:
                workspace = conversation_workspace(step.conversation_id, session=session)
                if workspace not in listening or workspace is None:
                    continue
                due = step.due.isoformat() if step.due is not None else ""
                event_id = (
                    "evt_overdue_" + hashlib.sha256(f"{step.id}|{due}".encode()).hexdigest()[:24]
                )
                payload = _event(
                    WebhookEvent.OVERDUE, event_id, workspace, now, {"step": step.to_dict()}
                )
                queued += enqueue_event(
                    workspace,
                    str(WebhookEvent.OVERDUE),
                    event_id,
                    payload,
                    session=session,
                    now=now,
                )
        return queued

    def run_once(self) -> int:
        """One pass: queue overdue steps, then deliver what is due. How many were sent
        (delivered or not)."""
        from storage.api import claim_deliveries, finish_delivery

        self.queue_overdue()
        app = self.application
        sent = 0
        while True:
            with app.session() as session:  # the claim is committed before any POST
                claimed = claim_deliveries(session=session, now=app.clock(), lease=LEASE)
            if not claimed:
                return sent
            for delivery in claimed:
                body = json.dumps(delivery.payload, separators=(",", ":")).encode()
                timestamp = int(app.clock().timestamp())
                headers = {
                    "Content-Type": "application/json",
                    "User-Agent": "nextstep-webhooks/1",
                    TIMESTAMP_HEADER: str(timestamp),
                    SIGNATURE_HEADER: sign(delivery.secret, timestamp, body),
                    EVENT_HEADER: delivery.event,
                    EVENT_ID_HEADER: delivery.event_id,
                }
                result = self.post(delivery.url, body, headers)
                now = app.clock()
                retry_at = None
                if result.error is not None and delivery.attempts < self.max_attempts:
                    retry_at = now + backoff(delivery.attempts, self.backoff_base)
                if result.error is not None:
                    log.warning(
                        "webhook delivery %s to %s failed (attempt %d): %s",
                        delivery.event_id,
                        delivery.url,
                        delivery.attempts,
                        result.error,
                    )
                with app.session() as session:
                    finish_delivery(
                        delivery.id,
                        code=result.code,
                        error=result.error,
                        retry_at=retry_at,
                        session=session,
                        now=now,
                    )
                sent += 1

    def run(self, stopping: threading.Event, interval: float = 1.0) -> None:
        """Pass after pass until ``stopping`` is set; a failing pass is logged with its
        traceback and the next one tries again."""
        while not stopping.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("a webhook delivery pass failed")
            stopping.wait(interval)
