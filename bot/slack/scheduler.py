"""The nudge scheduler: reads the state, runs the pure planner, stores what it plans,
then claims due nudges and sends them. Safe with many processes on one PostgreSQL.

- Planning: each planned nudge is a row under a unique ``dedupe_key``; two schedulers
  planning the same nudge race on that key and one row wins.
- Sending: ``claim_due_nudges`` takes rows with ``FOR UPDATE SKIP LOCKED`` and commits
  the claim before Slack is called; the row is marked sent after Slack answered.
- A crash between claim and send: the claim expires (``reclaim_after``) and the nudge
  is claimed again, so it is never lost. Before sending a reclaimed nudge the
  scheduler looks for it in the DM (each post carries its keys in message metadata),
  so a post that reached Slack before the crash is recorded, not sent twice.
- Errors: a 429 is waited out by the client (Retry-After); any other failure is
  recorded on the row and retried with exponential back-off, then given up.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.application.doorbell import INPUT_ANALYSED
from bot.nudges import messages
from bot.nudges.model import (
    URGENT,
    ConversationFacts,
    NudgeReason,
    PlannedNudge,
    StepFacts,
)
from bot.nudges.notes import meeting_of
from bot.nudges.planner import pattern_note, plan
from bot.slack import blocks
from bot.slack.model import StepView
from bot.slack.outbox import DeliveryError, NudgeChannel
from bot.slack.rows import Reachable, conversation_view, reachable_reps, step_facts, step_view
from storage import slack as repo
from storage.calendar import recent_conversations
from storage.models import (
    Conversation,
    NextStep,
    Nudge,
    NudgeStatus,
    StepStatus,
)
from storage.nudges import claim_due_nudges, mark_nudge_failed, mark_nudge_sent

log = logging.getLogger("nextstep.scheduler")

Item = tuple[PlannedNudge, StepView | None]  # one nudge as a digest lists it

# Never grouped into a digest: answers to what the rep just did or just had.
SINGLE_ONLY = frozenset({NudgeReason.POST_MEETING, NudgeReason.NOTES_WANTED})

BACKOFF_START = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)


@dataclass(frozen=True)
class Rendered:
    message: dict
    items: tuple[Item, ...] = ()  # empty: cannot join a digest (the post-meeting DM)


@dataclass
class Report:
    planned: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    found_sent: int = 0  # reclaimed after a crash and found already in the DM
    errors: list[str] = field(default_factory=list)


class Scheduler:
    def __init__(
        self,
        engine: Engine,
        channel: NudgeChannel,
        *,
        default_tz: str = "UTC",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        batch: int = 50,
        max_attempts: int = 5,
        reclaim_after: timedelta = timedelta(minutes=10),
        team_id: str | None = None,
    ) -> None:
        self.engine = engine
        self.channel = channel
        self.default_tz = default_tz
        self.clock = clock
        self.batch = batch
        self.max_attempts = max_attempts
        self.reclaim_after = reclaim_after
        self.team_id = team_id  # one workspace: reps registered by email are looked up in it

    # --- planning --------------------------------------------------------------------

    def plan(self) -> int:
        """Store the nudges due now that no one planned before; how many were added."""
        now = self.clock()
        with Session(self.engine, expire_on_commit=False) as session:
            if self.team_id is not None:
                self.link_by_email(session, self.team_id, now)
            reps = reachable_reps(session, self.default_tz)
            if not reps:
                return 0
            steps, talks = self._state(session, list(reps), now)
            keys, per_day = self._planned(session, reps, [s.step_id for s in steps], now)
            planned = plan(
                steps,
                {i: r.facts for i, r in reps.items()},
                now,
                planned_keys=keys,
                planned_per_day=per_day,
                conversations=talks,
            )
            added = sum(self._store(session, nudge) for nudge in planned)
            session.commit()
            return added

    def link_by_email(self, session: Session, team_id: str, now: datetime) -> int:
        """Find reps registered by email in the workspace (users.lookupByEmail, once a
        day each) and take their Slack user id and, if unset, their time zone."""
        linked = 0
        workspace = repo.workspace_for(team_id, None, session=session)
        for rep, addresses in repo.reps_without_slack(session=session):
            key = f"lookup:{rep.id}:{now.date().isoformat()}"
            if not repo.first_time(team_id, key, now=now, session=session):
                continue
            for address in addresses:
                try:
                    member = self.channel.member_by_email(team_id, address)
                except DeliveryError as error:
                    log.warning("looking up %s in Slack failed: %s", address, error.message)
                    break
                if member is not None:
                    assert workspace.id is not None
                    if repo.rep_for_slack_user(workspace.id, member.user_id, session=session):
                        log.warning("%s is already a rep in Slack; not linked again", address)
                        break
                    rep.slack_user_id, rep.workspace_id = member.user_id, workspace.id
                    rep.tz = rep.tz or member.tz
                    rep.display_name = rep.display_name or member.name
                    session.add(rep)
                    linked += 1
                    break
        session.commit()
        return linked

    def _state(
        self, session: Session, rep_ids: list[int], now: datetime
    ) -> tuple[list[StepFacts], list[ConversationFacts]]:
        statement = (
            select(NextStep, Conversation)
            .join(Conversation, col(NextStep.conversation_id) == col(Conversation.id))
            .where(col(Conversation.rep_id).in_(rep_ids), NextStep.status == StepStatus.OPEN)
        )
        rows = list(session.exec(statement))
        links = repo.calendar_of([s.id for s, _ in rows if s.id], session=session)
        steps = [step_facts(s, c, links.get(s.id or 0)) for s, c in rows]
        recent = select(Conversation).where(
            col(Conversation.rep_id).in_(rep_ids),
            Conversation.analysed_at >= now - timedelta(days=1),
        )
        talks = [
            ConversationFacts(c.id or 0, c.rep_id or 0, c.source, c.analysed_at)
            for c in session.exec(recent)
        ]
        return steps, talks

    def _planned(
        self, session: Session, reps: dict[int, Reachable], step_ids: list[int], now: datetime
    ) -> tuple[set[str], dict[tuple[int, date], int]]:
        """The keys already planned that this pass could plan again (those of open steps
        and of the last week), and the single nudges per rep and local day."""
        statement = select(Nudge).where(
            col(Nudge.rep_id).in_(list(reps)),
            or_(
                col(Nudge.step_id).in_(step_ids), col(Nudge.planned_for) >= now - timedelta(days=8)
            ),
        )
        rows = session.exec(statement).all()
        keys = {row.dedupe_key for row in rows}
        per_day: dict[tuple[int, date], int] = defaultdict(int)
        for row in rows:
            prefs = reps[row.rep_id].facts.preferences
            single = not prefs.digest or row.reason in URGENT
            counted = row.status != NudgeStatus.CANCELLED and row.reason != NudgeReason.POST_MEETING
            if single and counted:
                day = row.planned_for.astimezone(ZoneInfo(prefs.tz)).date()
                per_day[(row.rep_id, day)] += 1
        return keys, per_day

    def _store(self, session: Session, nudge: PlannedNudge) -> int:
        row = Nudge(
            reason=nudge.reason,
            dedupe_key=nudge.dedupe_key,
            planned_for=nudge.planned_for,
            rep_id=nudge.rep_id,
            step_id=nudge.step_id,
            status=NudgeStatus.CANCELLED if nudge.covered else NudgeStatus.PLANNED,
            error="said in the post-meeting DM" if nudge.covered else None,
        )
        try:
            with session.begin_nested():
                session.add(row)
            return 1
        except IntegrityError:  # another scheduler planned it a moment ago
            return 0

    # --- sending ---------------------------------------------------------------------

    def send_due(self) -> Report:
        """Claim the due nudges and send them, a digest per rep where they want one."""
        report = Report()
        now = self.clock()
        with Session(self.engine, expire_on_commit=False) as session:
            claimed = claim_due_nudges(
                now, self.batch, session=session, reclaim_after=self.reclaim_after
            )
            if not claimed:
                return report
            reps = reachable_reps(session, self.default_tz)
            for group in self._groups(claimed, reps):
                self._send(session, group, reps, now, report)
                session.commit()
        return report

    def _groups(self, claimed: list[Nudge], reps: dict[int, Reachable]) -> list[list[Nudge]]:
        digests: dict[int, list[Nudge]] = defaultdict(list)
        singles: list[list[Nudge]] = []
        for nudge in claimed:
            who = reps.get(nudge.rep_id)
            reason = NudgeReason(nudge.reason)
            digest = who is not None and who.facts.preferences.digest
            if digest and reason not in URGENT and reason not in SINGLE_ONLY:
                digests[nudge.rep_id].append(nudge)
            else:
                singles.append([nudge])
        return singles + list(digests.values())

    def _send(
        self,
        session: Session,
        group: list[Nudge],
        reps: dict[int, Reachable],
        now: datetime,
        report: Report,
    ) -> None:
        who = reps.get(group[0].rep_id)
        if who is None:
            for nudge in group:
                self._cancel(session, nudge, "the rep is no longer reachable in Slack", report)
            return
        rendered = [(n, self._render(session, n, who, now)) for n in group]
        for nudge, shown in rendered:
            if shown is None:
                self._cancel(session, nudge, "no longer applies", report)
        live = [(n, r) for n, r in rendered if r is not None]
        if not live:
            return
        keys = [n.dedupe_key for n, _ in live]
        try:
            delivered = None
            if any(n.attempts > 1 for n, _ in live):  # claimed before: did it reach Slack?
                since = min(n.claimed_at or now for n, _ in live) - self.reclaim_after * 2
                delivered = self.channel.find_delivered(
                    who.team_id, who.rep.slack_user_id or "", keys[0], since
                )
                report.found_sent += delivered is not None
            if delivered is None:
                self._welcome_once(session, who, now)
                message = live[0][1].message if len(live) == 1 else self._digest(live)
                delivered = self.channel.deliver(
                    who.team_id, who.rep.slack_user_id or "", message, keys
                )
        except Exception as error:  # recorded and retried, never lost
            reason = error.message if isinstance(error, DeliveryError) else repr(error)
            if not isinstance(error, DeliveryError):
                log.exception("sending nudges %s failed", keys)
            for nudge, _ in live:
                retry_at = self._retry_at(nudge, now)
                mark_nudge_failed(nudge, error=reason, retry_at=retry_at, session=session)
                report.failed += 1
            report.errors.append(reason)
            return
        for nudge, _ in live:
            mark_nudge_sent(
                nudge, channel=delivered.channel, ts=delivered.ts, now=now, session=session
            )
            report.sent += 1

    def _welcome_once(self, session: Session, who: Reachable, now: datetime) -> None:
        """A rep's first message from the bot is preceded by the welcome, once."""
        user = who.rep.slack_user_id or ""
        key = f"welcome:{user}"
        if repo.first_time(who.team_id, key, now=now, session=session):
            self.channel.deliver(who.team_id, user, blocks.welcome_message(), [key])

    def _retry_at(self, nudge: Nudge, now: datetime) -> datetime | None:
        if nudge.attempts >= self.max_attempts:
            return None
        return now + min(BACKOFF_START * 2 ** (nudge.attempts - 1), BACKOFF_MAX)

    def _cancel(self, session: Session, nudge: Nudge, why: str, report: Report) -> None:
        nudge.status = NudgeStatus.CANCELLED
        nudge.error = why
        session.add(nudge)
        report.cancelled += 1

    def _digest(self, live: list[tuple[Nudge, Rendered]]) -> dict:
        return blocks.digest_message([item for _, r in live for item in r.items])

    def _render(
        self, session: Session, nudge: Nudge, who: Reachable, now: datetime
    ) -> Rendered | None:
        """The message for one nudge, or None when it no longer applies."""
        reason = NudgeReason(nudge.reason)
        tz = who.facts.preferences.tz
        if reason == NudgeReason.POST_MEETING:
            conversation_id = int(nudge.dedupe_key.split(":")[1])
            talk = session.get(Conversation, conversation_id)
            if talk is None:
                return None
            return Rendered(blocks.post_meeting_message(conversation_view(session, talk), tz))
        if reason == NudgeReason.NOTES_WANTED:
            return self._notes_wanted(session, nudge, tz)
        if reason == NudgeReason.PATTERN:
            note = pattern_note(who.facts, now)
            if note is None:
                return None
            planned = PlannedNudge(
                nudge.dedupe_key, who.rep.id or 0, None, reason, now, note[1], "", note[2]
            )
            return Rendered(blocks.nudge_message(planned, None), ((planned, None),))
        step = session.get(NextStep, nudge.step_id) if nudge.step_id else None
        talk = session.get(Conversation, step.conversation_id) if step else None
        if step is None or talk is None or step.status != StepStatus.OPEN:
            return None
        link = repo.calendar_of([step.id or 0], session=session).get(step.id or 0)
        facts = step_facts(step, talk, link)
        planned = PlannedNudge(
            nudge.dedupe_key,
            who.rep.id or 0,
            step.id,
            reason,
            now,
            messages.why(reason, facts, tz),
            messages.quote(facts.evidence),
            messages.fix(reason, facts, tz),
        )
        shown = step_view(step, link)
        return Rendered(blocks.nudge_message(planned, shown), ((planned, shown),))

    def _notes_wanted(self, session: Session, nudge: Nudge, tz: str) -> Rendered | None:
        """The ask for a meeting's notes, unless notes arrived since it was planned."""
        if not nudge.detail:
            return None
        meeting = meeting_of(nudge.detail)
        since = meeting.start - timedelta(minutes=30)
        arrived = recent_conversations(nudge.rep_id, since=since, session=session)
        if any(set(meeting.outsiders) & people for _, people in arrived):
            return None
        start = meeting.start.astimezone(ZoneInfo(tz))
        when = f"{start:%a %d %b} {start:%H:%M}"
        return Rendered(blocks.notes_wanted_message(meeting.title, when))

    # --- the loop --------------------------------------------------------------------

    def run(self, stop: threading.Event, interval: float = 2.0) -> None:
        """Plan and send every ``interval`` seconds until ``stop`` is set."""
        while not stop.is_set():
            try:
                self.plan()
                report = self.send_due()
                if report.sent or report.failed:
                    log.info("nudges: %s", report)
            except Exception:
                log.exception("the scheduler's pass failed; trying again")
            INPUT_ANALYSED.wait(stop, interval)  # a new analysis: plan its DM at once
