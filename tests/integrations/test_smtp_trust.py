"""Who may mail the bot, over real SMTP on a loopback port, on SQLite and PostgreSQL.

Sender authentication ``verify`` runs offline: DKIM keys are made here and DNS is a
table (``TxtTable``). The rep Dana sends a recap proposing Tuesday at 2pm; Priya, the
counterpart, answers it with the bot in copy. The listener only stores what it accepts;
``worker.run_once()`` analyses the stored inputs, as the worker beside ``nextstep smtp``
does.
"""

from __future__ import annotations

import base64
import hashlib
import smtplib
from collections.abc import Iterator
from datetime import UTC, datetime

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.application import Application
from bot.application.worker import Worker
from bot.config import Settings
from integrations.smtp import DatabaseIntake, SmtpListener
from integrations.smtp_trust import MailGate
from integrations.smtp_verify import Verifier
from storage.db import session_scope
from storage.models import Conversation, InboundMessage, NextStep
from storage.repo import add_rep

BOT = "nextstep@recaps.acme-robotics.com"
REP = "dana.reyes@acme-robotics.com"
PRIYA = "priya.natarajan@northwind-logistics.com"
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
SELECTOR = b"s2026"

RECAP = (
    "From: Dana Reyes <dana.reyes@acme-robotics.com>\r\n"
    "To: Priya Natarajan <priya.natarajan@northwind-logistics.com>\r\n"
    "Cc: nextstep@recaps.acme-robotics.com\r\n"
    "Date: Mon, 23 Nov 2026 09:00:00 -0800\r\n"
    "Message-ID: <recap-tuesday@acme-robotics.com>\r\n"
    "Subject: Recap: Northwind pilot scoping call\r\n"
    "\r\n"
    "Hi Priya,\r\n\r\n"
    "Thanks for the time this morning. As a next step, I proposed that we walk through\r\n"
    "the pilot plan with your operations lead on Tuesday at 2pm.\r\n\r\n"
    "Best,\r\nDana\r\n"
)
QUOTED = (
    "On Mon, Nov 23, 2026 at 9:00 AM Dana Reyes <dana.reyes@acme-robotics.com> wrote:\r\n"
    "> Hi Priya,\r\n>\r\n"
    "> Thanks for the time this morning. As a next step, I proposed that we walk through\r\n"
    "> the pilot plan with your operations lead on Tuesday at 2pm.\r\n>\r\n"
    "> Best,\r\n> Dana\r\n"
)


def reply(words: str, *, author: str = PRIYA, name: str = "Priya Natarajan") -> str:
    """``author``'s reply-all to the recap, In-Reply-To it, quoting it."""
    return (
        f"From: {name} <{author}>\r\n"
        "To: Dana Reyes <dana.reyes@acme-robotics.com>\r\n"
        f"Cc: {BOT}\r\n"
        "Date: Mon, 23 Nov 2026 10:40:00 -0800\r\n"
        f"Message-ID: <reply-{hashlib.sha1((words + author).encode()).hexdigest()[:12]}"
        f"@{author.partition('@')[2]}>\r\n"
        "In-Reply-To: <recap-tuesday@acme-robotics.com>\r\n"
        "References: <recap-tuesday@acme-robotics.com>\r\n"
        "Subject: Re: Recap: Northwind pilot scoping call\r\n"
        "\r\n"
        f"{words}\r\n\r\n{name.split()[0]}\r\n\r\n{QUOTED}"
    )


class TxtTable:
    """DNS TXT records from a table: the stub resolver of these tests."""

    def __init__(self) -> None:
        self.records: dict[str, list[bytes]] = {}
        self.asked: list[str] = []

    def __call__(self, name: str) -> list[bytes]:
        self.asked.append(name)
        return self.records.get(name.lower().rstrip("."), [])


