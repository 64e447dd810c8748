"""Lines that are never the author's words, wherever they sit in a message: legal and list
footers, external-sender banners, "[Quoted text hidden]", booking links and the join details
of Teams, Zoom and Meet invitations.

Each kind is found by a few words with ``str.find`` (one pass of the text in C), and only
the lines holding them meet the exact patterns: a 30 MB body stays cheap.
"""

from __future__ import annotations

import re

# Legal and list footers. They open a line, or (the legal ones) follow other boilerplate
# on it ("Equal Housing Opportunity. ... This message is confidential ...").
_FOOTER = re.compile(
    r"^\W*(?:confidentiality notice|disclaimer\b|equal housing opportunity|"
    r"(?:to )?unsubscribe\b|you (?:are )?receiv(?:ed|ing) this (?:e-?mail|message)|"
    r"you received this message because|manage (?:your )?(?:e-?mail )?(?:preferences|subscriptions))"
    r"|(?:^|[.!]\s+|^\W*)(?:this (?:e-?mail|message|communication|transmission)(?: and any "
    r"(?:attachments?|files?|documents?)[\w ]{0,40}?)?,? (?:is|are|may be|may contain|contains?|"
    r"and its contents are) (?:strictly )?(?:confidential|privileged|intended)|"
    r"if you (?:are not|have received this)[\w ]{0,30}(?:intended recipient|in error)|"
    r"the information (?:contained )?in this (?:e-?mail|message)|"
    r"information deemed reliable but not guaranteed|"
    r"ce (?:message|courriel) (?:et ses pièces jointes )?(?:est|sont) confidentiel|"
    r"diese (?:e-?mail|nachricht) (?:enthält|ist) vertraulich)",
    re.I,
)
_BANNER = re.compile(
    r"^\W*(?:\[?external\]?(?: email| sender)?\W*$|caution:? (?:this|external)|"
    r"warning: this (?:e-?mail|message) (?:originated|came) from outside|"
    r"this (?:e-?mail|message) (?:originated|came) from outside (?:of )?(?:the|your) organi[sz]ation)",
    re.I,
)
_CONFERENCE = re.compile(
    r"^\W{0,4}(?:Microsoft Teams meeting|Join (?:Zoom Meeting|with Google Meet|by phone|on your "
    r"computer|the meeting now|Webex meeting)|(?:Meeting ID|Conference ID)\s?:\s*[\d ]{6,}#?\s*$|"
    r"(?:Passcode|Password|PIN)\s?:\s*\S+\s*$|One tap mobile|"
    r"Dial by your location|Find your local number|Dial-in|Click here to join the meeting|"
    r"More phone numbers|Learn more about Meet|Need help\? ?<?https://aka\.ms|Download Teams|"
    r"Learn More \| Meeting options|Meeting options)",
    re.I,
)
_CONFERENCE_LINE = re.compile(
    r"^\W*(?:$|-{3,}|_{10,}|\+?[\d ()+,#*.-]{8,}\b.*|https?://\S+|.*\b(?:US|UK)\s?\(|"
    r"(?:Meeting ID|Conference ID)\s?:\s*[\d ]{6,}#?|(?:Passcode|Password|PIN)\s?:\s*\S+)\s*$",
    re.I,
)
_HIDDEN_QUOTE = re.compile(
    r"^\W{0,6}(?:\[?(?:Quoted text hidden|Texte des messages précédents masqué)\]?|(?:please )?"
    r"(?:type|write|add) (?:your )?(?:reply|response) above this line)\W{0,6}$",
    re.I,
)
_BOOKING_URL = re.compile(
    r"calendly\.com|meetings\.hubspot\.com|chilipiper\.com|savvycal\.com|\bcal\.com/|"
    r"youcanbook\.me|zcal\.co|tidycal\.com|acuityscheduling\.com|calendar\.app\.google|"
    r"calendar\.google\.com/calendar/appointments|outlook\.office(?:365)?\.com/\S*bookings|"
    r"doodle\.com/bp",
    re.I,
)
_BOOKING_PHRASE = re.compile(
    r"^\W*(?:schedule|book|grab|find|pick)\b[^.?!]{0,50}\b(?:with me|my calendar|my availability|"
    r"on my cal)\b\W*$",
    re.I,
)
# Words (lower case) whose presence lets a line be one of the above: found with str.find,
# so only the few lines that may matter meet the exact, slower patterns.
_FOOTER_HINT = (
    "confidential", "disclaimer", "intended", "in error", "unsubscribe", "receiv",
    "preferences", "subscriptions", "information", "vertraulich", "confidentiel",
    "equal housing",
)  # fmt: skip
_BANNER_HINT = (
    "external", "caution", "warning", "outside", "quoted text", "texte des messages",
    "above this line",
)  # fmt: skip
_CONFERENCE_HINT = (
    "teams meeting", "join ", "meeting id", "passcode", "password", "one tap", "dial",
    "local number", "click here to join", "phone numbers", "about meet", "aka.ms",
    "download teams", "meeting options",
)  # fmt: skip
# The mark mail-tracking extensions (Streak, Mailtrack) leave on a line of its own.
_TRACKER = "\u1427"
_RULE_LINE = re.compile(r"^\s*(?:-{3,}|_{10,}|\*{3,})\s*$")
_BOOKING_HINT = (
    "calendly.com", "meetings.hubspot.com", "chilipiper.com", "savvycal.com", "cal.com/",
    "youcanbook.me", "zcal.co", "tidycal.com", "acuityscheduling.com", "calendar.app.google",
    "calendar.google.com/calendar/appointments", "bookings", "doodle.com/bp",
    "with me", "my calendar", "my availability", "on my cal",
)  # fmt: skip


