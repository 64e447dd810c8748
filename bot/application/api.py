"""The use cases of the HTTP API, over an ``Application``: everything seen through a
token's workspace (another workspace's ids are simply not found), accounts, tokens,
webhook subscriptions and their events.

A token is ``ns_`` + 32 random bytes (url-safe base64); only its sha256 is stored, so
it is shown once, when it is made. A webhook's secret is shown once too, but kept: it
signs every delivery (``bot.application.webhooks``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.application.app import Application
from bot.application.ingest import IngestResult
from bot.application.records import ConversationDetail, ConversationSummary, StepRecord
from bot.errors import NextStepError, UsageError
from bot.vocabulary import InputSource, StepFilter, StepStatus, TokenScope, WebhookEvent
from bot.zones import check_zone_name
from storage.api import DEFAULT_WORKSPACE, ConversationQuery

TOKEN_PREFIX = "ns_"
SECRET_PREFIX = "whsec_"


class NotFoundError(NextStepError):
    """Not found."""

    exit_code = 1


@dataclass(frozen=True)
class TokenRecord:
    id: int
    workspace: str
    scope: TokenScope
    name: str | None
    prefix: str
    created_at: datetime
    revoked_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "workspace": self.workspace,
            "scope": str(self.scope),
            "name": self.name,
            "prefix": self.prefix,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


@dataclass(frozen=True)
class WebhookRecord:
    id: int
    workspace: str
    url: str
    events: tuple[str, ...]
    created_at: datetime
    delivered: int = 0
    pending: int = 0
    failed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "workspace": self.workspace,
            "url": self.url,
            "events": list(self.events),
            "created_at": self.created_at.isoformat(),
            "deliveries": {
                "delivered": self.delivered,
                "pending": self.pending,
                "failed": self.failed,
            },
        }


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _token_record(row: Any) -> TokenRecord:
    return TokenRecord(
        row.id,
        row.workspace,
        TokenScope(row.scope),
        row.name,
        row.prefix,
        row.created_at,
        row.revoked_at,
    )


def _workspace_name(workspace: str) -> str:
    name = workspace.strip()
    if not name:
        raise UsageError("--workspace needs a name: a Slack team id (T…) or 'default'.")
    return name


class ApiUseCases:
    """What the HTTP API and the ``tokens`` and ``webhooks`` commands call."""

    def __init__(self, application: Application) -> None:
        self.application = application

    # --- tokens ---------------------------------------------------------------------

    def create_token(
        self, workspace: str, scope: TokenScope, name: str | None = None
    ) -> tuple[TokenRecord, str]:
        """A new token and its secret (the only time the secret is seen)."""
        from storage.api import add_token

        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.application.session() as session:
            row = add_token(
                _workspace_name(workspace),
                scope,
                secret[:10],
                hash_token(secret),
                name,
                session=session,
                now=self.application.clock(),
            )
            return _token_record(row), secret

    def authenticate(self, secret: str) -> TokenRecord | None:
        from storage.api import token_by_hash

        with self.application.session() as session:
            row = token_by_hash(hash_token(secret), session=session)
            return _token_record(row) if row is not None else None

    def list_tokens(self) -> list[TokenRecord]:
        from storage.api import list_tokens

        with self.application.session() as session:
            return [_token_record(row) for row in list_tokens(session=session)]

    def revoke_token(self, token_id: int) -> TokenRecord:
        from storage.api import revoke_token

        with self.application.session() as session:
            row = revoke_token(token_id, session=session, now=self.application.clock())
            if row is None:
                raise NotFoundError(
                    f"No token has id {token_id}; `nextstep tokens list` shows them."
                )
            return _token_record(row)

    # --- webhooks -------------------------------------------------------------------

    def add_webhook(
        self, workspace: str, url: str, events: list[WebhookEvent]
    ) -> tuple[WebhookRecord, str]:
        from urllib.parse import urlparse

        from storage.api import add_webhook

        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise UsageError(f"{url!r} is not an http(s) URL such as https://example.com/hooks.")
        chosen = list(dict.fromkeys(events)) or list(WebhookEvent)
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        with self.application.session() as session:
            row = add_webhook(
                _workspace_name(workspace),
                url,
                [str(e) for e in chosen],
                secret,
                session=session,
                now=self.application.clock(),
            )
            assert row.id is not None
            record = WebhookRecord(
                row.id, row.workspace, row.url, tuple(row.events), row.created_at
            )
            return record, secret

    def list_webhooks(self) -> list[WebhookRecord]:
        from storage.api import delivery_counts, list_webhooks

        with self.application.session() as session:
            counts = delivery_counts(session=session)
            return [
                WebhookRecord(
                    row.id or 0,
                    row.workspace,
                    row.url,
                    tuple(row.events),
                    row.created_at,
                    counts.get((row.id or 0, "delivered"), 0),
                    counts.get((row.id or 0, "pending"), 0),
                    counts.get((row.id or 0, "failed"), 0),
                )
                for row in list_webhooks(session=session)
            ]

    def remove_webhook(self, webhook_id: int) -> None:
        from storage.api import remove_webhook

        with self.application.session() as session:
            if remove_webhook(webhook_id, session=session, now=self.application.clock()) is None:
                raise NotFoundError(
                    f"No webhook has id {webhook_id}; `nextstep webhooks list` shows them."
                )

    # --- reads through a workspace --------------------------------------------------

    def conversations(self, query: ConversationQuery) -> tuple[list[ConversationSummary], int]:
        from storage.api import list_conversations

        with self.application.session() as session:
            rows, total = list_conversations(query, session=session)
        return [ConversationSummary.of(*row) for row in rows], total

    def rep_id(self, rep: str | None) -> int | None:
        if rep is None:
            return None
        with self.application.session() as session:
            return self.application._rep_id(rep, session=session)

    def _check_conversation(self, workspace: str, conversation_id: int) -> None:
        from storage.api import conversation_workspace

        with self.application.session() as session:
            found = conversation_workspace(conversation_id, session=session)
        if found != workspace:
            raise NotFoundError(f"No conversation has id {conversation_id}.")

    def conversation(self, workspace: str, conversation_id: int) -> ConversationDetail:
        self._check_conversation(workspace, conversation_id)
        return self.application.show_conversation(conversation_id)

    def steps(self, workspace: str, status: StepFilter, rep: str | None) -> list[StepRecord]:
        from storage.api import workspace_conversation_ids

        found = self.application.list_steps(status=status, rep=rep)
        with self.application.session() as session:
            visible = workspace_conversation_ids(workspace, session=session)
        return [step for step in found if step.conversation_id in visible]

    def _check_step(self, workspace: str, step_id: int) -> None:
        from storage.api import step_conversation

        with self.application.session() as session:
            conversation_id = step_conversation(step_id, session=session)
        try:
            if conversation_id is None:
                raise NotFoundError
            self._check_conversation(workspace, conversation_id)
        except NotFoundError:
            raise NotFoundError(f"No next step has id {step_id}.") from None

    def update_step(
        self,
        workspace: str,
        step_id: int,
        *,
        status: StepStatus | None = None,
        acknowledged: bool | None = None,
        due: datetime | date | None = None,
        by: str,
    ) -> StepRecord:
        """Apply what a PATCH asks, in one order: due, acknowledged, then status."""
        self._check_step(workspace, step_id)
        step: StepRecord | None = None
        if due is not None:
            step = self.application.set_step_due(step_id, due, by=by)
        if acknowledged:
            step = self.application.acknowledge(step_id, by=by)
        if status is not None:
            step = self.application.set_step_status(step_id, status, by=by)
        if step is None:
            raise UsageError("Nothing to change: give status, acknowledged or due.")
        return step

    def accounts(self, workspace: str) -> list[dict[str, Any]]:
        from storage.api import list_accounts

        with self.application.session() as session:
            rows = list_accounts(workspace, session=session)
        return [
            {
                "account": row.account,
                "name": row.name,
                "conversations": row.conversations,
                "secured": row.secured,
                "latest_conversation_id": row.latest_id,
            }
            for row in rows
        ]

    def account_next_step(self, workspace: str, account: str) -> dict[str, Any]:
        """The stage-gate answer: the counterpart's newest conversation, whether it
        ended with a secured next step, and that step with its due and calendar status."""
        from storage.api import latest_for_account

        with self.application.session() as session:
            latest = latest_for_account(workspace, account, session=session)
        if latest is None:
            raise NotFoundError(f"No conversation with {account!r} is stored.")
        detail = self.application.show_conversation(latest)
        open_steps = [s for s in detail.steps if s.status == StepStatus.OPEN]
        chosen = next((s for s in open_steps if s.secured), None) or next(
            iter(open_steps or detail.steps), None
        )
        calendar = None
        if chosen is not None:
            link = self.application.calendar_statuses([chosen.id]).get(chosen.id)
            calendar = str(link.status) if link is not None else None
        return {
            "schema": 1,
            "account": account.strip().lower(),
            "conversation": detail.summary.to_dict(),
            "next_steps_secured": detail.summary.secured,
            "step": chosen.to_dict() if chosen is not None else None,
            "due": chosen.to_dict()["due"] if chosen is not None else None,
            "calendar_status": calendar,
        }

    # --- analysis -------------------------------------------------------------------

    def analyze(
        self,
        text: str,
        *,
        kind: str | None = None,
        at: datetime | None = None,
        tz: str | None = None,
        rep: str | None = None,
    ) -> dict[str, Any]:
        """The engine's JSON (``nextstep analyze --format json``); nothing is stored."""
        from bot.engine import analyze
        from bot.engine.model import SourceKind
        from bot.engine.schema import analysis_to_dict
        from bot.loaders import detect_kind, find_reference_time, load_text

        zone = self.application.zone_for(check_zone_name(tz) if tz else None, rep_email=rep)
        chosen = SourceKind(kind) if kind else None
        if at is None:
            guess = chosen or detect_kind(text[:4096])
            if guess != SourceKind.EMAIL and find_reference_time(text[:4096], zone) is None:
                at = self.application.clock().astimezone(ZoneInfo(zone))
        document = load_text(text, kind=chosen, at=at, tz=zone, rep=rep, source="api")
        return analysis_to_dict(analyze(document))

    def store(
        self,
        text: str,
        *,
        at: datetime | None,
        tz: str | None,
        rep: str | None,
        filename: str | None,
    ) -> IngestResult:
        """Store and analyse, as ``nextstep ingest`` does."""
        application = self.application.with_default_zone(tz) if tz else self.application
        return application.ingest(
            text.encode("utf-8"),
            source=InputSource.API,
            filename=filename,
            rep_email=rep,
            at=at,
        )


__all__ = ["DEFAULT_WORKSPACE", "ApiUseCases", "NotFoundError", "TokenRecord", "WebhookRecord"]
