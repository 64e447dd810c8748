"""The Slack use cases over a real database (SQLite, then PostgreSQL) and the real
engine: analyse, save, list, change, pattern, team, settings, once-only, isolation."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.application import Application
from bot.config import Settings
from bot.slack.model import Delivery, SlackPreferences, SlackUser
from bot.slack.service import SlackUseError
from bot.slack.service_impl import SlackProfile, StorageSlackService, WebDirectory
from storage.models import Conversation, InboundMessage, Rep, RepEmail
from storage.repo import add_rep
from tests.slack.fake_slack import FakeSlackApi

LA = "America/Los_Angeles"
NOW = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)  # Thursday 3pm in Los Angeles
DANA = SlackUser("T0ACME", "U0DANA")
GOLD = (
    "Dana Reyes: Can we review the proposal together on Wednesday at 10am?\n"
    "Priya Shah: Wednesday at 10 works.\n"
    "Dana Reyes: I'll send the security questionnaire by Monday.\n"
    "Priya Shah: Sounds good.\n"
)
VAGUE = "Call with Acme.\nWe agreed to reconnect next week.\n"


class Directory:
    def __init__(self) -> None:
        self.profiles = {
            "U0DANA": SlackProfile("dana@acme.example", LA, "Dana Reyes"),
            "U0SAM": SlackProfile("sam@acme.example", "Europe/Berlin", "Sam Ito"),
        }
        self.asked: list[str] = []

    def profile(self, user: SlackUser) -> SlackProfile | None:
        self.asked.append(user.user_id)
        return self.profiles.get(user.user_id)


@pytest.fixture
def service(engine: Engine, db_settings: Settings) -> StorageSlackService:
    application = Application(engine, db_settings, clock=lambda: NOW)
    return StorageSlackService(application, directory=Directory(), managers=frozenset({"U0BOSS"}))


def save(service: StorageSlackService, text: str, user: SlackUser = DANA) -> int:
    token = service.analyze_text(user, text).save_token
    assert token is not None
    view = service.save_analysis(user, token)
    assert view.conversation_id is not None
    return view.conversation_id


def test_a_slack_user_becomes_a_rep_by_email_with_their_zone(
    service: StorageSlackService, engine: Engine
) -> None:
    assert service.zone(DANA) == LA
    assert service.zone(DANA) == LA
    with Session(engine) as session:
        reps = session.exec(select(Rep)).all()
        assert len(reps) == 1
        assert (reps[0].slack_user_id, reps[0].tz, reps[0].display_name) == (
            "U0DANA",
            LA,
            "Dana Reyes",
        )
        assert session.exec(select(RepEmail.address)).all() == ["dana@acme.example"]
    assert service.directory.asked == ["U0DANA"]  # type: ignore[union-attr]


def test_a_registered_rep_is_matched_not_duplicated(
    service: StorageSlackService, engine: Engine
) -> None:
    with Session(engine) as session:
        add_rep("dana@acme.example", tz="America/New_York", session=session)
        session.commit()
    assert service.zone(DANA) == "America/New_York"  # the registered zone wins
    with Session(engine) as session:
        assert len(session.exec(select(Rep)).all()) == 1


def test_reps_add_with_a_slack_user_is_found_without_asking_slack(
    service: StorageSlackService, engine: Engine
) -> None:
    with Session(engine) as session:
        add_rep("dana@acme.example", slack_user_id="U0DANA", tz="Asia/Tokyo", session=session)
        session.commit()
    assert service.zone(DANA) == "Asia/Tokyo"
    assert service.directory.asked == []  # type: ignore[union-attr]


def test_analyse_then_save(service: StorageSlackService, engine: Engine) -> None:
    view = service.analyze_text(DANA, GOLD)
    assert view.secured and view.tier == "gold" and len(view.steps) == 2
    assert view.save_token is not None
    with Session(engine) as session:
        assert session.exec(select(Conversation)).all() == []  # nothing tracked before Save
    saved = service.save_analysis(DANA, view.save_token)
    assert saved.save_token is None and saved.conversation_id is not None
    assert [s.id is not None for s in saved.steps] == [True, True]
    opened = service.open_steps(DANA)
    assert [s.action for s in opened] == [
        "review the proposal together",
        "send the security questionnaire",
    ]
    assert opened[0].due == datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo(LA))
    with pytest.raises(SlackUseError, match="no longer there"):
        service.save_analysis(DANA, view.save_token)
    with Session(engine) as session:
        inbound = session.exec(select(InboundMessage)).one()
        assert inbound.source == "slack" and inbound.raw == GOLD.encode()


def test_saving_the_same_notes_twice_keeps_one_conversation(service: StorageSlackService) -> None:
    assert save(service, GOLD) == save(service, GOLD)
    assert len(service.open_steps(DANA)) == 2


def test_empty_input_is_a_clear_error(service: StorageSlackService) -> None:
    with pytest.raises(SlackUseError, match="empty"):
        service.analyze_text(DANA, "   \n ")


def test_step_changes(service: StorageSlackService) -> None:
    save(service, VAGUE)
    save(service, GOLD)
    vague, review, deck = service.open_steps(DANA)
    assert vague.vague and not vague.secured and vague.fix and vague.fix.startswith("Try:")
    due = datetime(2026, 11, 24, 14, 0, tzinfo=ZoneInfo(LA))
    changed = service.set_due(DANA, vague.id or 0, due)
    assert changed.due == due and changed.due_text == "Tuesday 24 November 2026 14:00"
    snoozed = service.snooze(DANA, review.id or 0)
    assert snoozed.snoozed_until == NOW + timedelta(days=1)
    assert service.mark_done(DANA, deck.id or 0).status == "done"
    assert service.mark_dropped(DANA, vague.id or 0).status == "dropped"
    assert [s.id for s in service.open_steps(DANA)] == [review.id]


def test_mark_acknowledged_secures_a_specific_step(service: StorageSlackService) -> None:
    save(
        service,
        "Dana Reyes: Let's do the demo Tuesday at 2pm.\nPriya Shah: By the way, how is the weather?\n",
    )
    (step,) = service.open_steps(DANA)
    assert not step.acknowledged
    acknowledged = service.mark_acknowledged(DANA, step.id or 0)
    assert acknowledged.acknowledged and acknowledged.secured


def test_the_acknowledge_button_reworks_the_verdict_and_keeps_the_history(
    service: StorageSlackService,
) -> None:
    conversation_id = save(
        service,
        "Dana Reyes: Let's do the demo Tuesday at 2pm.\nPriya Shah: How is the weather?\n",
    )
    application = service.application
    assert application.show_conversation(conversation_id).summary.tier == "none"
    (step,) = service.open_steps(DANA)
    service.mark_acknowledged(DANA, step.id or 0)
    summary = application.show_conversation(conversation_id).summary
    assert (summary.secured, summary.tier) == (True, "gold")
    first, button = application.verdict_history(conversation_id)
    assert (first.cause, first.secured_after) == ("analysis", False)
    assert (button.cause, button.who, button.step_id) == ("slack", "U0DANA", step.id)
    assert (button.tier_before, button.tier_after) == ("none", "gold")


def test_workspaces_are_apart(service: StorageSlackService) -> None:
    save(service, GOLD)
    (step, _) = service.open_steps(DANA)
    elsewhere = SlackUser("T0OTHER", "U0DANA")  # the same user id in another workspace
    assert service.open_steps(elsewhere) == []
    with pytest.raises(SlackUseError, match=f"Step {step.id} is not one of your next steps"):
        service.mark_done(elsewhere, step.id or 0)
    assert service.step(DANA, step.id or 0).status == "open"
    assert service.pattern(elsewhere).calls == 0


def test_pattern_over_the_last_five(service: StorageSlackService) -> None:
    for index in range(4):
        save(service, VAGUE + f"Ref {index}\n")
    save(service, GOLD)
    pattern = service.pattern(DANA)
    assert (pattern.calls, pattern.unsecured) == (5, 4)
    assert pattern.sentence == "4 of your last 5 calls ended without a secured next step."
    assert pattern.most_common_failure == "vague_action"


def test_team_view_for_managers_only(service: StorageSlackService) -> None:
    save(service, GOLD)
    save(service, VAGUE, SlackUser("T0ACME", "U0SAM"))
    save(service, GOLD, SlackUser("T0OTHER", "U0LEE"))
    with pytest.raises(SlackUseError, match="for managers"):
        service.team(DANA)
    rows = service.team(SlackUser("T0ACME", "U0BOSS")).rows
    assert [(r.rep, r.calls, r.secured, r.most_common_failure) for r in rows] == [
        ("Dana Reyes", 1, 1, None),
        ("Sam Ito", 1, 0, "vague_action"),
    ]


def test_preferences(service: StorageSlackService) -> None:
    assert service.preferences(DANA) == SlackPreferences()
    chosen = SlackPreferences(
        quiet_start=None, quiet_end=None, delivery=Delivery.DIGEST, snooze=timedelta(hours=4)
    )
    assert service.set_preferences(DANA, chosen) == chosen
    assert service.preferences(DANA) == chosen
    later = SlackPreferences(quiet_start=time(21), quiet_end=time(7))
    service.set_preferences(DANA, later)
    assert service.preferences(DANA) == later


def test_once_per_event_and_per_welcome(service: StorageSlackService) -> None:
    assert service.first_delivery("Ev1", team_id="T0ACME") is True
    assert service.first_delivery("Ev1", team_id="T0ACME") is False
    assert service.first_delivery("Ev1", team_id="T0OTHER") is True
    assert service.first_contact(DANA) is True
    assert service.first_contact(DANA) is False


def test_web_directory_reads_users_info() -> None:
    from bot.slack.app import slack_client

    api = FakeSlackApi().start()
    try:
        api.users["U0DANA"] = {
            "id": "U0DANA",
            "team_id": "T0ACME",
            "name": "dana",
            "real_name": "Dana Reyes",
            "tz": LA,
            "tz_offset": -28800,
            "profile": {"real_name": "Dana Reyes", "email": "dana@acme.example"},
        }
        directory = WebDirectory(slack_client("xoxb-test", api.base_url))
        assert directory.profile(DANA) == SlackProfile("dana@acme.example", LA, "Dana Reyes")
        assert directory.profile(SlackUser("T0ACME", "U0NOBODY")) is None
        assert api.of("users.info")[0].params["user"] == "U0DANA"
    finally:
        api.stop()