class Signer:
    """A domain's DKIM key: signs messages, publishes its key in a ``TxtTable``."""

    def __init__(self, domain: str, dns: TxtTable | None = None) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.domain = domain
        self.private = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
        if dns is not None:
            self.publish(dns)

    def publish(self, dns: TxtTable) -> None:
        dns.records[f"{SELECTOR.decode()}._domainkey.{self.domain}"] = [self.record]

    def sign(self, message: str) -> bytes:
        raw = message.encode()
        headers = [b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"in-reply-to"]
        signature = dkim.sign(
            raw, SELECTOR, self.domain.encode(), self.private, include_headers=headers
        )
        return signature + raw


@pytest.fixture(scope="module")
def keys() -> dict[str, Signer]:
    return {
        domain: Signer(domain)
        for domain in ("acme-robotics.com", "northwind-logistics.com", "unrelated.example")
    }


@pytest.fixture
def dns(keys: dict[str, Signer]) -> TxtTable:
    table = TxtTable()
    for signer in keys.values():
        signer.publish(table)
    return table


@pytest.fixture
def application(engine: Engine, db_settings: Settings) -> Application:
    """The application on the test database, with Dana registered as a rep."""
    settings = db_settings.model_copy(update={"bot_address": BOT, "analysis_time_budget": 60})
    with session_scope(engine) as session:
        add_rep(REP, name="Dana Reyes", tz="America/Los_Angeles", session=session)
    return Application(engine, settings, clock=lambda: NOW)


@pytest.fixture
def worker(application: Application) -> Iterator[Worker]:
    """The intake worker that analyses what the listener stored."""
    worker = Worker(application)
    yield worker
    worker.close()


@pytest.fixture
def verified(application: Application, dns: TxtTable) -> Iterator[SmtpListener]:
    """The listener on the test database with sender authentication ``verify``."""
    settings = application.settings.model_copy(update={"smtp_sender_auth": "verify"})
    intake = DatabaseIntake(application)
    gate = MailGate(intake, Verifier(dns), required=True)
    server = SmtpListener(intake, settings, host="127.0.0.1", port=0, gate=gate)
    server.start()
    yield server
    server.stop(grace=5)


def send(listener: SmtpListener, sender: str, body: bytes) -> tuple[int, str]:
    """Send one message; the reply to its end of DATA (or the refusal) as code, text."""
    host, port = listener.address
    with smtplib.SMTP(host, port, timeout=20) as client:
        try:
            client.sendmail(sender, [BOT], body)
        except smtplib.SMTPDataError as refused:
            return refused.smtp_code, refused.smtp_error.decode()
    return 250, "accepted"


def inputs(engine: Engine) -> list[InboundMessage]:
    with Session(engine) as session:
        return list(session.exec(select(InboundMessage).order_by(col(InboundMessage.id))))


def conversations(engine: Engine) -> list[Conversation]:
    with Session(engine) as session:
        return list(session.exec(select(Conversation)))


def steps(engine: Engine) -> list[NextStep]:
    with Session(engine) as session:
        return list(session.exec(select(NextStep).order_by(col(NextStep.id))))


def analysed(worker: Worker, engine: Engine) -> list[InboundMessage]:
    """Run the worker until nothing waits; every stored input, all analysed."""
    worker.run_once()
    stored = inputs(engine)
    assert [i.status for i in stored] == ["processed"] * len(stored), [i.error for i in stored]
    return stored


def send_recap(
    listener: SmtpListener, engine: Engine, keys: dict[str, Signer], worker: Worker
) -> Conversation:
    code, text = send(listener, REP, keys["acme-robotics.com"].sign(RECAP))
    assert code == 250, text
    analysed(worker, engine)
    [conversation] = conversations(engine)
    assert (conversation.next_steps_secured, conversation.tier) == (False, "none")
    return conversation


