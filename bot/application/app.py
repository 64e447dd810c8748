"""``Application``: the use cases every front end calls, over one database.

Built once per process from ``Settings`` (``Application.from_settings``), or from an
engine, settings and a clock for tests. Each method opens its own session and returns
plain records (``bot.application.records``) or ``IngestResult``; nothing bound to a
session leaves. The CLI, the SMTP listener, the Gmail poller, the Slack app and the
scheduler only parse, call and render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.application.doorbell import INPUT_ANALYSED, INPUT_STORED
from bot.application.history import VerdictChangeRecord
from bot.application.ingest import IngestResult, Stored, ingest_raw, reprocess, store_raw
from bot.application.records import (
    CalendarRecord,
    ConversationDetail,
    ConversationSummary,
    InputRecord,
    RepRecord,
    StepRecord,
)
from bot.calendar.followups import MeetingWithoutNotes
from bot.calendar.model import CalendarSource
from bot.config import Settings
from bot.engine.model import Outcome
from bot.errors import NextStepError, UsageError
from bot.vocabulary import (
    CalendarStatus,
    InputSource,
    InputStatus,
    StepFilter,
    StepStatus,
    VerdictCause,
)
from bot.zones import check_zone_name, machine_zone, zone_in_force
from storage.calendar import CalendarChange
from storage.models import CalendarLinkRead, CalendarStatusChangeRead, VerdictChangeRead

Clock = Callable[[], datetime]
# A rep's calendars besides the stored calendar inputs, by rep id and addresses.
CalendarsFor = Callable[[int | None, tuple[str, ...]], Sequence[CalendarSource]]


@dataclass(frozen=True)
class CalendarRun:
    """What ``check_calendars`` did."""

    inputs_read: int
    inputs_failed: tuple[tuple[int, str], ...]  # input id, why
    checked: int
    changes: tuple[CalendarChange, ...]

    @property
    def changed(self) -> list[CalendarChange]:
        return [c for c in self.changes if c.changed]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Application:
    """The database, the clock and the zone policy, and the use cases over them.

    TODO(nudge planner): ``plan_nudges`` belongs here once the pure planner exists
    (open steps + reps + ``self.clock()`` in, nudges out); it will read ``list_steps``
    and store what the planner returns with ``storage.nudges``.
    """

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        machine: Callable[[], str] = machine_zone,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock
        self._machine = machine

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock = utc_now) -> Application:
        """The configured database, migrated to this version's schema first."""
        from storage.db import make_engine, upgrade

        connect, statement = settings.db_connect_timeout, settings.db_statement_timeout
        url = settings.sqlalchemy_url
        upgrade(url, connect_timeout=connect, statement_timeout=statement)
        engine = make_engine(url, connect_timeout=connect, statement_timeout=statement)
        return cls(engine, settings, clock=clock)

    def with_default_zone(self, tz: str) -> Application:
        """The same database and clock with ``tz`` as the zone for reps who have none
        (``nextstep ingest --tz``)."""
        settings = self.settings.model_copy(update={"default_tz": check_zone_name(tz)})
        return Application(self.engine, settings, clock=self.clock, machine=self._machine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Application:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back if it raises."""
        from storage.db import session_scope

        with session_scope(self.engine) as session:
            yield session

    # --- the zone policy ------------------------------------------------------------

    def zone_for(
        self,
        explicit: str | None = None,
        *,
        rep_email: str | None = None,
        slack_zone: str | None = None,
    ) -> str:
        """The zone in force for a rep (``bot.zones.zone_in_force``): ``explicit`` >
        the rep's stored zone > ``slack_zone`` > NEXTSTEP_DEFAULT_TZ > this machine's."""
        rep_zone = None
        if rep_email and explicit is None:
            from storage.repo import find_rep_by_email

            with self.session() as session:
                rep = find_rep_by_email(rep_email, session=session)
                rep_zone = rep.tz if rep is not None else None
        return zone_in_force(
            explicit, rep_zone, slack_zone, default=self.settings.default_tz, machine=self._machine
        )

    # --- intake -----------------------------------------------------------------------

    def ingest(
        self,
        raw: bytes,
        *,
        source: InputSource,
        source_id: str | None = None,
        filename: str | None = None,
        rep_email: str | None = None,
        at: datetime | None = None,
    ) -> IngestResult:
        """Store ``raw`` first, then parse, analyse and store the conversation (see
        ``bot.application.ingest``). Bad input is kept and comes back ``failed``."""
        with self.session() as session:
            result = ingest_raw(
                raw,
                source=source,
                source_id=source_id,
                filename=filename,
                rep_email=rep_email,
                at=at,
                session=session,
                settings=self.settings,
                now=self.clock(),
            )
        INPUT_ANALYSED.ring()  # the scheduler in this process plans its DM at once
        return result

    def store(
        self,
        raw: bytes,
        *,
        source: InputSource,
        source_id: str | None = None,
        rep_email: str | None = None,
    ) -> Stored:
        """Store ``raw`` durably for the workers and return at once (the SMTP listener,
        the Gmail poller). Raises StorageError when nothing was kept."""
        with self.session() as session:
            stored, _ = store_raw(
                raw,
                source=source,
                source_id=source_id,
                rep_email=rep_email,
                session=session,
                now=self.clock(),
            )
        INPUT_STORED.ring()  # committed: a worker in this process takes it at once
        return stored

    def input_statuses(self, ids: list[int]) -> dict[int, InputStatus]:
        """Where each of these stored inputs stands (missing ids are left out)."""
        from storage.read import input_statuses

        with self.session() as session:
            return input_statuses(ids, session=session)

    def stuck_inputs(self) -> list[int]:
        """Stored inputs no live worker holds that are not analysed yet."""
        from storage.queue import waiting_ids

        with self.session() as session:
            return waiting_ids(now=utc_now(), session=session, stuck_only=True)

    def reprocess_targets(self, ids: list[int], *, failed: bool = False) -> list[int]:
        """The inputs to reprocess: ``ids`` then, with ``failed``, every failed one.
        A UsageError names unknown ids and calendar parts, before anything runs."""
        from storage.read import input_sources
        from storage.repo import failed_inbound_ids

        with self.session() as session:
            asked = failed_inbound_ids(session=session) if failed else []
            sources = input_sources(ids, session=session)
        unknown = [i for i in ids if i not in sources]
        if unknown:
            raise UsageError(
                f"No stored input has id {', '.join(map(str, unknown))}; "
                "`nextstep inputs list` shows them."
            )
        calendar = [f"#{i}" for i in ids if sources[i] == InputSource.CALENDAR]
        if calendar:
            raise UsageError(
                f"Input {', '.join(calendar)} is a calendar part, read by the calendar check."
            )
        return list(dict.fromkeys([*ids, *asked]))

    def reprocess(self, inbound_id: int) -> IngestResult:
        """Run a stored input through parsing and analysis again; its conversation is
        updated in place."""
        with self.session() as session:
            return reprocess(inbound_id, session=session, settings=self.settings, now=self.clock())

    def is_rep(self, address: str) -> bool:
        from storage.repo import find_rep_by_email

        with self.session() as session:
            return find_rep_by_email(address, session=session) is not None

    def sender_allowed(self, address: str) -> bool:
        """A registered rep's address, or one in NEXTSTEP_ALLOWED_SENDER_DOMAINS."""
        from storage.repo import sender_allowed

        with self.session() as session:
            return sender_allowed(address, session=session, settings=self.settings)

    def reply_thread(self, message_ids: list[str], sender: str) -> int | None:
        """The stored input a reply from ``sender`` (not a rep) answers: one of
        ``message_ids`` is a stored message, analysed yet or not, and the sender is
        among its thread's participants or their domain (``bot.application.replies``);
        its id, else None."""
        from bot.application.replies import reply_thread

        with self.session() as session:
            return reply_thread(
                message_ids, sender, own_addresses=[self.settings.bot_address], session=session
            )

    def stored_source_ids(self, source: InputSource, ids: list[str]) -> set[str]:
        """Which of ``ids`` (a mailbox's message ids) are stored as inputs from ``source``."""
        from storage.read import stored_source_ids

        with self.session() as session:
            return stored_source_ids(source, ids, session=session)

    def keep_failed(
        self, raw: bytes, *, source: InputSource, source_id: str | None, error: str
    ) -> int:
        """Keep an input that cannot be taken as a message at all (undecodable, too
        large) as failed, with ``error``; its stored id."""
        from bot.application.kept import keep_failed_input

        with self.session() as session:
            return keep_failed_input(
                raw, source=source, source_id=source_id, error=error, now=self.clock(),
                session=session,
            )  # fmt: skip

    def get_cursor(self, key: str) -> dict[str, Any] | None:
        """A poller's saved position (a Gmail historyId, a calendar syncToken)."""
        from storage.repo import get_sync_state

        with self.session() as session:
            return get_sync_state(key, session=session)

    def save_cursor(self, key: str, value: dict[str, Any]) -> None:
        from storage.repo import set_sync_state

        with self.session() as session:
            set_sync_state(key, value, now=self.clock(), session=session)

    # --- reps -------------------------------------------------------------------------

    def add_rep(
        self,
        email: str,
        *,
        name: str | None = None,
        slack_user_id: str | None = None,
        tz: str | None = None,
        quiet_hours: tuple[time, time] | None = None,
        digest: bool | None = None,
    ) -> tuple[RepRecord, bool]:
        """Register a rep, or update the one with this address (only what is given).
        Returns the rep and whether it was new."""
        from storage.models import RepRead
        from storage.repo import add_rep, find_rep_by_email, list_reps

        with self.session() as session:
            new = find_rep_by_email(email, session=session) is None
            rep = add_rep(
                email,
                name=name,
                slack_user_id=slack_user_id,
                tz=tz,
                quiet_hours=quiet_hours,
                digest=digest,
                session=session,
            )
            emails = next(a for r, a in list_reps(session=session) if r.id == rep.id)
            return RepRecord.of(RepRead.model_validate(rep), emails), new

    def list_reps(self) -> list[RepRecord]:
        from storage.models import RepRead
        from storage.repo import list_reps

        with self.session() as session:
            return [
                RepRecord.of(RepRead.model_validate(rep), emails)
                for rep, emails in list_reps(session=session)
            ]

    def _rep_id(self, rep: str | None, *, session: Session) -> int | None:
        """A rep named by address or by id, or a UsageError that says how to find one."""
        if rep is None:
            return None
        from storage.models import Rep
        from storage.repo import find_rep_by_email

        found = session.get(Rep, int(rep)) if rep.strip().isdigit() else None
        found = found or find_rep_by_email(rep, session=session)
        if found is None or found.id is None:
            raise UsageError(
                f"No rep has the address or id {rep!r}; `nextstep reps list` shows them."
            )
        return found.id

    # --- the read side ----------------------------------------------------------------

    def list_conversations(
        self,
        *,
        rep: str | None = None,
        since: datetime | None = None,
        unsecured: bool = False,
        limit: int | None = None,
        outcome: Outcome | None = None,
    ) -> list[ConversationSummary]:
        """Stored conversations, newest first; ``rep`` an address or a rep id."""
        from storage.read import list_conversations

        with self.session() as session:
            rows = list_conversations(
                session=session,
                rep_id=self._rep_id(rep, session=session),
                since=since,
                unsecured=unsecured,
                limit=limit,
                outcome=outcome,
            )
        return [ConversationSummary.of(*row) for row in rows]

    def show_conversation(self, conversation_id: int) -> ConversationDetail:
        """One conversation with its stored analysis and its steps as they stand."""
        from storage.read import get_conversation

        with self.session() as session:
            found = get_conversation(conversation_id, session=session)
        if found is None:
            raise NextStepError(
                f"No conversation has id {conversation_id}; "
                "`nextstep conversations list` shows them."
            )
        row, analysis, steps = found
        conversation = analysis.get("conversation")
        read: dict[str, Any] = conversation if isinstance(conversation, dict) else {}
        summary = ConversationSummary.of(
            row,
            len(steps),
            sum(1 for s in steps if s.status == StepStatus.OPEN),
            read.get("rep"),
            bool(read.get("rep_guessed")),
        )
        now = self.clock()
        records = tuple(StepRecord.of(step, row, now) for step in steps)
        history = tuple(
            VerdictChangeRecord.of(change, row.tz)
            for change in self.verdict_history(conversation_id)
        )
        return ConversationDetail(summary, analysis, records, row.inbound_message_id, history)

    def list_steps(
        self, *, status: StepFilter = StepFilter.OPEN, rep: str | None = None
    ) -> list[StepRecord]:
        """Steps in one view (``StepFilter``), soonest due first."""
        from storage.read import list_steps

        statuses = [StepStatus.DONE] if status == StepFilter.DONE else [StepStatus.OPEN]
        now = self.clock()
        with self.session() as session:
            rows = list_steps(
                session=session, statuses=statuses, rep_id=self._rep_id(rep, session=session)
            )
        steps = [StepRecord.of(step, conversation, now) for step, conversation in rows]
        return [step for step in steps if _in_view(step, status)]

    def list_inputs(
        self, *, status: InputStatus | None = None, limit: int | None = None
    ) -> list[InputRecord]:
        """Stored inputs, newest first, without their bytes."""
        from storage.read import list_inputs

        with self.session() as session:
            return [
                InputRecord.of(row)
                for row in list_inputs(session=session, status=status, limit=limit)
            ]

    # --- what people do with steps ----------------------------------------------------

    def set_step_status(self, step_id: int, status: StepStatus, *, by: str) -> StepRecord:
        """Mark a step done, dropped or open again; re-analysis keeps it. ``by`` is a
        Slack user id or "cli"."""
        from storage.repo import set_step_status

        with self.session() as session:
            set_step_status(step_id, status, by=by, now=self.clock(), session=session)
            self._recompute(step_id, by=by, how=f"step marked {status} by {by}", session=session)
            return self._step(step_id, session=session)

    def mark_done(self, step_id: int, *, by: str) -> StepRecord:
        return self.set_step_status(step_id, StepStatus.DONE, by=by)

    def drop(self, step_id: int, *, by: str) -> StepRecord:
        return self.set_step_status(step_id, StepStatus.DROPPED, by=by)

    def acknowledge(self, step_id: int, *, by: str, note: str | None = None) -> StepRecord:
        """The other side agreed outside the text (a person says so in Slack)."""
        from storage.steps import acknowledge_step

        evidence: dict[str, Any] = {"by": by, "quote": note or "", "at": self.clock().isoformat()}
        with self.session() as session:
            acknowledge_step(
                step_id, source="manual", evidence=evidence, now=self.clock(), session=session
            )
            self._recompute(
                step_id, by=by, how=f"marked agreed by {by}", evidence=note, session=session
            )
            return self._step(step_id, session=session)

    def set_step_due(self, step_id: int, due: datetime | date, *, by: str) -> StepRecord:
        """Give a step its time (a day, or an aware date-time)."""
        from storage.repo import set_step_due

        with self.session() as session:
            set_step_due(step_id, due, by=by, now=self.clock(), session=session)
            self._recompute(step_id, by=by, how=f"time set by {by}", session=session)
            return self._step(step_id, session=session)

    def record_calendar_status(
        self,
        step_id: int,
        status: CalendarStatus,
        *,
        provider: str,
        event_id: str | None = None,
        ical_uid: str | None = None,
        starts_at: datetime | None = None,
        sequence: int | None = None,
    ) -> CalendarRecord:
        """What the calendar shows for a step, one link per event; an accepted invite
        acknowledges the step (``ack_source`` "calendar")."""
        from storage.repo import record_calendar_link
        from storage.steps import acknowledge_step

        now = self.clock()
        with self.session() as session:
            link = record_calendar_link(
                step_id,
                status,
                provider=provider,
                event_id=event_id,
                ical_uid=ical_uid,
                starts_at=starts_at,
                sequence=sequence,
                now=now,
                session=session,
            )
            step = self._step(step_id, session=session)
            if status == CalendarStatus.ACCEPTED and not step.acknowledged:
                evidence = {"provider": provider, "event_id": event_id, "ical_uid": ical_uid}
                acknowledge_step(
                    step_id, source="calendar", evidence=evidence, now=now, session=session
                )
            from storage.history import Because, recompute_for_step

            because = Because(VerdictCause.CALENDAR, f"invite {status} ({provider})", None, step_id)
            recompute_for_step(step_id, because, at=now, how=f"calendar: {status}", session=session)
            assert link.id is not None
            return CalendarRecord(
                link.id,
                step_id,
                provider,
                CalendarStatus(link.status),
                link.event_id,
                link.ical_uid,
                link.starts_at,
                step.acknowledged or status == CalendarStatus.ACCEPTED,
            )

    # --- the calendar -----------------------------------------------------------------

    def check_calendars(
        self, calendars_for: CalendarsFor | None = None, *, rep: str | None = None
    ) -> CalendarRun:
        """Read the calendar inputs not yet read (mail parts, .ics files), then recheck
        every open meeting step (of ``rep``, an address or id) against its rep's stored
        calendar inputs and the calendars ``calendars_for(rep_id, addresses)`` gives
        (Google Calendar, feeds: built by the front end). Statuses, their history and
        what they mean for each step are stored; the changes come back."""
        from bot.application.calendar import (
            CombinedSource,
            check_stored_steps,
            read_calendar_inputs,
            stored_ics_source,
        )
        from storage.calendar import rep_addresses

        zone = self.settings.default_tz or "UTC"
        with self.session() as session:
            rep_id = self._rep_id(rep, session=session)
            intake = read_calendar_inputs(session=session, tz=zone)

            def source_for(owner: int | None) -> CalendarSource:
                addresses = tuple(sorted(rep_addresses(owner, session=session))) if owner else ()
                extra = list(calendars_for(owner, addresses)) if calendars_for else []
                return CombinedSource([stored_ics_source(owner, session=session, tz=zone), *extra])

            report = check_stored_steps(
                source_for, session=session, now=self.clock(), rep_id=rep_id
            )
        return CalendarRun(intake.read, tuple(intake.failed), report.checked, tuple(report.changes))

    def calendar_statuses(self, step_ids: list[int]) -> dict[int, CalendarLinkRead]:
        """Each step's current calendar status (for the nudge planner and Slack)."""
        from storage.calendar import calendar_statuses

        with self.session() as session:
            return calendar_statuses(step_ids, session=session)

    def calendar_history(self, step_id: int) -> list[CalendarStatusChangeRead]:
        """Every calendar status a step had, oldest first (when it became accepted)."""
        from storage.calendar import calendar_history

        with self.session() as session:
            return [
                CalendarStatusChangeRead.model_validate(change)
                for change in calendar_history(step_id, session=session)
            ]

    def meetings_without_notes(self, rep: str, source: CalendarSource) -> list[MeetingWithoutNotes]:
        """The rep's meetings that ended with outsiders and have no stored conversation
        (the Slack app asks for the notes). ``source`` is the rep's calendar."""
        from bot.application.calendar import meetings_without_notes_for

        with self.session() as session:
            rep_id = self._rep_id(rep, session=session)
            assert rep_id is not None
            return meetings_without_notes_for(rep_id, source, session=session, now=self.clock())

    # --- the verdict's history ------------------------------------------------------

    def verdict_history(self, conversation_id: int) -> list[VerdictChangeRead]:
        """Every verdict the conversation had, oldest first, with why and who."""
        from storage.history import verdict_history

        with self.session() as session:
            return [
                VerdictChangeRead.model_validate(change)
                for change in verdict_history(conversation_id, session=session)
            ]

    def changes_since(self, when: datetime) -> list[VerdictChangeRead]:
        """Every verdict change at or after ``when``, oldest first (for the nudges)."""
        from storage.history import changes_since

        with self.session() as session:
            return [
                VerdictChangeRead.model_validate(change)
                for change in changes_since(when, session=session)
            ]

    def _recompute(
        self, step_id: int, *, by: str, how: str, session: Session, evidence: str | None = None
    ) -> None:
        """The step's conversation's verdict again, after a rep changed the step."""
        from storage.history import Because, cause_of, recompute_for_step

        because = Because(cause_of(by), evidence or None, by, step_id)
        recompute_for_step(step_id, because, at=self.clock(), how=how, session=session)

    def _step(self, step_id: int, *, session: Session) -> StepRecord:
        from storage.models import Conversation, ConversationRead, NextStep, NextStepRead

        step = session.get(NextStep, step_id)
        if step is None:
            raise NextStepError(f"No next step has id {step_id}; `nextstep steps list` shows them.")
        conversation = session.get(Conversation, step.conversation_id)
        assert conversation is not None
        return StepRecord.of(
            NextStepRead.model_validate(step),
            ConversationRead.model_validate(conversation),
            self.clock(),
        )


def _in_view(step: StepRecord, view: StepFilter) -> bool:
    if view in (StepFilter.OPEN, StepFilter.DONE):
        return True
    if view == StepFilter.OVERDUE:
        return step.overdue
    if view == StepFilter.VAGUE:
        return step.vague
    if view == StepFilter.UNACKNOWLEDGED:
        return not step.acknowledged
    return step.awaiting
