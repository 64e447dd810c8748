"""Sender authentication behind a trusted MTA: its Authentication-Results header.

Postfix with OpenDKIM / OpenDMARC (or any MTA in front of the listener) checks DKIM,
SPF and DMARC and records them in an ``Authentication-Results`` header (RFC 8601)
named by its authserv-id. Only the topmost header with that id is read: the MTA adds
its own on top and must remove any that arrive from outside claiming its id.
"""

from __future__ import annotations

import authres  # type: ignore[import-untyped]

from integrations.smtp_trust import AuthOutcome, Delivery, aligned, domain_of, header_block


class TrustedMta:
    def __init__(self, authserv_id: str) -> None:
        self._authserv_id = authserv_id.strip().lower()

    def authenticate(self, delivery: Delivery, domain: str) -> AuthOutcome:
        header = self._header(delivery.raw)
        if header is None:
            why = f"no Authentication-Results from {self._authserv_id}"
            return AuthOutcome(False, domain, "none", why)
        for result in header.results:
            method, verdict = str(result.method).lower(), str(result.result).lower()
            if verdict != "pass":
                continue
            checked = _checked_domain(method, result.properties)
            if aligned(checked, domain):
                return AuthOutcome(True, domain, method, f"{method}=pass for {checked}")
        return AuthOutcome(
            False, domain, "none", f"{self._authserv_id} shows no aligned pass for {domain}"
        )

    def _header(self, raw: bytes) -> authres.AuthenticationResultsHeader | None:
        for value in header_block(raw).get("authentication-results", []):
            try:
                parsed = authres.AuthenticationResultsHeader.parse(
                    "Authentication-Results: " + " ".join(value.split())
                )
            except Exception:  # a malformed header from outside is skipped
                continue
            if str(parsed.authserv_id).lower() == self._authserv_id:
                return parsed
        return None


def _checked_domain(method: str, properties: list[object]) -> str | None:
    """The domain a result vouches for: dkim's header.d, spf's smtp.mailfrom domain,
    dmarc's header.from."""
    wanted = {"dkim": ("header", "d"), "spf": ("smtp", "mailfrom"), "dmarc": ("header", "from")}
    key = wanted.get(method)
    if key is None:
        return None
    for prop in properties:
        if (str(getattr(prop, "type", "")).lower(), str(getattr(prop, "name", "")).lower()) == key:
            value = str(getattr(prop, "value", ""))
            return domain_of(value) if "@" in value else value.lower()
    return None
