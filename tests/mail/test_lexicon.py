"""The mail lexicon is the one place its words live: every phrase of every language in the
table works through the parser, so adding a phrase there is the whole change."""

from __future__ import annotations

import pytest

from bot.mail import lexicon
from bot.mail.forwards import is_forward_subject
from bot.mail.lexicon import WORDS, Marker
from bot.mail.signatures import strip_signature
from bot.mail.thread import split_thread

REPLY = "Thursday at 10 works."
OLD = "Could we meet next week?"
LANGUAGES = sorted(WORDS)


def test_every_language_names_every_kind_of_marker() -> None:
    assert len(LANGUAGES) >= 12
    for language in LANGUAGES:
        assert set(WORDS[language]) == set(Marker), language


@pytest.mark.parametrize("phrase", lexicon.words(Marker.MOBILE))
def test_every_mobile_signature_of_the_table_is_cut(phrase: str) -> None:
    line = phrase.replace("{device}", "iPhone")
    assert strip_signature(f"{REPLY}\n\n{line}") == REPLY


@pytest.mark.parametrize("verb", lexicon.words(Marker.REPLY_VERB))
def test_every_reply_verb_of_the_table_splits_a_thread(verb: str) -> None:
    text = f"{REPLY}\n\n19.11.2026 15:02, Jane Doe <jane@acme.com> {verb}:\n{OLD}\n"
    segments, _warnings = split_thread(text, subject=None)
    assert [s.text.strip() for s in segments] == [REPLY, OLD]
    assert segments[1].header is not None and segments[1].header.author is not None
    assert segments[1].header.author.email == "jane@acme.com"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_s_header_block_splits_a_thread(language: str) -> None:
    table = WORDS[language]
    names = [table[m][0] for m in (Marker.FROM, Marker.DATE, Marker.TO, Marker.SUBJECT)]
    values = ["Jane Doe <jane@acme.com>", "19.11.2026 15:02", "dana@nextco.com", "Renewal"]
    block = "\n".join(f"{name}: {value}" for name, value in zip(names, values, strict=True))
    segments, _warnings = split_thread(f"{REPLY}\n\n{block}\n\n{OLD}\n", subject=None)
    assert [s.text.strip() for s in segments] == [REPLY, OLD]
    assert segments[1].header is not None and segments[1].header.subject == "Renewal"


@pytest.mark.parametrize("marker", lexicon.words(Marker.FORWARD))
def test_every_forward_marker_of_the_table_marks_a_forward(marker: str) -> None:
    text = f"FYI\n\n---------- {marker} ---------\nFrom: Jane Doe <jane@acme.com>\n\n{OLD}\n"
    segments, _warnings = split_thread(text, subject=None)
    assert [s.text.strip() for s in segments] == ["FYI", OLD]
    assert segments[1].forwarded


@pytest.mark.parametrize("prefix", lexicon.words(Marker.FORWARD_SUBJECT))
def test_every_forward_subject_prefix_of_the_table_is_a_forward(prefix: str) -> None:
    assert is_forward_subject(f"{prefix}: Renewal")
    assert not is_forward_subject(f"Renewal {prefix}")


def test_the_mobile_pre_filter_comes_from_the_table() -> None:
    hints = lexicon.mobile_hints()
    assert len(hints) >= 10
    for phrase in lexicon.words(Marker.MOBILE):
        line = phrase.replace("{device}", "iPhone").lower()
        assert any(hint in line for hint in hints), phrase
