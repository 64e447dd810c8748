"""STARTTLS and SMTP AUTH for the listener, both optional.

- NEXTSTEP_SMTP_TLS_CERT / NEXTSTEP_SMTP_TLS_KEY: a PEM certificate chain and key;
  STARTTLS is offered with them. NEXTSTEP_SMTP_REQUIRE_TLS refuses mail before it.
- NEXTSTEP_SMTP_AUTH_USER / NEXTSTEP_SMTP_AUTH_PASSWORD: one login for PLAIN and LOGIN,
  offered only after STARTTLS. A session that logs in counts as an authenticated
  sender; logging in is never required (other mail servers do not log in).
"""

from __future__ import annotations

import hmac
import ssl
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from bot.config import PLACEHOLDERS, Settings
from bot.errors import ConfigError
from bot.vocabulary import SenderAuth


def check_smtp_settings(settings: Settings) -> None:
    """Refuse combinations of the SMTP settings that cannot work, naming the fix."""
    if settings.smtp_sender_auth == SenderAuth.TRUSTED_MTA and not settings.smtp_authserv_id:
        raise ConfigError(
            "NEXTSTEP_SMTP_SENDER_AUTH=trusted-mta needs NEXTSTEP_SMTP_AUTHSERV_ID, the "
            "authserv-id your MTA writes in Authentication-Results (often its host name)."
        )
    if bool(settings.smtp_tls_cert) != bool(settings.smtp_tls_key):
        raise ConfigError("Set both NEXTSTEP_SMTP_TLS_CERT and NEXTSTEP_SMTP_TLS_KEY, or neither.")
    if settings.smtp_require_tls and not settings.smtp_tls_cert:
        raise ConfigError(
            "NEXTSTEP_SMTP_REQUIRE_TLS needs NEXTSTEP_SMTP_TLS_CERT and NEXTSTEP_SMTP_TLS_KEY."
        )
    if bool(settings.smtp_auth_user) != bool(settings.smtp_auth_password):
        raise ConfigError(
            "Set both NEXTSTEP_SMTP_AUTH_USER and NEXTSTEP_SMTP_AUTH_PASSWORD, or neither."
        )
    password = settings.smtp_auth_password
    if (
        settings.environment != "development"
        and password is not None
        and password.get_secret_value().strip().lower() in PLACEHOLDERS
    ):
        raise ConfigError("NEXTSTEP_SMTP_AUTH_PASSWORD is a placeholder; set the real value.")
    if settings.smtp_auth_user and not settings.smtp_tls_cert:
        raise ConfigError(
            "SMTP AUTH is offered only after STARTTLS: set NEXTSTEP_SMTP_TLS_CERT and "
            "NEXTSTEP_SMTP_TLS_KEY too."
        )


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    """The server's TLS context from the configured certificate, or None."""
    if not (settings.smtp_tls_cert and settings.smtp_tls_key):
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(settings.smtp_tls_cert, settings.smtp_tls_key)
    except (OSError, ssl.SSLError) as error:
        raise ConfigError(
            f"The SMTP certificate {settings.smtp_tls_cert} or key {settings.smtp_tls_key} "
            f"cannot be loaded ({error}); check NEXTSTEP_SMTP_TLS_CERT / _KEY."
        ) from error
    return context


class Login:
    """aiosmtpd authenticator: the one configured login, compared in constant time."""

    def __init__(self, user: str, password: str) -> None:
        self._user = user.encode()
        self._password = password.encode()

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if mechanism not in ("PLAIN", "LOGIN") or not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = hmac.compare_digest(data.login, self._user) & hmac.compare_digest(
            data.password, self._password
        )
        return AuthResult(success=ok, handled=False, auth_data=data.login if ok else None)


def smtp_options(settings: Settings) -> dict[str, Any]:
    """aiosmtpd ``SMTP`` keyword arguments for TLS, AUTH and the idle timeout."""
    check_smtp_settings(settings)
    options: dict[str, Any] = {
        "timeout": settings.smtp_idle_timeout,
        "auth_require_tls": True,
        "auth_required": False,
    }
    context = tls_context(settings)
    if context is not None:
        options["tls_context"] = context
        options["require_starttls"] = settings.smtp_require_tls
    if settings.smtp_auth_user and settings.smtp_auth_password:
        password = settings.smtp_auth_password.get_secret_value()
        options["authenticator"] = Login(settings.smtp_auth_user, password)
    else:
        options["auth_exclude_mechanism"] = ["PLAIN", "LOGIN"]
    return options
