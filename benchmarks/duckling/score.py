"""Duckling's English time corpus, future-scheduling subset: nextstep's time layer beside
plain ``dateparser.search_dates``, cases agreed and milliseconds per phrase.

    python benchmarks/duckling/score.py [--misses]

The table and the rules for agreeing are those of tests/engine/test_timex_duckling.py.
search_dates runs with languages=["en"], the corpus reference time as RELATIVE_BASE and
PREFER_DATES_FROM="future"; the longest date it finds is compared.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.engine.test_timex_duckling import nextstep, score  # noqa: E402


def search_dates(text: str, reference: datetime, tz: str) -> datetime | None:
    from dateparser.search import search_dates as search

    settings = {"RELATIVE_BASE": reference.replace(tzinfo=None), "PREFER_DATES_FROM": "future"}
    found = search(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    if not found:
        return None
    return max(found, key=lambda pair: len(pair[0]))[1]


def main() -> None:
    rows = []
    for name, resolver in (
        ("nextstep find_times", nextstep),
        ("dateparser.search_dates", search_dates),
    ):
        started = time.perf_counter()
        agreed, total, misses = score(resolver)
        elapsed = time.perf_counter() - started
        rows.append((name, agreed, total, elapsed * 1000 / total, misses))
    print(f"{'resolver':<26}{'agreed':>12}{'share':>8}{'ms/phrase':>11}")
    for name, agreed, total, ms, _ in rows:
        print(f"{name:<26}{f'{agreed}/{total}':>12}{agreed / total:>8.1%}{ms:>11.2f}")
    if "--misses" in sys.argv:
        for name, *_, misses in rows:
            print(f"\n{name} misses ({len(misses)}):", "; ".join(misses))


if __name__ == "__main__":
    main()
