"""Recognising a thread: Message-IDs, subjects and quoted text, as mail clients write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.threads import (
    header_message_id,
    is_reply_subject,
    message_ids,
    normalise_message_id,
    subject_key,
    text_key,
)

RECAP = (
    "Hi Carla,\n\nThanks for today, great to see the pilot numbers trending up. Recap of "
    "next steps:\n\n- I'll send the renewal quote by end of day tomorrow.\n- Can we hold the "
    "QBR on Thursday, December 3 at 11am to review the pilot numbers together?\n"
)


@pytest.mark.parametrize(
    ("subject", "key"),
    [
        ("Recap - Northwind x Harbor Freight pilot", "recap - northwind x harbor freight pilot"),
        (
            "Re: Recap - Northwind x Harbor Freight pilot",
            "recap - northwind x harbor freight pilot",
        ),
        (
            "RE: FW: Re:  Recap -  Northwind x Harbor Freight pilot",
            "recap - northwind x harbor freight pilot",
        ),
        ("Fwd: Re: Recap - Northwind", "recap - northwind"),
        ("[EXTERNAL] RE: Recap - Northwind", "recap - northwind"),
        ("AW: WG: Angebot Q1", "angebot q1"),  # German Outlook
        ("SV: Tilbud", "tilbud"),  # Scandinavian
        ("Re[2]: Pricing", "pricing"),
        ("RE：見積もり", "見積もり"),  # full-width colon
        ("Regarding the pilot", "regarding the pilot"),  # "Re" inside a word stays
        ("Re:", None),
        ("", None),
        (None, None),
    ],
)
def test_subject_key(subject: str | None, key: str | None) -> None:
    assert subject_key(subject) == key


@pytest.mark.parametrize(
    ("subject", "reply"),
    [
        ("Re: Recap", True),
        ("RE: [EXTERNAL] Recap", True),
        ("[EXTERNAL] Re: Recap", True),
        ("AW: Angebot", True),
        ("Fwd: Re: Recap", False),  # a forward: the rep passing it on, not a reply
        ("Recap", False),
        ("Regarding the pilot", False),
        (None, False),
    ],
)
def test_is_reply_subject(subject: str | None, reply: bool) -> None:
    assert is_reply_subject(subject) is reply


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<CAJr7Qx2-recap-19nov@mail.gmail.com>", "CAJr7Qx2-recap-19nov@mail.gmail.com"),
        ("  <abc@x.example>\n", "abc@x.example"),
        ("abc@x.example", "abc@x.example"),
        ("<>", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_message_id(value: str | None, expected: str | None) -> None:
    assert normalise_message_id(value) == expected


def test_references_header_names_every_id_once_in_order() -> None:
    references = "<a@x.example>\r\n <b@x.example> <a@x.example>"

    assert message_ids("<c@x.example>", references, None) == [
        "c@x.example",
        "a@x.example",
        "b@x.example",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"From: a@x.example\r\nMessage-ID: <m1@x.example>\r\n\r\nbody", "m1@x.example"),
        (b"From: a@x.example\nMessage-Id:\n <folded@x.example>\n\nbody", "folded@x.example"),
        (b"From: a@x.example\n\nMessage-ID: <in-body@x.example>\n", None),
        (b"%PDF-1.7\n", None),
        (b"", None),
    ],
    ids=["crlf", "folded", "only-in-body", "pdf", "empty"],
)
def test_header_message_id_reads_only_the_header_block(raw: bytes, expected: str | None) -> None:
    assert header_message_id(raw) == expected


@given(st.binary(max_size=2000))
def test_header_message_id_never_raises(raw: bytes) -> None:
    found = header_message_id(raw)
    assert found is None or (found and "<" not in found)


@given(st.text(max_size=200))
def test_subject_key_is_stable(subject: str) -> None:
    key = subject_key(subject)
    assert key is None or subject_key(key) == key


@pytest.mark.parametrize(
    "quoted",
    [
        "\n".join("> " + line for line in RECAP.splitlines()),  # Gmail
        RECAP.replace("\n", "\r\n"),  # CRLF
        RECAP.replace(". Recap of next", ".\nRecap of next").replace(
            " QBR on", "\nQBR on"
        ),  # re-wrapped
        RECAP.upper(),  # case
    ],
    ids=["gt-quoted", "crlf", "rewrapped", "upper"],
)
def test_quoted_text_keeps_its_key(quoted: str) -> None:
    assert text_key(quoted) == text_key(RECAP) is not None


@pytest.mark.parametrize("short", ["Sounds good!", "Thanks, see you then.", "", None])
def test_short_texts_have_no_key(short: str | None) -> None:
    assert text_key(short) is None


def test_different_recaps_have_different_keys() -> None:
    assert text_key(RECAP) != text_key(RECAP.replace("Carla", "Priya"))


@given(st.text(max_size=3000))
def test_text_key_never_raises(body: str) -> None:
    key = text_key(body)
    assert key is None or len(key) == 32