def drop_boilerplate(lines: list[str], text: str | None = None) -> list[str]:
    """``lines`` without booking links, banners and conference details, cut at a footer.
    ``text`` is ``lines`` joined, when the caller has it."""
    lines = _drop_booking_lines(lines, "\n".join(lines) if text is None else text)
    if _TRACKER in (text if text is not None else "\n".join(lines)):
        lines = [line for line in lines if line.strip() != _TRACKER]
    lines = _drop_banners(lines)
    lines = _drop_conference_details(lines)
    return _cut_footer(lines)


def lines_with(hint: tuple[str, ...], lines: list[str], text: str | None = None) -> list[int]:
    """Indices of the lines holding one of the ``hint`` words, in order."""
    lowered = ("\n".join(lines) if text is None else text).lower()
    positions: list[int] = []
    for word in hint:
        position = lowered.find(word)
        while position >= 0:
            positions.append(position)
            position = lowered.find(word, position + len(word))
    found: list[int] = []
    line, previous = 0, 0
    for position in sorted(positions):  # lower() keeps every newline, so lines still count
        line += lowered.count("\n", previous, position)
        previous = position
        if not found or found[-1] != line:
            found.append(line)
    return found


def _drop_booking_lines(lines: list[str], text: str) -> list[str]:
    drop = {i for i in lines_with(_BOOKING_HINT, lines, text) if _is_booking_line(lines[i])}
    return [line for i, line in enumerate(lines) if i not in drop] if drop else lines


def _is_booking_line(line: str) -> bool:
    if _BOOKING_URL.search(line):
        return len(line.split()) <= 15
    return bool(_BOOKING_PHRASE.match(line))


def _paragraph_start(lines: list[str], i: int) -> int:
    while i > 0 and lines[i - 1].strip():
        i -= 1
    return i


def _paragraph_end(lines: list[str], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _drop_banners(lines: list[str]) -> list[str]:
    """External-sender warnings: their paragraph goes when it is short."""
    drop: set[int] = set()
    for i in lines_with(_BANNER_HINT, lines):
        if _HIDDEN_QUOTE.match(lines[i]):
            drop.add(i)
        elif i not in drop and _BANNER.match(lines[i]):
            start, end = _paragraph_start(lines, i), _paragraph_end(lines, i)
            if end - start <= 4:
                drop.update(range(start, end))
    return [line for i, line in enumerate(lines) if i not in drop] if drop else lines


def _drop_conference_details(lines: list[str]) -> list[str]:
    """Teams, Zoom and Meet join details (links, meeting IDs, dial-in numbers): the
    paragraphs that name them, when every other line in them is more of the same, and the
    rules ("---") left between them."""
    drop: set[int] = set()
    for i in lines_with(_CONFERENCE_HINT, lines):
        if i in drop or not _CONFERENCE.match(lines[i]):
            continue
        paragraph = range(_paragraph_start(lines, i), _paragraph_end(lines, i))
        if all(_CONFERENCE.match(lines[j]) or _CONFERENCE_LINE.match(lines[j]) for j in paragraph):
            drop.update(paragraph)
    if not drop:
        return lines
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for k, i in enumerate(filled):
        near = filled[k - 1 : k] + filled[k + 1 : k + 2]
        if _RULE_LINE.match(lines[i]) and any(j in drop for j in near):
            drop.add(i)
    return [line for i, line in enumerate(lines) if i not in drop]


def _cut_footer(lines: list[str]) -> list[str]:
    for i in lines_with(_FOOTER_HINT, lines):
        if _FOOTER.search(lines[i]):
            return lines[: _paragraph_start(lines, i)]
    return lines
