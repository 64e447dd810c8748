"""Two first messages of one new thread, arriving at the same instant, make one
conversation (a unique thread key and a retry), on SQLite and PostgreSQL.

Both workers are held until each has looked for the thread and found none, so the race
is run every time rather than by luck."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import bot.application.ingest as ingest_module
from bot.application import Application
from bot.application.ingest import IngestResult
from bot.config import Settings
from bot.vocabulary import IngestOutcome, InputSource
from storage.db import make_engine
from storage.models import Conversation, InboundMessage

NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def message(number: int, body: str) -> bytes:
    """A message of the thread started by <kickoff@acme.example> (never stored), sent
    at the same minute as the other."""
    return f"""From: Dana Reyes <dana@northwind.example>
To: Priya Shah <priya@acme.example>
Subject: Re: Pilot kickoff
Date: Thu, 19 Nov 2026 16:00:00 -0800
Message-ID: <kickoff-{number}@northwind.example>
In-Reply-To: <kickoff@acme.example>
References: <kickoff@acme.example>

{body}

Dana
""".encode()


FIRST = message(1, "Priya, let's review the pilot numbers together on Tuesday at 2pm.")
SECOND = message(2, "Also, I'll send the security questionnaire by Friday.")


@pytest.fixture
def app(engine: Engine, db_settings: Settings) -> Application:
    settings = db_settings.model_copy(update={"bot_address": "nextstep@northwind.example"})
    application = Application(engine, settings, clock=lambda: NOW)
    application.add_rep("dana@northwind.example", name="Dana Reyes", tz="America/Los_Angeles")
    return application


def held_until_both_looked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make each worker's first thread lookup wait for the other's; count the lookups."""
    barrier = threading.Barrier(2, timeout=20)
    real: Callable[..., Any] = ingest_module.find_thread
    seen: set[int] = set()
    lookups: list[int] = []

    def find_thread(*args: Any, **kwargs: Any) -> Any:
        me = threading.get_ident()
        lookups.append(me)
        found = real(*args, **kwargs)
        if me not in seen:
            seen.add(me)
            barrier.wait()  # both have looked, neither has stored
        return found

    monkeypatch.setattr(ingest_module, "find_thread", find_thread)
    return lookups


def test_two_first_messages_at_once_make_one_conversation(
    app: Application, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups = held_until_both_looked(monkeypatch)
    results: list[IngestResult] = []
    errors: list[BaseException] = []

    def deliver(raw: bytes) -> None:
        # A worker of its own: its own engine and connections, as another process has.
        worker = Application(
            make_engine(app.settings.sqlalchemy_url), app.settings, clock=app.clock
        )
        try:
            results.append(worker.ingest(raw, source=InputSource.SMTP))
        except BaseException as error:  # reported below, with the thread's failure
            errors.append(error)
        finally:
            worker.close()

    workers = [threading.Thread(target=deliver, args=(raw,)) for raw in (FIRST, SECOND)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    assert len(results) == 2
    assert len(lookups) == 3  # both looked once; the one that lost looked again

    outcomes = sorted(str(r.status) for r in results)
    assert outcomes == [IngestOutcome.INGESTED, IngestOutcome.UPDATED]
    assert all(r.error is None for r in results)
    assert results[0].conversation_id == results[1].conversation_id

    with Session(engine) as session:
        conversations = session.exec(select(Conversation)).all()
        inputs = session.exec(select(InboundMessage)).all()
    assert len(conversations) == 1
    assert conversations[0].thread_key == "kickoff@acme.example"
    assert {i.status for i in inputs} == {"processed"}
    assert {i.conversation_id for i in inputs} == {conversations[0].id}
    # The one that lost was read again with the winner's message as its history.
    actions = [s.action for s in app.show_conversation(conversations[0].id or 0).steps]
    assert len(actions) == 2, actions
