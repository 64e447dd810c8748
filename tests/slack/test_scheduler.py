"""The scheduler on a real database (SQLite, then PostgreSQL) sending through the real
``WebClient`` to the local Slack server: the post-meeting DM, nudges sent once, several
schedulers, a crash between claim and send, 429s and other errors, digests."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.application.ingest import ingest_raw
from bot.config import Settings
from bot.slack.app import slack_client
from bot.slack.outbox import SlackOutbox
from bot.slack.scheduler import Scheduler
from storage import slack as slack_repo
from storage.models import NextStep, Nudge, NudgeStatus, Rep
from storage.nudges import claim_due_nudges
from storage.repo import add_rep, set_step_status
from tests.slack.fake_slack import BOT_TOKEN, FakeSlackApi
from tests.slack.limits import check_limits, texts

LA = "America/Los_Angeles"
NOW = datetime(2026, 11, 19, 19, 0, tzinfo=UTC)  # Thursday 11am in Los Angeles
VAGUE = "Call with Acme.\nWe agreed to reconnect next week.\n"
UNACKED = (
    "Dana Reyes: Let's do the demo Tuesday at 2pm.\nPriya Shah: By the way, how is the weather?\n"
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def scheduler(engine: Engine, api: FakeSlackApi, clock: Clock) -> Scheduler:
    client = slack_client(BOT_TOKEN, api.base_url)
    return Scheduler(engine, SlackOutbox(lambda team: client), default_tz=LA, clock=clock)


def dana(engine: Engine, *, digest: bool = False) -> None:
    with Session(engine) as session:
        workspace = slack_repo.workspace_for("T0ACME", None, session=session)
        add_rep(
            "dana@acme.example",
            name="Dana Reyes",
            slack_user_id="U0DANA",
            tz=LA,
            workspace_id=workspace.id,
            digest=digest,
            session=session,
        )
        session.commit()


def recap(
    engine: Engine, settings: Settings, text: str, at: datetime = NOW, name: str = "notes.txt"
) -> int:
    with Session(engine, expire_on_commit=False) as session:
        result = ingest_raw(
            text.encode(),
            source="file",
            filename=name,
            rep_email="dana@acme.example",
            at=at,
            session=session,
            settings=settings,
            now=at,
        )
    assert result.conversation_id is not None, result.error
    return result.conversation_id


def posts(api: FakeSlackApi) -> list:
    """The nudges posted (not the welcome that precedes a rep's first one)."""
    return [
        c
        for c in api.of("chat.postMessage")
        if not c.params["metadata"]["event_payload"]["keys"].startswith("welcome:")
    ]


def nudges(engine: Engine) -> list[Nudge]:
    with Session(engine) as session:
        return list(session.exec(select(Nudge).order_by(Nudge.id)))


def test_a_recap_gets_its_post_meeting_dm_once(
    engine: Engine, db_settings: Settings, api: FakeSlackApi, clock: Clock
) -> None:
    dana(engine)
    recap(engine, db_settings, VAGUE)
    worker = scheduler(engine, api, clock)
    assert worker.plan() == 2  # the DM, and the vague nudge it covers
    report = worker.send_due()
    assert (report.sent, report.failed) == (1, 0)
    assert api.of("conversations.open")[0].params["users"] == "U0DANA"
    welcome, posted = api.of("chat.postMessage")
    assert "Hi!" in texts(welcome.params)  # the rep's first message from the bot
    check_limits(posted.params)
    words = texts(posted.params)
    assert ":warning: *Not secured* · notes.txt" not in words  # a file has no subject line
    assert "*Not secured*" in words and "reconnect" in words and "Try:" in words
    assert "mark_done" in str(posted.params["blocks"]) and "set_due" in str(posted.params["blocks"])
    assert posted.params["metadata"]["event_payload"]["keys"].startswith("conversation:")
    rows = nudges(engine)
    assert [(n.reason, n.status) for n in rows] == [
        ("post_meeting", "sent"),
        ("vague", "cancelled"),
    ]
    assert rows[0].slack_channel == "D0DANA"
    # later passes send nothing more
    clock.now += timedelta(minutes=5)
    assert worker.plan() == 0
    assert worker.send_due().sent == 0
    assert len(posts(api)) == 1


def test_an_unacknowledged_step_is_nudged_a_day_later_outside_quiet_hours(
    engine: Engine, db_settings: Settings, api: FakeSlackApi, clock: Clock
) -> None:
    dana(engine)
    recap(engine, db_settings, UNACKED)
    worker = scheduler(engine, api, clock)
    worker.plan()
    worker.send_due()  # the post-meeting DM
    clock.now = NOW + timedelta(hours=24, minutes=1)  # Friday 11:01 in Los Angeles
    assert worker.plan() == 1
    report = worker.send_due()
    assert report.sent == 1
    nudge = posts(api)[-1].params
    check_limits(nudge)
    assert (
        "*Not acknowledged yet:* You stated the next step but the other side didn't confirm."
        in texts(nudge)
    )
    assert "Let's do the demo Tuesday at 2pm." in texts(nudge)


def test_a_step_done_before_its_nudge_is_not_sent(
    engine: Engine, db_settings: Settings, api: FakeSlackApi, clock: Clock
) -> None:
    dana(engine)
    recap(engine, db_settings, UNACKED, at=NOW - timedelta(days=2))
    worker = scheduler(engine, api, clock)
    assert worker.plan() == 1  # no DM for an old recap: the unacknowledged nudge only
    with Session(engine) as session:
        step = session.exec(select(NextStep)).one()
        set_step_status(step.id or 0, "done", by="U0DANA", now=NOW, session=session)
        session.commit()
    report = worker.send_due()
    assert (report.sent, report.cancelled) == (0, 1)
    assert posts(api) == []


def test_a_crash_between_claim_and_send_loses_nothing(
    engine: Engine, db_settings: Settings, api: FakeSlackApi, clock: Clock
) -> None:
    dana(engine)
    recap(engine, db_settings, VAGUE)
    worker = scheduler(engine, api, clock)
    worker.plan()
    with Session(engine) as session:  # a worker claims, then dies before calling Slack
        assert len(claim_due_nudges(NOW, 10, session=session)) == 1
    assert worker.send_due().sent == 0  # claimed by the dead worker: not taken yet
    clock.now = NOW + timedelta(minutes=11)  # the claim has expired
    assert worker.send_due().sent == 1
    assert len(posts(api)) == 1
    assert nudges(engine)[0].status == NudgeStatus.SENT


def test_a_crash_after_slack_took_the_post_does_not_send_it_twice(
    engine: Engine, db_settings: Settings, api: FakeSlackApi, clock: Clock
) -> None:
    dana(engine)
    recap(engine, db_settings, VAGUE)
    worker = scheduler(engine, api, clock)
    worker.plan()
    with Session(engine) as session:  # a worker claims and posts, then dies before recording it
        (claimed,) = claim_due_nudges(NOW, 10, session=session)
        worker.channel.deliver("T0ACME", "U0DANA", {"text": "verdict"}, [claimed.dedupe_key])
    clock.now = NOW + timedelta(minutes=11)
    report = worker.send_due()
    assert (report.sent, report.found_sent) == (1, 1)
    assert len(posts(api)) == 1  # found in the DM's history, not posted again
    assert api.of("conversations.history")[0].params["include_all_metadata"] in (True, "true", "1")


def test_429_is_waited_out(
    engine: Engine,
    db_settings: Settings,
    api: FakeSlackApi,
    clock: Clock,
    no_retry_sleep: list[float],
) -> None:
    dana(engine)
    recap(engine, db_settings, VAGUE)
    api.rate_limit("chat.postMessage", 3)
    worker = scheduler(engine, api, clock)
    worker.plan()
    assert worker.send_due().sent == 1
    assert len(api.of("chat.postMessage:429")) == 1
    assert len(no_retry_sleep) == 1 and 3 <= no_retry_sleep[0] < 4


def test_other_errors_are_recorded_and_retried_with_back_off(
    engine: Engine, db_settings: Settings, api: FakeSlackApi, clock: Clock
) -> None:
    dana(engine)
    recap(engine, db_settings, VAGUE)
    api.failing["chat.postMessage"] = "channel_not_found"
    worker = scheduler(engine, api, clock)
    worker.max_attempts = 3
    worker.plan()
    report = worker.send_due()
    assert report.failed == 1 and "channel_not_found" in report.errors[0]
    (row, _) = nudges(engine)
    assert row.status == NudgeStatus.PLANNED and "channel_not_found" in (row.error or "")
    assert row.planned_for == NOW + timedelta(minutes=1)
    clock.now = NOW + timedelta(minutes=1)
    worker.send_due()
    assert nudges(engine)[0].planned_for == clock.now + timedelta(minutes=2)  # doubled
    clock.now += timedelta(minutes=2)
    worker.send_due()
    assert nudges(engine)[0].status == NudgeStatus.FAILED  # given up after three attempts
    del api.failing["chat.postMessage"]
    clock.now += timedelta(hours=1)
    assert worker.send_due().sent == 0


def test_a_digest_groups_a_reps_nudges(
    engine: Engine, db_settings: Settings, api: FakeSlackApi, clock: Clock
) -> None:
    dana(engine, digest=True)
    earlier = NOW - timedelta(days=2)
    recap(engine, db_settings, UNACKED, at=earlier, name="a.txt")
    recap(engine, db_settings, UNACKED.replace("demo", "pricing review"), at=earlier, name="b.txt")
    worker = scheduler(engine, api, clock)
    assert worker.plan() == 2
    assert worker.send_due().sent == 0  # waiting for the 9am digest
    clock.now = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)  # Friday 9am in Los Angeles
    assert worker.send_due().sent == 2
    (digest,) = posts(api)
    check_limits(digest.params)
    assert digest.params["text"] == "2 next steps need you today"
    assert "demo" in texts(digest.params) and "pricing review" in texts(digest.params)


