"""Charsets with fallbacks, format=flowed, and text clean-up."""

from __future__ import annotations

import pytest

from bot.mail.text import decode_bytes, drop_link_targets, normalize, repair_surrogates, unflow

CAFE = "Café “Rouge” – 10€"


@pytest.mark.parametrize(
    ("data", "declared", "text", "warned"),
    [
        (CAFE.encode("utf-8"), "utf-8", CAFE, False),
        (CAFE.encode("cp1252"), "windows-1252", CAFE, False),
        (CAFE.encode("cp1252"), "iso-8859-1", CAFE, False),  # what Outlook means by Latin-1
        (CAFE.encode("cp1252"), "utf-8", CAFE, True),  # a wrong declaration
        (CAFE.encode("utf-8"), "iso-8859-1", CAFE, True),  # mojibake avoided
        (CAFE.encode("utf-8"), "us-ascii", CAFE, True),
        (CAFE.encode("utf-8"), "x-unknown-charset", CAFE, True),
        (CAFE.encode("utf-8"), None, CAFE, False),
        ("木曜日10時".encode("iso-2022-jp"), "iso-2022-jp", "木曜日10時", False),
        ("木曜日10時".encode("shift_jis"), "shift_jis", "木曜日10時", False),
        ("木曜日10時".encode(), "shift_jis", "木曜日10時", True),
        (b"plain ascii!", "utf-16", "plain ascii!", True),  # declared nonsense, still read
        (b"plain ascii", "base64", "plain ascii", True),  # not a text codec at all
        ("Ünïcödé".encode("utf-16"), "utf-16", "Ünïcödé", False),
    ],
)
def test_decode_bytes(data: bytes, declared: str | None, text: str, warned: bool) -> None:
    decoded, warning = decode_bytes(data, declared)
    assert decoded == text
    assert (warning is not None) is warned


def test_undecodable_bytes_never_raise_and_keep_every_byte() -> None:
    data = bytes(range(256))
    decoded, _warning = decode_bytes(data, "utf-8")
    assert len(decoded) == 256


def test_raw_utf8_in_headers_is_repaired() -> None:
    assert repair_surrogates("Caf\udcc3\udca9") == "Café"
    assert repair_surrogates("plain") == "plain"


@pytest.mark.parametrize(
    ("text", "delsp", "expected"),
    [
        ("This line is \nsoft broken.\nHard.", False, "This line is soft broken.\nHard."),
        ("With del\nsp.", True, "With del\nsp."),
        ("Joined wi \nthout space.", True, "Joined without space."),
        ("> quoted and \n> flowed.\nnot quoted", False, "> quoted and flowed.\nnot quoted"),
        ("-- \nsig", False, "-- \nsig"),  # the signature delimiter is not a soft break
        (" >From the start", False, ">From the start"),  # space-stuffing undone
    ],
)
def test_unflow(text: str, delsp: bool, expected: str) -> None:
    assert unflow(text, delsp=delsp) == expected


def test_normalize() -> None:
    text = "\r\n\r\nHi\u00a0Jane,\u200b  \r\n\r\n\r\n\r\nSee\x07 you\ufeff.\t \r\n\n"
    assert normalize(text) == "Hi Jane,\n\nSee you."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Click here<https://teams.microsoft.com/l/x>", "Click here"),
        ("jane@acme.com<mailto:jane@acme.com>", "jane@acme.com"),
        ("[cid:image001.png@01DB3B2C.5E6F7A80]\nMaya", "\nMaya"),
        ("Jane Doe <jane@acme.com>", "Jane Doe <jane@acme.com>"),
        ("the deck <https://acme.com/deck>", "the deck <https://acme.com/deck>"),
    ],
)
def test_drop_link_targets(text: str, expected: str) -> None:
    assert drop_link_targets(text) == expected
