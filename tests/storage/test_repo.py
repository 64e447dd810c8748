"""Reps, addresses, senders, cursors and the constraints that keep them straight."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from bot.config import Settings
from bot.errors import TimeZoneError, UsageError
from storage.models import InboundMessage, NextStep, RepEmail, StepStatus
from storage.repo import (
    add_rep,
    add_rep_email,
    find_inbound_duplicate,
    find_rep_by_email,
    get_sync_state,
    list_reps,
    sender_allowed,
    set_step_status,
    set_sync_state,
)

NOW = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)


def test_rep_is_found_by_any_case_of_their_address(session: Session) -> None:
    rep = add_rep(
        "Dana.Reyes@Acme.example", name="Dana Reyes", tz="America/Los_Angeles", session=session
    )
    session.commit()

    found = find_rep_by_email("  <DANA.reyes@acme.EXAMPLE> ", session=session)

    assert found is not None and found.id == rep.id
    assert found.tz == "America/Los_Angeles"
    assert find_rep_by_email("someone@acme.example", session=session) is None


def test_adding_a_known_address_updates_only_what_was_given(session: Session) -> None:
    first = add_rep("dana@acme.example", name="Dana Reyes", slack_user_id="U1", session=session)
    again = add_rep(
        "DANA@acme.example",
        tz="Europe/Berlin",
        quiet_hours=(time(19, 0), time(8, 0)),
        session=session,
    )
    session.commit()

    assert again.id == first.id
    [(rep, addresses)] = list_reps(session=session)
    assert (rep.display_name, rep.slack_user_id, rep.tz) == ("Dana Reyes", "U1", "Europe/Berlin")
    assert (rep.quiet_hours_start, rep.quiet_hours_end) == (time(19, 0), time(8, 0))
    assert addresses == ["dana@acme.example"]


def test_a_rep_can_have_several_addresses_but_an_address_one_rep(session: Session) -> None:
    dana = add_rep("dana@acme.example", session=session)
    sam = add_rep("sam@acme.example", session=session)
    assert dana.id is not None
    add_rep_email(dana.id, "dana.reyes@gmail.example", session=session)

    with pytest.raises(UsageError, match="already belongs"):
        add_rep_email(dana.id, "Sam@acme.example", session=session)

    assert [(r.id, a) for r, a in list_reps(session=session)] == [
        (dana.id, ["dana.reyes@gmail.example", "dana@acme.example"]),
        (sam.id, ["sam@acme.example"]),
    ]


@pytest.mark.parametrize(
    ("address", "message"),
    [("not-an-address", "not an email address"), ("", "not an email address")],
)
def test_rep_needs_an_email_address(session: Session, address: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        add_rep(address, session=session)


def test_rep_time_zone_must_be_a_real_zone(session: Session) -> None:
    with pytest.raises(TimeZoneError, match="'Mars/Olympus' is not an IANA time zone"):
        add_rep("dana@acme.example", tz="Mars/Olympus", session=session)


def test_database_refuses_an_upper_case_address(session: Session) -> None:
    rep = add_rep("dana@acme.example", session=session)
    session.add(RepEmail(rep_id=rep.id or 0, address="Dana@Other.example"))

    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


@pytest.mark.parametrize(
    ("sender", "allowed"),
    [
        ("dana@acme.example", True),  # a registered rep
        ("DANA@ACME.EXAMPLE", True),
        ("newhire@acme.example", True),  # an allowed domain
        ("jane@globex.example", False),  # a counterpart writing directly
        ("spam@acme.example.evil", False),
        ("no-at-sign", False),
        ("", False),
    ],
)
def test_sender_allowed(session: Session, sender: str, allowed: bool) -> None:
    add_rep("dana@acme.example", session=session)
    settings = Settings(_env_file=None, allowed_sender_domains="acme.example")  # type: ignore[call-arg]

    assert sender_allowed(sender, session=session, settings=settings) is allowed


def test_sender_allowed_without_domains_needs_a_registered_rep(session: Session) -> None:
    add_rep("dana@acme.example", session=session)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    assert sender_allowed("dana@acme.example", session=session, settings=settings)
    assert not sender_allowed("newhire@acme.example", session=session, settings=settings)


def test_sync_state_keeps_the_latest_cursor(session: Session) -> None:
    assert get_sync_state("gmail:dana", session=session) is None

    set_sync_state("gmail:dana", {"history_id": "100"}, now=NOW, session=session)
    set_sync_state("gmail:dana", {"history_id": "250"}, now=NOW, session=session)
    session.commit()

    assert get_sync_state("gmail:dana", session=session) == {"history_id": "250"}


def inbound(content_hash: str, message_id: str | None) -> InboundMessage:
    return InboundMessage(
        source="email",
        message_id=message_id,
        content_hash=content_hash,
        raw=b"raw",
        received_at=NOW,
    )


def test_a_repeated_message_id_is_kept_but_repeated_content_is_not(session: Session) -> None:
    """Inputs are told apart by content: another body under a Message-ID already
    stored is kept (whoever sent first must not suppress it); the same content is not."""
    session.add_all([inbound("a", None), inbound("b", None), inbound("c", "<x@mail>")])
    session.commit()

    session.add(inbound("d", "<x@mail>"))
    session.commit()
    session.add(inbound("a", None))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_duplicate_is_found_by_bytes_or_by_message_id(session: Session) -> None:
    session.add(inbound("hash-1", "<x@mail>"))
    session.commit()

    assert find_inbound_duplicate("hash-1", None, session=session) is not None
    assert find_inbound_duplicate("hash-2", "<x@mail>", session=session) is not None
    assert find_inbound_duplicate("hash-2", "<y@mail>", session=session) is None
    assert find_inbound_duplicate("hash-2", None, session=session) is None


def test_step_status_records_who_and_when(session: Session) -> None:
    from storage.models import Conversation

    conversation = Conversation(
        source="email", reference_time=NOW, tz="UTC", kind="email", analysed_at=NOW
    )
    session.add(conversation)
    session.flush()
    step = NextStep(
        conversation_id=conversation.id or 0,
        action="send the proposal",
        kind="deliverable",
        owner="rep",
        fingerprint="deliverable:rep:send proposal",
    )
    session.add(step)
    session.flush()

    set_step_status(step.id or 0, "done", by="U123", now=NOW, session=session)
    session.commit()

    stored = session.exec(select(NextStep)).one()
    assert (stored.status, stored.status_changed_by) == (StepStatus.DONE, "U123")
    assert stored.status_changed_at == NOW
    with pytest.raises(ValueError):
        set_step_status(step.id or 0, "finished", by="U123", now=NOW, session=session)


def test_read_model_of_an_input_leaves_the_raw_bytes_out() -> None:
    from storage.models import InboundMessageRead

    stored = inbound("hash-1", "<x@mail>")
    stored.id = 7

    read = InboundMessageRead.model_validate(stored)

    assert (read.id, read.message_id, read.received_at) == (7, "<x@mail>", NOW)
    assert "raw" not in read.model_dump()
