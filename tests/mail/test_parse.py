"""parse_email on what real mailers and broken senders produce, and on what is not email."""

from __future__ import annotations

import base64
import os
import time

import pytest

from bot.errors import EmailParseError
from bot.mail.parse import parse_email

HEAD = (
    b"From: Jane Doe <jane@acme.com>\nTo: Dana Reyes <dana@nextco.com>\n"
    b"Subject: Re: Pilot\nDate: Thu, 19 Nov 2026 15:02:00 -0800\nMIME-Version: 1.0\n"
)


def multipart(*parts: bytes, kind: str = "mixed") -> bytes:
    body = b"".join(b"--B\n" + part + b"\n" for part in parts)
    return (
        HEAD + b'Content-Type: multipart/%s; boundary="B"\n\n' % kind.encode() + body + b"--B--\n"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The email could not be read. The message is empty."),
        (b"  \r\n\t\n", "The email could not be read. The message is empty."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "This is a PDF document, not an email."),
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            "This is a ZIP archive (or an Office document), not an email.",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This is a PNG image, not an email."),
        (b"From: a@b.com\x00\x00\x01\x02", "It holds binary data where the headers should be."),
        (
            b"just some words\nand more words\n",
            "No email headers (From, To, Date, Subject) were found.",
        ),
        (bytes(range(200, 256)) + b"\x00garbage", "binary data"),
    ],
)
def test_what_is_not_an_email(raw: bytes, message: str) -> None:
    with pytest.raises(EmailParseError) as error:
        parse_email(raw)
    assert message in str(error.value)


def test_mime_nested_beyond_reason_is_a_clear_error() -> None:
    depth = 3000
    opening = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(depth)
    )
    closing = b"".join(b"--b%d--\n" % i for i in reversed(range(depth)))
    raw = HEAD + opening + b"Content-Type: text/plain\n\ndeep\n" + closing
    with pytest.raises(EmailParseError, match="nested too deeply"):
        parse_email(raw)


def test_thread_identity_headers() -> None:
    raw = HEAD.replace(b"MIME", b"Message-ID: <m2@acme.com>\nIn-Reply-To: <m1@nextco.com>\n"
                       b"References: <m0@nextco.com>\n <m1@nextco.com>\nMIME") + b"\nOK.\n"  # fmt: skip
    email = parse_email(raw)
    assert email.message_id == "<m2@acme.com>"
    assert email.in_reply_to == "<m1@nextco.com>"
    assert email.references == ("<m0@nextco.com>", "<m1@nextco.com>")


def test_an_html_stub_in_the_plain_part_is_passed_over() -> None:
    raw = multipart(
        b"Content-Type: text/plain\n\nYour email client does not support HTML messages.",
        b"Content-Type: text/html\n\n<p>Thursday at 10 is confirmed.</p>",
        kind="alternative",
    )
    assert parse_email(raw).parts[0].body == "Thursday at 10 is confirmed."


def test_an_empty_plain_part_falls_back_to_html_in_related() -> None:
    raw = multipart(
        b"Content-Type: text/plain\n\n  \n",
        b'Content-Type: multipart/related; boundary="R"\n\n--R\nContent-Type: text/html\n\n'
        b'<p>Friday at 9.</p><img src="cid:logo">\n--R\nContent-Type: image/png\n'
        b"Content-ID: <logo>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--R--",
        kind="alternative",
    )
    email = parse_email(raw)
    assert email.parts[0].body == "Friday at 9."
    assert [a.content_type for a in email.attachments] == ["image/png"]


def test_plain_parts_around_an_inline_attachment_are_joined_in_order() -> None:
    raw = multipart(
        b"Content-Type: text/plain\n\nFirst half.",
        b"Content-Type: image/jpeg\nContent-Disposition: inline\n\nJPEGDATA",
        b"Content-Type: text/plain\n\nSecond half.",
    )
    assert parse_email(raw).parts[0].body == "First half.\n\nSecond half."


def test_a_base64_encoded_attached_message_is_still_read() -> None:
    inner = b"From: Raj <raj@globex.com>\nDate: Wed, 18 Nov 2026 10:00:00 -0600\nSubject: SSO\n\nSSO is live.\n"
    raw = multipart(
        b"Content-Type: text/plain\n\nSee attached.",
        b"Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(inner),
    )
    parts = parse_email(raw).parts
    assert [(p.author.email if p.author else None, p.body) for p in parts] == [
        ("jane@acme.com", "See attached."),
        ("raj@globex.com", "SSO is live."),
    ]
    assert parts[1].forwarded and parts[1].depth == 1


def test_an_eml_file_attachment_is_read_as_a_forwarded_message() -> None:
    inner = b"From: Raj <raj@globex.com>\nDate: Wed, 18 Nov 2026 10:00:00 -0600\nSubject: SSO\n\nSSO is live.\n"
    raw = multipart(
        b"Content-Type: text/plain\n\nSee attached.",
        b'Content-Type: application/octet-stream; name="SSO.eml"\n'
        b'Content-Disposition: attachment; filename="SSO.eml"\nContent-Transfer-Encoding: base64\n\n'
        + base64.encodebytes(inner),
    )
    email = parse_email(raw)
    assert [p.body for p in email.parts] == ["See attached.", "SSO is live."]
    assert email.attachments == ()


def test_an_encoded_word_in_an_unknown_charset_still_reads() -> None:
    raw = (
        HEAD.replace(b"Subject: Re: Pilot", b"Subject: =?x-unknown?Q?Caf=C3=A9?= plan") + b"\nOK\n"
    )
    assert parse_email(raw).subject == "Café plan"


def test_a_date_header_without_zone_is_utc_with_a_warning() -> None:
    raw = HEAD.replace(b"-0800", b"-0000") + b"\nOK\n"
    email = parse_email(raw)
    assert email.date is not None and email.date.utcoffset() is not None
    assert any("no time zone" in warning for warning in email.warnings)


def test_a_30_mb_message_with_a_big_attachment_parses_in_seconds() -> None:
    blob = os.urandom(22 * 1024 * 1024)
    raw = multipart(
        b"Content-Type: text/plain\n\nRecording attached; demo Thursday at 10.",
        b'Content-Type: video/mp4\nContent-Disposition: attachment; filename="call.mp4"\n'
        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(blob),
    )
    assert len(raw) > 30_000_000
    started = time.perf_counter()
    email = parse_email(raw)
    elapsed = time.perf_counter() - started
    assert email.parts[0].body == "Recording attached; demo Thursday at 10."
    assert email.attachments[0].data == blob
    assert elapsed < 10, elapsed  # about 2 s here; the bound leaves room for a busy machine


def test_html_labelled_as_plain_text_is_read_as_html() -> None:
    raw = (
        HEAD
        + b"Content-Type: text/plain\n\n<!DOCTYPE html><html><body><p>Friday at 9.</p></body></html>\n"
    )
    assert parse_email(raw).parts[0].body == "Friday at 9."
