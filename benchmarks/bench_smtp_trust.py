"""What does deciding who sent a message cost the SMTP listener, per message?

Runs the end-of-DATA decision (``integrations.smtp_trust.MailGate``) over signed recaps
of several sizes with each NEXTSTEP_SMTP_SENDER_AUTH mode: ``none``, ``trusted-mta``
(reading Authentication-Results), ``verify`` by DKIM (an RSA-2048 signature over the
whole body) and ``verify`` by SPF (no signature; an ``ip4:`` record). DNS is a table in
memory, so the figures are CPU only: add one to three DNS round trips for ``verify``
in service (dnspython, 5 s timeout). Prints p50 / p99 / mean milliseconds per message.

    python benchmarks/bench_smtp_trust.py [--count 200]
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import time
from pathlib import Path

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from integrations.smtp_authres import TrustedMta  # noqa: E402
from integrations.smtp_trust import Delivery, MailGate, NoAuthentication  # noqa: E402
from integrations.smtp_verify import Verifier  # noqa: E402

REP = "dana.reyes@acme-robotics.com"
DOMAIN = b"acme-robotics.com"
SELECTOR = b"s1"
MTA = "mx.acme-robotics.com"
SIZES = {"2 KB": 2 * 1024, "100 KB": 100 * 1024, "1 MB": 1024 * 1024}


class AnyThread:
    def reply_thread(self, message_ids: list[str], sender: str) -> int | None:
        return 1


def recap(size: int) -> bytes:
    line = b"We'll review the pilot proposal together Thursday at 10am with your ops lead.\r\n"
    body = line * max(1, size // len(line))
    head = (
        b"From: Dana Reyes <dana.reyes@acme-robotics.com>\r\n"
        b"To: Priya Natarajan <priya.natarajan@northwind-logistics.com>\r\n"
        b"Date: Mon, 23 Nov 2026 09:00:00 -0800\r\n"
        b"Message-ID: <recap-bench@acme-robotics.com>\r\n"
        b"Subject: Recap: Northwind pilot scoping call\r\n\r\n"
    )
    return head + body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="messages per case")
    args = parser.parse_args()

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    table = {
        "s1._domainkey.acme-robotics.com": [b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)],
        "acme-robotics.com": [b"v=spf1 ip4:192.0.2.0/24 -all"],
    }

    def txt(name: str) -> list[bytes]:
        return table.get(name.rstrip(".").lower(), [])

    modes = {
        "none": MailGate(AnyThread(), NoAuthentication(), required=False),
        "trusted-mta": MailGate(AnyThread(), TrustedMta(MTA), required=True),
        "verify (DKIM)": MailGate(AnyThread(), Verifier(txt), required=True),
        "verify (SPF)": MailGate(AnyThread(), Verifier(txt), required=True),
    }
    print(f"{'mode':<15} {'size':>7} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}  accepted")
    for size_name, size in SIZES.items():
        plain = recap(size)
        signed = dkim.sign(plain, SELECTOR, DOMAIN, private) + plain
        results = f"Authentication-Results: {MTA}; dkim=pass header.d=acme-robotics.com\r\n"
        raws = {
            "none": plain,
            "trusted-mta": results.encode() + plain,
            "verify (DKIM)": signed,
            "verify (SPF)": plain,
        }
        for mode, gate in modes.items():
            delivery = Delivery(
                raw=raws[mode],
                mail_from=REP,
                rep_email=REP,
                allowed=True,
                peer_ip="192.0.2.25",
                helo="mail.acme-robotics.com",
            )
            times: list[float] = []
            accepted = 0
            for _ in range(args.count):
                started = time.perf_counter()
                decision = gate.decide(delivery)
                times.append((time.perf_counter() - started) * 1000)
                accepted += decision.accepted
            times.sort()
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            print(
                f"{mode:<15} {size_name:>7} {statistics.median(times):>8.2f} {p99:>8.2f} "
                f"{statistics.fmean(times):>8.2f}  {accepted}/{args.count}"
            )


if __name__ == "__main__":
    main()
