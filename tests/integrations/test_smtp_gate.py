"""The end-of-DATA decision on its own: any bytes get an answer, never an exception;
and which replies the database lets in (``Application.reply_thread``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from bot.application import Application
from bot.config import Settings
from bot.vocabulary import InputSource
from integrations.smtp_authres import TrustedMta
from integrations.smtp_trust import Delivery, MailGate, aligned
from integrations.smtp_verify import Verifier
from storage.db import session_scope
from storage.repo import add_rep

BOT = "nextstep@recaps.acme-robotics.com"
REP = "dana.reyes@acme-robotics.com"


class EveryThread:
    def reply_thread(self, message_ids: list[str], sender: str) -> int | None:
        return 1


HEADERS = st.sampled_from(
    [
        b"From: ",
        b"In-Reply-To: ",
        b"References: ",
        b"DKIM-Signature: ",
        b"Authentication-Results: ",
        b"",
    ]
)
LINES = st.lists(st.tuples(HEADERS, st.binary(max_size=120)), max_size=8).map(
    lambda pairs: b"\r\n".join(name + value for name, value in pairs) + b"\r\n\r\nbody\r\n"
)


@settings(max_examples=150, deadline=None)
@given(raw=st.one_of(st.binary(max_size=600), LINES), allowed=st.booleans())
def test_any_bytes_get_a_decision_and_never_an_exception(raw: bytes, allowed: bool) -> None:
    gates = [
        MailGate(EveryThread(), Verifier(lambda name: []), required=True),
        MailGate(EveryThread(), TrustedMta("mx.acme-robotics.com"), required=True),
    ]
    delivery = Delivery(raw=raw, mail_from=REP, rep_email=REP if allowed else None, allowed=allowed)
    for gate in gates:
        decision = gate.decide(delivery)
        assert decision.accepted is False  # nothing in these bytes can authenticate
        assert decision.reply is not None and decision.reply[:3] in ("550", "451")


@pytest.mark.parametrize(
    ("domain", "other", "expected"),
    [
        ("acme-robotics.com", "acme-robotics.com", True),
        ("mail.acme-robotics.com", "acme-robotics.com", True),
        ("acme-robotics.com", "eu.acme-robotics.com", True),
        ("acme-robotics.com.evil.example", "acme-robotics.com", False),
        ("notacme-robotics.com", "acme-robotics.com", False),
        ("", "acme-robotics.com", False),
    ],
)
def test_alignment_is_relaxed_but_not_a_suffix_match(
    domain: str, other: str, expected: bool
) -> None:
    assert aligned(domain, other) is expected


THREAD = (
    b"From: Dana Reyes <dana.reyes@acme-robotics.com>\r\n"
    b"To: Priya Natarajan <priya.natarajan@northwind-logistics.com>, lee.chen@gmail.com\r\n"
    b"Date: Mon, 23 Nov 2026 09:00:00 -0800\r\n"
    b"Message-ID: <recap-thread@acme-robotics.com>\r\n"
    b"Subject: Recap: Northwind pilot scoping call\r\n"
    b"\r\n"
    b"Thanks all. As a next step we'll walk through the pilot plan on Tuesday at 2pm.\r\n"
)


def test_reply_thread_names_the_conversation_only_for_its_participants(
    engine: Engine, db_settings: Settings
) -> None:
    settings = db_settings.model_copy(update={"bot_address": BOT})
    with session_scope(engine) as session:
        add_rep(REP, name="Dana Reyes", tz="America/Los_Angeles", session=session)
    app = Application(engine, settings, clock=lambda: datetime(2026, 11, 23, 20, tzinfo=UTC))
    stored = app.ingest(THREAD, source=InputSource.SMTP, rep_email=REP)
    assert stored.conversation_id is not None
    ids = ["recap-thread@acme-robotics.com"]

    assert (
        app.reply_thread(ids, "priya.natarajan@northwind-logistics.com") == stored.conversation_id
    )
    assert app.reply_thread(ids, "Ops.Lead@Northwind-Logistics.com") == stored.conversation_id
    assert app.reply_thread(ids, "lee.chen@gmail.com") == stored.conversation_id
    assert app.reply_thread(ids, "someone.else@gmail.com") is None  # public domain: no
    assert app.reply_thread(ids, "mallory@unrelated.example") is None
    assert app.reply_thread(["unknown@acme-robotics.com"], "lee.chen@gmail.com") is None
    assert app.reply_thread([], "priya.natarajan@northwind-logistics.com") is None


def test_dns_that_does_not_answer_is_a_temporary_refusal() -> None:
    from integrations.smtp_verify import DnsUnavailable

    def silent(name: str) -> list[bytes]:
        raise DnsUnavailable(f"TXT {name}: timed out")

    signed = b"DKIM-Signature: v=1; a=rsa-sha256; d=acme-robotics.com; s=s1; h=from; bh=x; b=y\r\n"
    raw = signed + b"From: " + REP.encode() + b"\r\n\r\nbody\r\n"
    gate = MailGate(EveryThread(), Verifier(silent), required=True)
    decision = gate.decide(
        Delivery(raw=raw, mail_from=REP, rep_email=REP, allowed=True, peer_ip="192.0.2.1")
    )
    assert decision.accepted is False
    assert decision.reply is not None and decision.reply.startswith("451 4.7.5 ")
