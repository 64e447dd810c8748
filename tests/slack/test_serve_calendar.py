"""``nextstep serve`` as a process runs the calendar pass: an invitation saved with
``nextstep ingest`` for a meeting with a customer that ended an hour ago, and no notes,
becomes a DM asking for them on the local Slack server; its button opens the paste
modal; ``--no-calendar`` switches the pass off."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from storage.db import make_engine
from storage.models import Rep
from tests.slack.fake_slack import FakeSlackApi, interactive_body, signed_post
from tests.slack.limits import texts
from tests.slack.test_serve import Served, environment  # noqa: F401  (fixture)

DATA = Path(__file__).parents[1] / "data" / "slack"


def invitation(end: datetime) -> str:
    start = end - timedelta(minutes=45)
    stamp = "%Y%m%dT%H%M%SZ"
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
            "METHOD:REQUEST",
            "BEGIN:VEVENT",
            "UID:pricing-review-7@google.com",
            f"DTSTART:{start:{stamp}}",
            f"DTEND:{end:{stamp}}",
            f"DTSTAMP:{start - timedelta(days=1):{stamp}}",
            "SUMMARY:Pricing review with Northwind",
            "ORGANIZER;CN=Dana Reyes:mailto:dana@acme.example",
            "ATTENDEE;CN=Dana Reyes;PARTSTAT=ACCEPTED:mailto:dana@acme.example",
            "ATTENDEE;CN=Lee Park;PARTSTAT=ACCEPTED:mailto:lee@northwind.example",
            "STATUS:CONFIRMED",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


def save_invitation(env: dict[str, str], tmp_path: Path) -> None:
    """The invitation saved by the CLI, and Dana's quiet hours off (the test runs at any
    hour of the day; the planner's tests cover quiet hours)."""
    engine = make_engine(env["DATABASE_URL"])
    with Session(engine) as session:
        dana = session.exec(select(Rep)).one()
        dana.nudge_preferences = {"quiet_set": True}
        session.add(dana)
        session.commit()
    engine.dispose()
    path = tmp_path / "pricing-review.ics"
    path.write_text(invitation(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)))
    command = [sys.executable, "-m", "bot", "ingest", str(path), "--rep", "dana@acme.example"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_serve_asks_for_the_notes_of_a_meeting_that_left_none(
    environment: dict[str, str],  # noqa: F811
    api: FakeSlackApi,
    tmp_path: Path,
) -> None:
    save_invitation(environment, tmp_path)
    served = Served(environment, "--calendar-every", "1")
    try:
        assert any(line.startswith("Calendar: rechecked every 1 s") for line in served.lines)
        ask = next(
            c
            for c in api.wait_for("chat.postMessage", 2, timeout=30)
            if c.params["metadata"]["event_payload"]["keys"].startswith("notes:")
        )
        assert "*Pricing review with Northwind*" in texts(ask.params)
        assert "ended and I have no notes or transcript" in texts(ask.params)
        button = next(
            e for b in ask.params["blocks"] if b["type"] == "actions" for e in b["elements"]
        )
        click = json.loads((DATA / "block_actions_dm_button.json").read_text())
        click["response_url"] = api.response_url("dm")
        click["message"]["blocks"] = ask.params["blocks"]
        click["actions"][0].update(action_id=button["action_id"], value=button["value"])
        assert signed_post(served.url, interactive_body(click))[0] == 200
        modal = api.wait_for("views.open", timeout=20)[0].params
        assert modal["trigger_id"] == click["trigger_id"]
        assert (
            modal["view"]["type"] == "modal"
            and "Pricing review" in modal["view"]["private_metadata"]
        )
        time.sleep(3)  # three more passes: the meeting is still asked about once
    finally:
        code = served.stop()
    assert code == 0, "".join(served.lines)
    notes_asks = [
        c
        for c in api.of("chat.postMessage")
        if c.params["metadata"]["event_payload"]["keys"].startswith("notes:")
    ]
    assert len(notes_asks) == 1


def test_no_calendar_pass_with_no_calendar(
    environment: dict[str, str],  # noqa: F811
    api: FakeSlackApi,
    tmp_path: Path,
) -> None:
    save_invitation(environment, tmp_path)
    served = Served(environment, "--no-calendar")
    try:
        assert not any(line.startswith("Calendar:") for line in served.lines)
        time.sleep(3)  # with the pass on, its first run would have asked by now
    finally:
        code = served.stop()
    assert code == 0, "".join(served.lines)
    assert not any(
        c.params["metadata"]["event_payload"]["keys"].startswith("notes:")
        for c in api.of("chat.postMessage")
    )
