"""Who may mail the bot, decided at the end of DATA, before anything is stored.

- A registered rep (or an address in NEXTSTEP_ALLOWED_SENDER_DOMAINS) may send
  anything; where sender authentication is required the message must authenticate as
  the rep's domain, else 550 and nothing is stored.
- Anyone else may only reply into a thread the bot already holds: In-Reply-To or
  References names a stored message (analysed yet or still waiting for a worker), and the From address is among that thread's
  participants or shares their mail domain. Where authentication is required the reply
  must authenticate as the From domain. A new thread from a stranger gets 550.

Authentication (NEXTSTEP_SMTP_SENDER_AUTH):

- ``none``: the envelope sender and the From header are believed.
- ``trusted-mta``: the topmost Authentication-Results header whose authserv-id is
  NEXTSTEP_SMTP_AUTHSERV_ID (the MTA in front, which must remove such headers from
  incoming mail) must show dmarc, dkim or spf ``pass`` for an aligned domain.
- ``verify``: a DKIM signature (dkimpy) or SPF (pyspf) must pass here for a domain
  aligned with the one checked, DMARC's test of the From domain.

Alignment is relaxed: the same domain, or one a subdomain of the other.
A session that logged in with SMTP AUTH counts as authenticated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses
from typing import Protocol, runtime_checkable

from bot.config import Settings
from bot.vocabulary import SenderAuth
from storage.threads import message_ids

log = logging.getLogger(__name__)

NOT_A_REPLY = (
    "550 5.7.1 <{address}>: not a reply to a thread nextstep holds; only registered reps"
    " may start one"
)
NOT_AUTHENTICATED = "550 5.7.1 <{address}>: sender authentication failed ({reason})"
AUTH_UNAVAILABLE = "451 4.7.5 Sender authentication could not be completed; try again later"


@dataclass(frozen=True)
class AuthOutcome:
    """Whether a message authenticates as ``domain``, and why (or why not)."""

    passed: bool
    domain: str
    method: str  # dkim, spf, dmarc, smtp-auth, or none
    reason: str
    temporary: bool = False  # DNS did not answer: try again later


@dataclass(frozen=True)
class Delivery:
    """What the listener knows about one message at the end of DATA."""

    raw: bytes
    mail_from: str
    rep_email: str | None  # the envelope sender is a registered rep
    allowed: bool  # a rep or an allowed domain
    peer_ip: str | None = None
    helo: str | None = None
    logged_in: bool = False  # SMTP AUTH succeeded on the session


@dataclass(frozen=True)
class Decision:
    accepted: bool
    reply: str | None  # the SMTP reply when refused
    rep_email: str | None  # the rep to ingest as
    reason: str


class Authenticator(Protocol):
    def authenticate(self, delivery: Delivery, domain: str) -> AuthOutcome: ...


@runtime_checkable
class ThreadLookup(Protocol):
    def reply_thread(self, message_ids: list[str], sender: str) -> int | None: ...


def aligned(domain: str | None, other: str | None) -> bool:
    """Relaxed alignment: the same domain, or one a subdomain of the other."""
    if not domain or not other:
        return False
    a, b = domain.lower().rstrip("."), other.lower().rstrip(".")
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def domain_of(address: str | None) -> str:
    return (address or "").rpartition("@")[2].lower().strip(">").strip()


def header_block(raw: bytes) -> dict[str, list[str]]:
    """The message's headers by lower-case name, in order, read with compat32."""
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        end = raw.find(b"\n\n")
    head = raw if end < 0 else raw[:end]
    headers = BytesHeaderParser(policy=compat32).parsebytes(head)
    found: dict[str, list[str]] = {}
    for name, value in headers.items():
        found.setdefault(name.lower(), []).append(str(value))
    return found


def from_address(headers: dict[str, list[str]]) -> str | None:
    """The single From address, or None when there is none or several."""
    addresses = [a for _, a in getaddresses(headers.get("from", [])) if "@" in a]
    return addresses[0].lower() if len(addresses) == 1 else None


class NoAuthentication:
    def authenticate(self, delivery: Delivery, domain: str) -> AuthOutcome:
        return AuthOutcome(True, domain, "none", "sender authentication is off")


class MailGate:
    """The decision of this module's docstring; ``lookup`` finds the thread a reply
    belongs to, ``authenticator`` checks the domain when ``required``."""

    def __init__(
        self,
        lookup: ThreadLookup,
        authenticator: Authenticator,
        *,
        required: bool,
    ) -> None:
        self._lookup = lookup
        self._authenticator = authenticator
        self._required = required

    def decide(self, delivery: Delivery) -> Decision:
        headers = header_block(delivery.raw)
        if delivery.allowed:
            return self._from_rep(delivery)
        sender = from_address(headers)
        if sender is None:
            return _refused(NOT_A_REPLY, delivery.mail_from, "no single From address")
        named = message_ids(*headers.get("in-reply-to", []), *headers.get("references", []))
        answered = self._lookup.reply_thread(named, sender) if named else None
        if answered is None:
            why = f"{sender} does not answer a stored thread"
            return _refused(NOT_A_REPLY, delivery.mail_from, why)
        outcome = self._check(delivery, domain_of(sender))
        if outcome is not None:
            return outcome
        return Decision(True, None, None, f"reply to stored input #{answered}")

    def _from_rep(self, delivery: Delivery) -> Decision:
        outcome = self._check(delivery, domain_of(delivery.mail_from))
        if outcome is not None:
            return outcome
        return Decision(True, None, delivery.rep_email, "registered sender")

    def _check(self, delivery: Delivery, domain: str) -> Decision | None:
        """None when authentication passes or is not required; else the refusal."""
        if not self._required:
            return None
        if delivery.logged_in:
            return None
        result = self._authenticator.authenticate(delivery, domain)
        if result.passed:
            return None
        address = delivery.mail_from if delivery.allowed else domain
        if result.temporary:
            return Decision(False, AUTH_UNAVAILABLE, None, result.reason)
        return _refused(NOT_AUTHENTICATED, address, result.reason)


def _refused(template: str, address: str, reason: str) -> Decision:
    reply = template.format(address=address, reason=reason)
    return Decision(False, reply, None, reason)


def build_authenticator(
    mode: SenderAuth,
    *,
    authserv_id: str | None,
    resolver: Callable[[str], list[bytes]] | None = None,
) -> Authenticator:
    """The authenticator for NEXTSTEP_SMTP_SENDER_AUTH (``resolver``: TXT lookups for
    ``verify``, dnspython's when not given)."""
    if mode == SenderAuth.TRUSTED_MTA:
        from integrations.smtp_authres import TrustedMta

        assert authserv_id is not None
        return TrustedMta(authserv_id)
    if mode == SenderAuth.VERIFY:
        from integrations.smtp_verify import DnsTxt, Verifier

        return Verifier(resolver or DnsTxt())
    return NoAuthentication()


def gate_for(intake: object, settings: Settings) -> MailGate | None:
    """The gate for the configured settings, when the intake can find reply threads
    (the database intake can; without one only registered senders are accepted)."""
    if not isinstance(intake, ThreadLookup):
        return None
    mode = settings.smtp_sender_auth
    authenticator = build_authenticator(mode, authserv_id=settings.smtp_authserv_id)
    return MailGate(intake, authenticator, required=mode != SenderAuth.NONE)
