"""One lexicon keyed by meaning: every word pattern and the step pre-filter come from it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine import lexicon as lx
from bot.engine.lexicon import PHRASES, Meaning, pattern_of, step_prefilter

ROOT = Path(__file__).resolve().parents[2]


def test_every_meaning_has_phrases() -> None:
    assert set(PHRASES) == set(Meaning)
    for meaning, phrases in PHRASES.items():
        assert phrases, meaning
        assert len(set(phrases)) == len(phrases), f"{meaning} lists a phrase twice"


@pytest.mark.parametrize(
    ("pattern", "meanings"),
    [
        (lx.VAGUE_ACTION, (Meaning.REVISIT, Meaning.DELIBERATE, Meaning.VAGUE_TALK)),
        (lx.STALL, (Meaning.REVISIT, Meaning.DELIBERATE)),
        (lx.HEDGE, (Meaning.HEDGE,)),
        (lx.AFFIRM, (Meaning.AGREEMENT,)),
        (lx.DECLINE, (Meaning.REFUSAL,)),
        (lx.WITHDRAWAL, (Meaning.WITHDRAWAL,)),
        (lx.SCHEDULING, (Meaning.SCHEDULING,)),
        (lx.MEETING_STRONG, (Meaning.MEETING_NOUN,)),
        (lx.REPORT_BACK, (Meaning.REPORT_BACK,)),
        (lx.OFFER, (Meaning.OFFER,)),
        (lx.STEP_WORDS, lx.STEP_MEANINGS),
    ],
)
def test_patterns_are_built_from_the_table(pattern, meanings) -> None:
    assert pattern.pattern == pattern_of(*meanings).pattern


def test_the_prefilter_follows_the_table() -> None:
    phrases = {**PHRASES, Meaning.DELIBERATE: (*PHRASES[Meaning.DELIBERATE], r"marinate on")}
    assert lx.STEP_WORDS.search("Let me marinate on the pricing.") is None
    assert step_prefilter(phrases).search("Let me marinate on the pricing.") is not None


def _analyze_with(package: Path, text: str) -> dict:
    code = (
        "import json, sys\n"
        "from datetime import datetime, timezone\n"
        "from bot.engine import analyze\n"
        "from bot.engine.schema import analysis_to_dict\n"
        "from bot.loaders import load_text\n"
        "doc = load_text(sys.stdin.read(), kind='transcript', rep='Alex Kim', tz='UTC',\n"
        "                at=datetime(2026, 11, 18, 16, tzinfo=timezone.utc))\n"
        "print(json.dumps(analysis_to_dict(analyze(doc))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=text,
        capture_output=True,
        text=True,
        cwd=package,
        check=True,
    )
    return json.loads(result.stdout)


def test_adding_a_phrase_is_a_one_place_change(tmp_path: Path) -> None:
    """A new stall verb added to its meaning's tuple, and nowhere else, is found as a stall:
    the pre-filter lets the sentence through and the rules read it as a vague step."""
    text = (
        "Alex Kim: That is the whole proposal.\n"
        "Jordan Blake: Thanks. Let me marinate on the pricing.\n"
        "Alex Kim: Sure.\n"
    )
    shutil.copytree(ROOT / "bot", tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    before = _analyze_with(tmp_path, text)
    lexicon = tmp_path / "bot" / "engine" / "lexicon.py"
    source = lexicon.read_text(encoding="utf-8")
    anchor = "    Meaning.DELIBERATE: (\n"
    assert source.count(anchor) == 1
    lexicon.write_text(source.replace(anchor, anchor + '        r"marinate on",\n'), "utf-8")
    after = _analyze_with(tmp_path, text)
    codes = lambda report: {f["code"] for s in report["steps"] for f in s["findings"]}  # noqa: E731
    assert before["steps"] == []
    assert len(after["steps"]) >= 1
    assert "vague_action" in codes(after)
    assert after["next_steps_secured"] is False
