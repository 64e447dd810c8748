"""How fast does ``POST /api/v1/analyze`` answer under load?

Starts ``nextstep serve --api`` (no Slack, SMTP or scheduler) in its own process on a
temporary SQLite database, makes a token with ``nextstep tokens create``, then sends
requests from 20 concurrent clients: a 300-word recap, then a one-hour (9,000-word)
transcript. Prints n, p50, p95, p99 and max latency for each, beside the same analysis
in-process (the use case called directly, one at a time: median and p99).

    python benchmarks/bench_api.py [--clients 20] [--recaps 400] [--transcripts 60]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_engine import recap, transcript  # noqa: E402

AT = "2026-11-19T15:00:00-05:00"
API_ONLY = ["--no-slack", "--no-smtp", "--no-scheduler", "--api"]
TZ = "America/New_York"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def row(label: str, n: int, times: list[float]) -> str:
    p50, p95, p99 = (percentile(times, s) * 1000 for s in (0.5, 0.95, 0.99))
    return f"| {label} | {n} | {p50:.0f} ms | {p95:.0f} ms | {p99:.0f} ms | {max(times) * 1000:.0f} ms |"


def start_server(environment: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", "0", *API_ONLY],
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    base = ""
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("API v1: "):
            base = line.split()[2].removesuffix("/api/v1/")
        if line.startswith("Ready"):
            return process, base
    raise SystemExit("nextstep serve did not start")


def load(base: str, token: str, text: str, clients: int, requests: int) -> tuple[list[float], int]:
    body = {"text": text, "at": AT, "tz": TZ, "rep": "Dana Reyes"}

    local = threading.local()  # one client (one kept-alive connection) per client thread
    opened: list[httpx.Client] = []

    def one(_: int) -> tuple[float, int]:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base, timeout=120)
            opened.append(local.client)
        started = time.perf_counter()
        response = local.client.post(
            "/api/v1/analyze", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        return time.perf_counter() - started, response.status_code

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, range(requests)))
    for client in opened:
        client.close()
    return [t for t, _ in results], sum(1 for _, status in results if status == 200)


def in_process(text: str, repeat: int) -> list[float]:
    from datetime import datetime

    from bot.application import Application
    from bot.application.api import ApiUseCases
    from bot.config import Settings
    from storage.db import make_engine

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        settings = Settings(_env_file=None, data_dir=folder, database_url=url, default_tz=TZ)  # type: ignore[call-arg]
        use = ApiUseCases(Application(make_engine(url), settings))
        at = datetime.fromisoformat(AT)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            use.analyze(text, at=at, tz=TZ, rep="Dana Reyes")
            times.append(time.perf_counter() - started)
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--recaps", type=int, default=400)
    parser.add_argument("--transcripts", type=int, default=60)
    args = parser.parse_args()
    texts = {
        "300-word recap": (recap(300), args.recaps),
        "one-hour transcript": (transcript(9000), args.transcripts),
    }
    with tempfile.TemporaryDirectory() as folder:
        environment = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/nextstep.db",
            "NEXTSTEP_DATA_DIR": folder,
            "NEXTSTEP_DEFAULT_TZ": TZ,
            "NEXTSTEP_API_RATE_LIMIT": "1000000",
        }
        made = subprocess.run(
            [sys.executable, "-m", "bot", "tokens", "create", "--format", "json"],
            env=environment, capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        token = json.loads(made.stdout)["token"]
        process, base = start_server(environment)
        try:
            load(base, token, "We will call on Friday.", args.clients, args.clients)  # warm up
            print(
                f"POST /api/v1/analyze, {args.clients} concurrent clients, `nextstep serve` in its own process"
            )
            print("| what | n (200 OK) | p50 | p95 | p99 | max |")
            print("| --- | --- | --- | --- | --- | --- |")
            for label, (text, requests) in texts.items():
                started = time.perf_counter()
                times, ok = load(base, token, text, args.clients, requests)
                elapsed = time.perf_counter() - started
                print(
                    row(f"{label} over HTTP", requests, times).replace(
                        f"| {requests} |", f"| {requests} ({ok}) |"
                    )
                )
                print(f"|   throughput | {requests / elapsed:.1f} requests/s | | | | |")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    for label, (text, _) in texts.items():
        repeat = 30 if "recap" in label else 10
        times = in_process(text, repeat)
        print(row(f"{label} in-process (the use case, one at a time)", repeat, times))
        print(f"|   median | {statistics.median(times) * 1000:.0f} ms | | | | |")


if __name__ == "__main__":
    main()
