"""How fast is the engine, and what would plain dateparser.search_dates cost on the same text?

Prints, for a 300-word recap, a 9,000-word (one hour) transcript and a 90,000-word batch:
median milliseconds and words per second for `analyze` (load + analyse), side by side
with `dateparser.search_dates(text, languages=["en"])`; the cost per 1,000 words as the
transcript grows (linearity); peak memory; and the wall time of `nextstep analyze` on a
recap as a whole process.

Then the dense and adversarial shapes (one turn repeated word for word, proposal-and-
agreement turns back to back, one giant paragraph, many short turns, a date in every phrase,
a new speaker in every turn, one sentence with no end) at 1 KB, 64 KB, 1 MB and the 5 MB
input limit: CPU seconds and CPU milliseconds per 1,000 words for each, and the spread
(largest over smallest cost per 1,000 words; the target is within 2x).

    python benchmarks/bench_engine.py [--repeat 7] [--skip-search-dates] [--shapes-only]
                                      [--max-bytes 5000000] [--shape NAME ...]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.engine import analyze  # noqa: E402
from bot.engine.model import SourceKind  # noqa: E402
from bot.loaders import load_text  # noqa: E402

TZ = "America/Los_Angeles"
AT = datetime(2026, 11, 19, 15, 0, tzinfo=ZoneInfo(TZ))

REP_LINES = [
    "So the main thing we want to understand is how your dispatch team hands work to the field crews.",
    "That makes sense, and it's a pattern we see with most regional operators of your size.",
    "We integrate with the ticketing system you already have, so nobody has to change tools.",
    "Could we get you and your operations lead together to review the proposal, say Tuesday at 2?",
    "I'll send the security questionnaire by end of day tomorrow.",
    "Let me share a quick example from a customer in logistics who had the same spreadsheet problem.",
    "Once your IT team confirms the SSO settings, I'll schedule the technical review within 48 hours.",
    "Pricing depends on the number of crews, and we usually start with a ninety day pilot.",
]
COUNTERPART_LINES = [
    "Right now it's mostly phone calls and a shared spreadsheet that May from operations maintains.",
    "We tried a scheduling tool back in March but the crews never really adopted it.",
    "Tuesday is board prep. Actually, can we do Wednesday at 10 instead?",
    "That works for me, send the invite over.",
    "I think our budget cycle closes at the end of the quarter, so timing matters.",
    "How long does a typical rollout take for a team of about forty technicians?",
    "Let me check with my CFO first, she signs off on anything over a certain amount.",
    "Honestly the second biggest issue is that nobody knows who owns a job once it's reassigned.",
]


def transcript(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines: list[str] = []
    count = 0
    minute = 0
    while count < words:
        speaker, pool = (
            ("Dana Reyes", REP_LINES) if len(lines) % 2 == 0 else ("Priya Shah", COUNTERPART_LINES)
        )
        text = rng.choice(pool)
        minute += 1
        lines.append(f"[{minute // 60:02d}:{minute % 60:02d}] {speaker}: {text}")
        count += len(text.split())
    return "\n".join(lines) + "\n"


def recap(words: int = 300) -> str:
    body = transcript(words, seed=3).replace("Dana Reyes: ", "").replace("Priya Shah: ", "")
    lines = [line.split("] ", 1)[1] for line in body.splitlines()]
    return "Recap of today's call with Priya:\n\n" + "\n".join(f"- {line}" for line in lines) + "\n"


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri"]
NOUNS = ["proposal", "pilot plan", "contract", "renewal quote", "rollout plan", "SOW", "budget"]
NAMES = ["Sam", "Maria", "Tom", "Priya", "Ben", "Lena", "Raj", "Ana"]
WORDS = ["ok", "sure", "right", "yes", "mhm", "got it", "yeah", "cool", "thanks", "fine"]


def dense(rng: random.Random) -> str:
    """One proposal-and-agreement exchange; back to back, every sentence is a step."""
    day, other, hour = rng.choice(DAYS), rng.choice(DAYS), rng.randint(1, 5)
    return (
        f"Dana Reyes: Can we review the {rng.randint(10, 999)}-seat {rng.choice(NOUNS)} {day} at "
        f"{hour}pm? I'll send the "
        f"{rng.choice(NOUNS)} by {other}.\nSam Lee: Sounds good, {day} at {hour}pm works.\n"
    )


def repeated(rng: random.Random) -> str:
    """The same proposal-and-agreement turn, word for word, again and again."""
    return (
        "Dana Reyes: Can we review the proposal Tuesday at 2pm? I'll send the SOW by Monday.\n"
        "Sam Lee: Sounds good, Tuesday at 2pm works.\n"
    )


def paragraph(rng: random.Random) -> str:
    """Sentences with steps and times and no line break: one giant paragraph."""
    return (
        f"Let's go through the {rng.randint(10, 999)}-seat {rng.choice(NOUNS)} {rng.choice(DAYS)} at "
        f"{rng.randint(1, 5)}pm "
        f"with {rng.choice(NAMES)} and I'll send the {rng.choice(NOUNS)} by "
        f"{rng.choice(DAYS)}, {rng.choice(NAMES)} agreed. "
    )


def short_turns(rng: random.Random) -> str:
    """Many one-word turns."""
    return f"Dana Reyes: {rng.choice(WORDS)}\nSam Lee: {rng.choice(WORDS)}\n"


def many_dates(rng: random.Random) -> str:
    """Notes with a date in every phrase."""
    return (
        f"- {rng.choice(NOUNS).capitalize()} review #{rng.randint(10, 999)} w/ {rng.choice(NAMES)} "
        f"{rng.choice(SHORT)} {rng.randint(1, 12)}/{rng.randint(1, 28)} {rng.randint(1, 5)}pm, "
        f"Jan {rng.randint(1, 28)} {rng.randint(9, 11)}am, by {rng.choice(DAYS)} EOD (confirmed)\n"
    )


def many_speakers(rng: random.Random) -> str:
    """The rep's proposal answered each time by a speaker not heard before."""
    day, hour = rng.choice(DAYS), rng.randint(1, 5)
    return (
        f"Dana Reyes: {rng.choice(NAMES)}, can we meet {day} at {hour}pm about the "
        f"{rng.randint(10, 999)}-seat {rng.choice(NOUNS)}?\n"
        f"{rng.choice(NAMES)} Guest{rng.randint(1, 10**9)}: {rng.choice(WORDS).capitalize()}, "
        f"{day} at {hour}pm works.\n"
    )


