"""Properties of parse_email over generated input: nothing escapes but EmailParseError, and
no text the author wrote is lost, whatever the encoding, charset, HTML or thread shape."""

from __future__ import annotations

import base64
import quopri
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import EmailParseError, InputError
from bot.loaders.email import load_email
from bot.mail.parse import parse_email

AT = datetime(2026, 11, 20, 9, 5, tzinfo=ZoneInfo("America/Chicago"))

# --- MIME-ish noise --------------------------------------------------------------------

HEADER_NAMES = st.sampled_from(
    ["From", "To", "Cc", "Date", "Subject", "Content-Type", "Content-Transfer-Encoding",
     "MIME-Version", "Message-ID", "References", "Content-Disposition", "X-Junk"]
)  # fmt: skip
HEADER_VALUES = st.one_of(
    st.sampled_from(
        [
            "Jane Doe <jane@acme.com>", "<broken@", '"Doe, Jane" <jane@acme.com>,,', "=?UTF-8?B?SsOpcsO0bWU=?=",
            "=?bogus?Q?a=ZZ?=", "=?utf-8?b?!!!?=", "Thu, 19 Nov 2026 15:02:00 -0800", "Thursday-ish",
            "multipart/mixed", 'multipart/alternative; boundary="B"', "multipart/related; boundary=",
            "text/plain; charset=utf-16", "text/plain; charset=base64", "text/html; charset=x-junk",
            "message/rfc822", "text/calendar; method=REQUEST", "base64", "quoted-printable", "x-uuencode",
            'attachment; filename="a.eml"', "attachment; filename*=utf-8''n%C3%A9.ics",
        ]
    ),
    st.text(max_size=40).map(lambda s: s.replace("\n", " ").replace("\r", " ")),
)  # fmt: skip
BODY_CHUNKS = st.one_of(
    st.binary(max_size=80),
    st.sampled_from(
        [b"--B\n", b"--B--\n", b"Content-Type: text/plain\n\n", b"Content-Type: message/rfc822\n\n",
         b"\n\n", b"=\n", b"=E9=\n", b"> quoted\n", b"On Thu wrote:\n", b"-----Original Message-----\n",
         b"From: x@y.com\nSent: Thursday, November 19, 2026 3:02 PM\nTo: a\n", b"<p>html</p>\n",
         b"aGVsbG8=\n", b"\xff\xfe\x00"]
    ),
)  # fmt: skip


@st.composite
def mime_ish(draw: st.DrawFn) -> bytes:
    headers = draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=10))
    head = "".join(f"{name}: {value}\n" for name, value in headers).encode("utf-8", "replace")
    return head + b"\n" + b"".join(draw(st.lists(BODY_CHUNKS, max_size=14)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), mime_ish()))
def test_anything_parses_or_is_an_email_parse_error(raw: bytes) -> None:
    try:
        email = parse_email(raw)
    except EmailParseError:
        return
    for part in email.parts:
        assert isinstance(part.body, str)
        assert part.date is None or part.date.utcoffset() is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mime_ish())
def test_loading_anything_gives_a_document_or_an_input_error(raw: bytes) -> None:
    try:
        document = load_email(raw, at=AT, tz="America/Chicago", rep=None, source=None)
    except InputError:
        return
    lines = document.text.split("\n")
    for turn in document.turns:
        assert lines[turn.line - 1 : turn.line - 1 + turn.text.count("\n") + 1] == turn.text.split(
            "\n"
        )


# --- plain messages with a known body --------------------------------------------------

# Words that cannot form a signature, footer, banner, booking line or quote marker.
VOCABULARY = (
    "pilot review proposal demo pricing budget scope team plan meeting timeline agenda "
    "renewal contract rollout training workshop onboarding numbers quarter data portal "
    "café naïve über déjà señor"
)
WORDS = st.sampled_from(VOCABULARY.split())


@st.composite
def sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=3, max_size=12))
    return words[0].capitalize() + " " + " ".join(words[1:]) + draw(st.sampled_from(".?!"))


@st.composite
def body(draw: st.DrawFn) -> list[str]:
    paragraphs = draw(
        st.lists(st.lists(sentence(), min_size=1, max_size=4), min_size=1, max_size=4)
    )
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [*paragraph, ""]
    return lines[:-1]