def replied_to_the_recap(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer], worker: Worker, words: str
) -> Conversation:
    """The recap analysed, then Priya's signed reply-all with ``words``: the one
    conversation they make."""
    recap = send_recap(verified, engine, keys, worker)
    code, text = send(verified, PRIYA, keys["northwind-logistics.com"].sign(reply(words)))
    assert code == 250, text
    analysed(worker, engine)
    [conversation] = conversations(engine)
    assert conversation.id == recap.id
    return conversation


def test_counterpart_confirming_by_reply_all_secures_the_recap(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer], worker: Worker
) -> None:
    words = "Confirmed, Tuesday 2pm works, see you then."

    conversation = replied_to_the_recap(verified, engine, keys, worker, words)
    assert (conversation.next_steps_secured, conversation.tier) == (True, "gold")
    [step] = steps(engine)
    assert (step.acknowledged, step.ack_source, step.secured) == (True, "reply", True)
    evidence = step.ack_evidence or {}
    assert evidence["quote"] == words
    assert evidence["speaker"] == "Priya Natarajan"
    assert evidence["timestamp"] == "2026-11-23T10:40:00-08:00"
    replied = inputs(engine)[-1]
    assert (replied.conversation_id, replied.rep_email) == (conversation.id, None)


def test_a_declining_reply_leaves_the_step_not_secured(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer], worker: Worker
) -> None:
    words = "Sorry, Tuesday doesn't work for us, we can't make it."

    conversation = replied_to_the_recap(verified, engine, keys, worker, words)
    assert (conversation.next_steps_secured, conversation.tier) == (False, "none")
    [step] = steps(engine)
    assert (step.acknowledged, step.secured) == (False, False)
    assert len(inputs(engine)) == 2


def test_a_colleague_of_the_counterpart_may_answer_too(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer], worker: Worker
) -> None:
    send_recap(verified, engine, keys, worker)
    colleague = "ops.lead@northwind-logistics.com"
    body = reply("Confirmed, Tuesday 2pm works, see you then.", author=colleague, name="Ops Lead")

    code, text = send(verified, colleague, keys["northwind-logistics.com"].sign(body))

    assert code == 250, text
    assert len(analysed(worker, engine)) == 2
    [conversation] = conversations(engine)
    assert (conversation.next_steps_secured, conversation.tier) == (True, "gold")


def test_a_new_thread_from_a_stranger_is_refused_and_nothing_stored(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer]
) -> None:
    stranger = RECAP.replace("Dana Reyes <dana.reyes@acme-robotics.com>", f"Priya <{PRIYA}>")
    code, text = send(verified, PRIYA, keys["northwind-logistics.com"].sign(stranger))

    assert code == 550
    assert "not a reply to a thread nextstep holds" in text
    assert inputs(engine) == []
    assert conversations(engine) == []


def test_a_reply_naming_a_stored_message_from_an_unrelated_domain_is_refused(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer], worker: Worker
) -> None:
    send_recap(verified, engine, keys, worker)
    outsider = "mallory@unrelated.example"
    body = reply("Confirmed, Tuesday 2pm works.", author=outsider, name="Mallory Outsider")

    code, text = send(verified, outsider, keys["unrelated.example"].sign(body))

    assert code == 550
    assert "not a reply to a thread nextstep holds" in text
    assert len(inputs(engine)) == 1
    assert steps(engine)[0].acknowledged is False


def test_a_reply_claiming_the_counterpart_without_their_signature_is_refused(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer], worker: Worker
) -> None:
    send_recap(verified, engine, keys, worker)
    forged = reply("Confirmed, Tuesday 2pm works, see you then.")

    # Signed by a domain that is not Priya's, and not signed at all.
    for body in (keys["unrelated.example"].sign(forged), forged.encode()):
        code, text = send(verified, PRIYA, body)
        assert code == 550
        assert "sender authentication failed" in text

    assert len(inputs(engine)) == 1
    [conversation] = conversations(engine)
    assert conversation.next_steps_secured is False


