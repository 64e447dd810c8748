"""How fast does nextstep ingest recap mail, on SQLite and on PostgreSQL?

Writes --count realistic recap threads to disk (reps in several zones, hundreds of
counterpart companies, two to four next steps each, replies that confirm with In-Reply-To,
forwarded replies without thread headers), then for each database in a process of its
own: ingests them all through the ingestion service (one session per message, as the
SMTP listener does), then ingests the same files again. Printed side by side: messages
per second, the outcome counts, peak memory (ru_maxrss for the whole run; tracemalloc
over a traced run of the first --trace messages) and the rows the second pass added
(none, if duplicates are recognised).

    python benchmarks/bench_ingest.py [--count 10000] [--trace 500] [--skip-postgres]

PostgreSQL is NEXTSTEP_TEST_DATABASE_URL (default: the local server's test database);
each run gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSTGRES = os.environ.get(
    "NEXTSTEP_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REPS = [
    ("Dana Reyes", "dana.reyes", "America/Los_Angeles"),
    ("Jordan Blake", "jordan.blake", "America/New_York"),
    ("Priya Nair", "priya.nair", "Europe/London"),
    ("Lukas Becker", "lukas.becker", "Europe/Berlin"),
    ("Aiko Tanaka", "aiko.tanaka", "Asia/Tokyo"),
    ("Mateo Silva", "mateo.silva", "America/Sao_Paulo"),
    ("Grace Okafor", "grace.okafor", "Africa/Lagos"),
    ("Sam Whitfield", "sam.whitfield", "Australia/Sydney"),
]
OUR_DOMAINS = ["northwind-analytics.com", "brightpath.io", "keystone-realty.com"]
NAMES = [
    "Carla",
    "Ben",
    "Priya",
    "Sam",
    "Omar",
    "Lena",
    "Marco",
    "Yuki",
    "Chloe",
    "Ravi",
    "Ines",
    "Tom",
    "Ada",
    "Felix",
    "Nora",
    "Hugo",
]
SURNAMES = [
    "Mendes",
    "Shah",
    "Okafor",
    "Lindqvist",
    "Romano",
    "Kowalski",
    "Haddad",
    "Moreau",
    "Chen",
    "Novak",
    "Quinn",
]
WORDS = [
    "harbor",
    "summit",
    "cedar",
    "atlas",
    "pioneer",
    "beacon",
    "granite",
    "orbit",
    "maple",
    "vertex",
    "copper",
    "delta",
]
SUFFIXES = ["logistics", "retail", "health", "labs", "group", "systems", "foods", "energy"]
STEPS = [
    "I'll send the renewal quote by end of day tomorrow.",
    "Can we hold the review on {weekday} at {hour}am to go through the pilot numbers together?",
    "I'll send calendar options for the onsite by Friday.",
    "You'll share the usage export with us by {weekday}, and we'll go through it on a call.",
    "Once your IT team confirms SSO, I'll schedule the security review within 48 hours.",
    "Let's touch base next week about the Europe rollout.",
    "I'll send over the references from two logistics customers on {weekday}.",
    "Demo for your operations leads on {month} {day} at {hour}pm.",
    "I'll call you by 4pm with the revised pricing.",
    "We should circle back after the holidays.",
]
REPLIES = [
    "Sounds good, see you then. I've asked my operations lead to join.",
    "Works for me. {weekday} at {hour} is in my calendar.",
    "Thanks! Let me check with my CFO and get back to you.",
    "Perfect, talk then.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def generate(folder: Path, count: int, seed: int = 20261119) -> None:
    """``count`` .eml files: recap threads, some answered, some answers forwarded."""
    rng = random.Random(seed)
    companies = [
        f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{rng.choice(SUFFIXES)}.com" for _ in range(400)
    ]
    start = datetime(2026, 10, 1, tzinfo=UTC)
    written = 0
    while written < count:
        rep_name, rep_local, zone = rng.choice(REPS)
        rep = f"{rep_name} <{rep_local}@{OUR_DOMAINS[REPS.index((rep_name, rep_local, zone)) % 3]}>"
        contact = f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}"
        address = f"{contact.split()[0].lower()}@{rng.choice(companies)}"
        sent = start + timedelta(minutes=rng.randrange(60 * 24 * 55))
        local = sent.astimezone(ZoneInfo(zone))
        subject = f"Recap - {contact.split()[0]} / {rng.choice(WORDS).title()} pilot"
        recap_id = f"<{uuid.UUID(int=rng.getrandbits(128))}@mail.example>"
        steps = [_fill(rng.choice(STEPS), rng) for _ in range(rng.randint(2, 4))]
        body = f"Hi {contact.split()[0]},\n\nThanks for today. Next steps:\n\n"
        body += "".join(f"- {s}\n" for s in steps) + f"\nBest,\n{rep_name}\n"
        recap = _message(rep, f"{contact} <{address}>", subject, local, recap_id, body)
        written += _write(folder, written, recap)
        if written < count and rng.random() < 0.45:
            reply_at = (sent + timedelta(hours=rng.randint(1, 40))).astimezone(ZoneInfo(zone))
            answer = _fill(rng.choice(REPLIES), rng)
            quoted = "".join(f"> {line}\n" for line in body.splitlines())
            reply_body = f"{answer}\n\nOn {format_datetime(local)} {rep} wrote:\n{quoted}"
            reply = _message(
                f"{contact} <{address}>",
                rep,
                f"Re: {subject}",
                reply_at,
                f"<{uuid.UUID(int=rng.getrandbits(128))}@mail.example>",
                reply_body,
                in_reply_to=recap_id,
            )
            written += _write(folder, written, reply)
            if written < count and rng.random() < 0.2:  # the rep forwards the answer
                forward = (
                    f"FYI, see below.\n\n---------- Forwarded message ---------\n"
                    f"From: {contact} <{address}>\nDate: {format_datetime(reply_at)}\n"
                    f"Subject: Re: {subject}\nTo: {rep}\n\n{reply_body}"
                )
                at = reply_at + timedelta(minutes=rng.randint(5, 300))
                message = _message(
                    rep,
                    f"nextstep@{OUR_DOMAINS[0]}",
                    f"Fwd: Re: {subject}",
                    at,
                    f"<{uuid.UUID(int=rng.getrandbits(128))}@mail.example>",
                    forward,
                )
                written += _write(folder, written, message)


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        weekday=rng.choice(WEEKDAYS),
        hour=rng.randint(9, 11),
        month=rng.choice(["December", "January"]),
        day=rng.randint(1, 28),
    )


def _message(
    sender: str,
    to: str,
    subject: str,
    at: datetime,
    message_id: str,
    body: str,
    in_reply_to: str | None = None,
) -> str:
    headers = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {format_datetime(at)}",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
    ]
    if in_reply_to:
        headers += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    return "\n".join(headers) + "\n\n" + body


def _write(folder: Path, index: int, message: str) -> int:
    (folder / f"{index:06d}.eml").write_text(message, encoding="utf-8")
    return 1


# --- one database, in a process of its own ------------------------------------------------


def run_one(backend: str, folder: Path, trace: int) -> dict[str, object]:
    """Ingest every file twice into a fresh database; the numbers as a dict."""
    files = sorted(folder.glob("*.eml"))
    with fresh_database(backend, folder) as url:
        first = ingest_all(url, files)
        rows = count_rows(url)
        second = ingest_all(url, files)
        rows_after = count_rows(url)
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with fresh_database(backend, folder) as url:
        tracemalloc.start()
        ingest_all(url, files[:trace])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "backend": backend,
        "messages": len(files),
        "first": first,
        "second": second,
        "rows": rows,
        "new_rows": {k: rows_after[k] - rows[k] for k in rows},
        "maxrss_mb": round(maxrss_mb, 1),
        "tracemalloc_peak_mb": round(peak / 2**20, 1),
        "traced": min(trace, len(files)),
    }


class fresh_database:
    """A new SQLite file, or a new PostgreSQL schema (dropped on exit), migrated."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.folder = folder

    def __enter__(self) -> str:
        from storage.db import upgrade

        if self.backend == "sqlite":
            self.url = f"sqlite:///{self.folder.parent / (self.name + '.db')}"
        else:
            self._admin(f'create schema "{self.name}"')
            self.url = (
                f"{POSTGRES}{'&' if '?' in POSTGRES else '?'}options=-csearch_path%3D{self.name}"
            )
        upgrade(self.url)
        self._register_reps()
        return self.url

    def __exit__(self, *exc: object) -> None:
        if self.backend == "postgres":
            self._admin(f'drop schema "{self.name}" cascade')

    def _admin(self, sql: str) -> None:
        import sqlalchemy as sa

        engine = sa.create_engine(POSTGRES, poolclass=sa.NullPool)
        with engine.begin() as connection:
            connection.execute(sa.text(sql))
        engine.dispose()

    def _register_reps(self) -> None:
        from storage.db import make_engine, session_scope
        from storage.repo import add_rep

        engine = make_engine(self.url)
        with session_scope(engine) as session:
            for index, (name, local, zone) in enumerate(REPS):
                add_rep(f"{local}@{OUR_DOMAINS[index % 3]}", name=name, tz=zone, session=session)
        engine.dispose()


