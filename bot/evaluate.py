"""Score the engine against a labelled corpus (format: tests/corpus/GUIDE.md).

Conversation verdict accuracy, tier accuracy, step precision / recall / F1 (a predicted
step matches an expected one when the expected quote is inside the sentence the engine
cites), and due-date exactness over matched steps that have an expected due.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.engine import analyze
from bot.engine.model import Analysis, SourceKind, Step
from bot.errors import NextStepError, UsageError
from bot.loaders import load_text

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus"


def default_corpus() -> list[Path]:
    files = sorted(CORPUS_DIR.glob("*.jsonl"))
    if not files:
        raise UsageError(f"no corpus found in {CORPUS_DIR}; pass corpus files.")
    return files


@dataclass
class Case:
    id: str
    vertical: str
    kind: str
    verdict_ok: bool
    tier_ok: bool
    expected_steps: int
    predicted_steps: int
    matched: int
    due_total: int
    due_exact: int
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    cases: list[Case]

    def _ratio(self, part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def verdict_accuracy(self) -> float:
        return self._ratio(sum(c.verdict_ok for c in self.cases), len(self.cases))

    @property
    def tier_accuracy(self) -> float:
        return self._ratio(sum(c.tier_ok for c in self.cases), len(self.cases))

    @property
    def precision(self) -> float:
        return self._ratio(
            sum(c.matched for c in self.cases), sum(c.predicted_steps for c in self.cases)
        )

    @property
    def recall(self) -> float:
        return self._ratio(
            sum(c.matched for c in self.cases), sum(c.expected_steps for c in self.cases)
        )

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def due_exactness(self) -> float:
        return self._ratio(
            sum(c.due_exact for c in self.cases), sum(c.due_total for c in self.cases)
        )

    def breakdown(self, attribute: str) -> dict[str, tuple[int, int]]:
        totals: Counter[str] = Counter()
        right: Counter[str] = Counter()
        for case in self.cases:
            key = getattr(case, attribute)
            totals[key] += 1
            right[key] += case.verdict_ok
        return {key: (right[key], totals[key]) for key in sorted(totals)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "conversations": len(self.cases),
            "verdict_accuracy": round(self.verdict_accuracy, 4),
            "tier_accuracy": round(self.tier_accuracy, 4),
            "step_precision": round(self.precision, 4),
            "step_recall": round(self.recall, 4),
            "step_f1": round(self.f1, 4),
            "due_exactness": round(self.due_exactness, 4),
            "due_checked": sum(c.due_total for c in self.cases),
            "by_vertical": {
                k: {"right": r, "total": t} for k, (r, t) in self.breakdown("vertical").items()
            },
            "by_kind": {
                k: {"right": r, "total": t} for k, (r, t) in self.breakdown("kind").items()
            },
            "errors": [{"id": c.id, "problems": c.problems} for c in self.cases if c.problems],
        }


def evaluate_files(paths: list[Path]) -> Report:
    cases: list[Case] = []
    for path in paths:
        with path.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    record = json.loads(line)
                    cases.append(evaluate_record(record, where=f"{path.name}:{number}"))
    return Report(cases)


def evaluate_record(record: dict[str, Any], *, where: str = "") -> Case:
    expected = record["expected"]
    try:
        analysis = _analyze(record)
    except NextStepError as error:
        return Case(
            id=record["id"], vertical=record.get("vertical", "?"), kind=record.get("kind", "?"),
            verdict_ok=False, tier_ok=False, expected_steps=len(expected["steps"]),
            predicted_steps=0, matched=0,
            due_total=sum(1 for s in expected["steps"] if s.get("due")), due_exact=0,
            problems=[f"{where}: could not analyse: {error.message}"],
        )  # fmt: skip
    return _score(record, analysis)


def _analyze(record: dict[str, Any]) -> Analysis:
    kind = SourceKind(record["kind"]) if record.get("kind") else None
    at = datetime.fromisoformat(record["at"]) if record.get("at") else None
    document = load_text(
        record["text"],
        kind=kind,
        at=at,
        tz=record["tz"],
        rep=record.get("rep"),
        source=record["id"],
    )
    return analyze(document)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


def _quotes(step: Step) -> list[str]:
    return [_norm(step.evidence.quote)] + [_norm(e.quote) for e in step.superseded]


def _score(record: dict[str, Any], analysis: Analysis) -> Case:
    expected = record["expected"]
    problems: list[str] = []
    verdict_ok = analysis.next_steps_secured == expected["secured"]
    if not verdict_ok:
        problems.append(
            f"secured: expected {expected['secured']}, got {analysis.next_steps_secured} "
            f"({analysis.reason})"
        )
    tier_ok = str(analysis.tier) == expected["tier"]
    if not tier_ok:
        problems.append(f"tier: expected {expected['tier']}, got {analysis.tier}")
    unmatched = list(analysis.steps)
    matched = due_total = due_exact = 0
    for want in expected["steps"]:
        quote = _norm(want["quote"])
        hit = next((s for s in unmatched if any(quote in q for q in _quotes(s))), None)
        if want.get("due"):
            due_total += 1
        if hit is None:
            problems.append(f'missed step: "{want["quote"]}" ({want["kind"]})')
            continue
        unmatched.remove(hit)
        matched += 1
        if want.get("due"):
            if _same_due(want["due"], hit.due):
                due_exact += 1
            else:
                problems.append(
                    f'due of "{want["quote"]}": expected {want["due"]}, got {_iso(hit.due)}'
                )
    for extra in unmatched:
        problems.append(f'invented step: "{extra.evidence.quote[:80]}" ({extra.kind})')
    return Case(
        id=record["id"], vertical=record.get("vertical", "?"), kind=record.get("kind", "?"),
        verdict_ok=verdict_ok, tier_ok=tier_ok, expected_steps=len(expected["steps"]),
        predicted_steps=len(analysis.steps), matched=matched, due_total=due_total,
        due_exact=due_exact, problems=problems,
    )  # fmt: skip


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _same_due(want: str, got: datetime | date | None) -> bool:
    if got is None:
        return False
    if len(want) == 10:
        return not isinstance(got, datetime) and got.isoformat() == want
    if not isinstance(got, datetime):
        return False
    return datetime.fromisoformat(want) == got
