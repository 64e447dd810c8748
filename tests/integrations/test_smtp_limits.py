"""The listener's limits, STARTTLS, SMTP AUTH and the trusted MTA's verdict, spoken to
with smtplib and raw sockets on a loopback port."""

from __future__ import annotations

import smtplib
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from sqlalchemy.engine import Engine

from bot.application import Application
from bot.config import Settings
from bot.errors import ConfigError
from integrations.smtp import DatabaseIntake, SmtpListener
from integrations.smtp_trust import MailGate
from integrations.smtp_verify import Verifier
from storage.db import session_scope
from storage.repo import add_rep
from tests.integrations.test_inbox_cli import environment, nextstep
from tests.integrations.test_smtp import BOT, RECAP, REP, MemoryIntake, settings_for


def running(intake: Any, settings: Settings, **kwargs: Any) -> SmtpListener:
    server = SmtpListener(intake, settings, host="127.0.0.1", port=0, **kwargs)
    server.start()
    return server


@pytest.fixture
def stop() -> Iterator[list[SmtpListener]]:
    started: list[SmtpListener] = []
    yield started
    for server in started:
        server.stop(grace=5)


def client(server: SmtpListener) -> smtplib.SMTP:
    host, port = server.address
    return smtplib.SMTP(host, port, timeout=10)


def test_size_is_announced_and_a_bigger_message_gets_552(stop: list[SmtpListener]) -> None:
    intake = MemoryIntake()
    stop.append(server := running(intake, settings_for(smtp_max_bytes=2048)))
    with client(server) as smtp:
        smtp.ehlo()
        assert smtp.esmtp_features["size"] == "2048"
        smtp.mail(REP)  # without SIZE=, so the limit is met at the end of DATA
        smtp.rcpt(BOT)
        code, text = smtp.data(RECAP + b"x" * 4096 + b"\r\n")
    assert code == 552, text
    assert intake.received == []


def test_recipients_past_the_limit_get_452(stop: list[SmtpListener]) -> None:
    intake = MemoryIntake()
    stop.append(server := running(intake, settings_for(smtp_max_recipients=2)))
    tagged = [BOT, BOT.replace("@", "+a@"), BOT.replace("@", "+b@")]
    with client(server) as smtp:
        smtp.ehlo()
        smtp.mail(REP)
        answers = [smtp.rcpt(address)[0] for address in tagged]
        assert answers == [250, 250, 452]
        assert smtp.data(RECAP)[0] == 250
    assert len(intake.received) == 1


def test_a_sender_over_its_rate_gets_450_and_others_are_served(
    stop: list[SmtpListener],
) -> None:
    intake = MemoryIntake(reps={REP, "sam.ortiz@acme-robotics.com"})
    stop.append(server := running(intake, settings_for(smtp_sender_rate=2)))
    # Distinct messages: the intake keeps the same bytes only once.
    recaps = [b"X-Recap-Number: %d\r\n" % n + RECAP for n in range(4)]
    with client(server) as smtp:
        for recap in recaps[:2]:
            smtp.sendmail(REP, [BOT], recap)
        with pytest.raises(smtplib.SMTPSenderRefused) as deferred:
            smtp.sendmail(REP, [BOT], recaps[2])
        assert deferred.value.smtp_code == 450
        assert b"too many messages this minute" in deferred.value.smtp_error
        smtp.sendmail("sam.ortiz@acme-robotics.com", [BOT], recaps[3])
    assert len(intake.received) == 3
    stored = b"\n".join(intake.received)
    assert recaps[0] in stored and recaps[1] in stored and recaps[3] in stored
    assert recaps[2] not in stored


def greeting(sock: socket.socket) -> bytes:
    sock.settimeout(5)
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data


