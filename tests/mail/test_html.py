"""HTML bodies as readable text."""

from __future__ import annotations

import pytest

from bot.mail.html import html_to_text

GMAIL_REPLY = (
    '<div dir="ltr">Thursday at 10 works.<div><br></div><div>Jane</div><br>'
    '<span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature">'
    "<div>Jane Doe<br>VP Ops | Acme<br>+1 812-924-7085</div></div></div><br>"
    '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Thu, Nov 19, 2026 at 3:02 PM '
    'Dana &lt;<a href="mailto:dana@nextco.com">dana@nextco.com</a>&gt; wrote:<br></div>'
    '<blockquote class="gmail_quote">Can we do Thursday at 10?<blockquote>Tuesday?</blockquote>'
    "</blockquote></div>"
)


@pytest.mark.parametrize(
    ("html", "has", "lacks"),
    [
        (
            "<ul><li>Send the <b>proposal</b></li><li>Review <i>Thursday</i></li></ul>",
            ["* Send the proposal", "* Review Thursday"],
            ["**", "_Thursday_"],
        ),
        (
            "<table><tr><th>Step</th><th>When</th></tr><tr><td>Demo</td><td>Thu 2pm</td></tr></table>",
            ["Step | When", "Demo | Thu 2pm"],
            ["---"],
        ),
        (
            '<p>See <a href="https://acme.com/deck">the deck</a> and <img src="cid:x" alt="logo">'
            '<img src="https://t.co/p.gif"></p>',
            ["See the deck and"],
            ["![", "](", "https://", "logo"],
        ),
        (
            '<div style="display:none">Preview text you never see</div><p>Body.</p>',
            ["Body."],
            ["Preview text"],
        ),
        (
            "<style>p{color:red}</style><!--[if mso]>x<![endif]--><p>Hi&nbsp;Jane &amp; team</p>",
            ["Hi Jane & team"],
            ["color:red"],
        ),
        (
            '<div id="Signature"><div><p>Dana Reyes<br>NextCo</p></div></div><p>Body stays.</p>',
            ["Body stays."],
            ["Dana Reyes"],
        ),
        (
            "<p><b>From:</b> Jane Doe &lt;jane@acme.com&gt;<br><b>Sent:</b> Thursday, November 19, "
            "2026 3:02 PM<br><b>To:</b> Dana</p>",
            ["From: Jane Doe <jane@acme.com>\nSent: Thursday, November 19, 2026 3:02 PM"],
            ["**"],
        ),
        (
            GMAIL_REPLY,
            ["Thursday at 10 works.", "> Can we do Thursday at 10?", ">> Tuesday?", "wrote:"],
            ["VP Ops", "812-924-7085", "mailto"],
        ),
    ],
)
def test_html_to_text(html: str, has: list[str], lacks: list[str]) -> None:
    text = html_to_text(html)
    for piece in has:
        assert piece in text, (piece, text)
    for piece in lacks:
        assert piece not in text, (piece, text)


def test_an_unclosed_hidden_element_drops_nothing_else() -> None:
    text = html_to_text('<p>Keep me.</p><div style="display:none">never closed')
    assert "Keep me." in text
