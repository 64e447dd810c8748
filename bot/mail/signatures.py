"""What an author wrote, without the signature (and, through ``bot.mail.boilerplate``,
without footers, banners, booking links and conference details).

A sign-off ("Best,") is only a signature when what follows it is short and contact-like
(a name, a title, a phone number, an address); otherwise the text is kept.
"""

from __future__ import annotations

import re

from bot.mail.boilerplate import drop_boilerplate, lines_with
from bot.mail.lexicon import Marker, alternation, mobile_hints, mobile_pattern
from bot.mail.model import Mailbox

_DELIMITER = re.compile(r"^--[ \t]?$")
_MOBILE = mobile_pattern()
_MOBILE_HINT = mobile_hints()
_MARKDOWN_LINK = re.compile(r"\[([^\]]{0,200})\]\([^)\s]{0,500}\)")
_SIGN_OFF = re.compile(
    rf"^\s*(?i:{alternation(Marker.SIGN_OFF)})(?!\w)[\s,.!\-–—]*"
    r"(?P<name>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})?[\s,.!]*$"
)
_DASH_NAME = re.compile(r"^\s*(?:-|[–—~]\s?)(?P<name>[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*)?)\s*$")
_CONTACT = re.compile(
    r"\+?\d[\d ().-]{7,}\d|[\w.+-]+@[\w-]+\.\w|https?://|www\.|\b[\w-]+\.(?:com|io|co|net|org|ai|"
    r"app|dev|us|uk|de|fr|ca|au)\b|\||•|·|\b(?:tel|phone|mobile|cell|direct|office|fax|m|t|p|"
    r"e|w)\s?[:.]|\b(?:CEO|CTO|CFO|COO|VP|SVP|EVP|Director|Manager|Head of|Engineer|Executive|"
    r"Recruiter|Realtor|REALTOR|Broker|Agent|Founder|Co-founder|Partner|Coach|Specialist|Lead|"
    r"Officer|President|Consultant|Analyst|Associate|Representative|Advisor|Coordinator|"
    r"Principal|Sales|Success|Operations|Support|Account|Talent|Team|Desk)\b|\b(?:Inc|LLC|LLP|PLC|Ltd|GmbH|"
    r"Corp|Realty|Group|Partners|S\.A|SAS)\b|\b(?:Suite|Ste|Floor|Street|St|Avenue|Ave|Road|"
    r"Rd|Blvd|Drive|Way|Lane)\b\.?|\b[A-Z]{2} \d{5}\b|\((?:she|he|they)/\w+\)|LinkedIn|Twitter",
)
_STRONG_CONTACT = re.compile(r"\+?\d[\d ().-]{7,}\d|[\w.+-]+@[\w-]+\.\w|https?://|www\.")
_NAME_SEPARATOR = re.compile(r"\s*(?:[|,•·]|\s[-–—]\s)\s*")
_CONTENT_START = re.compile(r"^\s*(?:P\.?S\.?|N\.?B\.?)\b", re.I)
_NAME_LIKE = re.compile(
    r"^\s*[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|de|van|von|da|del|la|le)){0,4}\s*$"
)
_MAX_SIGNATURE_LINES = 10
_MAX_NOTICES = 3
# Words of a message rather than a signature notice.
_COMMITMENT = re.compile(
    r"\b(?:I'll|I will|I'd|we'll|we will|we'd|let's|let us|can we|could we|can you|could you|"
    r"shall we|please (?:confirm|send|let me know)|see you|talk (?:then|soon)|works for)\b",
    re.I,
)
_MAX_DELIMITED_LINES = 25


def strip_signature(text: str, author: Mailbox | None = None) -> str:
    """The author's own words: boilerplate, the "-- " block, mobile lines and the closing
    (sign-off, name, title, contact lines) removed."""
    lines = drop_boilerplate(text.split("\n"), text)
    lines = _cut_delimited(lines)
    lines = _cut_mobile(lines)
    lines = _cut_sign_off(lines, author)
    return "\n".join(lines).strip("\n")


def _cut_delimited(lines: list[str]) -> list[str]:
    for i in range(len(lines) - 1, max(-1, len(lines) - 1 - _MAX_DELIMITED_LINES), -1):
        if _DELIMITER.match(lines[i]):
            return lines[:i]
    return lines


def _cut_mobile(lines: list[str]) -> list[str]:
    """Mobile signature lines go; from the first one on, everything goes when the rest is
    only more of them and signature lines (a closing written below "Sent from my iPhone")."""
    mobile = [i for i in lines_with(_MOBILE_HINT, lines) if is_mobile_line(lines[i])]
    if not mobile:
        return lines
    first = mobile[0]
    after = [i for i in range(first + 1, len(lines)) if lines[i].strip() and i not in mobile]
    if len(after) <= 3 and all(_is_signature_line(lines[i]) for i in after):
        return lines[:first]
    drop = set(mobile)
    return [line for i, line in enumerate(lines) if i not in drop]