def ingest_all(url: str, files: list[Path]) -> dict[str, object]:
    from bot.application import Application
    from bot.config import Settings
    from bot.vocabulary import IngestOutcome, InputSource
    from storage.db import make_engine

    settings = Settings(_env_file=None, database_url=url, bot_address=f"nextstep@{OUR_DOMAINS[0]}")
    engine = make_engine(url)
    application = Application(engine, settings)
    outcomes = dict.fromkeys(map(str, IngestOutcome), 0)
    errors: dict[str, int] = {}
    started = time.perf_counter()
    for path in files:
        raw = path.read_bytes()
        result = application.ingest(raw, source=InputSource.SMTP)  # one session, as SMTP does
        outcomes[result.status] += 1
        if result.error:
            errors[result.error[:90]] = errors.get(result.error[:90], 0) + 1
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "seconds": round(seconds, 2),
        "per_second": round(len(files) / seconds, 1) if seconds else 0,
        "outcomes": outcomes,
        "errors": errors,
    }


def count_rows(url: str) -> dict[str, int]:
    from sqlmodel import Session, func, select

    from storage.db import make_engine
    from storage.models import Conversation, InboundMessage, NextStep

    engine = make_engine(url)
    with Session(engine) as session:
        rows = {
            model.__tablename__: session.exec(select(func.count()).select_from(model)).one()
            for model in (InboundMessage, Conversation, NextStep)
        }
    engine.dispose()
    return rows  # type: ignore[return-value]


