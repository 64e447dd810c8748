"""``SlackService`` over the ``Application``.

Step changes (done, not a next step, acknowledged, a due) are the application's use
cases, called after checking that the step is the asking user's. What the application
does not offer yet is done here over storage: the Slack user to rep mapping per
workspace, pastes kept until Save, snooze, once-only keys, the pattern and team views.

A Slack user is matched to a rep per workspace: by Slack user id, else by the email
``users.info`` gives (``users:read.email``), which also gives their time zone; a user
never seen is added as a rep of the workspace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.application import Application
from bot.config import Settings
from bot.engine.model import Analysis
from bot.errors import InputError, NextStepError
from bot.nudges.messages import most_common_failure
from bot.slack.model import (
    AnalysisView,
    Delivery,
    PatternView,
    SlackPreferences,
    SlackUser,
    StepView,
    TeamRow,
    TeamView,
)
from bot.slack.rows import (
    analysis_view,
    conversation_view,
    outcome,
    pattern_view,
    preferences_of,
    step_view,
)
from bot.slack.service import SlackUseError
from bot.vocabulary import InputSource
from bot.zones import zone_in_force
from storage import slack as repo
from storage.conversations import Origin, save_analysis
from storage.models import (
    Conversation,
    InboundMessage,
    InboundStatus,
    NextStep,
    Rep,
)
from storage.repo import add_rep, find_inbound_duplicate, find_rep_by_email

PATTERN_CALLS = 5


@dataclass(frozen=True)
class SlackProfile:
    email: str | None
    tz: str | None
    name: str | None


class SlackDirectory(Protocol):
    def profile(self, user: SlackUser) -> SlackProfile | None: ...


class WebDirectory:
    """``users.info`` through the real ``WebClient`` (any error: no profile); ``client``
    is one client, or a function giving the client of a team (many workspaces)."""

    def __init__(self, client: Any) -> None:
        self.client_for: Callable[[str], Any] = client if callable(client) else lambda _: client

    def profile(self, user: SlackUser) -> SlackProfile | None:
        from slack_sdk.errors import SlackApiError

        try:
            found = self.client_for(user.team_id).users_info(user=user.user_id)["user"]
        except SlackApiError:
            return None
        profile = found.get("profile") or {}
        name = profile.get("real_name") or found.get("real_name") or found.get("name")
        return SlackProfile(email=profile.get("email"), tz=found.get("tz"), name=name)


class StorageSlackService:
    """The Slack use cases over one database."""

    def __init__(
        self,
        application: Application,
        *,
        directory: SlackDirectory | None = None,
        managers: frozenset[str] = frozenset(),
    ) -> None:
        self.application = application
        self.engine: Engine = application.engine
        self.settings: Settings = application.settings
        self.clock = application.clock
        self.directory = directory
        self.managers = managers

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            except SlackUseError:
                session.rollback()
                raise
            except NextStepError as error:
                session.rollback()
                raise SlackUseError(error.message) from error
            except BaseException:
                session.rollback()
                raise

    def now(self) -> datetime:
        return self.clock()

    # --- who -----------------------------------------------------------------------

    def rep(self, session: Session, user: SlackUser) -> Rep:
        """The user's rep in their workspace, matched or added (and committed)."""
        workspace = repo.workspace_for(user.team_id, user.enterprise_id, session=session)
        assert workspace.id is not None
        rep = repo.rep_for_slack_user(workspace.id, user.user_id, session=session)
        if rep is None:
            profile = self.directory.profile(user) if self.directory else None
            rep = self._add_rep(session, user, workspace.id, profile)
        session.commit()
        return rep

    def _add_rep(
        self, session: Session, user: SlackUser, workspace_id: int, profile: SlackProfile | None
    ) -> Rep:
        email = profile.email if profile else None
        tz = profile.tz if profile else None
        name = profile.name if profile else None
        if email:
            known = find_rep_by_email(email, session=session)
            if known is not None and known.workspace_id not in (None, workspace_id):
                email = None  # that address belongs to a rep of another workspace
        if email:
            rep = add_rep(
                email,
                session=session,
                name=name,
                slack_user_id=user.user_id,
                workspace_id=workspace_id,
            )
            if not rep.tz and tz:
                rep.tz = tz
            return rep
        rep = Rep(workspace_id=workspace_id, slack_user_id=user.user_id, tz=tz, display_name=name)
        session.add(rep)
        session.flush()
        return rep

    def first_delivery(self, event_id: str, *, team_id: str) -> bool:
        with self.session() as session:
            return repo.first_time(team_id, f"event:{event_id}", now=self.now(), session=session)

    def first_contact(self, user: SlackUser) -> bool:
        with self.session() as session:
            key = f"welcome:{user.user_id}"
            return repo.first_time(user.team_id, key, now=self.now(), session=session)

    def zone(self, user: SlackUser) -> str:
        with self.session() as session:
            return self._zone(self.rep(session, user))

    def _zone(self, rep: Rep) -> str:
        """The zone policy: the rep's zone (from Slack when it came from there), else
        NEXTSTEP_DEFAULT_TZ, else UTC (a server's own zone says nothing about a rep)."""
        return (
            zone_in_force(None, rep.tz, None, default=self.settings.default_tz, machine=None)
            or "UTC"
        )

    # --- analyses --------------------------------------------------------------------

    def analyze_text(self, user: SlackUser, text: str) -> AnalysisView:
        with self.session() as session:
            rep = self.rep(session, user)
            analysis = self._analyse(text, rep)
            token = repo.add_paste(
                user.team_id, user.user_id, text, now=self.now(), session=session
            )
            session.commit()
        return analysis_view(analysis, str(token))

    def _analyse(self, text: str, rep: Rep) -> Analysis:
        from bot.engine import analyze
        from bot.loaders import load_text

        try:
            document = load_text(
                text, at=self.now(), tz=self._zone(rep), rep=rep.display_name, source="slack"
            )
        except InputError as error:
            raise SlackUseError(error.message) from error
        return analyze(document)

    def save_analysis(self, user: SlackUser, token: str) -> AnalysisView:
        with self.session() as session:
            rep = self.rep(session, user)
            if not token.isdigit():
                raise SlackUseError("That analysis is no longer there; paste the notes again.")
            text = repo.take_paste(int(token), user.team_id, user.user_id, session=session)
            conversation = self._store(session, rep, text, token)
            session.commit()
            return conversation_view(session, conversation)

    def _store(self, session: Session, rep: Rep, text: str, token: str) -> Conversation:
        raw = text.encode("utf-8", "surrogateescape")
        scoped = f"slack:{rep.id}:".encode() + raw  # the same notes from two reps are two inputs
        content_hash = hashlib.sha256(scoped).hexdigest()
        known = find_inbound_duplicate(content_hash, None, session=session)
        if known is not None and known.conversation_id is not None:
            found = session.get(Conversation, known.conversation_id)
            if found is not None:
                return found
        now = self.now()
        inbound = InboundMessage(
            source=InputSource.SLACK,
            source_id=f"{rep.workspace_id}:{rep.slack_user_id}:{token}",
            content_hash=content_hash,
            raw=raw,
            received_at=now,
            occurred_at=now,
        )
        session.add(inbound)
        session.flush()
        analysis = self._analyse(text, rep)
        origin = Origin("slack", inbound.source_id, None, rep.id)
        conversation, _ = save_analysis(
            analysis, existing=None, inbound=inbound, origin=origin, session=session, now=now
        )
        inbound.status = InboundStatus.PROCESSED
        inbound.conversation_id = conversation.id
        session.add(inbound)
        session.flush()
        return conversation

    def conversation_view(self, conversation_id: int) -> AnalysisView:
        """A stored conversation as the post-meeting DM shows it."""
        with self.session() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise SlackUseError(f"No conversation has id {conversation_id}.")
            return conversation_view(session, conversation)

    # --- steps -----------------------------------------------------------------------

    def open_steps(self, user: SlackUser) -> list[StepView]:
        with self.session() as session:
            rep = self.rep(session, user)
            assert rep.id is not None
            rows = repo.steps_of_rep(rep.id, session=session)
            links = repo.calendar_of([s.id for s, _ in rows if s.id], session=session)
            return [step_view(s, links.get(s.id or 0), c.subject) for s, c in rows]

    def _step(self, session: Session, user: SlackUser, step_id: int) -> NextStep:
        rep = self.rep(session, user)
        assert rep.id is not None
        return repo.step_of_rep(step_id, rep.id, session=session)

    def _view(self, session: Session, step: NextStep) -> StepView:
        session.commit()
        links = repo.calendar_of([step.id or 0], session=session)
        return step_view(step, links.get(step.id or 0))

    def step(self, user: SlackUser, step_id: int) -> StepView:
        with self.session() as session:
            return self._view(session, self._step(session, user, step_id))

    def _apply(self, user: SlackUser, step_id: int, change: Callable[[], object]) -> StepView:
        """Check the step is the user's, make the application's change, show the step."""
        with self.session() as session:
            self._step(session, user, step_id)
        try:
            change()
        except NextStepError as error:
            raise SlackUseError(error.message) from error
        with self.session() as session:
            return self._view(session, self._step(session, user, step_id))

    def mark_done(self, user: SlackUser, step_id: int) -> StepView:
        return self._apply(
            user, step_id, lambda: self.application.mark_done(step_id, by=user.user_id)
        )

    def mark_dropped(self, user: SlackUser, step_id: int) -> StepView:
        return self._apply(user, step_id, lambda: self.application.drop(step_id, by=user.user_id))

    def mark_acknowledged(self, user: SlackUser, step_id: int) -> StepView:
        note = "Marked acknowledged in Slack"
        return self._apply(
            user,
            step_id,
            lambda: self.application.acknowledge(step_id, by=user.user_id, note=note),
        )

    def set_due(self, user: SlackUser, step_id: int, due: datetime) -> StepView:
        return self._apply(
            user, step_id, lambda: self.application.set_step_due(step_id, due, by=user.user_id)
        )

    def snooze(self, user: SlackUser, step_id: int) -> StepView:
        with self.session() as session:
            step = self._step(session, user, step_id)
            rep = self.rep(session, user)
            step.snoozed_until = self.now() + preferences_of(rep).snooze
            session.add(step)
            return self._view(session, step)

    # --- patterns and settings -------------------------------------------------------

    def pattern(self, user: SlackUser) -> PatternView:
        with self.session() as session:
            rep = self.rep(session, user)
            assert rep.id is not None
            recent = repo.recent_conversations(rep.id, PATTERN_CALLS, session=session)
            return pattern_view([outcome(c) for c in recent])

    def team(self, user: SlackUser) -> TeamView:
        if user.user_id not in self.managers:
            raise SlackUseError(
                "The team view is for managers (NEXTSTEP_SLACK_MANAGERS lists their Slack ids)."
            )
        with self.session() as session:
            rep = self.rep(session, user)
            assert rep.workspace_id is not None
            rows = []
            for member in repo.reps_of_workspace(rep.workspace_id, session=session):
                assert member.id is not None
                recent = repo.recent_conversations(member.id, 20, session=session)
                if not recent:
                    continue
                outcomes = [outcome(c) for c in recent]
                rows.append(
                    TeamRow(
                        rep=member.display_name or member.slack_user_id or f"rep {member.id}",
                        calls=len(outcomes),
                        secured=sum(1 for o in outcomes if o.secured),
                        most_common_failure=most_common_failure(outcomes),
                        clear_no=sum(1 for o in outcomes if o.clear_no),
                    )
                )
            return TeamView(rows=tuple(rows))

    def preferences(self, user: SlackUser) -> SlackPreferences:
        with self.session() as session:
            return preferences_of(self.rep(session, user))

    def set_preferences(self, user: SlackUser, preferences: SlackPreferences) -> SlackPreferences:
        with self.session() as session:
            rep = self.rep(session, user)
            repo.set_preferences(
                rep,
                {
                    "quiet_hours_start": preferences.quiet_start,
                    "quiet_hours_end": preferences.quiet_end,
                    "digest": preferences.delivery == Delivery.DIGEST,
                    "nudge_preferences": {
                        "snooze_hours": int(preferences.snooze.total_seconds() // 3600),
                        "quiet_set": True,
                    },
                },
                session=session,
            )
            session.commit()
            return preferences_of(rep)
