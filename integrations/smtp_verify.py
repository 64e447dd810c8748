"""Sender authentication done here (NEXTSTEP_SMTP_SENDER_AUTH=verify): DKIM and SPF,
aligned with the domain checked, as DMARC tests the From domain.

The message passes when a DKIM signature verifies (dkimpy) for a domain aligned with
it, or when SPF passes (pyspf) for the connecting address and an envelope sender whose
domain is aligned with it. DNS goes through a ``TxtLookup`` (dnspython's resolver in
service, a table in tests).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import dkim
import dns.exception
import dns.resolver
import spf  # type: ignore[import-untyped]

from integrations.smtp_trust import AuthOutcome, Delivery, aligned, domain_of

TxtLookup = Callable[[str], list[bytes]]  # the TXT records of a name; [] when none
DNS_TIMEOUT_SECONDS = 5.0
_DKIM_HEADER = re.compile(rb"^dkim-signature\s*:", re.IGNORECASE | re.MULTILINE)


class DnsUnavailable(Exception):
    """DNS did not answer in time (a temporary failure)."""


class DnsTxt:
    """TXT records from the system's resolver, with a timeout."""

    def __init__(self, timeout: float = DNS_TIMEOUT_SECONDS) -> None:
        self._resolver = dns.resolver.Resolver()
        self._resolver.lifetime = timeout

    def __call__(self, name: str) -> list[bytes]:
        try:
            answer = self._resolver.resolve(name.rstrip("."), "TXT")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.exception.DNSException as error:
            raise DnsUnavailable(f"TXT {name}: {error}") from error
        return [b"".join(record.strings) for record in answer]


class Verifier:
    def __init__(self, txt: TxtLookup) -> None:
        self._txt = txt

    def authenticate(self, delivery: Delivery, domain: str) -> AuthOutcome:
        try:
            signed = self.dkim_domains(delivery.raw)
            if any(aligned(d, domain) for d in signed):
                return AuthOutcome(True, domain, "dkim", f"dkim=pass for {domain}")
            spf_result = self.spf(delivery)
        except DnsUnavailable as error:
            return AuthOutcome(False, domain, "none", str(error), temporary=True)
        mail_domain = domain_of(delivery.mail_from)
        if spf_result == "pass" and aligned(mail_domain, domain):
            return AuthOutcome(True, domain, "spf", f"spf=pass for {mail_domain}")
        dkim_note = f"dkim=pass only for {', '.join(signed)}" if signed else "no valid DKIM"
        return AuthOutcome(
            False, domain, "none", f"{dkim_note}, spf={spf_result} for {mail_domain or '-'}"
        )

    def dkim_domains(self, raw: bytes) -> list[str]:
        """The domains of the DKIM signatures that verify."""
        end = raw.find(b"\r\n\r\n")
        count = len(_DKIM_HEADER.findall(raw if end < 0 else raw[:end]))
        if count == 0:
            return []
        message = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        passed: list[str] = []
        for index in range(count):
            try:
                checker = dkim.DKIM(message)
                ok = checker.verify(idx=index, dnsfunc=self._dkim_key)
                signer = checker.domain if ok else None
            except DnsUnavailable:
                raise
            except Exception:  # a signature or message dkimpy cannot read does not verify
                signer = None
            if signer:
                passed.append(signer.decode("ascii", "replace").lower())
        return passed

    def _dkim_key(self, name: str | bytes, timeout: int = 5) -> bytes | None:
        text = name.decode("ascii") if isinstance(name, bytes) else name
        records = self._txt(text)
        return records[0] if records else None

    def spf(self, delivery: Delivery) -> str:
        """pass, fail, softfail, neutral, none, permerror or temperror."""
        if not delivery.peer_ip or "@" not in delivery.mail_from:
            return "none"
        query = _SpfQuery(
            self._txt,
            i=delivery.peer_ip,
            s=delivery.mail_from,
            h=delivery.helo or "unknown",
            querytime=2 * DNS_TIMEOUT_SECONDS,  # all of one check's lookups: 10 s at most
        )
        result, _code, _why = query.check()
        if result == "temperror":
            raise DnsUnavailable(f"SPF for {delivery.mail_from}: {_why}")
        return str(result)


class _SpfQuery(spf.query):  # type: ignore[misc]
    """pyspf's query, its TXT lookups (the SPF records) answered by a ``TxtLookup``."""

    def __init__(self, txt: TxtLookup, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._lookup_txt = txt

    def dns(
        self, name: str, qtype: str, cnames: Any = None, ignore_void: bool = False
    ) -> list[Any]:
        if qtype.upper() != "TXT":  # A, MX, PTR: pyspf's own lookups
            return list(super().dns(name, qtype, cnames=cnames, ignore_void=ignore_void))
        return [[record] for record in self._lookup_txt(str(name).rstrip("."))]