def encode(lines: list[str], *, charset: str, transfer: str, html: bool, crlf: bool) -> bytes:
    text = "\n".join(f"<p>{line}</p>" if html and line else line for line in lines) + "\n"
    data = text.encode(charset)
    if transfer == "base64":
        payload = base64.encodebytes(data)
    elif transfer == "quoted-printable":
        payload = quopri.encodestring(data)
    else:
        payload = data
    head = (
        "From: Dana Reyes <dana@nextco.com>\nTo: Jane Doe <jane@acme.com>\n"
        "Subject: Pilot\nDate: Thu, 19 Nov 2026 15:02:00 -0800\nMIME-Version: 1.0\n"
        f"Content-Type: text/{'html' if html else 'plain'}; charset={charset}\n"
        f"Content-Transfer-Encoding: {transfer}\n\n"
    ).encode("ascii")
    raw = head + payload
    return raw.replace(b"\n", b"\r\n") if crlf else raw


@settings(max_examples=200, deadline=None)
@given(
    body(),
    st.sampled_from(["utf-8", "iso-8859-1", "windows-1252"]),
    st.sampled_from(["8bit", "base64", "quoted-printable"]),
    st.booleans(),
    st.booleans(),
)
def test_a_plain_message_keeps_every_line(
    lines: list[str], charset: str, transfer: str, html: bool, crlf: bool
) -> None:
    email = parse_email(encode(lines, charset=charset, transfer=transfer, html=html, crlf=crlf))
    assert len(email.parts) == 1
    text = email.parts[0].body
    for line in lines:
        assert line in text


# --- threads ---------------------------------------------------------------------------

PEOPLE = [
    ("Dana Reyes", "dana@nextco.com"),
    ("Jane Doe", "jane@acme.com"),
    ("Sam Lee", "sam@acme.com"),
    ("Raj Patel", "raj@nextco.com"),
]


def boundary(style: str, name: str, address: str, day: int) -> str:
    if style == "gmail":
        return f"On Thu, Nov {day}, 2026 at 3:02 PM {name} <{address}> wrote:"
    if style == "forward":
        return (
            f"---------- Forwarded message ---------\nFrom: {name} <{address}>\n"
            f"Date: Thu, Nov {day}, 2026 at 3:02 PM\nSubject: Pilot\nTo: Team <team@x.org>\n"
        )
    return (
        f"From: {name} <{address}>\nSent: Thursday, November {day}, 2026 3:02 PM\n"
        "To: Team <team@x.org>\nSubject: RE: Pilot\n"
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(body(), st.sampled_from(["gmail", "forward", "outlook"])), min_size=1, max_size=6
    )
)
def test_a_thread_splits_into_its_messages_newest_first(
    messages: list[tuple[list[str], str]],
) -> None:
    text = ""
    for index, (lines, style) in enumerate(messages):  # oldest first
        own = "\n".join(lines)
        if index == 0:
            text = own
        elif style == "gmail":
            older = PEOPLE[(index - 1) % len(PEOPLE)]
            quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
            text = f"{own}\n\n{boundary(style, *older, day=index)}\n{quoted}"
        else:
            older = PEOPLE[(index - 1) % len(PEOPLE)]
            text = f"{own}\n\n{boundary(style, *older, day=index)}\n{text}"
    last = PEOPLE[(len(messages) - 1) % len(PEOPLE)]
    raw = (
        f"From: {last[0]} <{last[1]}>\nSubject: Re: Pilot\n"
        "Date: Fri, 20 Nov 2026 09:00:00 -0800\nContent-Type: text/plain; charset=utf-8\n\n"
        f"{text}\n"
    ).encode()
    email = parse_email(raw)
    assert len(email.parts) == len(messages)
    for depth, (part, (lines, _style)) in enumerate(
        zip(email.parts, reversed(messages), strict=True)
    ):
        index = len(messages) - 1 - depth
        assert part.author is not None and part.author.email == PEOPLE[index % len(PEOPLE)][1]
        assert part.body == "\n".join(lines)
        assert part.depth == depth
