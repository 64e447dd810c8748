"""Every labelled conversation, own and blind, follows the file format of GUIDE.md.

The checks are one function, `problems(record)`, run over every line of every corpus file
and, at the bottom, over small broken records to show that each check can fail.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

CORPUS = Path(__file__).resolve().parent
FILES = sorted(CORPUS.glob("*.jsonl")) + sorted(CORPUS.glob("blind/*.jsonl"))
FIELDS = ("id", "vertical", "kind", "at", "tz", "rep", "text", "expected", "traps", "why")
VERTICALS = {
    "sales",
    "recruiting",
    "customer_success",
    "real_estate",
    "it_service_desk",
    "coaching",
}
KINDS = {"transcript", "notes", "email"}
TIERS = {"gold", "silver", "bronze", "none"}
STEP_KINDS = {"meeting", "deliverable", "homework", "callback", "decision"}
OWNERS = {"rep", "counterpart", "both"}
OUTCOMES = {"clear_no", "open", "secured"}


def _records() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in FILES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found.append((f"{path.relative_to(CORPUS)}:{number}", json.loads(line)))
    return found


RECORDS = _records()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _offset_problem(value: str, zone: ZoneInfo, what: str) -> str | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return f"{what} {value!r} is not an ISO date-time"
    if moment.tzinfo is None:
        return f"{what} {value!r} has no UTC offset"
    if moment.utcoffset() != moment.astimezone(zone).utcoffset():
        return f"{what} {value!r} does not carry the rep's offset in {zone.key}"
    return None


def _step_problems(step: dict[str, Any], lines: list[str], zone: ZoneInfo) -> list[str]:
    found = []
    quote = step.get("quote", "")
    if not 2 <= len(quote.split()) <= 8:
        found.append(f"quote {quote!r} is not 2 to 8 words")
    if not any(_norm(quote) in _norm(line) for line in lines):
        found.append(f"quote {quote!r} is not on one line of the text")
    if step.get("kind") not in STEP_KINDS:
        found.append(f"step kind {step.get('kind')!r}")
    if step.get("owner") not in OWNERS:
        found.append(f"step owner {step.get('owner')!r}")
    due = step.get("due")
    if isinstance(due, str) and len(due) == 10:
        try:
            date.fromisoformat(due)
        except ValueError:
            found.append(f"due {due!r} is not a date")
    elif due is not None:
        found.append(_offset_problem(str(due), zone, "due") or "")
    if step.get("secured") and not step.get("acknowledged"):
        found.append(f"step {quote!r} is secured but not acknowledged")
    return [p for p in found if p]


def problems(record: dict[str, Any], *, blind: bool = False) -> list[str]:
    """What is wrong with one labelled conversation; empty when it follows the format."""
    found = [f"missing field {name}" for name in FIELDS if name not in record]
    if found:
        return found
    if blind and not record["id"].startswith("blind-"):
        found.append(f"blind id {record['id']!r} lacks the blind- prefix")
    if record["vertical"] not in VERTICALS:
        found.append(f"vertical {record['vertical']!r}")
    if record["kind"] not in KINDS:
        found.append(f"kind {record['kind']!r}")
    if record.get("paste") and record["kind"] != "email":
        found.append("paste is only for pasted emails")
    try:
        zone = ZoneInfo(record["tz"])
    except (KeyError, ValueError):
        return [*found, f"tz {record['tz']!r} is not an IANA zone"]
    found.append(_offset_problem(record["at"], zone, "at") or "")
    expected = record["expected"]
    tier, steps = expected.get("tier"), expected.get("steps", [])
    if tier not in TIERS:
        found.append(f"tier {tier!r}")
    if expected.get("secured") != (tier != "none"):
        found.append(f"secured {expected.get('secured')} disagrees with tier {tier}")
    if tier != "none" and not any(s.get("secured") for s in steps):
        found.append(f"tier {tier} without a secured step")
    outcome = expected.get("outcome")
    if outcome is not None and (
        outcome not in OUTCOMES or expected.get("secured") != (outcome == "secured")
    ):
        found.append(
            f"outcome {outcome!r} on a conversation labelled secured={expected['secured']}"
        )
    lines = record["text"].splitlines()
    for step in steps:
        found.extend(_step_problems(step, lines, zone))
    return [p for p in found if p]


def test_there_are_own_and_blind_corpus_files() -> None:
    assert any(path.parent == CORPUS for path in FILES)
    assert any(path.parent.name == "blind" for path in FILES)
    assert len(RECORDS) >= 150


def test_ids_are_unique_across_every_file() -> None:
    ids = [r["id"] for _, r in RECORDS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize(("where", "record"), RECORDS, ids=[w for w, _ in RECORDS])
def test_record_follows_the_format(where: str, record: dict[str, Any]) -> None:
    assert problems(record, blind=where.startswith("blind/")) == []


GOOD = {
    "id": "blind-x-1", "vertical": "sales", "kind": "transcript",
    "at": "2026-11-19T15:00:00-08:00", "tz": "America/Los_Angeles", "rep": "Dana",
    "text": "Dana: Can we meet Tuesday at 2pm?\nSam: Sounds good.",
    "expected": {"secured": True, "tier": "gold", "steps": [
        {"quote": "meet Tuesday at 2pm", "kind": "meeting", "owner": "both",
         "due": "2026-11-24T14:00:00-08:00", "acknowledged": True, "secured": True}]},
    "traps": [], "why": "agreed",
}  # fmt: skip


def _broken(change: dict[str, Any] | None = None, **step: Any) -> dict[str, Any]:
    expected = {**GOOD["expected"], "steps": [{**GOOD["expected"]["steps"][0], **step}]}
    return {**GOOD, "expected": expected, **(change or {})}


@pytest.mark.parametrize(
    ("record", "complaint"),
    [
        (_broken(quote="meet Wednesday at 2pm"), "is not on one line"),
        (_broken(quote="Tuesday"), "is not 2 to 8 words"),
        (_broken(quote="2pm?\nSam: Sounds"), "is not on one line"),
        (_broken(due="2026-11-24T14:00:00"), "has no UTC offset"),
        (_broken(due="2026-11-24T14:00:00-07:00"), "does not carry the rep's offset"),
        (_broken(due="Tuesday"), "is not an ISO date-time"),
        (_broken({"at": "2026-11-19T15:00:00"}), "has no UTC offset"),
        (_broken(acknowledged=False), "secured but not acknowledged"),
        (_broken(kind="call"), "step kind"),
        (_broken({"expected": {**GOOD["expected"], "secured": False}}), "disagrees with tier"),
        (_broken({"expected": {**GOOD["expected"], "steps": []}}), "without a secured step"),
        (_broken({"expected": {**GOOD["expected"], "outcome": "clear_no"}}), "outcome"),
        (_broken({"expected": {**GOOD["expected"], "outcome": "open"}}), "outcome"),
        (_broken({"paste": True}), "paste is only for pasted emails"),
        (_broken({"id": "x-1"}), "lacks the blind- prefix"),
        ({k: v for k, v in GOOD.items() if k != "why"}, "missing field why"),
    ],
)
def test_each_check_can_fail(record: dict[str, Any], complaint: str) -> None:
    assert problems(GOOD, blind=True) == []
    found = problems(record, blind=True)
    assert any(complaint in p for p in found), found
