"""The ingestion service, on SQLite and PostgreSQL: what a rep forwarding mail sees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from bot.application.ingest import IngestResult, ingest_raw, reprocess
from bot.config import Settings
from storage.models import (
    Contact,
    Conversation,
    CounterpartOrg,
    InboundMessage,
    InboundStatus,
    NextStep,
    StepStatus,
)
from storage.repo import add_rep, set_step_status

DATA = Path(__file__).parent.parent / "data" / "ingest"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
JORDAN = "jordan.blake@northwind-analytics.com"


@pytest.fixture
def settings(db_settings: Settings) -> Settings:
    return db_settings.model_copy(update={"bot_address": "nextstep@northwind-analytics.com"})


@pytest.fixture
def jordan(session: Session) -> None:
    add_rep(JORDAN, name="Jordan Blake", tz="America/New_York", session=session)
    session.commit()


def mail(name: str) -> bytes:
    return (DATA / name).read_bytes()


def ingest(raw: bytes, session: Session, settings: Settings, **kwargs: object) -> IngestResult:
    options: dict[str, object] = {"source": "smtp", "now": NOW, **kwargs}
    return ingest_raw(raw, session=session, settings=settings, **options)  # type: ignore[arg-type]


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def steps(session: Session) -> dict[str, NextStep]:
    return {s.kind: s for s in session.exec(select(NextStep).order_by(NextStep.position))}


@pytest.mark.usefixtures("jordan")
def test_recap_becomes_a_conversation_with_its_steps(session: Session, settings: Settings) -> None:
    result = ingest(mail("recap_sent.eml"), session, settings)

    assert (result.status, result.error) == ("ingested", None)
    assert result.analysis is not None and len(result.analysis.steps) == 2
    conversation = session.get(Conversation, result.conversation_id)
    assert conversation is not None
    assert (conversation.source, conversation.kind, conversation.tz) == (
        "email",
        "email",
        "America/New_York",
    )
    assert conversation.thread_key == "CAJr7Qx2-recap-19nov@mail.gmail.com"
    assert conversation.reference_time == datetime(2026, 11, 19, 21, 30, 5, tzinfo=UTC)
    assert conversation.analysis["tier"] == conversation.tier
    found = steps(session)
    assert set(found) == {"deliverable", "meeting"}
    [engine_meeting] = [s for s in result.analysis.steps if s.kind == "meeting"]
    assert found["meeting"].due == engine_meeting.due  # the same instant, stored as UTC
    assert found["meeting"].due is not None and found["meeting"].due.tzinfo is UTC
    assert not found["meeting"].acknowledged
    inbound = session.get(InboundMessage, result.inbound_id)
    assert inbound is not None and inbound.status == InboundStatus.PROCESSED
    assert inbound.raw == mail("recap_sent.eml")
    org = session.exec(select(CounterpartOrg)).one()
    assert org.domain == "harborfreight-logistics.com"
    assert session.exec(select(Contact.email)).all() == ["carla.mendes@harborfreight-logistics.com"]


@pytest.mark.usefixtures("jordan")
@pytest.mark.parametrize(
    "again",
    [
        pytest.param(lambda raw: raw, id="same-bytes"),
        pytest.param(
            lambda raw: b"Received: from relay2.example by mx (Postfix)\r\n" + raw,
            id="same-message-id-other-route",
        ),
    ],
)
def test_the_same_email_twice_is_one_conversation(
    session: Session, settings: Settings, again
) -> None:  # type: ignore[no-untyped-def]
    first = ingest(mail("recap_sent.eml"), session, settings)
    second = ingest(again(mail("recap_sent.eml")), session, settings)

    assert second.status == "duplicate"
    assert (second.inbound_id, second.conversation_id) == (first.inbound_id, first.conversation_id)
    assert (
        count(session, Conversation),
        count(session, InboundMessage),
        count(session, NextStep),
    ) == (1, 1, 2)


@pytest.mark.usefixtures("jordan")
@pytest.mark.parametrize(
    "reply",
    [
        pytest.param("recap_reply_accepts.eml", id="in-reply-to-with-quoted-recap"),
        pytest.param("recap_reply_unquoted.eml", id="in-reply-to-without-quote"),
        pytest.param("recap_reply_forwarded.eml", id="forwarded-reply-no-headers"),
    ],
)
def test_reply_to_a_stored_recap_acknowledges_its_steps(
    session: Session, settings: Settings, reply: str
) -> None:
    first = ingest(mail("recap_sent.eml"), session, settings)
    before = {kind: step.id for kind, step in steps(session).items()}

    result = ingest(mail(reply), session, settings)

    assert (result.status, result.conversation_id) == ("updated", first.conversation_id)
    assert count(session, Conversation) == 1
    after = steps(session)
    assert {kind: step.id for kind, step in after.items()} == before  # updated in place
    meeting = after["meeting"]
    assert (meeting.acknowledged, meeting.ack_source, meeting.secured) == (True, "reply", True)
    assert meeting.ack_evidence is not None and "Sounds good" in meeting.ack_evidence["quote"]
    conversation = session.get(Conversation, first.conversation_id)
    assert conversation is not None
    assert (conversation.next_steps_secured, conversation.tier) == (True, "gold")
    assert conversation.inbound_message_id == result.inbound_id


@pytest.mark.usefixtures("jordan")
def test_recap_arriving_after_its_reply_joins_the_thread_without_undoing_it(
    session: Session, settings: Settings
) -> None:
    reply = ingest(mail("recap_reply_accepts.eml"), session, settings)
    secured = steps(session)["meeting"]

    late = ingest(mail("recap_sent.eml"), session, settings)

    assert (late.status, late.conversation_id) == ("updated", reply.conversation_id)
    assert count(session, Conversation) == 1
    meeting = steps(session)["meeting"]
    assert (meeting.id, meeting.acknowledged, meeting.ack_source) == (secured.id, True, "reply")


@pytest.mark.usefixtures("jordan")
def test_step_a_person_closed_stays_closed_after_the_reply(
    session: Session, settings: Settings
) -> None:
    ingest(mail("recap_sent.eml"), session, settings)
    quote = steps(session)["deliverable"]
    set_step_status(quote.id or 0, StepStatus.DONE, by="U024BE7LH", now=NOW, session=session)
    session.commit()

    ingest(mail("recap_reply_accepts.eml"), session, settings)

    assert steps(session)["deliverable"].status == StepStatus.DONE


@pytest.mark.parametrize(
    ("days_later", "subject", "expected"),
    [
        (3, "Re: Recap - Northwind x Harbor Freight pilot", "updated"),
        (29, "RE: [EXTERNAL] Recap - Northwind x Harbor Freight pilot", "updated"),
        (45, "Re: Recap - Northwind x Harbor Freight pilot", "ingested"),  # too long after
        (3, "Recap - Northwind x Harbor Freight pilot", "ingested"),  # not a reply
        (3, "Re: Something else entirely", "ingested"),
    ],
)
@pytest.mark.usefixtures("jordan")
def test_reply_without_thread_headers_joins_by_subject_within_30_days(
    session: Session, settings: Settings, days_later: int, subject: str, expected: str
) -> None:
    first = ingest(mail("recap_sent.eml"), session, settings)
    sent = datetime(2026, 11, 19, 21, 30, tzinfo=UTC) + timedelta(days=days_later)
    reply = (
        f"From: Carla Mendes <carla.mendes@harborfreight-logistics.com>\n"
        f"To: {JORDAN}\nSubject: {subject}\n"
        f"Date: {sent:%a, %d %b %Y %H:%M:%S +0000}\n"
        f"Message-ID: <reply-{days_later}@harborfreight-logistics.com>\n\n"
        "Works for me, see you on the 3rd.\n"
    ).encode()

    result = ingest(reply, session, settings)

    assert result.status == expected
    assert (result.conversation_id == first.conversation_id) is (expected == "updated")


def test_unknown_zone_fails_keeps_the_raw_and_reprocess_succeeds_after_the_fix(
    session: Session, settings: Settings
) -> None:
    add_rep(JORDAN, name="Jordan Blake", session=session)  # no time zone yet
    session.commit()

    failed = ingest(mail("recap_sent.eml"), session, settings)

    assert failed.status == "failed" and failed.conversation_id is None
    assert failed.error is not None and f"nextstep reps add {JORDAN} --tz" in failed.error
    kept = session.get(InboundMessage, failed.inbound_id)
    assert kept is not None
    assert (kept.status, kept.attempts, kept.raw) == ("failed", 1, mail("recap_sent.eml"))
    assert kept.traceback is not None and "IngestError" in kept.traceback
    assert count(session, Conversation) == 0

    add_rep(JORDAN, tz="America/New_York", session=session)
    session.commit()
    fixed = reprocess(failed.inbound_id, session=session, settings=settings, now=NOW)

    assert (fixed.status, fixed.inbound_id, fixed.error) == ("ingested", failed.inbound_id, None)
    kept = session.get(InboundMessage, failed.inbound_id, populate_existing=True)
    assert kept is not None
    assert (kept.status, kept.attempts, kept.error, kept.traceback) == ("processed", 2, None, None)
    assert kept.conversation_id == fixed.conversation_id
    assert count(session, NextStep) == 2


@pytest.mark.usefixtures("jordan")
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "This is a PDF document, not an email."),
        (b"", "The message is empty."),
        (b"Just some words, no headers at all.\n", "No email headers"),
        (
            b"From: Jordan Blake <jordan.blake@northwind-analytics.com>\nSubject: hi\n\n",
            "The email has no text",
        ),
    ],
    ids=["pdf", "empty", "no-headers", "no-body"],
)
def test_bad_mail_is_kept_as_failed_with_a_reason(
    session: Session, settings: Settings, raw: bytes, message: str
) -> None:
    result = ingest(raw, session, settings)

    assert result.status == "failed"
    assert result.error is not None and message in result.error
    kept = session.get(InboundMessage, result.inbound_id)
    assert kept is not None and (kept.raw, kept.status) == (raw, "failed")


@pytest.mark.usefixtures("jordan")
def test_unexpected_crash_is_recorded_not_raised(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.engine

    def broken(document: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(bot.engine, "analyze", broken)

    result = ingest(mail("recap_sent.eml"), session, settings)

    assert result.status == "failed"
    assert result.error == "Unexpected error while processing: ZeroDivisionError: division by zero"
    kept = session.get(InboundMessage, result.inbound_id)
    assert kept is not None and kept.traceback is not None
    assert "in broken" in kept.traceback
    assert count(session, Conversation) == 0 and count(session, NextStep) == 0


@pytest.mark.usefixtures("jordan")
def test_transcript_attachment_is_its_own_conversation_and_invite_is_kept(
    session: Session, settings: Settings
) -> None:
    result = ingest(mail("recap_with_transcript.eml"), session, settings)

    assert result.status == "ingested"
    [transcript] = result.attachments
    assert transcript.status == "ingested" and transcript.conversation_id != result.conversation_id
    conversation = session.get(Conversation, transcript.conversation_id)
    assert conversation is not None and conversation.kind == "transcript"
    assert conversation.rep_id is not None  # Jordan's, from the email that carried it
    parts = {
        i.source: i
        for i in session.exec(
            select(InboundMessage).where(InboundMessage.parent_id == result.inbound_id)
        )
    }
    assert set(parts) == {"attachment", "ics"}
    assert session.exec(select(CounterpartOrg)).all() == []  # the bot is nobody's customer
    assert parts["attachment"].filename == "contoso-rollout.vtt"
    assert parts["ics"].status == InboundStatus.RECEIVED  # for the calendar check
    assert b"UID:5t0q8c2m1vdl9h3r7k6a4b2n0p@google.com" in parts["ics"].raw


def test_local_file_from_an_unknown_rep_uses_the_machine_zone(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    notes = b"Call with Sam (Globex).\nAgreed next steps:\n- Demo Tuesday at 2pm with Sam's team\n"

    result = ingest(
        notes, session, settings, source="file", filename="globex.md", at=NOW - timedelta(hours=2)
    )

    assert result.status == "ingested", result.error
    conversation = session.get(Conversation, result.conversation_id)
    assert conversation is not None
    assert (conversation.tz, conversation.source, conversation.rep_id) == (
        "Pacific/Auckland",
        "file",
        None,
    )
    assert conversation.reference_time == NOW - timedelta(hours=2)


def test_mail_from_a_rep_without_zone_uses_the_configured_default(
    session: Session, settings: Settings
) -> None:
    add_rep(JORDAN, session=session)
    session.commit()

    result = ingest(
        mail("recap_sent.eml"), session, settings.model_copy(update={"default_tz": "Europe/Lisbon"})
    )

    assert result.status == "ingested"
    conversation = session.get(Conversation, result.conversation_id)
    assert conversation is not None and conversation.tz == "Europe/Lisbon"


def test_reprocess_of_an_unknown_input_says_so(session: Session, settings: Settings) -> None:
    from bot.errors import NextStepError

    with pytest.raises(NextStepError, match="No stored input has id 404"):
        reprocess(404, session=session, settings=settings, now=NOW)


def test_unreachable_database_is_a_storage_error_not_a_crash() -> None:
    from bot.errors import StorageError
    from storage.db import make_engine

    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    with Session(engine) as session, pytest.raises(StorageError, match="could not be stored"):
        ingest_raw(
            mail("recap_sent.eml"), source="smtp", session=session, settings=settings, now=NOW
        )
    engine.dispose()
