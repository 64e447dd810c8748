"""Settings, read from the environment (prefix ``NEXTSTEP_``) and an optional ``.env``.

Build one ``Settings`` in ``main()`` and pass it down; nothing reads the environment at
import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

from bot.errors import ConfigError
from bot.vocabulary import GmailMode, SenderAuth

SUPPORTED_DATABASES = ("sqlite", "postgresql", "postgres")
PLACEHOLDERS = {"", "changeme", "change-me", "xxx", "placeholder", "secret", "todo"}


def default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "nextstep"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEXTSTEP_", env_file=".env", extra="ignore")

    environment: str = "development"
    data_dir: Path = Field(default_factory=default_data_dir)
    # DATABASE_URL (no prefix) is honoured too, as most hosts set it.
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    default_tz: str | None = None

    bot_address: str = "nextstep@localhost"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=2525, ge=0, le=65535)
    smtp_max_bytes: int = 25 * 1024 * 1024
    # Sender trust and limits of the SMTP listener (integrations/smtp_trust.py,
    # smtp_limits.py, smtp_tls.py): how senders are authenticated, the authserv-id
    # of the MTA in front (trusted-mta), STARTTLS and SMTP AUTH, and limits.
    smtp_sender_auth: SenderAuth = SenderAuth.NONE
    smtp_authserv_id: str | None = None
    smtp_tls_cert: Path | None = None
    smtp_tls_key: Path | None = None
    smtp_require_tls: bool = False
    smtp_auth_user: str | None = None
    smtp_auth_password: SecretStr | None = None
    smtp_max_recipients: int = Field(default=20, ge=1)
    smtp_max_connections: int = Field(default=100, ge=1)
    smtp_idle_timeout: float = Field(default=60.0, gt=0)
    smtp_sender_rate: int = Field(default=300, ge=1)  # messages per sender per minute
    # A comma-separated list in the environment, not JSON.
    allowed_sender_domains: Annotated[list[str], NoDecode] = Field(default_factory=list)

    gmail_credentials: Path | None = None
    gmail_user: str | None = None
    gmail_label: str = "nextstep"
    # readonly: read only (gmail.readonly); label: also mark recaps processed (gmail.modify)
    gmail_mode: GmailMode = GmailMode.LABEL
    gmail_api_url: str | None = None  # another Gmail API endpoint (a proxy, a test server)
    google_token_uri: str | None = None  # overrides the OAuth client file's token endpoint

    # Google Calendar: the OAuth client of an installed app (for `nextstep calendar
    # connect`), or a service account key with domain-wide delegation.
    google_client_secrets: Path | None = None
    google_calendar_credentials: Path | None = None

    # Intake (bot.application.worker, storage.queue): seconds one input's analysis may
    # take; how long a worker's claim lasts before another worker may take the input.
    analysis_time_budget: float = Field(default=60.0, gt=0)
    worker_lease_seconds: float = Field(default=300.0, gt=0)
    # PostgreSQL: seconds to wait for a connection and for one statement (0: no limit).
    db_connect_timeout: float = Field(default=10.0, ge=0)
    db_statement_timeout: float = Field(default=60.0, ge=0)

    # Secrets as SecretStr: a Settings printed or logged shows ********** instead.
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    # Many workspaces (HTTP mode): the app's OAuth credentials; installs are kept in
    # the bot's database (Bolt's SQLAlchemy installation store).
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    # Slack user ids allowed `/nextstep team`, comma-separated.
    slack_managers: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # The HTTP API (`nextstep serve --api`): requests a token may make per minute,
    # the largest request body accepted, seconds between webhook delivery passes.
    api_rate_limit: int = Field(default=120, ge=1)
    api_max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    webhook_interval: float = Field(default=2.0, gt=0)

    @field_validator("allowed_sender_domains", mode="before")
    @classmethod
    def _split_domains(cls, value: object) -> object:
        if isinstance(value, str):
            return [d.strip().lower() for d in value.split(",") if d.strip()]
        return value

    @field_validator("slack_managers", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [d.strip() for d in value.split(",") if d.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        scheme = value.split("://", 1)[0].lower() if "://" in value else ""
        if scheme.split("+", 1)[0] not in SUPPORTED_DATABASES:
            raise ValueError(
                f"{_safe_url(value)} is not a database nextstep supports; use a "
                "postgresql://user:password@host/dbname or sqlite:///path/to/file.db URL"
            )
        try:  # a port that is not a number fails here, not deep inside the driver
            port = make_url(value.strip()).port
        except ValueError:
            port = -1
        if port is not None and not 0 < port <= 65535:
            raise ValueError("the port in the URL is not a TCP port (1-65535)")
        return value.strip()

    @property
    def sqlalchemy_url(self) -> str:
        """The database to use: DATABASE_URL, else a SQLite file in the data directory."""
        if self.database_url:
            url = self.database_url
            # Hosts hand out postgres:// URLs; SQLAlchemy wants a driver name.
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix) :]
            return url
        return f"sqlite:///{self.data_dir / 'nextstep.db'}"

    def calendar_token_path(self, rep_email: str) -> Path:
        """Where a rep's Google Calendar token is kept."""
        return self.data_dir / "google-calendar" / f"{rep_email.lower()}.json"

    def check_secrets(self) -> None:
        """Refuse placeholder secrets outside development."""
        if self.environment == "development":
            return
        for name in (
            "slack_bot_token",
            "slack_app_token",
            "slack_signing_secret",
            "slack_client_secret",
            "smtp_auth_password",
        ):
            value = getattr(self, name)
            if value is not None and value.get_secret_value().strip().lower() in PLACEHOLDERS:
                raise ConfigError(f"{name.upper()} is a placeholder; set the real value.")


def _safe_url(url: str) -> str:
    """``url`` without a password, for messages."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment; a bad value is a ConfigError naming the variable
    (exit 7), not a validation traceback."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            name = ".".join(str(part) for part in item["loc"]) or "settings"
            variable = "DATABASE_URL" if name == "DATABASE_URL" else f"NEXTSTEP_{name.upper()}"
            value = item.get("input")
            shown = f" (got {_safe_url(value)!r})" if isinstance(value, str) else ""
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(f"{variable}: {message}{shown}.")
        raise ConfigError(" ".join(problems)) from None