def long_lines(rng: random.Random) -> str:
    """Words with times and no sentence end or line break: the whole input is one sentence."""
    return (
        f"and we could review the {rng.choice(NOUNS)} {rng.choice(DAYS)} at {rng.randint(1, 5)}pm "
        f"with {rng.choice(NAMES)} or send the {rng.choice(NOUNS)} by {rng.choice(DAYS)} "
    )


SHAPES = {
    "dense proposals": (dense, SourceKind.TRANSCRIPT),
    "one turn repeated": (repeated, SourceKind.TRANSCRIPT),
    "one paragraph": (paragraph, SourceKind.NOTES),
    "short turns": (short_turns, SourceKind.TRANSCRIPT),
    "many dates": (many_dates, SourceKind.NOTES),
    "many speakers": (many_speakers, SourceKind.TRANSCRIPT),
    "long lines": (long_lines, SourceKind.NOTES),
}


def shaped(piece, size: int, seed: int = 13) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(piece(rng))
        total += len(parts[-1])
    return "".join(parts)


def shapes(max_bytes: int, only: list[str] | None = None) -> None:
    sizes = [n for n in (1_000, 64_000, 1_000_000, 5_000_000) if n <= max_bytes]
    print("\ndense and adversarial shapes: CPU seconds (load + analyse), CPU ms per 1,000 words")
    print(f"{'shape':18}" + "".join(f"{_size(n):>20}" for n in sizes) + f"{'spread':>8}")
    for name, (piece, kind) in SHAPES.items():
        if only and name not in only:
            continue
        cells, costs = [], []
        for size in sizes:
            text = shaped(piece, size)
            words = len(text.split())
            # Small inputs take milliseconds: enough runs for about half a CPU second, so one
            # noisy run does not move the median (and the spread) by itself.
            repeat = max(5, 500_000 // size) if size <= 64_000 else 1
            # CPU time of this process: on a shared machine wall time moves a cell by 2-10x.
            function = engine(text, kind)
            ms = (
                median_ms(function, repeat, cpu=True) if repeat > 1 else once_ms(function, cpu=True)
            )
            costs.append(ms / words * 1000)
            cells.append(f"{ms / 1000:8.2f} s {costs[-1]:6.1f} ms")
        print(
            f"{name:18}" + "".join(f"{c:>20}" for c in cells) + f"{max(costs) / min(costs):7.1f}x"
        )


def _size(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1_000} KB"


def once_ms(function, *, cpu: bool = False) -> float:
    clock = time.process_time if cpu else time.perf_counter
    start = clock()
    function()
    return (clock() - start) * 1000


def median_ms(function, repeat: int, *, cpu: bool = False) -> float:
    function()  # warm-up: compiled patterns, dateparser's caches
    return statistics.median(once_ms(function, cpu=cpu) for _ in range(repeat))


def engine(text: str, kind: SourceKind):
    return lambda: analyze(load_text(text, kind=kind, at=AT, tz=TZ, rep="Dana Reyes"))


def search_dates(text: str):
    import dateparser.search

    settings = {"RELATIVE_BASE": AT.replace(tzinfo=None), "PREFER_DATES_FROM": "future"}
    return lambda: dateparser.search.search_dates(text, languages=["en"], settings=settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-search-dates", action="store_true")
    parser.add_argument("--shapes-only", action="store_true")
    parser.add_argument("--max-bytes", type=int, default=5_000_000)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only these")
    args = parser.parse_args()
    if args.shapes_only:
        shapes(args.max_bytes, args.shape)
        return

    texts = {
        "recap, 300 words": (recap(300), SourceKind.NOTES, args.repeat),
        "transcript, 9,000 words": (transcript(9_000), SourceKind.TRANSCRIPT, args.repeat),
        "batch, 90,000 words": (
            transcript(90_000, seed=11),
            SourceKind.TRANSCRIPT,
            max(3, args.repeat // 2),
        ),
    }
    print(
        f"{'input':26} {'words':>7} {'engine ms':>10} {'words/s':>10} {'search_dates ms':>16} {'ratio':>7}"
    )
    for name, (text, kind, repeat) in texts.items():
        words = len(text.split())
        ours = median_ms(engine(text, kind), repeat)
        if args.skip_search_dates:
            theirs_text, ratio = "skipped", ""
        else:
            theirs = median_ms(search_dates(text), 1 if words > 20_000 else 3)
            theirs_text, ratio = f"{theirs:,.0f}", f"{theirs / ours:,.1f}x"
        print(
            f"{name:26} {words:>7,} {ours:>10,.1f} {words / ours * 1000:>10,.0f} {theirs_text:>16} {ratio:>7}"
        )

    print("\nlinearity: engine ms per 1,000 words as the transcript grows")
    for words in (1_000, 4_000, 16_000, 64_000):
        text = transcript(words, seed=5)
        ms = median_ms(engine(text, SourceKind.TRANSCRIPT), 3)
        print(
            f"  {words:>7,} words: {ms:8.1f} ms total, {ms / words * 1000:6.2f} ms per 1,000 words"
        )

    tracemalloc.start()
    engine(texts["transcript, 9,000 words"][0], SourceKind.TRANSCRIPT)()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak Python memory analysing the one-hour transcript: {peak / 1e6:.1f} MB")
    print(f"peak resident memory of this whole benchmark process: {rss_mb:.0f} MB")

    example = ROOT / "examples" / "open-house-notes.md"
    command = [
        sys.executable,
        "-m",
        "bot",
        "analyze",
        str(example),
        "--tz",
        TZ,
        "--at",
        AT.isoformat(),
    ]
    walls = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
    print(f"`nextstep analyze` on a recap, whole process: median {statistics.median(walls):.2f} s")
    shapes(args.max_bytes, args.shape)


if __name__ == "__main__":
    main()
