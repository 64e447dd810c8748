"""People as mail clients write them: "Jane Doe <jane@acme.com>", "Doe, Jane", "[mailto:...]"."""

from __future__ import annotations

import re

from bot.mail.model import Mailbox

# Mail services shared by many people: the same domain does not make two people colleagues.
PUBLIC_DOMAINS = frozenset((
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com",
    "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com", "msn.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me",
    "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "zoho.com", "yandex.com", "yandex.ru",
    "fastmail.com", "hey.com", "qq.com", "163.com", "orange.fr", "free.fr", "t-online.de",
    "btinternet.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "posteo.de",
))  # fmt: skip
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# "Name <addr>", "Name [mailto:addr]", "Name (<addr>)", "Name <addr <mailto:addr>>"
_NAME_THEN_ADDRESS = re.compile(
    r"^(?P<name>.*?)\s*[<\[(]+\s*(?:mailto:)?(?P<addr>[^<>\[\]()\s]+@[^<>\[\]()\s]+?)"
    r"(?:\s*<mailto:[^>]*>)?\s*[>\])]+\s*$"
)
_QUOTES = "\"'“”‘’* "  # and Gmail's plain-text bold: "*Jane Doe*"
# "Reyes, Dana" as corporate directories write it; not "Acme, Inc." or "Doe, Jr.".
_LAST_COMMA_FIRST = re.compile(
    r"^(?P<last>[^\W\d_][\w'.-]*(?: [^\W\d_][\w'.-]*)?), (?P<first>[^\W\d_][\w'.-]*(?: [^\W\d_][\w'.-]*)?)$"
)
# A mailing list or shared inbox writing for a person: "Chris Doyle via IT Service Desk".
_VIA_GROUP = re.compile(r"\s+via\s+\S.*$")
_NOT_A_FIRST_NAME = re.compile(
    r"^(?:inc|llc|ltd|gmbh|corp|co|jr|sr|ii|iii|iv|phd|md|esq|sa|ag)\.?$", re.I
)


def clean_name(name: str | None) -> str | None:
    """A display name without quotes, the address repeated or a "via <list>" tail;
    "Reyes, Dana" as "Dana Reyes"."""
    if not name:
        return None
    name = " ".join(name.split()).strip(_QUOTES + ",;:")
    if not name or _ADDRESS.fullmatch(name):
        return None
    name = _VIA_GROUP.sub("", name) or name
    flipped = _LAST_COMMA_FIRST.match(name)
    if flipped and not _NOT_A_FIRST_NAME.match(flipped["first"]):
        return f"{flipped['first']} {flipped['last']}"
    return name


def parse_mailbox(text: str | None) -> Mailbox | None:
    """One person from a header value or an attribution line ("Jane Doe <jane@acme.com>")."""
    if not text:
        return None
    text = " ".join(text.split()).strip(" ,;")
    if not text:
        return None
    match = _NAME_THEN_ADDRESS.match(text)
    if match:
        return Mailbox(clean_name(match["name"]), match["addr"].strip(".").lower())
    bare = _ADDRESS.fullmatch(text.strip("<>[]() "))
    if bare:
        return Mailbox(None, bare.group(0).lower())
    found = _ADDRESS.search(text)
    if found:  # "Jane Doe jane@acme.com"
        name = clean_name(text[: found.start()] + text[found.end() :])
        return Mailbox(name, found.group(0).lower())
    name = clean_name(text)
    return Mailbox(name, None) if name else None


def parse_mailbox_list(text: str | None) -> tuple[Mailbox, ...]:
    """Recipients as clients write them: "a@x.com, B <b@y.com>" (Gmail), "Reyes, Dana
    <d@x.com>; Sam Lee" (Outlook, where a comma may sit inside a name), names only."""
    if not text or not text.strip():
        return ()
    if ";" in text:
        pieces = text.split(";")
    elif "@" in text:
        pieces = _addressed_pieces(text.split(","))
    else:
        chunks = [chunk for chunk in text.split(",") if chunk.strip()]
        single_words = len(chunks) == 2 and all(len(c.split()) == 1 for c in chunks)
        pieces = [text] if single_words else chunks  # "Doe, Jane" is one person
    boxes = (parse_mailbox(piece) for piece in pieces)
    return tuple(box for box in boxes if box is not None)


def _addressed_pieces(chunks: list[str]) -> list[str]:
    """Comma-split chunks re-joined so each holds one address ("Reyes" + " Dana <d@x>")."""
    pieces: list[str] = []
    pending = ""
    for chunk in chunks:
        pending = f"{pending},{chunk}" if pending else chunk
        if "@" in chunk:
            pieces.append(pending)
            pending = ""
    if pending.strip():
        pieces.append(pending)
    return pieces


def same_person(a: Mailbox | None, b: Mailbox | None) -> bool:
    """Two mailboxes are one person when the addresses match, or, lacking one, the names."""
    if a is None or b is None:
        return False
    if a.email and b.email:
        return a.email.lower() == b.email.lower()
    return bool(a.name and b.name and names_match(a.name, b.name))


def names_match(a: str, b: str) -> bool:
    """ "Jane Doe" matches "jane doe" and "Doe, Jane"."""
    return _name_key(a) == _name_key(b)


def _name_key(name: str) -> tuple[str, ...]:
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    return tuple(sorted(name.casefold().split()))