def test_a_forged_rep_envelope_sender_failing_dkim_is_refused(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer]
) -> None:
    impostor = Signer("acme-robotics.com")  # the right domain, not its published key
    code, text = send(verified, REP, impostor.sign(RECAP))
    assert code == 550
    assert text.startswith(f"5.7.1 <{REP}>: sender authentication failed")

    code, text = send(verified, REP, RECAP.encode())  # no signature at all
    assert code == 550

    assert inputs(engine) == []
    assert conversations(engine) == []


def test_spf_for_the_connecting_address_authenticates_a_rep(
    verified: SmtpListener, engine: Engine, dns: TxtTable, worker: Worker
) -> None:
    dns.records["acme-robotics.com"] = [b"v=spf1 ip4:127.0.0.1 -all"]

    code, text = send(verified, REP, RECAP.encode())

    assert code == 250, text
    analysed(worker, engine)
    assert len(conversations(engine)) == 1
    assert "acme-robotics.com" in dns.asked


def test_a_reply_proposing_another_time_is_read_as_later_words(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer], worker: Worker
) -> None:
    words = "Tuesday won't work, can we do Thursday at 10am instead?"

    conversation = replied_to_the_recap(verified, engine, keys, worker, words)
    assert (conversation.next_steps_secured, conversation.tier) == (False, "none")
    [moved] = steps(engine)  # one meeting, moved by their words, not yet agreed by us
    assert not moved.secured and not moved.acknowledged
    assert moved.due is not None and moved.due.day == 26  # Thursday


@pytest.fixture
def unverified(application: Application) -> Iterator[SmtpListener]:
    """The listener as `nextstep smtp` builds it with the default settings (``none``)."""
    settings = application.settings
    intake = DatabaseIntake(application)
    server = SmtpListener(intake, settings, host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop(grace=5)


def test_without_authentication_replies_are_still_held_to_the_thread(
    unverified: SmtpListener, engine: Engine, worker: Worker
) -> None:
    assert send(unverified, REP, RECAP.encode())[0] == 250
    analysed(worker, engine)
    confirmed = reply("Confirmed, Tuesday 2pm works, see you then.")
    outsider = reply("Confirmed.", author="mallory@unrelated.example", name="Mallory Outsider")

    assert send(unverified, PRIYA, confirmed.encode())[0] == 250
    code, text = send(unverified, "mallory@unrelated.example", outsider.encode())

    assert code == 550, text
    analysed(worker, engine)
    [conversation] = conversations(engine)
    assert (conversation.next_steps_secured, conversation.tier) == (True, "gold")
    assert len(inputs(engine)) == 2


def test_a_reply_arriving_before_its_recap_is_analysed_is_accepted_and_secures_it(
    verified: SmtpListener, engine: Engine, keys: dict[str, Signer], worker: Worker
) -> None:
    # The recap is stored, not analysed yet: its Message-ID and headers are enough.
    assert send(verified, REP, keys["acme-robotics.com"].sign(RECAP))[0] == 250
    words = "Confirmed, Tuesday 2pm works, see you then."
    outsider = reply("Confirmed.", author="mallory@unrelated.example", name="Mallory Outsider")

    code, text = send(verified, PRIYA, keys["northwind-logistics.com"].sign(reply(words)))
    refused, why = send(
        verified, "mallory@unrelated.example", keys["unrelated.example"].sign(outsider)
    )

    assert code == 250, text
    assert refused == 550 and "not a reply to a thread nextstep holds" in why
    assert [i.status for i in inputs(engine)] == ["received", "received"]
    assert conversations(engine) == []
    recap, replied = analysed(worker, engine)
    [conversation] = conversations(engine)
    assert recap.conversation_id == replied.conversation_id == conversation.id
    assert (conversation.next_steps_secured, conversation.tier) == (True, "gold")
    [step] = steps(engine)
    assert (step.acknowledged, step.ack_source, step.secured) == (True, "reply", True)
