"""How fast is the time-phrase finder, and what would plain dateparser.search_dates cost?

Prints the median microseconds per sentence for sentences with no time phrase, with one
time phrase (second call: the dateparser cache is warm), and the same sentences through
`dateparser.search_dates(s, languages=["en"])`, side by side; then the total for a
one-hour transcript's worth of sentences (700, one in eight with a time phrase).

    python benchmarks/bench_timex.py [--repeat 200] [--skip-search-dates]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.engine.timex import find_times  # noqa: E402

TZ = "America/Los_Angeles"
NOW = datetime(2026, 11, 19, 15, 0, tzinfo=ZoneInfo(TZ))

NO_TIME = [
    "So the main thing we want to understand is how your dispatch team hands work over.",
    "That makes sense, and it's a pattern we see with most regional operators of your size.",
    "We integrate with the ticketing system you already have, so nobody changes tools.",
    "Right now it's mostly phone calls and a shared spreadsheet that the office maintains.",
    "Let me check with my CFO first, she signs off on anything over a certain amount.",
    "Honestly the biggest issue is that nobody knows who owns a job once it's reassigned.",
    "We want to make sure the decision makers are aligned on the budget for the rollout.",
    "I think the main thing for us is getting the pricing approved by finance and legal.",
    "Could you walk me through how approvals work on your side of the house?",
    "Our technicians mostly use their phones, so the mobile experience really matters.",
    "That's a fair question and I'd rather show you than describe it in the abstract.",
    "We had a rough experience with the last vendor because onboarding dragged on forever.",
    "Who else should be part of the evaluation besides you and the operations lead?",
    "The security team will want to see how data is stored and who can access it.",
    "I appreciate you being candid about the internal politics around this project.",
    "We can set up a sandbox so your team can try the workflows with real job data.",
]
ONE_PHRASE = [
    "Could we get you and your operations lead together to review the proposal Tuesday at 2?",
    "I'll send the security questionnaire by end of day tomorrow.",
    "Once IT confirms the SSO settings, I'll schedule the technical review within 48 hours.",
    "Tuesday is board prep, so can we do Wednesday at 10 instead?",
    "I think our budget cycle closes at the end of the quarter, so timing matters.",
    "Let's plan to review the proposal together on Thursday at 2pm with your CFO.",
    "I'll have the revised pricing over to you by Friday.",
    "We could start the pilot early next month if legal signs off.",
    "Let's reconnect next week once you've had a chance to digest all of this.",
    "Can you send me the crew roster by 4pm so I can load it into the sandbox?",
    "We tried a scheduling tool back in March but the crews never adopted it.",
    "I'll get back to you within 2 business days with the implementation plan.",
    "How about Dec 3 at 11am Eastern for the onsite walkthrough?",
    "Send it over first thing Monday and I'll review it before the call.",
    "Your legal team said they'd need about two weeks to review the contract.",
    "Let's lock in noon Thursday for the demo with the dispatchers.",
]


def per_sentence_us(run: Callable[[str], object], sentences: list[str], repeat: int) -> float:
    """Median over sentences of the mean microseconds per call."""
    costs = []
    for sentence in sentences:
        run(sentence)  # warm: compiled patterns, zone data, dateparser's language data
        start = time.perf_counter()
        for _ in range(repeat):
            run(sentence)
        costs.append((time.perf_counter() - start) / repeat * 1e6)
    return statistics.median(costs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--skip-search-dates", action="store_true")
    args = parser.parse_args()

    def ours(sentence: str) -> object:
        return find_times(sentence, now=NOW, tz=TZ)

    rows = [("no time phrase", NO_TIME), ("one time phrase", ONE_PHRASE)]
    print(f"{'median µs per sentence':<26}{'find_times':>12}{'search_dates':>14}{'ratio':>8}")
    for label, sentences in rows:
        mine = per_sentence_us(ours, sentences, args.repeat)
        theirs_text, ratio = "skipped", ""
        if not args.skip_search_dates:
            from dateparser.search import search_dates

            def theirs(sentence: str) -> object:
                return search_dates(sentence, languages=["en"])

            theirs_us = per_sentence_us(theirs, sentences, max(3, args.repeat // 50))
            theirs_text, ratio = f"{theirs_us:,.0f}", f"{theirs_us / mine:,.0f}x"
        print(f"{label:<26}{mine:>12,.1f}{theirs_text:>14}{ratio:>8}")

    hour = [NO_TIME[i % len(NO_TIME)] for i in range(700)]
    for i in range(0, 700, 8):
        hour[i] = ONE_PHRASE[(i // 8) % len(ONE_PHRASE)]
    start = time.perf_counter()
    for sentence in hour:
        ours(sentence)
    elapsed = (time.perf_counter() - start) * 1e3
    print(f"\none hour of transcript (700 sentences, 88 with a time phrase): {elapsed:.1f} ms")


if __name__ == "__main__":
    main()
