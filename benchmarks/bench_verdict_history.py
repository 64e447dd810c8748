"""What a late acknowledgment costs now that it reworks the conversation's verdict and
records the change, on SQLite (a temporary file) or the database at --database-url.

Stores --conversations recaps (one proposed, unacknowledged meeting each, several other
steps in some), then, per conversation: marks the meeting agreed (`steps ack`: the step,
the verdict worked out from every step, a verdict_change row), and reads the history
back; then works each verdict out again with nothing changed (the recompute alone,
inside its transaction). Prints the median and 95th percentile of each, and the pure verdict function's
cost per conversation.

    python benchmarks/bench_verdict_history.py [--conversations 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.application import Application  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.engine.verdict import StepFacts, verdict_of  # noqa: E402
from bot.vocabulary import InputSource, VerdictCause  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.history import Because, recompute_verdict  # noqa: E402

RECAP = """From: Dana Reyes <dana@northwind.example>
To: Priya Shah <priya@customer{n}.example>
Subject: Proposal review {n}
Date: Thu, 19 Nov 2026 15:30:00 -0800
Message-ID: <bench-recap-{n}@northwind.example>

Hi Priya,

Thanks for your time today. How about we review the proposal together with Miguel on
Wednesday at 10am? I'll send the security questionnaire by Friday.

Dana
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def line(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{label:<38} median {statistics.median(ms):7.2f} ms   "
        f"p95 {percentile(ms, 0.95):7.2f} ms   n={len(ms)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        upgrade(url)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(folder),
            database_url=url,
            bot_address="nextstep@northwind.example",
        )
        engine = make_engine(url)
        app = Application(engine, settings, clock=lambda: datetime.now(UTC))
        app.add_rep("dana@northwind.example", name="Dana Reyes", tz="America/Los_Angeles")
        meetings: list[tuple[int, int]] = []
        for n in range(args.conversations):
            result = app.ingest(RECAP.format(n=n).encode(), source=InputSource.SMTP)
            assert result.conversation_id is not None
            detail = app.show_conversation(result.conversation_id)
            step = next(s for s in detail.steps if s.kind == "meeting")
            meetings.append((result.conversation_id, step.id))
        acks: list[float] = []
        reads: list[float] = []
        secured = 0
        for conversation_id, step_id in meetings:
            started = time.perf_counter()
            app.acknowledge(step_id, by="cli", note="said yes on the phone")
            acks.append(time.perf_counter() - started)
            started = time.perf_counter()
            history = app.verdict_history(conversation_id)
            reads.append(time.perf_counter() - started)
            secured += history[-1].secured_after
        recomputes: list[float] = []
        because = Because(VerdictCause.MANUAL, None, "bench")
        for conversation_id, _ in meetings:
            with app.session() as session:
                started = time.perf_counter()
                recompute_verdict(
                    conversation_id, because, at=app.clock(), how="bench", session=session
                )
                recomputes.append(time.perf_counter() - started)
        engine.dispose()
    facts = [
        StepFacts(f"step {i}", "meeting", i % 2 == 0, True, i % 3 == 0, True, False)
        for i in range(8)
    ]
    rounds = 100_000
    started = time.perf_counter()
    for _ in range(rounds):
        verdict_of(facts)
    pure = (time.perf_counter() - started) / rounds
    backend = url.split(":", 1)[0]
    print(f"database: {backend}; conversations: {len(meetings)}; secured after the mark: {secured}")
    print(line("steps ack (step + verdict + history)", acks))
    print(line("recompute alone (verdict unchanged)", recomputes))
    print(line("verdict_history read", reads))
    print(f"{'verdict_of, 8 steps (pure)':<38} {pure * 1e6:7.2f} µs per conversation")


if __name__ == "__main__":
    main()