def is_mobile_line(line: str) -> bool:
    """ "Sent from my iPhone", "Von meinem iPhone gesendet", "Get [Outlook for Android](...)"."""
    if len(line) > 300:
        return False
    return _MOBILE.match(_MARKDOWN_LINK.sub(r"\1", line)) is not None


def _cut_sign_off(lines: list[str], author: Mailbox | None) -> list[str]:
    """Cut a closing ("Best,\nJane Doe\nVP Ops | Acme") or a bare contact block at the end:
    the earliest line of the last few from which everything is signature."""
    filled: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            filled.insert(0, i)
            if len(filled) > _MAX_SIGNATURE_LINES:
                break
    for i in filled:
        after = [lines[j] for j in filled if j > i]
        line = lines[i]
        if _SIGN_OFF.match(line) and after and _is_signature(after, author):
            return lines[:i]
        dash = _DASH_NAME.match(line)
        if dash and _could_be_author(dash["name"], author) and all(map(_is_signature_line, after)):
            return lines[:i]
        if i and not lines[i - 1].strip() and _is_contact_block([line, *after], author):
            return lines[:i]
    return lines


def _is_signature(after: list[str], author: Mailbox | None) -> bool:
    first = after[0]
    if not (_NAME_LIKE.match(first) or _CONTACT.search(first) or _is_author_name(first, author)):
        return False
    mine = _is_author_name(first, author)
    return len(after) <= _MAX_SIGNATURE_LINES and _reads_as_signature(after, established=mine)


def _is_contact_block(block: list[str], author: Mailbox | None) -> bool:
    """A last paragraph that starts with a name ("Jane Doe", "Carla Mendes | Sunset Realty")
    and holds a phone, address or link; or the author's name and a line or two of title."""
    if len(block) > _MAX_SIGNATURE_LINES:
        return False
    head = _NAME_SEPARATOR.split(block[0].strip(), maxsplit=1)[0]
    mine = _is_author_name(head, author)
    if not (mine or _NAME_LIKE.match(head)):
        return False
    first = block[0].strip()
    if len(block) == 1 and head == first:
        return mine  # a bare name: only the author's
    if mine and first == head:  # "Ben Foster\nTall Pine Search", "Chris Doyle\nIT Desk\n..."
        return _reads_as_signature(block, established=True)
    strong = any(_STRONG_CONTACT.search(line) for line in block)
    weak = any(_CONTACT.search(line) for line in [first[len(head) :], *block[1:]])
    return (strong or (mine and weak)) and _reads_as_signature(block)


def _reads_as_signature(lines: list[str], *, established: bool = False) -> bool:
    """Name, title, phone and address lines; once a contact line has been seen (or the block
    opened with the author's own name), also up to three notices ("Closed Nov 27-28 for
    Thanksgiving.", "Registered in England no. 0987")."""
    contact_seen, notices = established, 0
    for line in lines:
        if _is_signature_line(line):
            contact_seen = contact_seen or bool(_CONTACT.search(line))
        elif contact_seen and notices < _MAX_NOTICES and _is_notice(line):
            notices += 1
        else:
            return False
    return True


def _is_notice(line: str) -> bool:
    """A line a signature carries (an event, a closure, a registration), not a message:
    no question, no P.S., no commitment in the first person."""
    stripped = line.strip()
    return (
        len(stripped) <= 240
        and "?" not in stripped
        and not _CONTENT_START.match(stripped)
        and not _COMMITMENT.search(stripped)
    )


def _could_be_author(name: str, author: Mailbox | None) -> bool:
    if author is None or not author.name:
        return True
    return name.split()[0].casefold() in author.name.casefold().replace(",", " ").split()


def _is_author_name(line: str, author: Mailbox | None) -> bool:
    """The author's name or some of its words ("Jane", "Jess Park" of "Service Desk - Jess
    Park")."""
    if author is None or not author.name:
        return False
    words = set(author.name.replace(",", " ").casefold().split())
    candidate = line.strip(" -–—~,.").casefold().split()
    return bool(candidate) and len(candidate) <= 4 and set(candidate) <= words


def _is_signature_line(line: str) -> bool:
    """Short and free of questions and P.S.: a name, title, phone, address or banner line."""
    stripped = line.strip()
    if len(stripped) > 90 or "?" in stripped or _CONTENT_START.match(stripped):
        return False
    if _CONTACT.search(stripped):
        return True
    short = len(stripped.split()) <= 10 and not stripped.endswith((".", "!"))
    return short or bool(_NAME_LIKE.match(stripped))
