"""``/nextstep``'s slow half in a child process (what ``nextstep serve`` runs): the
answer reaches the command's response_url from the child, a command over the time
budget gets a message instead of silence, and the next command is answered by a new
child. The acks' latency is measured in benchmarks/bench_slack.py, not here."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from sqlmodel import Session, select

from bot.config import Settings
from bot.slack.offload import CommandChild
from storage.db import make_engine, upgrade
from storage.models import Rep
from tests.slack.fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlackApi, command_body
from tests.slack.limits import texts

pytestmark = pytest.mark.slow

NOTES = (
    "Dana Reyes: Can we review the proposal Wednesday at 10am?\n"
    "Priya Shah: Wednesday at 10 works.\n"
)
# Dense turns, each a proposal and its agreement: seconds of analysis.
SLOW = "".join(
    f"Dana Reyes: Can we review section {n} on Wednesday at 10am?\nPriya Shah: Yes, Wednesday at 10 works.\n"
    for n in range(6000)
)


def settings_for(tmp_path: Path, api: FakeSlackApi, budget: float) -> Settings:
    url = f"sqlite:///{tmp_path / 'nextstep.db'}"
    upgrade(url)
    return Settings(
        _env_file=None,
        data_dir=tmp_path,
        database_url=url,
        default_tz="America/Los_Angeles",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.base_url,
        analysis_time_budget=budget,
    )  # type: ignore[call-arg]


def body(text: str, api: FakeSlackApi, name: str) -> dict[str, str]:
    return dict(parse_qsl(command_body(text, api.response_url(name))))


def answer_at(api: FakeSlackApi, name: str, count: int) -> str:
    calls = api.wait_for("response_url", count, timeout=60)
    return texts(next(c for c in calls if c.path.endswith(f"/{name}")).params)


def test_the_child_answers_at_the_response_url_and_stores_the_rep(
    tmp_path: Path, api: FakeSlackApi
) -> None:
    settings = settings_for(tmp_path, api, budget=60)
    child = CommandChild(settings)
    try:
        child.warm()
        child.answer(body(NOTES, api, "first"))
        assert "*Secured* (tier: gold)" in answer_at(api, "first", 1)
        child.answer(body("list", api, "list"))
        assert "open" in answer_at(api, "list", 2).lower()
    finally:
        child.close()
    welcome = api.of("chat.postMessage")
    assert len(welcome) == 1 and "Hi!" in texts(welcome[0].params)  # once, from the child
    engine = make_engine(settings.sqlalchemy_url)
    with Session(engine) as session:
        reps = session.exec(select(Rep)).all()
        assert [r.slack_user_id for r in reps] == ["U0DANA"]
    engine.dispose()


def test_a_command_over_the_budget_is_told_and_the_next_is_answered(
    tmp_path: Path, api: FakeSlackApi
) -> None:
    child = CommandChild(settings_for(tmp_path, api, budget=1.0))
    try:
        child.warm()
        child.answer(body(SLOW, api, "slow"))
        told = answer_at(api, "slow", 1)
        assert "took longer than 1 s" in told and "Nothing you sent is lost" in told
        child.answer(body(NOTES, api, "next"))  # a new child took the old one's place
        assert "*Secured* (tier: gold)" in answer_at(api, "next", 2)
    finally:
        child.close()