def test_connections_past_the_limit_get_421_and_a_freed_slot_is_reused(
    stop: list[SmtpListener],
) -> None:
    stop.append(server := running(MemoryIntake(), settings_for(smtp_max_connections=2)))
    first = socket.create_connection(server.address)
    second = socket.create_connection(server.address)
    try:
        assert greeting(first).startswith(b"220 ")
        assert greeting(second).startswith(b"220 ")
        with socket.create_connection(server.address) as third:
            assert greeting(third).startswith(b"421 4.7.0 ")
            assert third.recv(1024) == b""  # closed by the server
        first.close()
        deadline = time.monotonic() + 5
        while True:
            with socket.create_connection(server.address) as again:
                if greeting(again).startswith(b"220 ") or time.monotonic() > deadline:
                    break
            time.sleep(0.05)
        assert server.handler.limits is not None
        assert server.handler.limits.open_connections <= 2
    finally:
        first.close()
        second.close()
    with client(server) as smtp:  # the listener still serves
        assert smtp.noop()[0] == 250


def test_an_idle_connection_gets_421_and_is_closed(stop: list[SmtpListener]) -> None:
    stop.append(server := running(MemoryIntake(), settings_for(smtp_idle_timeout=0.5)))
    with socket.create_connection(server.address) as sock:
        assert greeting(sock).startswith(b"220 ")
        time.sleep(1.0)
        assert greeting(sock).startswith(b"421 4.4.2 ")
        assert sock.recv(1024) == b""


# --- STARTTLS and SMTP AUTH ---------------------------------------------------------------


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def tls_settings(authority: trustme.CA, folder: Path, **overrides: object) -> Settings:
    cert = authority.issue_cert("127.0.0.1", "localhost")
    cert.private_key_pem.write_to_path(str(folder / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
    return settings_for(
        smtp_tls_cert=folder / "cert.pem", smtp_tls_key=folder / "key.pem", **overrides
    )


def client_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


def test_starttls_with_the_configured_certificate_and_required_before_mail(
    stop: list[SmtpListener], authority: trustme.CA, tmp_path: Path
) -> None:
    intake = MemoryIntake()
    settings = tls_settings(authority, tmp_path, smtp_require_tls=True)
    stop.append(server := running(intake, settings))
    with client(server) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls")
        code, text = smtp.mail(REP)
        assert code == 530, text
        smtp.starttls(context=client_context(authority))
        smtp.ehlo()
        smtp.sendmail(REP, [BOT], RECAP)
    assert len(intake.received) == 1


class NoThreads:
    def reply_thread(self, message_ids: list[str], sender: str) -> int | None:
        return None


def test_auth_is_offered_only_after_tls_and_a_login_counts_as_authenticated(
    stop: list[SmtpListener], authority: trustme.CA, tmp_path: Path
) -> None:
    intake = MemoryIntake()
    settings = tls_settings(
        authority,
        tmp_path,
        smtp_auth_user="relay",
        smtp_auth_password="correct horse battery staple",
        smtp_sender_auth="verify",
    )
    gate = MailGate(NoThreads(), Verifier(lambda name: []), required=True)  # no DNS at all
    stop.append(server := running(intake, settings, gate=gate))

    with client(server) as smtp:  # not logged in: the unsigned rep mail fails verify
        smtp.ehlo()
        assert not smtp.has_extn("auth")
        with pytest.raises(smtplib.SMTPDataError) as refused:
            smtp.sendmail(REP, [BOT], RECAP)
        assert refused.value.smtp_code == 550

    with client(server) as smtp:
        smtp.starttls(context=client_context(authority))
        smtp.ehlo()
        assert set(smtp.esmtp_features["auth"].split()) >= {"PLAIN", "LOGIN"}
        with pytest.raises(smtplib.SMTPAuthenticationError) as wrong:
            smtp.login("relay", "wrong")
        assert wrong.value.smtp_code == 535

    with client(server) as smtp:
        smtp.starttls(context=client_context(authority))
        smtp.ehlo()
        smtp.login("relay", "correct horse battery staple")
        smtp.sendmail(REP, [BOT], RECAP)
    assert len(intake.received) == 1
    assert "correct horse" not in repr(settings)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"NEXTSTEP_SMTP_SENDER_AUTH": "trusted-mta"}, "needs NEXTSTEP_SMTP_AUTHSERV_ID"),
        ({"NEXTSTEP_SMTP_SENDER_AUTH": "dkim"}, "NEXTSTEP_SMTP_SENDER_AUTH"),
        ({"NEXTSTEP_SMTP_AUTH_USER": "relay"}, "NEXTSTEP_SMTP_AUTH_PASSWORD"),
        ({"NEXTSTEP_SMTP_TLS_CERT": "/nonexistent/cert.pem"}, "NEXTSTEP_SMTP_TLS_KEY"),
    ],
)
def test_smtp_settings_that_cannot_work_are_a_configuration_error(
    tmp_path: Path, variables: dict[str, str], message: str
) -> None:
    result = subprocess.run(
        nextstep("smtp", "--host", "127.0.0.1", "--port", "0"),
        env=environment(tmp_path) | variables,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == ConfigError.exit_code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_certificate_that_cannot_be_read_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "cert.pem").write_text("not a certificate")
    (tmp_path / "key.pem").write_text("not a key")
    settings = settings_for(smtp_tls_cert=tmp_path / "cert.pem", smtp_tls_key=tmp_path / "key.pem")
    with pytest.raises(ConfigError, match="cannot be loaded"):
        SmtpListener(MemoryIntake(), settings, host="127.0.0.1", port=0)


