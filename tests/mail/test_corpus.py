"""The .eml corpus under tests/data/email: each message against the JSON beside it.

Each JSON names, per part (newest first), the author, the date (with its offset), depth,
whether it was forwarded, and text that must / must not be in the body.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.mail.parse import MessagePart, ParsedEmail, parse_email

DATA = Path(__file__).parent.parent / "data" / "email"
CASES = sorted(DATA.glob("*.eml"))


def expected_for(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def test_the_corpus_covers_the_mail_clients() -> None:
    assert len(CASES) >= 20
    assert all(path.with_suffix(".json").exists() for path in CASES)


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedEmail]:
    return {path.stem: parse_email(path.read_bytes()) for path in CASES}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_headers(path: Path, parsed: dict[str, ParsedEmail]) -> None:
    expected, email = expected_for(path), parsed[path.stem]
    assert email.subject == expected["subject"]
    assert (email.sender.email if email.sender else None) == expected["sender"]
    for text in expected.get("warnings_have", []):
        assert any(text in warning for warning in email.warnings), (text, email.warnings)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_parts(path: Path, parsed: dict[str, ParsedEmail]) -> None:
    expected, email = expected_for(path), parsed[path.stem]
    summary = [(p.author, p.date, p.body[:60]) for p in email.parts]
    assert len(email.parts) == len(expected["parts"]), summary
    for index, (part, want) in enumerate(zip(email.parts, expected["parts"], strict=True)):
        check_part(part, want, f"{path.stem} part {index}")


def check_part(part: MessagePart, want: dict[str, Any], where: str) -> None:
    author = want["author"]
    got = {"name": part.author.name, "email": part.author.email} if part.author else None
    assert got == author, where
    if want["date"] is None:
        assert part.date is None, where
    else:
        date = datetime.fromisoformat(want["date"])
        assert part.date == date and part.date.utcoffset() == date.utcoffset(), (where, part.date)
    assert part.depth == want["depth"], where
    assert part.forwarded == want["forwarded"], where
    if "subject" in want:
        assert part.subject == want["subject"], where
    for key in ("to", "cc"):
        if key in want:
            assert [box.email for box in getattr(part, key)] == want[key], where
    for text in want["has"]:
        assert text in part.body, (where, text, part.body)
    for text in want["lacks"]:
        assert text not in part.body, (where, text, part.body)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_attachments_and_calendar(path: Path, parsed: dict[str, ParsedEmail]) -> None:
    expected, email = expected_for(path), parsed[path.stem]
    found = [{"filename": a.filename, "content_type": a.content_type} for a in email.attachments]
    assert found == expected.get("attachments", [])
    assert len(email.calendar_parts) == expected.get("calendar_parts", 0)
    for text in expected.get("calendar_has", []):
        assert any(text.encode() in part for part in email.calendar_parts), text
