"""One message's text split into the messages it carries: forwards, Outlook header blocks,
attribution lines and "> " quotes; and what is not a boundary."""

from __future__ import annotations

import pytest

from bot.mail.thread import MAX_PARTS, split_thread


def authors(text: str, subject: str | None = None) -> list[tuple[str | None, str | None, str]]:
    segments, _warnings = split_thread(text, subject=subject)
    return [
        (
            s.header.author.label if s.header and s.header.author else None,
            s.header.date_text if s.header else None,
            s.text.strip(),
        )
        for s in segments
    ]


@pytest.mark.parametrize(
    ("attribution", "who", "date"),
    [
        (
            "On Thu, Nov 19, 2026 at 3:02 PM Jane Doe <jane@acme.com> wrote:",
            "Jane Doe",
            "Thu, Nov 19, 2026 at 3:02 PM",
        ),
        (
            "On Thu, Nov 19, 2026 at 3:02 PM Jane Doe <jane@acme.com>\nwrote:",
            "Jane Doe",
            "Thu, Nov 19, 2026 at 3:02 PM",
        ),
        (
            "On Thu, Nov 19, 2026 at 3:02 PM Jane Doe <\njane@acme.com> wrote:",
            "Jane Doe",
            "Thu, Nov 19, 2026 at 3:02 PM",
        ),
        (
            "On Nov 19, 2026, at 3:02 PM, Jane Doe <jane@acme.com> wrote:",
            "Jane Doe",
            "Nov 19, 2026, at 3:02 PM",
        ),
        (
            'On 11/19/26, 3:02 PM, "Jane Doe" <jane@acme.com> wrote:',
            "Jane Doe",
            "11/19/26, 3:02 PM",
        ),
        (
            "On Thu, 19 Nov 2026 15:02:11 -0800, Jane Doe wrote:",
            "Jane Doe",
            "Thu, 19 Nov 2026 15:02:11 -0800",
        ),
        (
            "On Nov 19, 2026 at 3:02 PM PST, JD Smith <jd@x.com> wrote:",
            "JD Smith",
            "Nov 19, 2026 at 3:02 PM PST",
        ),
        (
            "Le jeu. 19 nov. 2026 à 15:02, Jane Doe <jane@acme.com> a écrit :",
            "Jane Doe",
            "jeu. 19 nov. 2026 à 15:02",
        ),
        (
            "Am Do., 19. Nov. 2026 um 15:02 Uhr schrieb Jane Doe <jane@acme.com>:",
            "Jane Doe",
            "Do., 19. Nov. 2026 um 15:02 Uhr",
        ),
        (
            "El jue, 19 nov 2026 a las 15:02, Jane Doe (<jane@acme.com>) escribió:",
            "Jane Doe",
            "jue, 19 nov 2026 a las 15:02",
        ),
        ("Jane Doe <jane@acme.com> wrote:", "Jane Doe", None),
        ("Jane Doe wrote:", "Jane Doe", None),
    ],
)
def test_attribution_lines(attribution: str, who: str, date: str | None) -> None:
    text = f"Sounds good.\n\n{attribution}\n\n> Can we meet Thursday at 10?\n"
    assert authors(text) == [
        (None, None, "Sounds good."),
        (who, date, "Can we meet Thursday at 10?"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "On Monday we wrote: the plan, then we sent it.\nThursday works.",
        "The team wrote:\nthree items for Thursday.",
        "Agenda:\n- demo\n- pricing",
        "From: the desk of Dana\nThanks for the call.",
        "To: do list\nFrom: me\nSend the deck.",
        "-- not a signature delimiter, just a dash note\nok",
        "Ratio 3:2 and time 10:30, fine.",
    ],
)
def test_prose_is_not_a_boundary(text: str) -> None:
    assert authors(text) == [(None, None, text.strip())]


def test_nested_quotes_become_one_part_per_level() -> None:
    text = (
        "Yes, Thursday at 10.\n\n"
        "On Thu, Nov 19, 2026 at 3:02 PM Dana <dana@nextco.com> wrote:\n"
        "> How about Thursday at 10 instead?\n>\n"
        "> On Wed, Nov 18, 2026 at 9:00 AM Jane <jane@acme.com> wrote:\n"
        "> > Tuesday?\n"
        "> > > (an even older level without attribution)\n"
    )
    segments, _ = split_thread(text, subject="Re: x")
    assert [s.depth for s in segments] == [0, 1, 2, 3]
    assert [s.text.strip() for s in segments] == [
        "Yes, Thursday at 10.",
        "How about Thursday at 10 instead?",
        "Tuesday?",
        "(an even older level without attribution)",
    ]
    assert segments[3].header is not None and segments[3].header.author is None


def test_inline_answers_stay_with_their_author() -> None:
    text = "> Monday?\nYes.\n> And 10am?\nSure.\n"
    assert authors(text) == [(None, None, "Yes.\nSure."), (None, None, "Monday?\nAnd 10am?")]