# --- side by side -----------------------------------------------------------------------


def postgres_reachable() -> bool:
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES, connect_args={"connect_timeout": 3}, poolclass=sa.NullPool)
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def print_table(results: list[dict]) -> None:  # type: ignore[type-arg]
    def row(label: str, values: list[object]) -> None:
        print(f"{label:<34}" + "".join(f"{v!s:>22}" for v in values))

    row("", [r["backend"] for r in results])
    row("messages", [f"{r['messages']:,}" for r in results])
    row("ingest: seconds", [r["first"]["seconds"] for r in results])
    row("ingest: messages/s", [r["first"]["per_second"] for r in results])
    for status in ("ingested", "updated", "duplicate", "failed"):
        row(f"  {status}", [r["first"]["outcomes"][status] for r in results])
    row(
        "rows: inputs/conversations/steps",
        ["/".join(map(str, r["rows"].values())) for r in results],
    )
    row("peak RSS, whole run (MB)", [r["maxrss_mb"] for r in results])
    row(
        "tracemalloc peak (MB)",
        [f"{r['tracemalloc_peak_mb']} ({r['traced']} msgs)" for r in results],
    )
    row("re-ingest: messages/s", [r["second"]["per_second"] for r in results])
    row("re-ingest: duplicates", [r["second"]["outcomes"]["duplicate"] for r in results])
    row("re-ingest: new rows", [sum(r["new_rows"].values()) for r in results])
    for result in results:
        for error, times in result["first"]["errors"].items():
            print(f"  {result['backend']} failed x{times}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="emails to generate")
    parser.add_argument("--trace", type=int, default=500, help="messages in the traced run")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--run-one", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        print(json.dumps(run_one(args.run_one, args.dir, args.trace)))
        return
    with tempfile.TemporaryDirectory(prefix="nextstep-bench-") as tmp:
        folder = Path(tmp) / "mail"
        folder.mkdir()
        started = time.perf_counter()
        generate(folder, args.count)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        print(
            f"wrote {args.count:,} recap emails ({size:.1f} MB) in {time.perf_counter() - started:.1f} s"
        )
        backends = ["sqlite"]
        if not args.skip_postgres:
            if postgres_reachable():
                backends.append("postgres")
            else:
                print(f"PostgreSQL at {POSTGRES} is not reachable: SQLite only")
        results = []
        for backend in backends:
            command = [sys.executable, __file__, "--run-one", backend, "--dir", str(folder)]
            done = subprocess.run(
                [*command, "--trace", str(args.trace)], capture_output=True, text=True, check=True
            )
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print_table(results)


if __name__ == "__main__":
    main()