def test_a_placeholder_auth_password_is_refused_outside_development(
    authority: trustme.CA, tmp_path: Path
) -> None:
    settings = tls_settings(
        authority,
        tmp_path,
        environment="production",
        smtp_auth_user="relay",
        smtp_auth_password="changeme",
    )
    with pytest.raises(ConfigError, match="NEXTSTEP_SMTP_AUTH_PASSWORD is a placeholder"):
        SmtpListener(MemoryIntake(), settings, host="127.0.0.1", port=0)


# --- behind a trusted MTA: its Authentication-Results ---------------------------------------

MTA = "mx.acme-robotics.com"


def with_results(value: str) -> bytes:
    return f"Authentication-Results: {value}\r\n".encode() + RECAP


@pytest.fixture
def behind_mta(engine: Engine, db_settings: Settings) -> Iterator[SmtpListener]:
    """The listener as `nextstep smtp` builds it, with NEXTSTEP_SMTP_SENDER_AUTH=trusted-mta."""
    settings = db_settings.model_copy(
        update={"bot_address": BOT, "smtp_sender_auth": "trusted-mta", "smtp_authserv_id": MTA}
    )
    with session_scope(engine) as session:
        add_rep(REP, name="Dana Reyes", tz="America/Los_Angeles", session=session)
    server = running(DatabaseIntake(Application(engine, settings)), settings)
    yield server
    server.stop(grace=5)


@pytest.mark.parametrize(
    ("results", "accepted"),
    [
        (f"{MTA}; dkim=pass header.d=acme-robotics.com header.s=s1", True),
        (f"{MTA}; spf=pass smtp.mailfrom={REP}; dkim=none", True),
        (f"{MTA}; dmarc=pass header.from=acme-robotics.com", True),
        (f"{MTA}; dkim=fail header.d=acme-robotics.com; spf=softfail smtp.mailfrom={REP}", False),
        (f"{MTA}; dkim=pass header.d=unrelated.example", False),
        ("mx.unrelated.example; dkim=pass header.d=acme-robotics.com", False),
    ],
)
def test_the_trusted_mta_decides_whether_a_rep_is_who_they_say(
    behind_mta: SmtpListener, engine: Engine, results: str, accepted: bool
) -> None:
    from tests.integrations.test_smtp_trust import inputs

    with client(behind_mta) as smtp:
        try:
            smtp.sendmail(REP, [BOT], with_results(results))
            code = 250
        except smtplib.SMTPDataError as refused:
            code = refused.smtp_code
            assert b"sender authentication failed" in refused.smtp_error
    assert code == (250 if accepted else 550)
    assert len(inputs(engine)) == (1 if accepted else 0)


def test_only_the_topmost_results_of_the_trusted_mta_count(
    behind_mta: SmtpListener, engine: Engine
) -> None:
    """A sender's own forged header below the MTA's does not help them."""
    forged = f"Authentication-Results: {MTA}; dkim=pass header.d=acme-robotics.com\r\n"
    body = (
        f"Authentication-Results: {MTA}; dkim=fail header.d=acme-robotics.com\r\n".encode()
        + forged.encode()
        + RECAP
    )
    with client(behind_mta) as smtp, pytest.raises(smtplib.SMTPDataError) as refused:
        smtp.sendmail(REP, [BOT], body)
    assert refused.value.smtp_code == 550
