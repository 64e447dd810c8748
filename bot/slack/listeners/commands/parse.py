"""What a ``/nextstep`` text asks for. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.model import COMMAND, Subcommand

# Up to this many words on one line, the text must be a subcommand, not a paste.
SUBCOMMAND_WORDS = 2


@dataclass(frozen=True)
class Request:
    subcommand: Subcommand | None  # None: a paste to analyse, or wrong use
    text: str = ""  # the paste
    number: int | None = None  # ``done N``
    problem: str | None = None  # wrong use: what to say before the help


def parse(text: str) -> Request:
    text = text.strip()
    if not text:
        return Request(Subcommand.HELP)
    words = text.split()
    first = words[0].lower()
    if "\n" in text or len(words) > SUBCOMMAND_WORDS:
        return Request(None, text=text)
    if first not in set(Subcommand):
        return Request(
            Subcommand.HELP,
            problem=f"`{first}` is not a {COMMAND} command. To check notes, paste them whole.",
        )
    sub = Subcommand(first)
    if sub == Subcommand.DONE:
        if len(words) != 2 or not words[1].isdigit() or int(words[1]) < 1:
            return Request(
                Subcommand.HELP,
                problem=f"`done` needs a step number from `{COMMAND} list`, e.g. `{COMMAND} done 2`.",
            )
        return Request(sub, number=int(words[1]))
    if len(words) > 1:
        return Request(Subcommand.HELP, problem=f"`{first}` takes nothing after it.")
    return Request(sub)
