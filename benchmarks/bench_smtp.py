"""How does the SMTP listener hold up while big recaps are being analysed?

Starts ``nextstep smtp`` (the listener and its one worker, as a user runs it) on a
fresh SQLite file, or on PostgreSQL with --postgres, then sends --count recaps from
--clients concurrent SMTP clients. In the mix, sent first: one 24 MB recap (over the
5 MB text limit) and four 4 MB dense recaps (thousands of commitments each). Printed:
sent / 250 / stored / analysed / lost, the listener's throughput, how long the worker
took to finish, and the other senders' p50 / p99 time from MAIL FROM to the 250 after
DATA (target: p99 under 1 s while the big ones are analysed).

    python benchmarks/bench_smtp.py [--count 200] [--clients 20] [--budget 20] [--postgres]
                                    [--no-big]
"""

from __future__ import annotations

import argparse
import os
import queue
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSTGRES = os.environ.get(
    "NEXTSTEP_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BOT = "nextstep@recaps.acme-robotics.com"
REP = "dana.reyes@acme-robotics.com"
MB = 1024 * 1024


def message(n: int, body: str, subject: str) -> bytes:
    return (
        f"From: Dana Reyes <{REP}>\r\n"
        f"To: buyer{n}@customer{n % 300}.example\r\n"
        "Date: Mon, 23 Nov 2026 07:00:00 -0800\r\n"
        f"Message-ID: <bench-{n}-{uuid.uuid4().hex[:8]}@acme-robotics.com>\r\n"
        f"Subject: {subject}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"{body}\r\n"
    ).encode()


def recap(n: int) -> bytes:
    body = (
        f"Thanks for call {n}. As agreed, we'll send the pilot proposal by Friday noon\r\n"
        "and review it together next Tuesday at 10am with your operations lead.\r\n\r\n"
        "Sounds good, see you Tuesday. -- Buyer"
    )
    return message(n, body, f"Recap: call {n}")


def dense(n: int, size: int) -> bytes:
    line = (
        "Action item: we'll send the revised order form by Thursday 3pm and you will "
        "confirm the start date by end of next week.\r\n"
    )
    return message(n, line * (size // len(line)), f"Recap: long workshop {n}")


def start_listener(env: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "smtp", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "Listening" not in line:
        raise SystemExit(f"the listener did not start: {line!r}")
    return process, int(line.rsplit(":", 1)[1])


def client(port: int, work: queue.Queue[tuple[int, bytes, bool]], out: list[tuple]) -> None:
    """Send messages on one connection; record (big, seconds MAIL FROM→250, code)."""
    smtp: smtplib.SMTP | None = None
    while True:
        try:
            _n, raw, big = work.get_nowait()
        except queue.Empty:
            break
        try:
            if smtp is None:
                smtp = smtplib.SMTP("127.0.0.1", port, timeout=600)
                smtp.ehlo()
            started = time.perf_counter()
            smtp.mail(REP)
            smtp.rcpt(BOT)
            code, _ = smtp.data(raw)
            out.append((big, time.perf_counter() - started, code))
        except (OSError, smtplib.SMTPException):
            out.append((big, float("nan"), 0))
            smtp = None
    if smtp is not None:
        smtp.quit()


def statuses(url: str) -> dict[str, int]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("select status, count(*) from inbound_message group by status")
            ).all()
    finally:
        engine.dispose()
    return {str(status): int(count) for status, count in rows}


def failure_reasons(url: str) -> dict[str, int]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("select error from inbound_message where status = 'failed'")
            ).all()
    finally:
        engine.dispose()
    reasons: dict[str, int] = {}
    for (error,) in rows:
        key = str(error).split(";")[0][:90]
        reasons[key] = reasons.get(key, 0) + 1
    return reasons


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="small recaps to send")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--budget", type=float, default=20.0, help="analysis time budget, s")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--no-big", action="store_true", help="leave the 24 MB and 4 MB recaps out (a baseline)"
    )
    args = parser.parse_args()

    from storage.db import session_scope, upgrade
    from storage.repo import add_rep

    folder = Path(tempfile.mkdtemp(prefix="nextstep-bench-smtp-"))
    schema = None
    if args.postgres:
        schema = f"bench_smtp_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(POSTGRES, poolclass=sa.NullPool)
        with admin.begin() as connection:
            connection.execute(sa.text(f'create schema "{schema}"'))
        url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{folder / 'nextstep.db'}"
    upgrade(url)
    from storage.db import make_engine

    engine = make_engine(url)
    with session_scope(engine) as session:
        add_rep(REP, name="Dana Reyes", tz="America/Los_Angeles", session=session)
    engine.dispose()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "NEXTSTEP_DATA_DIR": str(folder),
        "NEXTSTEP_BOT_ADDRESS": BOT,
        "NEXTSTEP_ANALYSIS_TIME_BUDGET": str(args.budget),
    }
    listener, port = start_listener(env)

    work: queue.Queue[tuple[int, bytes, bool]] = queue.Queue()
    if not args.no_big:
        work.put((0, dense(0, 24 * MB), True))
        for n in range(1, 5):
            work.put((n, dense(n, 4 * MB), True))
    for n in range(5, 5 + args.count):
        work.put((n, recap(n), False))
    sent = work.qsize()
    results: list[tuple] = []
    started = time.perf_counter()
    threads = [
        threading.Thread(target=client, args=(port, work, results)) for _ in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sending = time.perf_counter() - started

    deadline = time.monotonic() + 30 * args.budget + 120
    while time.monotonic() < deadline:
        now = statuses(url)
        if not now.get("received") and not now.get("processing"):
            break
        time.sleep(1)
    finished = time.perf_counter() - started
    final = statuses(url)
    reasons = failure_reasons(url)
    listener.terminate()
    listener.wait(60)
    if schema is not None:
        with admin.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))

    accepted = [r for r in results if r[2] == 250]
    others = [seconds for big, seconds, code in results if not big and code == 250]
    stored = sum(final.values())
    analysed = final.get("processed", 0) + final.get("failed", 0)
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; budget {args.budget:g} s")
    print(f"sent {sent} / 250 {len(accepted)} / stored {stored} / analysed {analysed}", end="")
    print(f" / lost {max(0, len(accepted) - stored)}")
    print(f"outcomes: {dict(sorted(final.items()))}")
    for reason, count in sorted(reasons.items()):
        print(f"  failed x{count}: {reason}")
    print(f"listener: {len(accepted) / sending:.1f} messages/s ({sending:.1f} s for {sent})")
    print(f"worker: everything analysed {finished:.1f} s after the first message")
    if others:
        print(
            f"other senders, MAIL FROM to 250: p50 {statistics.median(others) * 1000:.0f} ms, "
            f"p99 {percentile(others, 0.99) * 1000:.0f} ms, max {max(others) * 1000:.0f} ms"
        )
    big = [seconds for is_big, seconds, code in results if is_big and code == 250]
    if big:
        print(f"the 5 big recaps, MAIL FROM to 250: max {max(big) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
