"""iTIP mail through the real SMTP listener on a loopback port: the rep's invitation
with the bot in copy, then the other side's acceptance forwarded, update the stored
meeting step once the intake worker has analysed each stored message. On SQLite and
PostgreSQL."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from integrations.smtp import SmtpListener
from storage.calendar import calendar_history, calendar_of
from storage.models import InboundMessage, NextStep
from tests.integrations.test_smtp import BOT, RECAP, REP, live, send, work  # noqa: F401

PRIYA = "priya.natarajan@northwind-logistics.com"
EVENT = f"""BEGIN:VCALENDAR\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
VERSION:2.0\r
METHOD:{{method}}\r
BEGIN:VEVENT\r
DTSTART:20261126T180000Z\r
DTEND:20261126T190000Z\r
DTSTAMP:{{stamp}}\r
ORGANIZER;CN=Dana Reyes:mailto:{REP}\r
UID:pilot-review-7f3a@google.com\r
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={{answer}};CN=Priya Na\r
 tarajan:mailto:{PRIYA}\r
SEQUENCE:0\r
STATUS:CONFIRMED\r
SUMMARY:Northwind pilot proposal review\r
END:VEVENT\r
END:VCALENDAR\r
"""


def invitation() -> bytes:
    ics = EVENT.format(method="REQUEST", stamp="20261123T160000Z", answer="NEEDS-ACTION")
    return (
        f"From: Dana Reyes <{REP}>\r\nTo: {PRIYA}\r\nCc: {BOT}\r\n"
        "Subject: Invitation: Northwind pilot proposal review @ Thu Nov 26, 2026 10am\r\n"
        "Date: Mon, 23 Nov 2026 08:00:00 -0800\r\nMessage-ID: <invite-7f3a@google.com>\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b1"\r\n\r\n'
        '--b1\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\nYou have been invited.\r\n'
        f'--b1\r\nContent-Type: text/calendar; charset="UTF-8"; method=REQUEST\r\n\r\n{ics}'
        "--b1--\r\n"
    ).encode()


def forwarded_acceptance() -> bytes:
    ics = EVENT.format(method="REPLY", stamp="20261123T170500Z", answer="ACCEPTED")
    return (
        f"From: Dana Reyes <{REP}>\r\nTo: {BOT}\r\n"
        "Subject: Fwd: Accepted: Northwind pilot proposal review\r\n"
        "Date: Mon, 23 Nov 2026 09:10:00 -0800\r\nMessage-ID: <fwd-accept-7f3a@acme-robotics.com>\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b2"\r\n\r\n'
        '--b2\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\nPriya accepted.\r\n'
        '--b2\r\nContent-Type: text/calendar; charset="UTF-8"; method=REPLY; name="invite.ics"\r\n'
        f'Content-Disposition: attachment; filename="invite.ics"\r\n\r\n{ics}'
        "--b2--\r\n"
    ).encode()


def meeting_status(engine: Engine) -> tuple[str | None, list[str], bool]:
    with Session(engine) as session:
        steps = session.exec(select(NextStep).where(NextStep.kind == "meeting")).all()
        assert len(steps) == 1 and steps[0].id is not None
        link = calendar_of(steps[0].id, session=session)
        history = [h.status for h in calendar_history(steps[0].id, session=session)]
        return (link.status if link else None), history, steps[0].ack_source == "calendar"


def test_invitation_and_forwarded_acceptance_by_smtp(live: SmtpListener, engine: Engine) -> None:  # noqa: F811
    assert send(live, body=RECAP).endswith("(received)")
    work(live)
    assert meeting_status(engine) == (None, [], False)
    assert send(live, body=invitation()).endswith("(received)")
    work(live)
    assert meeting_status(engine)[:2] == ("awaiting", ["awaiting"])
    assert send(live, body=forwarded_acceptance()).endswith("(received)")
    work(live)
    status, history, _ = meeting_status(engine)
    assert (status, history) == ("accepted", ["awaiting", "accepted"])
    with Session(engine) as session:
        parts = session.exec(select(InboundMessage).where(InboundMessage.source == "ics")).all()
    assert len(parts) == 2 and {p.status for p in parts} == {"processed"}
    assert all(p.parent_id is not None and p.rep_email == REP for p in parts)