def test_ios_puts_the_attribution_inside_the_quote() -> None:
    text = "Works.\n\n> On Nov 19, 2026, at 6:05 PM, Priya <priya@tb.io> wrote:\n>\n> Tuesday?\n"
    assert authors(text) == [
        (None, None, "Works."),
        ("Priya", "Nov 19, 2026, at 6:05 PM", "Tuesday?"),
    ]


@pytest.mark.parametrize(
    ("marker", "forwarded"),
    [
        ("---------- Forwarded message ---------", True),
        ("-------- Forwarded Message --------", True),
        ("Begin forwarded message:", True),
        ("---------- Weitergeleitete Nachricht ---------", True),
        ("-----Original Message-----", False),
        ("________________________________", False),
        ("", False),  # Outlook's bare block
    ],
)
def test_forward_markers_and_header_blocks(marker: str, forwarded: bool) -> None:
    text = (
        f"See below.\n\n{marker}\nFrom: Jane Doe <jane@acme.com>\n"
        "Sent: Thursday, November 19, 2026 3:02 PM\nTo: Dana Reyes <dana@nextco.com>; Sam <sam@acme.com>\n"
        "Subject: RE: Pilot\n\nThursday works.\n"
    )
    segments, _ = split_thread(text, subject="Re: Pilot")
    assert [s.text.strip() for s in segments] == ["See below.", "Thursday works."]
    older = segments[1]
    assert older.header is not None and older.header.author is not None
    assert older.header.author.email == "jane@acme.com"
    assert [box.email for box in older.header.to] == ["dana@nextco.com", "sam@acme.com"]
    assert older.header.subject == "RE: Pilot"
    assert older.forwarded is forwarded


def test_an_outlook_block_under_a_fw_subject_is_forwarded() -> None:
    text = "FYI\n\nFrom: Jane <jane@acme.com>\nSent: Thursday, November 19, 2026 3:02 PM\nTo: Dana\nSubject: Pilot\n\nYes.\n"
    segments, _ = split_thread(text, subject="FW: Pilot")
    assert [s.forwarded for s in segments] == [False, True]


def test_localised_outlook_blocks() -> None:
    text = (
        "Voir ci-dessous.\n\nDe : Amélie Durand <amelie@lumiere.fr>\n"
        "Envoyé : jeudi 19 novembre 2026 15:02\nÀ : Dana Reyes <dana@nextco.com>\n"
        "Objet : RE: Formation\n\nC'est confirmé pour jeudi.\n"
    )
    assert authors(text) == [
        (None, None, "Voir ci-dessous."),
        ("Amélie Durand", "jeudi 19 novembre 2026 15:02", "C'est confirmé pour jeudi."),
    ]


def test_hostile_nesting_is_bounded() -> None:
    text = "".join(">" * level + f" level {level}\n" for level in range(1, 500))
    segments, warnings = split_thread(text, subject=None)
    assert len(segments) == MAX_PARTS
    assert warnings and "nested more than" in warnings[0]
    assert "level 499" in segments[-1].text  # nothing lost: the rest is kept in the last part


def test_a_reply_typed_above_a_help_desk_marker_splits_there() -> None:
    text = "Monday works.\n\n##- Please type your reply above this line -##\n\nOmar: does Monday work?\n"
    assert authors(text) == [(None, None, "Monday works."), (None, None, "Omar: does Monday work?")]


def test_a_help_desk_notification_that_opens_with_the_marker_is_not_split() -> None:
    text = "##- Please type your reply above this line -##\n\nYour request was updated.\n"
    assert len(split_thread(text, subject=None)[0]) == 1


def test_outlook_html_header_fields_in_separate_paragraphs() -> None:
    text = (
        "Yes.\n\nFrom: Jane Doe <jane@acme.com>\n\nSent: Thursday, November 19, 2026 3:02 PM\n\n"
        "To: Dana Reyes <dana@nextco.com>\n\nSubject: Pilot\n\nCan we meet Friday?\n"
    )
    assert authors(text) == [
        (None, None, "Yes."),
        ("Jane Doe", "Thursday, November 19, 2026 3:02 PM", "Can we meet Friday?"),
    ]


def test_outlook_web_html_rule_before_the_header_block() -> None:
    text = (
        "Thursday at 10 works.\n\n* * *\n\nFrom: Dana Reyes <dana@nextco.com>\n"
        "Sent: Thursday, November 19, 2026 3:02 PM\nTo: Jane\nSubject: x\n\nCan we do Thursday at 10?\n"
    )
    assert authors(text) == [
        (None, None, "Thursday at 10 works."),
        ("Dana Reyes", "Thursday, November 19, 2026 3:02 PM", "Can we do Thursday at 10?"),
    ]
