"""Stored rows as the Slack front end and the nudge planner see them: steps and
conversations as views, reps as preferences and planner facts. Reads, never writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, select

from bot.engine.model import Analysis, Outcome
from bot.nudges.messages import most_common_failure, pattern_sentence
from bot.nudges.model import (
    VAGUE_FINDINGS,
    CalendarState,
    Preferences,
    RecentOutcome,
    RepFacts,
    StepFacts,
    StepState,
)
from bot.slack.model import AnalysisView, Delivery, PatternView, SlackPreferences, StepView
from storage import slack as repo
from storage.models import CalendarLink, Conversation, NextStep, Rep, Workspace

CALENDAR_WORDS = {"invited": "awaiting"}  # storage's word -> the calendar check's
CALENDAR_STATES = {"invited": CalendarState.AWAITING} | {s.value: s for s in CalendarState}


def step_view(
    step: NextStep, link: CalendarLink | None = None, subject: str | None = None
) -> StepView:
    codes = [f.get("code") for f in step.findings]
    first = step.findings[0] if step.findings else {}
    fix = step.suggestion or next(
        (f["suggestion"] for f in step.findings if f.get("suggestion")), None
    )
    calendar = CALENDAR_WORDS.get(link.status, link.status) if link else None
    return StepView(
        id=step.id,
        action=step.action,
        kind=step.kind,
        secured=step.secured,
        acknowledged=step.acknowledged,
        evidence=step.evidence_quote,
        status=step.status,
        due=step.due,
        due_is_date=step.due_is_date,
        due_text=step.due_text,
        speaker=step.evidence_speaker,
        problem=first.get("message"),
        fix=fix,
        vague=bool(VAGUE_FINDINGS.intersection(c for c in codes if c)),
        calendar=calendar,
        snoozed_until=step.snoozed_until,
        conversation_subject=subject,
    )


def conversation_view(session: Session, conversation: Conversation) -> AnalysisView:
    """A stored conversation with its steps, as Slack shows it."""
    from storage.repo import steps_of

    assert conversation.id is not None
    steps = steps_of(conversation.id, session=session)
    links = repo.calendar_of([s.id for s in steps if s.id], session=session)
    return AnalysisView(
        secured=conversation.next_steps_secured,
        tier=conversation.tier,
        reason=conversation.reason,
        steps=tuple(step_view(s, links.get(s.id or 0)) for s in steps),
        conversation_id=conversation.id,
        subject=conversation.subject,
        clear_no=conversation.outcome == Outcome.CLEAR_NO,
    )


def analysis_view(analysis: Analysis, token: str | None) -> AnalysisView:
    steps = []
    for step in analysis.steps:
        codes = {f.code for f in step.findings}
        fix = step.suggestion or next((f.suggestion for f in step.findings if f.suggestion), None)
        due = step.due if isinstance(step.due, datetime) else None
        steps.append(
            StepView(
                action=step.action,
                kind=str(step.kind),
                secured=step.secured,
                acknowledged=step.acknowledged,
                evidence=step.evidence.quote,
                due=due,
                due_text=step.due_text,
                speaker=step.evidence.speaker,
                problem=step.findings[0].message if step.findings else None,
                fix=fix,
                vague=bool(VAGUE_FINDINGS & codes),
            )
        )
    return AnalysisView(
        secured=analysis.next_steps_secured,
        tier=str(analysis.tier),
        reason=analysis.reason,
        steps=tuple(steps),
        save_token=token,
        subject=analysis.document.subject,
        clear_no=analysis.outcome == Outcome.CLEAR_NO,
    )


def preferences_of(rep: Rep) -> SlackPreferences:
    default = SlackPreferences()
    stored = rep.nudge_preferences or {}
    quiet_start: time | None = rep.quiet_hours_start
    quiet_end: time | None = rep.quiet_hours_end
    if quiet_start is None and quiet_end is None and not stored.get("quiet_set"):
        quiet_start, quiet_end = default.quiet_start, default.quiet_end
    return SlackPreferences(
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        delivery=Delivery.DIGEST if rep.digest else Delivery.INSTANT,
        snooze=timedelta(hours=int(stored.get("snooze_hours", 24))),
    )


# Lines about how the conversation ended, not about a step that failed.
CLOSING_CODES = frozenset({"clear_no", "tentative_yes"})


def outcome(conversation: Conversation) -> RecentOutcome:
    """A conversation for the pattern: secured or not, and its most telling finding."""
    analysis = conversation.analysis or {}
    codes = [
        f.get("code")
        for f in analysis.get("findings", [])
        if f.get("code") and f.get("code") not in CLOSING_CODES
    ]
    failure = codes[0] if codes else (None if analysis.get("steps") else "no_step")
    clear_no = conversation.outcome == Outcome.CLEAR_NO
    return RecentOutcome(
        conversation_id=conversation.id or 0,
        at=conversation.reference_time,
        secured=conversation.next_steps_secured,
        clear_no=clear_no,
        failure=None if conversation.next_steps_secured or clear_no else failure,
    )


def pattern_view(outcomes: list[RecentOutcome]) -> PatternView:
    if not outcomes:
        return PatternView(0, 0, 0, None, "No conversations yet.")
    return PatternView(
        calls=len(outcomes),
        unsecured=sum(1 for o in outcomes if not o.secured and not o.clear_no),
        clear_no=sum(1 for o in outcomes if o.clear_no),
        most_common_failure=most_common_failure(outcomes),
        sentence=pattern_sentence(outcomes),
    )


@dataclass
class Reachable:
    """A rep the scheduler can DM: in a workspace, with a Slack user id."""

    rep: Rep
    team_id: str
    facts: RepFacts


def rep_preferences(rep: Rep, default_tz: str) -> Preferences:
    slack = preferences_of(rep)
    return Preferences(
        tz=rep.tz or default_tz,
        quiet_start=slack.quiet_start,
        quiet_end=slack.quiet_end,
        digest=rep.digest,
        snooze=slack.snooze,
    )


def reachable_reps(session: Session, default_tz: str) -> dict[int, Reachable]:
    statement = (
        select(Rep, Workspace)
        .join(Workspace, col(Rep.workspace_id) == col(Workspace.id))
        .where(col(Rep.slack_user_id).is_not(None), col(Workspace.slack_team_id).is_not(None))
    )
    found: dict[int, Reachable] = {}
    for rep, workspace in session.exec(statement):
        assert rep.id is not None
        recent = tuple(outcome(c) for c in repo.recent_conversations(rep.id, 5, session=session))
        facts = RepFacts(rep.id, rep_preferences(rep, default_tz), recent)
        found[rep.id] = Reachable(rep, workspace.slack_team_id or "", facts)
    return found


def step_facts(step: NextStep, talk: Conversation, link: CalendarLink | None) -> StepFacts:
    assert step.id is not None and talk.rep_id is not None
    window = timedelta(seconds=step.trigger_window_seconds) if step.trigger_window_seconds else None
    window_ends_at = None
    if window is not None and not step.trigger_condition:  # counted from the conversation
        window_ends_at = talk.reference_time + window
    return StepFacts(
        step_id=step.id,
        rep_id=talk.rep_id,
        conversation_id=talk.id or 0,
        action=step.action,
        kind=step.kind,
        analysed_at=talk.analysed_at,
        conversation_at=talk.reference_time,
        evidence=step.evidence_quote,
        state=StepState(step.status),
        due=step.due,
        due_is_date=step.due_is_date,
        due_text=step.due_text,
        acknowledged=step.acknowledged,
        findings=tuple(f.get("code", "") for f in step.findings),
        suggestion=step.suggestion,
        calendar=CALENDAR_STATES.get(link.status) if link else None,
        calendar_changed_at=link.checked_at if link else None,
        window=window,
        window_ends_at=window_ends_at,
        snoozed_until=step.snoozed_until,
        clear_no=talk.outcome == Outcome.CLEAR_NO,
    )
