"""How fast does the Slack side answer?

1. Slash commands: --commands signed ``/nextstep <notes>`` requests from --clients
   concurrent clients over HTTP to the Bolt app (the real app over a SQLite database,
   its Web API calls going to a local server). Printed: how many were acknowledged,
   the ack latency (HTTP 200) at p50/p95/p99/max, and the time until the analysis was
   posted to the command's response_url.
2. Recap to DM: --recaps recap emails sent over SMTP to the listener from a rep who is
   in Slack; the listener stores each, the intake worker analyses it, and the scheduler
   (passes every --interval s) posts the post-meeting DM.
   Printed: time from the SMTP transaction's end to chat.postMessage, p50/p99/max.

    python benchmarks/bench_slack.py [--commands 200] [--clients 20] [--recaps 100]
"""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.slack.app import slack_client  # noqa: E402
from bot.slack.outbox import SlackOutbox  # noqa: E402
from bot.slack.scheduler import Scheduler  # noqa: E402
from storage import slack as slack_repo  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.repo import add_rep  # noqa: E402
from tests.slack.fake_slack import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlackApi,
    command_body,
    signed_post,
)

NOTES = (
    "Dana Reyes: Thanks, Priya. Can we review the proposal together on Wednesday at 10am?\n"
    "Priya Shah: Wednesday at 10 works.\n"
    "Dana Reyes: I'll send the security questionnaire by Monday.\n"
    "Priya Shah: Sounds good. Let's reconnect next week about pricing.\n"
)
RECAP = """Hi Priya,

Thanks for the call today. Recap of what we agreed:
- I'll send the proposal by Friday.
- Let's reconnect next week to talk it through.

Best,
Dana
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def row(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{name:<28} {len(ms):>5} {statistics.median(ms):>8.1f} {percentile(ms, 0.95):>8.1f} "
        f"{percentile(ms, 0.99):>8.1f} {max(ms):>8.1f}"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serve(settings: Settings, api: FakeSlackApi) -> tuple[subprocess.Popen[str], str]:
    """``nextstep serve`` (Slack only) in a process of its own, and its events URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXTSTEP_")}
    env.update(
        DATABASE_URL=settings.sqlalchemy_url,
        NEXTSTEP_DEFAULT_TZ="America/Los_Angeles",
        NEXTSTEP_SLACK_BOT_TOKEN=BOT_TOKEN,
        NEXTSTEP_SLACK_SIGNING_SECRET=SIGNING_SECRET,
        NEXTSTEP_SLACK_API_URL=api.base_url,
    )
    command = [sys.executable, "-m", "bot", "serve", "--port", "0", "--no-smtp", "--no-scheduler"]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("Slack: HTTP on "):
            url = line.split()[3].rstrip(",")
        if line.startswith("Ready"):
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, url
    raise SystemExit("nextstep serve did not start")


def bench_commands(settings: Settings, api: FakeSlackApi, count: int, clients: int) -> list[str]:
    process, url = start_serve(settings, api)
    sent_at: dict[str, float] = {}

    def one(index: int) -> tuple[int, float]:
        name = f"c{index}"
        body = command_body(
            NOTES + f"Ref {index}\n", api.response_url(name), user=f"U{index % clients:04d}"
        )
        sent_at[name] = time.perf_counter()
        status, _ = signed_post(url, body)
        return status, time.perf_counter() - sent_at[name]

    try:
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(one, range(count)))
        answers = api.wait_for("response_url", count, timeout=300)
        answered = [c.at - sent_at[c.path.rsplit("/", 1)[1]] for c in answers]
    finally:
        process.terminate()
        process.wait(timeout=30)
    acked = [latency for status, latency in results if status == 200]
    return [
        f"slash commands: {len(acked)}/{count} acknowledged, {clients} concurrent clients",
        row("ack (HTTP 200)", acked),
        row("answer at response_url", answered),
    ]


def bench_recaps(
    engine, settings: Settings, api: FakeSlackApi, count: int, interval: float
) -> list[str]:
    from bot.application import Application
    from bot.application.worker import start_worker_thread
    from integrations.smtp import DatabaseIntake, SmtpListener

    with Session(engine) as session:
        workspace = slack_repo.workspace_for("T0ACME", None, session=session)
        add_rep(
            "dana@acme.example",
            name="Dana Reyes",
            slack_user_id="U0DANA",
            tz="America/Los_Angeles",
            workspace_id=workspace.id,
            session=session,
        )
        session.commit()
    port = free_port()
    application = Application(engine, settings)
    listener = SmtpListener(DatabaseIntake(application), settings, host="127.0.0.1", port=port)
    client = slack_client(BOT_TOKEN, api.base_url)
    scheduler = Scheduler(
        engine, SlackOutbox(lambda _team: client), default_tz="America/Los_Angeles"
    )
    stop = threading.Event()
    thread = threading.Thread(target=lambda: scheduler.run(stop, interval), daemon=True)
    listener.start()
    thread.start()
    worker = start_worker_thread(application, stop)  # analyses what the listener stored
    sent_at: dict[str, float] = {}
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            for index in range(count):
                message = EmailMessage()
                message["From"] = "Dana Reyes <dana@acme.example>"
                message["To"] = settings.bot_address
                message["Subject"] = f"Recap {index:04d}"
                message["Message-ID"] = f"<bench-{index}@acme.example>"
                message["Date"] = format_datetime(datetime.now(UTC))
                message.set_content(RECAP.replace("Priya", f"Priya {index}"))
                smtp.send_message(message)
                sent_at[f"Recap {index:04d}"] = time.perf_counter()
                time.sleep(0.05)  # recaps arrive one by one, not in one burst
        deadline = time.monotonic() + 60 + count
        latencies: dict[str, float] = {}
        while len(latencies) < count and time.monotonic() < deadline:
            for call in api.of("chat.postMessage"):  # DMs, and perhaps a pattern note
                subject = str(call.params.get("text", "")).split(": ", 1)[-1]
                if subject in sent_at:
                    latencies[subject] = call.at - sent_at[subject]
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(timeout=10)
        worker.join(timeout=30)
        listener.stop()
    return [
        f"recap to DM: {len(latencies)}/{count} DMs posted, scheduler every {interval:g} s",
        row("SMTP 250 -> chat.postMessage", list(latencies.values())),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--recaps", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.5)
    args = parser.parse_args()

    lines = [f"{'':<28} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        settings = Settings(
            _env_file=None,
            data_dir=Path(folder),
            database_url=url,
            default_tz="America/Los_Angeles",
            bot_address="nextstep@bot.example",
        )  # type: ignore[call-arg]
        api = FakeSlackApi().start()
        try:
            lines += bench_commands(settings, api, args.commands, args.clients)
            api.calls.clear()
            lines += bench_recaps(engine, settings, api, args.recaps, args.interval)
        finally:
            api.stop()
            engine.dispose()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
