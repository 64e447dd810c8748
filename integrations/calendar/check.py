"""The calendar check, the imperative shell around the pure matcher: ask a source,
turn a failure into ``unknown`` with the reason (and a log line), store or show the
answer. Front ends call these; none of them holds a rule of its own."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from bot.calendar.effects import apply_to_analysis, is_meeting
from bot.calendar.followups import (
    LOOKBACK,
    MeetingWithoutNotes,
    StoredConversation,
    meetings_without_notes,
)
from bot.calendar.matcher import check_listing, unknown, window_for
from bot.calendar.model import (
    CalendarCheck,
    CalendarEvent,
    CalendarSource,
    Listing,
    MeetingQuery,
    Window,
)
from bot.calendar.queries import query_for_step
from bot.engine.model import Analysis
from bot.errors import CalendarError, UsageError
from integrations.calendar.feed import IcsFeedSource
from integrations.calendar.ics import IcsInput, IcsSource
from storage.calendar import (
    CalendarChange,
    open_meetings,
    query_for_stored,
    recent_conversations,
    record_meeting_check,
    rep_addresses,
)

log = logging.getLogger(__name__)


def check_step(source: CalendarSource, query: MeetingQuery, *, now: datetime) -> CalendarCheck:
    """One step's status from one source; a source that fails gives ``unknown``."""
    try:
        listing = source.events(window_for(query))
    except CalendarError as error:
        log.warning("calendar %s could not be read: %s", source.name, error.message)
        return unknown(error.detail or error.message, now=now)
    return check_listing(query, listing, now=now)


class CombinedSource:
    """Several sources read as one (several .ics files, a feed and mail replies)."""

    def __init__(self, sources: Sequence[CalendarSource], *, name: str = "ics") -> None:
        self.sources = list(sources)
        self.name = name
        self._listing: Listing | None = None

    def events(self, window: Window) -> Listing:
        """Every source's events (each source is read once per run: a listing and its
        index are kept)."""
        if self._listing is None:
            self._listing = self._read(window)
        return self._listing

    def _read(self, window: Window) -> Listing:
        events: list[CalendarEvent] = []
        problems: list[str] = []
        for source in self.sources:
            try:
                listing = source.events(window)
            except CalendarError as error:
                problems.append(error.detail or error.message)
                continue
            events += listing.events
            problems += listing.problems
        return Listing(tuple(events), tuple(problems))


def ics_source(locations: Sequence[str], *, tz: str, cache_dir: Path) -> CalendarSource:
    """Files and feed URLs as one source; the files are folded as iTIP messages in the
    order given (an invitation, then its replies). A missing file is an error now."""
    files: list[IcsInput] = []
    feeds: list[CalendarSource] = []
    for location in locations:
        if location.startswith(("http://", "https://", "webcal://")):
            feeds.append(IcsFeedSource(location, cache_dir=cache_dir, tz=tz))
            continue
        path = Path(location)
        if not path.is_file():
            raise UsageError(f"no such calendar file: {location}")
        files.append(IcsInput(path.name, path.read_bytes()))
    sources: list[CalendarSource] = [IcsSource(files, tz=tz)] if files else []
    return sources[0] if len(sources) == 1 and not feeds else CombinedSource(sources + feeds)


def check_analysis(
    analysis: Analysis,
    source: CalendarSource,
    *,
    now: datetime,
    rep_emails: Sequence[str] = (),
) -> tuple[Analysis, dict[int, CalendarCheck]]:
    """Every meeting step of ``analysis`` checked; the analysis as the statuses leave it."""
    checks = {
        i: check_step(source, query_for_step(step, analysis.document, rep_emails), now=now)
        for i, step in enumerate(analysis.steps)
        if is_meeting(step.kind)
    }
    return apply_to_analysis(analysis, checks), checks


@dataclass
class CheckReport:
    checked: int = 0
    changes: list[CalendarChange] = field(default_factory=list)

    @property
    def changed(self) -> list[CalendarChange]:
        return [c for c in self.changes if c.changed]


def check_stored_steps(
    source_for_rep: Callable[[int | None], CalendarSource],
    *,
    session: Session,
    now: datetime,
    rep_id: int | None = None,
    provider: str = "ics",
) -> CheckReport:
    """Recheck every open meeting step (of one rep if given) and store the statuses
    (flushed, not committed); ``source_for_rep`` gives a conversation's rep's calendar,
    asked once per rep."""
    report = CheckReport()
    sources: dict[int | None, CalendarSource] = {}
    with session.no_autoflush:
        for meeting in open_meetings(session=session, rep_id=rep_id):
            query = query_for_stored(
                meeting.step,
                session=session,
                conversation=meeting.conversation,
                rep_emails=meeting.rep_emails,
            )
            owner = meeting.conversation.rep_id
            if owner not in sources:
                sources[owner] = source_for_rep(owner)
            check = check_step(sources[owner], query, now=now)
            report.changes.append(
                record_meeting_check(meeting, check, provider=provider, session=session)
            )
            report.checked += 1
    session.flush()
    return report


def meetings_without_notes_for(
    rep_id: int, source: CalendarSource, *, session: Session, now: datetime
) -> list[MeetingWithoutNotes]:
    """The rep's meetings that ended with outsiders and have no stored conversation
    (for the Slack app to ask for the notes). A calendar that cannot be read raises."""
    since = now - LOOKBACK - timedelta(days=1)
    listing = source.events(Window(since, now))
    conversations = [
        StoredConversation(at, people)
        for at, people in recent_conversations(rep_id, since=since, session=session)
    ]
    return meetings_without_notes(
        listing.events,
        rep_emails=rep_addresses(rep_id, session=session),
        conversations=conversations,
        now=now,
    )
