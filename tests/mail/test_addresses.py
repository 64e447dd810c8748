"""People as clients write them in headers and attribution lines."""

from __future__ import annotations

import pytest

from bot.mail.addresses import names_match, parse_mailbox, parse_mailbox_list, same_person
from bot.mail.model import Mailbox


@pytest.mark.parametrize(
    ("text", "name", "email"),
    [
        ("Jane Doe <jane@acme.com>", "Jane Doe", "jane@acme.com"),
        ('"Jane Doe" <Jane@Acme.com>', "Jane Doe", "jane@acme.com"),
        ("Jane Doe [mailto:jane@acme.com]", "Jane Doe", "jane@acme.com"),
        ("Jane Doe (<jane@acme.com>)", "Jane Doe", "jane@acme.com"),
        ("Jane Doe <jane@acme.com <mailto:jane@acme.com>>", "Jane Doe", "jane@acme.com"),
        ("jane@acme.com", None, "jane@acme.com"),
        ("<jane@acme.com>", None, "jane@acme.com"),
        ("Jane Doe jane@acme.com", "Jane Doe", "jane@acme.com"),
        ("Reyes, Dana <dana@nextco.com>", "Dana Reyes", "dana@nextco.com"),
        ("Doe, Jane", "Jane Doe", None),
        ("Acme, Inc. <billing@acme.com>", "Acme, Inc.", "billing@acme.com"),
        ("Kevin O'Brien <kobrien77@outlook.com>", "Kevin O'Brien", "kobrien77@outlook.com"),
        ("IT Service Desk", "IT Service Desk", None),
        ("*Jane Doe* <jane@acme.com>", "Jane Doe", "jane@acme.com"),  # Gmail's plain-text bold
        ("Chris Doyle via IT Desk <it@acme.com>", "Chris Doyle", "it@acme.com"),
    ],
)
def test_one_person(text: str, name: str | None, email: str | None) -> None:
    assert parse_mailbox(text) == Mailbox(name, email)


@pytest.mark.parametrize("text", ["", "   ", None, " , ; "])
def test_no_person(text: str | None) -> None:
    assert parse_mailbox(text) is None


@pytest.mark.parametrize(
    ("text", "emails", "names"),
    [
        (
            "Dana Reyes <dana@nextco.com>, Sam Lee <sam@acme.com>",
            ["dana@nextco.com", "sam@acme.com"],
            ["Dana Reyes", "Sam Lee"],
        ),
        (
            "Reyes, Dana <dana@nextco.com>; Chen, Wei <wei.chen@globex.com>",
            ["dana@nextco.com", "wei.chen@globex.com"],
            ["Dana Reyes", "Wei Chen"],
        ),
        ("Reyes, Dana <dana@nextco.com>", ["dana@nextco.com"], ["Dana Reyes"]),
        (
            '"Reyes, Dana" <dana@nextco.com>, a@b.com',
            ["dana@nextco.com", "a@b.com"],
            ["Dana Reyes", None],
        ),
        ("Dana Reyes; Sam Lee", [None, None], ["Dana Reyes", "Sam Lee"]),
        ("Dana Reyes, Sam Lee", [None, None], ["Dana Reyes", "Sam Lee"]),
        ("Reyes, Dana", [None], ["Dana Reyes"]),
        ("", [], []),
    ],
)
def test_recipient_lists(text: str, emails: list[str | None], names: list[str | None]) -> None:
    boxes = parse_mailbox_list(text)
    assert [box.email for box in boxes] == emails
    assert [box.name for box in boxes] == names


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Mailbox("Jane", "jane@acme.com"), Mailbox("Jane Doe", "JANE@acme.com"), True),
        (Mailbox("Jane Doe", "jane@acme.com"), Mailbox("Jane Doe", "jdoe@acme.com"), False),
        (Mailbox("Jane Doe", None), Mailbox("jane doe", "jane@acme.com"), True),
        (Mailbox("Doe, Jane", None), Mailbox("Jane Doe", None), True),
        (Mailbox(None, None), Mailbox(None, None), False),
    ],
)
def test_same_person(a: Mailbox, b: Mailbox, same: bool) -> None:
    assert same_person(a, b) is same


def test_names_match_ignores_order_case_and_the_comma() -> None:
    assert names_match("Reyes, Dana", "dana REYES")
    assert not names_match("Dana Reyes", "Dana Reyes-Lopez")
