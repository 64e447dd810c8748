"""The HTTP API's tables: tokens (stored as a sha256 of their secret), webhook
subscriptions and the webhook outbox (one row per event and subscription, claimed by
the deliverer and kept with its status and attempts)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.vocabulary import DeliveryStatus, TokenScope
from storage.models import _json, _key, _when, _word, utcnow


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    workspace: str = Field(index=True)
    scope: TokenScope = _word()
    name: str | None = None
    prefix: str  # the first characters, shown in lists so a token can be recognised
    secret_hash: str = Field(unique=True)  # sha256 hex of the whole token
    created_at: datetime = _when(default_factory=utcnow)
    revoked_at: datetime | None = _when(default=None)


class Webhook(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workspace: str = Field(index=True)
    url: str
    events: list[str] = _json(default_factory=list)
    secret: str  # signs each delivery; the receiver holds the same
    created_at: datetime = _when(default_factory=utcnow)
    removed_at: datetime | None = _when(default=None)


class WebhookDelivery(SQLModel, table=True):
    """One event for one subscription; ``event_id`` is what receivers dedupe on."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (sa.UniqueConstraint("webhook_id", "event_id"),)
    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = _key("webhook.id", "CASCADE")
    event_id: str
    event: str
    payload: dict[str, Any] = _json(default_factory=dict)
    status: DeliveryStatus = _word(default=DeliveryStatus.PENDING, index=True)
    attempts: int = 0
    next_attempt_at: datetime = _when(default_factory=utcnow, index=True)
    last_code: int | None = None  # the receiver's HTTP status
    last_error: str | None = None
    created_at: datetime = _when(default_factory=utcnow)
    delivered_at: datetime | None = _when(default=None)
