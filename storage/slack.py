"""Repository functions for the Slack app: workspaces and their reps, things done once
per team, pasted text waiting for Save, a rep's steps and recent conversations.

Everything a Slack user sees goes through their workspace's rep: a rep belongs to one
workspace, so nothing of one team is reachable from another.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.errors import NextStepError
from storage.models import (
    CalendarLink,
    Conversation,
    NextStep,
    Rep,
    SlackOnce,
    SlackPaste,
    StepStatus,
    Workspace,
)


def first_time(team_id: str, key: str, *, now: datetime, session: Session) -> bool:
    """Record ``key`` for the team; True if no one (no process) recorded it before.
    Commits, so that a concurrent worker sees it at once."""
    try:
        with session.begin_nested():
            session.add(SlackOnce(team_id=team_id, key=key, created_at=now))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False


def workspace_for(team_id: str, enterprise_id: str | None, *, session: Session) -> Workspace:
    """The team's workspace, added on first sight."""
    statement = select(Workspace).where(Workspace.slack_team_id == team_id)
    found = session.exec(statement).first()
    if found is not None:
        return found
    workspace = Workspace(slack_team_id=team_id, slack_enterprise_id=enterprise_id)
    session.add(workspace)
    session.flush()
    return workspace


def rep_for_slack_user(workspace_id: int, user_id: str, *, session: Session) -> Rep | None:
    """The workspace's rep with this Slack user id, or a rep registered with that id
    and no workspace yet (``nextstep reps add … --slack-user``), now bound to it."""
    statement = select(Rep).where(Rep.workspace_id == workspace_id, Rep.slack_user_id == user_id)
    rep = session.exec(statement).first()
    if rep is not None:
        return rep
    unbound = select(Rep).where(col(Rep.workspace_id).is_(None), Rep.slack_user_id == user_id)
    rep = session.exec(unbound).first()
    if rep is not None:
        rep.workspace_id = workspace_id
        session.add(rep)
        session.flush()
    return rep


def add_paste(team_id: str, user_id: str, text: str, *, now: datetime, session: Session) -> int:
    paste = SlackPaste(team_id=team_id, user_id=user_id, text=text, created_at=now)
    session.add(paste)
    session.flush()
    assert paste.id is not None
    return paste.id


def take_paste(paste_id: int, team_id: str, user_id: str, *, session: Session) -> str:
    """The pasted text, removed; only its author in its team may take it."""
    paste = session.get(SlackPaste, paste_id)
    if paste is None or (paste.team_id, paste.user_id) != (team_id, user_id):
        raise NextStepError("That analysis is no longer there; paste the notes again.")
    text = paste.text
    session.delete(paste)
    session.flush()
    return text


def steps_of_rep(
    rep_id: int, *, session: Session, status: str | None = StepStatus.OPEN
) -> list[tuple[NextStep, Conversation]]:
    """A rep's steps (open ones by default) with their conversations, oldest first."""
    statement = (
        select(NextStep, Conversation)
        .join(Conversation, col(NextStep.conversation_id) == col(Conversation.id))
        .where(Conversation.rep_id == rep_id)
        .order_by(col(Conversation.reference_time), col(NextStep.position), col(NextStep.id))
    )
    if status is not None:
        statement = statement.where(NextStep.status == status)
    return [(step, conversation) for step, conversation in session.exec(statement)]


def step_of_rep(step_id: int, rep_id: int, *, session: Session) -> NextStep:
    """The step, if it belongs to one of the rep's conversations; else an error."""
    statement = (
        select(NextStep)
        .join(Conversation, col(NextStep.conversation_id) == col(Conversation.id))
        .where(NextStep.id == step_id, Conversation.rep_id == rep_id)
    )
    step = session.exec(statement).first()
    if step is None:
        raise NextStepError(f"Step {step_id} is not one of your next steps.")
    return step


def recent_conversations(rep_id: int, limit: int, *, session: Session) -> list[Conversation]:
    """The rep's newest conversations, newest first."""
    statement = (
        select(Conversation)
        .where(Conversation.rep_id == rep_id)
        .order_by(col(Conversation.reference_time).desc(), col(Conversation.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement))


def reps_of_workspace(workspace_id: int, *, session: Session) -> list[Rep]:
    statement = select(Rep).where(Rep.workspace_id == workspace_id).order_by(col(Rep.id))
    return list(session.exec(statement))


def calendar_of(step_ids: list[int], *, session: Session) -> dict[int, CalendarLink]:
    """The newest calendar link of each step that has one."""
    if not step_ids:
        return {}
    statement = (
        select(CalendarLink)
        .where(col(CalendarLink.step_id).in_(step_ids))
        .order_by(col(CalendarLink.id))
    )
    return {link.step_id: link for link in session.exec(statement)}


def set_preferences(rep: Rep, changes: dict[str, Any], *, session: Session) -> Rep:
    for name, value in changes.items():
        if name == "nudge_preferences":
            rep.nudge_preferences = {**(rep.nudge_preferences or {}), **value}
        else:
            setattr(rep, name, value)
    session.add(rep)
    session.flush()
    return rep


def bind_unbound_reps(workspace_id: int, *, session: Session) -> int:
    """Bind the reps registered with a Slack user id but no workspace (``nextstep reps
    add … --slack-user``) to the one workspace this bot serves; how many."""
    statement = select(Rep).where(
        col(Rep.workspace_id).is_(None), col(Rep.slack_user_id).is_not(None)
    )
    reps = list(session.exec(statement))
    for rep in reps:
        rep.workspace_id = workspace_id
        session.add(rep)
    session.flush()
    return len(reps)


def reps_without_slack(*, session: Session) -> list[tuple[Rep, list[str]]]:
    """Reps registered by email only (no Slack user yet), with their addresses."""
    from storage.models import RepEmail

    statement = (
        select(Rep, RepEmail.address)
        .join(RepEmail, col(RepEmail.rep_id) == col(Rep.id))
        .where(col(Rep.slack_user_id).is_(None))
        .order_by(col(Rep.id), col(RepEmail.id))
    )
    found: dict[int, tuple[Rep, list[str]]] = {}
    for rep, address in session.exec(statement):
        found.setdefault(rep.id or 0, (rep, []))[1].append(address)
    return list(found.values())
