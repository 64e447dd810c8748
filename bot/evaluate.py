"""Score the engine against a labelled corpus (format: tests/corpus/GUIDE.md).

Conversation verdict accuracy, tier accuracy, step precision / recall / F1 (a predicted
step matches an expected one when the expected quote is inside the sentence the engine
cites), and due-date exactness over matched steps that have an expected due.

The corpus has two parts, scored apart: the own part (`tests/corpus/*.jsonl`, which the
engine was tuned on) and the blind part (`tests/corpus/blind/*.jsonl`, written from the
rubric before the engine saw it). Beside the measures above, each part reports the
independent-set measures: the share of expected unsecured steps the engine reports at
all, the matched steps it calls secured that are expected unsecured, the inputs the
loader refused, and, where a record expects one, the conversation's outcome.
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
from bot.engine.model import Analysis, Document, SourceKind, Step
from bot.errors import NextStepError, UsageError
from bot.loaders import load_text

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus"
OWN_PART = "own"
CLEAR_NO = "clear_no"
BLIND_PART = "blind"


def default_corpus() -> list[Path]:
    files = sorted(CORPUS_DIR.glob("*.jsonl")) + sorted((CORPUS_DIR / BLIND_PART).glob("*.jsonl"))
    if not files:
        raise UsageError(f"no corpus found in {CORPUS_DIR}; pass corpus files.")
    return files


def part_of(path: Path) -> str:
    """The blind part is any file in a folder named `blind`; everything else is own."""
    return BLIND_PART if path.parent.name == BLIND_PART else OWN_PART


def file_name(path: Path) -> str:
    """A corpus file's name as the per-file lines show it: blind files keep their folder."""
    return f"{BLIND_PART}/{path.name}" if part_of(path) == BLIND_PART else path.name


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
    part: str = OWN_PART
    file: str = ""  # the corpus file, relative to its part's folder ("blind/part_c.jsonl")
    refused: bool = False
    unsecured_expected: int = 0
    unsecured_reported: int = 0
    wrongly_secured: int = 0
    outcome_checked: bool = False
    outcome_ok: bool = False
    clear_no_wrongly: bool = False  # called clear_no, labelled open or secured (or unlabelled)


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

    @property
    def unsecured_reported(self) -> float:
        """Share of expected unsecured steps that the engine reports as a step at all."""
        return self._ratio(
            sum(c.unsecured_reported for c in self.cases),
            sum(c.unsecured_expected for c in self.cases),
        )

    @property
    def wrongly_secured(self) -> int:
        """Matched steps the engine calls secured that are expected unsecured."""
        return sum(c.wrongly_secured for c in self.cases)

    @property
    def refused(self) -> int:
        """Conversations the loader could not load."""
        return sum(c.refused for c in self.cases)

    @property
    def clear_no_wrongly(self) -> int:
        """Conversations called a clear no that are labelled otherwise: a soft no must stay open."""
        return sum(c.clear_no_wrongly for c in self.cases)

    @property
    def outcome_accuracy(self) -> float:
        checked = [c for c in self.cases if c.outcome_checked]
        return self._ratio(sum(c.outcome_ok for c in checked), len(checked))

    def parts(self) -> dict[str, Report]:
        """One report per corpus part, own first, in the order the parts appear."""
        names = sorted({c.part for c in self.cases}, key=lambda n: (n != OWN_PART, n))
        return {name: Report([c for c in self.cases if c.part == name]) for name in names}

    def files(self) -> dict[str, Report]:
        """One report per corpus file, in the order the files were read."""
        names = list(dict.fromkeys(c.file for c in self.cases))
        return {name: Report([c for c in self.cases if c.file == name]) for name in names}

    def breakdown(self, attribute: str) -> dict[str, tuple[int, int]]:
        totals: Counter[str] = Counter()
        right: Counter[str] = Counter()
        for case in self.cases:
            key = getattr(case, attribute)
            totals[key] += 1
            right[key] += case.verdict_ok
        return {key: (right[key], totals[key]) for key in sorted(totals)}

    def to_dict(self) -> dict[str, Any]:
        """The measures over every case, and the same measures for each part under `parts`."""
        result = self.measures()
        result["parts"] = {name: part.measures() for name, part in self.parts().items()}
        result["files"] = {name: part.summary() for name, part in self.files().items()}
        return result

    def summary(self) -> dict[str, Any]:
        """The headline measures of one file, for the per-file lines."""
        return {
            "conversations": len(self.cases),
            "verdict_accuracy": round(self.verdict_accuracy, 4),
            "tier_accuracy": round(self.tier_accuracy, 4),
            "due_exactness": round(self.due_exactness, 4),
            "unsecured_steps_reported": round(self.unsecured_reported, 4),
            "steps_wrongly_secured": self.wrongly_secured,
            "inputs_refused": self.refused,
        }

    def measures(self) -> dict[str, Any]:
        return {
            "conversations": len(self.cases),
            "verdict_accuracy": round(self.verdict_accuracy, 4),
            "tier_accuracy": round(self.tier_accuracy, 4),
            "step_precision": round(self.precision, 4),
            "step_recall": round(self.recall, 4),
            "step_f1": round(self.f1, 4),
            "due_exactness": round(self.due_exactness, 4),
            "due_checked": sum(c.due_total for c in self.cases),
            "unsecured_steps_reported": round(self.unsecured_reported, 4),
            "unsecured_steps_expected": sum(c.unsecured_expected for c in self.cases),
            "steps_wrongly_secured": self.wrongly_secured,
            "inputs_refused": self.refused,
            "outcome_accuracy": round(self.outcome_accuracy, 4),
            "outcome_checked": sum(c.outcome_checked for c in self.cases),
            "clear_no_wrongly": self.clear_no_wrongly,
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
                    case = evaluate_record(record, where=f"{path.name}:{number}")
                    case.part = part_of(path)
                    case.file = file_name(path)
                    cases.append(case)
    return Report(cases)


def evaluate_record(record: dict[str, Any], *, where: str = "") -> Case:
    try:
        document = _load(record)
    except NextStepError as error:
        return _not_scored(record, f"{where}: input refused: {error.message}", refused=True)
    try:
        analysis = analyze(document)
    except NextStepError as error:
        return _not_scored(record, f"{where}: could not analyse: {error.message}", refused=False)
    return _score(record, analysis)


def _not_scored(record: dict[str, Any], problem: str, *, refused: bool) -> Case:
    steps = record["expected"]["steps"]
    return Case(
        id=record["id"], vertical=record.get("vertical", "?"), kind=record.get("kind", "?"),
        verdict_ok=False, tier_ok=False, expected_steps=len(steps), predicted_steps=0,
        matched=0, due_total=sum(1 for s in steps if s.get("due")), due_exact=0,
        problems=[problem], refused=refused,
        unsecured_expected=sum(1 for s in steps if not s.get("secured")),
        outcome_checked=bool(record["expected"].get("outcome")),
    )  # fmt: skip


def _load(record: dict[str, Any]) -> Document:
    # A pasted forward is what a rep types into a slash command: no kind is given, the
    # loader's detection decides, as it would for the slash command.
    pasted = bool(record.get("paste"))
    kind = SourceKind(record["kind"]) if record.get("kind") and not pasted else None
    at = datetime.fromisoformat(record["at"]) if record.get("at") else None
    return load_text(
        record["text"],
        kind=kind,
        at=at,
        tz=record["tz"],
        rep=record.get("rep"),
        source=record["id"],
    )


def _outcome(analysis: Analysis) -> str | None:
    value = getattr(analysis, "outcome", None)
    return str(value) if value is not None else None


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
    want_outcome, got_outcome = expected.get("outcome"), _outcome(analysis)
    outcome_checked = want_outcome is not None or got_outcome == CLEAR_NO
    outcome_ok = outcome_checked and got_outcome == want_outcome
    if outcome_checked and not outcome_ok:
        problems.append(f"outcome: expected {want_outcome}, got {got_outcome}")
    unmatched = list(analysis.steps)
    matched = due_total = due_exact = 0
    unsecured_expected = unsecured_reported = wrongly_secured = 0
    for want in expected["steps"]:
        quote = _norm(want["quote"])
        hit = next((s for s in unmatched if any(quote in q for q in _quotes(s))), None)
        if want.get("due"):
            due_total += 1
        if not want["secured"]:
            unsecured_expected += 1
        if hit is None:
            problems.append(f'missed step: "{want["quote"]}" ({want["kind"]})')
            continue
        unmatched.remove(hit)
        matched += 1
        if not want["secured"]:
            unsecured_reported += 1
            if hit.secured:
                wrongly_secured += 1
                problems.append(f'wrongly secured: "{want["quote"]}" is expected unsecured')
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
        due_exact=due_exact, problems=problems, unsecured_expected=unsecured_expected,
        unsecured_reported=unsecured_reported, wrongly_secured=wrongly_secured,
        outcome_checked=outcome_checked, outcome_ok=outcome_ok,
        clear_no_wrongly=got_outcome == CLEAR_NO and want_outcome != CLEAR_NO,
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
