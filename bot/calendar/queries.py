"""What to ask the calendar about a meeting step: its words, its time, and who the
other side is (their addresses, and their company's mail domain unless it is a shared
mail service). Pure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from bot.calendar.model import MeetingQuery
from bot.engine.model import Document, Role, Step
from bot.mail.addresses import PUBLIC_DOMAINS


def query_for(
    *,
    action: str,
    due: datetime | date | None,
    conversation_at: datetime,
    tz: str,
    people: Iterable[tuple[str, str | None]],  # (role, email)
    rep_emails: Iterable[str] = (),
) -> MeetingQuery:
    theirs = {e.lower() for role, e in people if role == Role.COUNTERPART and e and "@" in e}
    ours = {e.lower() for e in rep_emails} | {
        e.lower() for role, e in people if role == Role.REP and e and "@" in e
    }
    theirs -= ours
    domains = {e.rpartition("@")[2] for e in theirs} - PUBLIC_DOMAINS
    domains -= {e.rpartition("@")[2] for e in ours}
    return MeetingQuery(
        action=action,
        conversation_at=conversation_at,
        tz=tz,
        due=due,
        counterpart_emails=frozenset(theirs),
        counterpart_domains=frozenset(domains),
        rep_emails=frozenset(ours),
    )


def query_for_step(step: Step, document: Document, rep_emails: Iterable[str] = ()) -> MeetingQuery:
    return query_for(
        action=step.action,
        due=step.due,
        conversation_at=document.reference_time,
        tz=document.tz,
        people=[(str(p.role), p.email) for p in document.participants],
        rep_emails=rep_emails,
    )
