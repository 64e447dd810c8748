"""A clear no over stored conversations (SQLite, then PostgreSQL): the planner's facts
carry it, so nothing is nudged about its steps; the pattern and team views count it
apart from the stalls ("2 of 5 ended with a clear answer")."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.nudges.model import RepFacts
from bot.nudges.planner import plan
from bot.slack.blocks.messages import team_message
from bot.slack.model import SlackUser, TeamRow, TeamView
from bot.slack.rows import step_facts
from bot.slack.service_impl import StorageSlackService
from storage.models import Conversation, NextStep
from tests.slack.test_service_impl import DANA, GOLD, NOW, VAGUE, save, service

__all__ = ["service"]  # the pytest fixture, shared with the service tests

CLEAR_NO = (
    "Dana Reyes: Could we book the pricing review Thursday at 2?\n"
    "Priya Shah: We've decided to go with another vendor. Please close this out.\n"
)
BOSS = SlackUser("T0ACME", "U0BOSS")


def test_no_nudge_about_the_steps_of_a_stored_clear_no(
    service: StorageSlackService, engine: Engine
) -> None:
    closed = save(service, CLEAR_NO)
    stalled = save(service, VAGUE)
    with Session(engine) as session:
        talks = {c.id: c for c in session.exec(select(Conversation))}
        assert (talks[closed].outcome, talks[stalled].outcome) == ("clear_no", "open")
        facts = [
            step_facts(step, talks[step.conversation_id], None)
            for step in session.exec(select(NextStep))
        ]
    assert {f.conversation_id for f in facts} == {closed, stalled}
    rep_id = facts[0].rep_id
    later = NOW + timedelta(days=2)
    nudged = plan(facts, {rep_id: RepFacts(rep_id=rep_id)}, later)
    assert len(nudged) >= 1
    assert {n.step_id for n in nudged} <= {f.step_id for f in facts if f.conversation_id == stalled}


def test_pattern_and_team_count_clear_nos_apart(service: StorageSlackService) -> None:
    for index in range(3):
        save(service, VAGUE + f"Ref {index}\n")
    save(service, CLEAR_NO)
    save(service, GOLD)
    pattern = service.pattern(DANA)
    assert (pattern.calls, pattern.unsecured, pattern.clear_no) == (5, 3, 1)
    assert pattern.sentence == (
        "3 of your last 5 calls ended without a secured next step. 2 of 5 ended with a "
        "clear answer; 1 of them a clear no, which is a clean ending."
    )
    rows = service.team(BOSS).rows
    assert [(r.rep, r.calls, r.secured, r.clear_no, r.answered) for r in rows] == [
        ("Dana Reyes", 5, 1, 1, 2)
    ]


def test_team_message_shows_clear_answers_beside_secured() -> None:
    team = TeamView(
        rows=(
            TeamRow("Dana Reyes", 5, 1, "vague_time", clear_no=3),
            TeamRow("Sam Ito", 4, 4, None),
        )
    )
    text = json.dumps(team_message(team), ensure_ascii=False)
    assert "1/5 secured (20%) · 4/5 a clear answer" in text
    assert "4/4 secured (100%) · most common miss" in text