@pytest.mark.postgres
def test_several_schedulers_send_each_nudge_once(
    postgres_url: str, tmp_path: Path, api: FakeSlackApi, clock: Clock
) -> None:
    from storage.db import make_engine
    from tests.conftest import clear_tables

    clear_tables(postgres_url)
    engine = make_engine(postgres_url)
    try:
        settings = Settings(_env_file=None, data_dir=tmp_path, database_url=postgres_url)  # type: ignore[call-arg]
        dana(engine)
        for index in range(12):
            recap(engine, settings, VAGUE + f"Ref {index}\n", name=f"n{index}.txt")
        workers = [scheduler(engine, api, clock) for _ in range(4)]
        for worker in workers:
            worker.batch = 2
        start = threading.Barrier(len(workers))

        def run(worker: Scheduler) -> None:
            start.wait()
            for _ in range(10):
                worker.plan()
                worker.send_due()

        threads = [threading.Thread(target=run, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        keys = [c.params["metadata"]["event_payload"]["keys"] for c in posts(api)]
        rows = nudges(engine)
        sent = {n.dedupe_key for n in rows if n.status == NudgeStatus.SENT}
        # twelve post-meeting DMs and this week's pattern note (all twelve calls were vague)
        assert len(sent) == 13 and "rep:1:pattern:2026-W47" in sent
        assert sorted(keys) == sorted(sent)  # each sent exactly once
    finally:
        clear_tables(postgres_url)
        engine.dispose()


def test_a_rep_registered_by_email_is_found_in_slack(
    engine: Engine, db_settings: Settings, api: FakeSlackApi, clock: Clock
) -> None:
    with Session(engine) as session:
        add_rep("lee@acme.example", name="Lee Park", session=session)  # no Slack id, no zone
        session.commit()
    api.users["U0LEE"] = {
        "id": "U0LEE",
        "team_id": "T0ACME",
        "name": "lee",
        "tz": "Europe/Berlin",
        "profile": {"real_name": "Lee Park", "email": "lee@acme.example"},
    }
    worker = scheduler(engine, api, clock)
    worker.team_id = "T0ACME"
    worker.plan()
    assert api.of("users.lookupByEmail")[0].params["email"] == "lee@acme.example"
    with Session(engine, expire_on_commit=False) as session:
        rep = session.exec(select(Rep)).one()
        assert (rep.slack_user_id, rep.tz) == ("U0LEE", "Europe/Berlin")
    with Session(engine) as session:
        result = ingest_raw(
            VAGUE.encode(),
            source="file",
            filename="lee.txt",
            rep_email="lee@acme.example",
            at=NOW,
            session=session,
            settings=db_settings,
            now=NOW,
        )
        assert result.conversation_id is not None
    worker.plan()
    assert worker.send_due().sent == 1
    assert api.of("conversations.open")[-1].params["users"] == "U0LEE"
    worker.plan()  # looked up once a day, not on every pass
    assert len(api.of("users.lookupByEmail")) == 1
