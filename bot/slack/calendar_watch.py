"""The calendar on a schedule, inside ``nextstep serve``: every pass rechecks the open
meeting steps against the reps' calendars (stored invitations and replies, Google
Calendar where connected), which stores each status change for the nudge planner, and
asks each rep in Slack for the notes of a meeting with outsiders that ended without
any (``bot.nudges.notes``). The asks are stored as nudges under unique keys, so the
scheduler sends each once, even with several processes on one database.

A calendar that cannot be read asks nothing: the check records ``unknown`` with why;
the notes search goes on with the rep's calendars that could be read (an ask rests on
a meeting that was found, never on one that was not) and reports what it could not read.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.application import Application
from bot.application.app import CalendarsFor
from bot.calendar.followups import LOOKBACK, MeetingWithoutNotes
from bot.calendar.model import CalendarSource, Window
from bot.errors import NextStepError
from bot.nudges.model import NudgeReason
from bot.nudges.notes import EndedMeeting, meeting_detail, notes_wanted
from bot.slack.rows import Reachable, reachable_reps
from storage.models import Nudge, NudgeStatus

log = logging.getLogger("nextstep.calendar")


@dataclass
class WatchReport:
    checked: int = 0  # open meeting steps rechecked
    changed: int = 0  # of which the status changed
    asked: int = 0  # notes asks stored for the scheduler to send
    unreadable: list[str] = field(default_factory=list)  # why a rep's calendar was skipped


def ended_meeting(found: MeetingWithoutNotes) -> EndedMeeting:
    event = found.event
    return EndedMeeting(
        uid=event.uid,
        title=event.title.strip() or "Your meeting",
        start=_aware(event.start),
        end=_aware(event.end if event.end is not None else event.start),
        outsiders=found.outsiders,
    )


def _aware(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


class CalendarWatch:
    def __init__(
        self,
        application: Application,
        calendars_for: CalendarsFor | None = None,
        *,
        default_tz: str = "UTC",
        ask_for_notes: bool = True,
    ) -> None:
        self.application = application
        self.calendars_for = calendars_for
        self.default_tz = default_tz
        self.ask_for_notes = ask_for_notes

    def run_once(self) -> WatchReport:
        report = WatchReport()
        run = self.application.check_calendars(self.calendars_for)
        report.checked, report.changed = run.checked, len(run.changed)
        for change in run.changed:
            log.info("calendar: step %s is now %s", change.step_id, change.status)
        if self.ask_for_notes:
            self._ask_for_notes(report)
        return report

    def _ask_for_notes(self, report: WatchReport) -> None:
        now = self.application.clock()
        with Session(self.application.engine) as session:
            reps = reachable_reps(session, self.default_tz)
        for rep_id, who in reps.items():
            source = self._source(who)
            try:
                # read once here for what could not be read (the source keeps the listing)
                listing = source.events(Window(now - LOOKBACK - timedelta(days=1), now))
                report.unreadable += listing.problems
                found = self.application.meetings_without_notes(str(rep_id), source)
            except (NextStepError, OSError) as error:
                why = error.message if isinstance(error, NextStepError) else str(error)
                log.warning("calendar of rep %s not read for notes: %s", rep_id, why)
                report.unreadable.append(why)
                continue
            meetings = [ended_meeting(m) for m in found]
            report.asked += self._store(rep_id, who, meetings, now)

    def _source(self, who: Reachable) -> CalendarSource:
        from bot.application.calendar import CombinedSource, stored_ics_source
        from storage.calendar import rep_addresses

        rep_id = who.rep.id or 0
        with Session(self.application.engine) as session:
            stored = stored_ics_source(rep_id, session=session, tz=self.default_tz)
            addresses = tuple(sorted(rep_addresses(rep_id, session=session)))
        extra = list(self.calendars_for(rep_id, addresses)) if self.calendars_for else []
        return CombinedSource([stored, *extra])

    def _store(
        self, rep_id: int, who: Reachable, meetings: list[EndedMeeting], now: datetime
    ) -> int:
        if not meetings:
            return 0
        with Session(self.application.engine) as session:
            keys = set(
                session.exec(
                    select(Nudge.dedupe_key).where(
                        Nudge.rep_id == rep_id, Nudge.reason == NudgeReason.NOTES_WANTED
                    )
                )
            )
            details = {m.uid: m for m in meetings}
            stored = 0
            for ask in notes_wanted(
                meetings, rep_id, who.facts.preferences, now, planned_keys=keys
            ):
                meeting = details[ask.dedupe_key.split(":")[2]]
                row = Nudge(
                    reason=ask.reason,
                    dedupe_key=ask.dedupe_key,
                    planned_for=ask.planned_for,
                    rep_id=rep_id,
                    status=NudgeStatus.PLANNED,
                    detail=meeting_detail(meeting),
                )
                try:
                    with session.begin_nested():
                        session.add(row)
                    stored += 1
                except IntegrityError:  # another process asked a moment ago
                    continue
            session.commit()
        return stored

    def run(self, stop: threading.Event, every: float) -> None:
        """A pass every ``every`` seconds until ``stop`` is set; a failed pass is logged
        and the next one runs as planned."""
        while not stop.is_set():
            try:
                report = self.run_once()
                if report.changed or report.asked:
                    log.info(
                        "calendar pass: %d checked, %d changed, %d notes asks",
                        report.checked,
                        report.changed,
                        report.asked,
                    )
            except Exception:
                log.exception("the calendar pass failed; trying again")
            stop.wait(every)


__all__ = ["CalendarWatch", "WatchReport", "ended_meeting"]
