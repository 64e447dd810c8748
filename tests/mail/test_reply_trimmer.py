"""discourse/email_reply_trimmer's 64 test emails through ``bot.mail``.

The table (tests/data/reply_trimmer/cases.jsonl, made by convert.py beside it; MIT, see
LICENSE.email_reply_trimmer there) pairs each email body with the reply text that
library keeps. Each body is sent as a plain message and the newest part's text is
compared with that reply, whitespace aside.

Where nextstep reads mail differently on purpose, ``DELIBERATE`` names the difference and
why; those cases are scored against what nextstep keeps instead, and the words it keeps
elsewhere (quoted or forwarded text goes to its own part) must be found there.

A case where any of the author's words are not in the newest part fails, whatever else
matches; and no case may delete them (find them in no part at all).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from bot.mail.parse import ParsedEmail, parse_email

TABLE = Path(__file__).parent.parent / "data" / "reply_trimmer" / "cases.jsonl"
CASES = [json.loads(line) for line in TABLE.read_text(encoding="utf-8").splitlines()]
FLOOR = 0.89  # measured 57/64 = 89.1%

HEAD = (
    "From: Sam Sender <sam@example.org>\r\nTo: Discourse <reply@example.com>\r\n"
    "Subject: Re: topic\r\nDate: Sat, 26 Mar 2016 13:16:00 +0000\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
)


class Difference(StrEnum):
    QUOTED = "quoted"  # "> " lines are the older message's words: its own part
    FORWARDED = "forwarded"  # a forward is its own part, by the forwarded author
    SIGN_OFF = "sign_off"  # "Best regards" and the name under it are a signature


# Case -> (difference, the expected lines it concerns, why).
DELIBERATE: dict[str, tuple[Difference, tuple[str, ...], str]] = {
    "quote_and_text": (
        Difference.QUOTED, ("> This is a quote.",),
        "a quote with no attribution is still someone else's words; crediting it to the "
        "newest author would make its commitments theirs",
    ),
    "quote_only": (
        Difference.QUOTED, ("> Email with only quote.",),
        "the message quotes and adds nothing: it has no words of its own",
    ),
    "embedded_email_16": (
        Difference.QUOTED,
        ('> From: "Albert Wagner" <alwagner@tcac.net>', ">",
         "> > Some guy at ibraheem@localhost(?) needs to be unsubscribed.  I",
         "> > keep getting bounces from his ISP everytime I post.  Surely,",
         "> > everyone else is getting the same?",
         "> Surely it doesn't need to be said anymore, but I *still* am.",
         "> What's happening with this?"),
        "bottom-posting: the quoted lines above the reply are the older messages",
    ),
    "embedded_email_7": (
        Difference.QUOTED, ("> Hello", ">", "> This is the embedded email."),
        "interleaved quotes are the older message's words; the answers between them stay",
    ),
    "forwarded_message": (
        Difference.FORWARDED, ("This is a forwarded email. And just that.",),
        "a forwarded message is its own part with its own author and date, not the "
        "forwarder's words",
    ),
    "embedded_ception": (
        Difference.SIGN_OFF, ("Thanks,", "Some One"),
        "a sign-off and the name under it hold no step; the engine reads the author's words",
    ),
    "embedded_email_2": (
        Difference.SIGN_OFF, ("Best Regards",),
        "a sign-off holds no step",
    ),
    "embedded_email_swedish": (
        Difference.SIGN_OFF, ("Best regards", "Some One"),
        "a sign-off and the name under it hold no step",
    ),
}  # fmt: skip


def words(text: str) -> str:
    """Text compared whitespace aside."""
    return " ".join(text.split())


def dequoted(line: str) -> str:
    return line.lstrip("> ").strip()


@dataclass(frozen=True)
class Outcome:
    name: str
    parsed: ParsedEmail
    expected: str

    @property
    def kept(self) -> str:
        return self.parsed.parts[0].body

    @property
    def set_aside(self) -> tuple[str, ...]:
        return DELIBERATE[self.name][1] if self.name in DELIBERATE else ()

    @property
    def wanted(self) -> str:
        """The expected reply less what nextstep deliberately keeps elsewhere or drops."""
        aside = set(self.set_aside)
        return "\n".join(line for line in self.expected.splitlines() if line not in aside)

    @property
    def agrees(self) -> bool:
        return words(self.kept) == words(self.wanted)

    @property
    def misplaced(self) -> list[str]:
        """Expected lines of the author's own that are not in the newest part."""
        kept = words(self.kept)
        return [line for line in self.wanted.splitlines() if words(line) not in kept]

    @property
    def deleted(self) -> list[str]:
        """Expected lines found in no part at all (signatures and sign-offs set aside on
        purpose excepted); and quoted or forwarded lines set aside that are not in an older
        part (a forwarded one, for a forward)."""
        everything = words(" ".join(part.body for part in self.parsed.parts))
        deleted = [
            line for line in self.wanted.splitlines() if words(dequoted(line)) not in everything
        ]
        if self.name in DELIBERATE:
            difference, lines, _why = DELIBERATE[self.name]
            older = list(self.parsed.parts[1:])
            if difference == Difference.FORWARDED:
                older = [part for part in older if part.forwarded]
            elsewhere = words(" ".join(part.body for part in older))
            if difference != Difference.SIGN_OFF:
                deleted += [line for line in lines if words(dequoted(line)) not in elsewhere]
        return deleted


def outcomes() -> list[Outcome]:
    return [
        Outcome(c["name"], parse_email((HEAD + c["email"]).encode("utf-8")), c["trimmed"])
        for c in CASES
    ]


def score(results: list[Outcome]) -> float:
    return sum(r.agrees and not r.misplaced for r in results) / len(results)


def test_the_table_holds_every_email() -> None:
    assert len(CASES) == 64
    assert all(c["email"].strip() for c in CASES)
    assert set(DELIBERATE) <= {c["name"] for c in CASES}


def test_score_stays_above_the_floor() -> None:
    results = outcomes()
    assert len(results) == len(CASES)
    assert score(results) >= FLOOR, [r.name for r in results if not r.agrees]


def test_never_deletes_the_authors_words() -> None:
    """Words may land in the wrong part (that fails the case in the score); none vanish."""
    results = outcomes()
    assert len(results) == len(CASES)
    deleted = {r.name: r.deleted for r in results if r.deleted}
    assert deleted == {}


def test_a_case_with_words_out_of_place_fails_even_if_it_would_match() -> None:
    results = {r.name: r for r in outcomes()}
    misplaced = [r for r in results.values() if r.misplaced]
    assert len(misplaced) >= 1  # embedded_email_17/18: an attribution above the reply
    assert all(not (r.agrees and not r.misplaced) for r in misplaced)
    assert score(list(results.values())) < 1


def test_deliberate_differences_are_still_differences() -> None:
    """Each listed difference is one nextstep really makes (else the entry goes)."""
    results = {r.name: r for r in outcomes()}
    assert len(results) == len(CASES)
    for name in DELIBERATE:
        outcome = results[name]
        assert words(outcome.kept) != words(outcome.expected), name
