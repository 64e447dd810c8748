"""Repository functions of the HTTP API: the workspace a conversation belongs to (its
rep's Slack team, else ``default``), reads filtered by it, accounts (conversations by
counterpart organisation), tokens, webhook subscriptions and the webhook outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, literal
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.vocabulary import DeliveryStatus, TokenScope
from storage.api_models import ApiToken, Webhook, WebhookDelivery
from storage.models import (
    Conversation,
    ConversationRead,
    CounterpartOrg,
    NextStep,
    Rep,
    Workspace,
)
from storage.read import _step_counts

DEFAULT_WORKSPACE = "default"  # conversations of reps outside any Slack workspace


def _workspace_key() -> ColumnElement[str]:
    return func.coalesce(Workspace.slack_team_id, literal(DEFAULT_WORKSPACE))


def _in_workspace(statement: Any, workspace: str) -> Any:
    """``statement`` over ``Conversation`` narrowed to one workspace's conversations."""
    return (
        statement.outerjoin(Rep, col(Rep.id) == col(Conversation.rep_id))
        .outerjoin(Workspace, col(Workspace.id) == col(Rep.workspace_id))
        .where(_workspace_key() == workspace)
    )


def conversation_workspace(conversation_id: int, *, session: Session) -> str | None:
    """The workspace of a stored conversation, or None when there is none."""
    statement = (
        select(_workspace_key())
        .select_from(Conversation)
        .outerjoin(Rep, col(Rep.id) == col(Conversation.rep_id))
        .outerjoin(Workspace, col(Workspace.id) == col(Rep.workspace_id))
        .where(Conversation.id == conversation_id)
    )
    return session.exec(statement).first()


def step_conversation(step_id: int, *, session: Session) -> int | None:
    step = session.get(NextStep, step_id)
    return step.conversation_id if step is not None else None


def conversation_domain(org_id: int | None, *, session: Session) -> str | None:
    if org_id is None:
        return None
    org = session.get(CounterpartOrg, org_id)
    return (org.domain or org.name) if org is not None else None


@dataclass(frozen=True)
class ConversationQuery:
    workspace: str
    rep_id: int | None = None
    account: str | None = None  # a counterpart's mail domain (or name)
    since: datetime | None = None
    secured: bool | None = None
    limit: int = 50
    offset: int = 0


def _account(statement: Any, account: str) -> Any:
    key = account.strip().lower()
    return statement.join(CounterpartOrg, col(CounterpartOrg.id) == col(Conversation.org_id)).where(
        func.lower(func.coalesce(CounterpartOrg.domain, CounterpartOrg.name)) == key
    )


def list_conversations(
    query: ConversationQuery, *, session: Session
) -> tuple[list[tuple[ConversationRead, int, int, str | None, bool]], int]:
    """One page of a workspace's conversations, newest first (as ``storage.read``
    lists them), and how many match in all."""
    statement: SelectOfScalar[Conversation] = _in_workspace(select(Conversation), query.workspace)
    if query.rep_id is not None:
        statement = statement.where(Conversation.rep_id == query.rep_id)
    if query.account is not None:
        statement = _account(statement, query.account)
    if query.since is not None:
        statement = statement.where(col(Conversation.reference_time) >= query.since)
    if query.secured is not None:
        statement = statement.where(col(Conversation.next_steps_secured).is_(query.secured))
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    statement = statement.order_by(
        col(Conversation.reference_time).desc(), col(Conversation.id).desc()
    )
    found = list(session.exec(statement.offset(query.offset).limit(query.limit)))
    counts = _step_counts([row.id for row in found if row.id is not None], session=session)
    listed = []
    for row in found:
        read = (row.analysis or {}).get("conversation", {})
        steps, open_ = counts.get(row.id or 0, (0, 0))
        listed.append(
            (
                ConversationRead.model_validate(row),
                steps,
                open_,
                read.get("rep"),
                bool(read.get("rep_guessed")),
            )
        )
    return listed, int(total)


def workspace_conversation_ids(workspace: str, *, session: Session) -> set[int]:
    statement = _in_workspace(select(Conversation.id), workspace)
    return {i for i in session.exec(statement) if i is not None}


@dataclass(frozen=True)
class AccountRow:
    account: str  # the mail domain, else the organisation's name
    name: str | None
    conversations: int
    secured: int
    latest_id: int  # the newest conversation (by when it was held)


def list_accounts(workspace: str, *, session: Session) -> list[AccountRow]:
    """A workspace's counterpart organisations with their conversations counted."""
    key = func.lower(func.coalesce(CounterpartOrg.domain, CounterpartOrg.name))
    base = _in_workspace(
        select(Conversation.id, Conversation.next_steps_secured, key, CounterpartOrg.name)
        .select_from(Conversation)
        .join(CounterpartOrg, col(CounterpartOrg.id) == col(Conversation.org_id)),
        workspace,
    ).order_by(col(Conversation.reference_time).desc(), col(Conversation.id).desc())
    rows: dict[str, list[Any]] = {}
    for conversation_id, secured, account, name in session.exec(base):
        if account is None:
            continue
        row = rows.setdefault(account, [name, 0, 0, conversation_id])
        row[1] += 1
        row[2] += int(bool(secured))
    return [AccountRow(a, r[0], r[1], r[2], r[3]) for a, r in sorted(rows.items())]


def latest_for_account(workspace: str, account: str, *, session: Session) -> int | None:
    """The id of the counterpart's newest conversation in the workspace."""
    statement = _account(_in_workspace(select(Conversation.id), workspace), account)
    statement = statement.order_by(
        col(Conversation.reference_time).desc(), col(Conversation.id).desc()
    )
    return session.exec(statement.limit(1)).first()


# --- tokens ---------------------------------------------------------------------------


def add_token(
    workspace: str,
    scope: TokenScope,
    prefix: str,
    secret_hash: str,
    name: str | None,
    *,
    session: Session,
    now: datetime,
) -> ApiToken:
    token = ApiToken(
        workspace=workspace,
        scope=scope,
        name=name,
        prefix=prefix,
        secret_hash=secret_hash,
        created_at=now,
    )
    session.add(token)
    session.flush()
    return token


def token_by_hash(secret_hash: str, *, session: Session) -> ApiToken | None:
    statement = select(ApiToken).where(
        ApiToken.secret_hash == secret_hash, col(ApiToken.revoked_at).is_(None)
    )
    return session.exec(statement).first()


def list_tokens(*, session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).order_by(col(ApiToken.id))))


def revoke_token(token_id: int, *, session: Session, now: datetime) -> ApiToken | None:
    token = session.get(ApiToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = now
        session.add(token)
    return token


# --- webhooks -------------------------------------------------------------------------


def add_webhook(
    workspace: str,
    url: str,
    events: Sequence[str],
    secret: str,
    *,
    session: Session,
    now: datetime,
) -> Webhook:
    hook = Webhook(workspace=workspace, url=url, events=list(events), secret=secret, created_at=now)
    session.add(hook)
    session.flush()
    return hook


def list_webhooks(*, session: Session) -> list[Webhook]:
    statement = select(Webhook).where(col(Webhook.removed_at).is_(None)).order_by(col(Webhook.id))
    return list(session.exec(statement))


def remove_webhook(webhook_id: int, *, session: Session, now: datetime) -> Webhook | None:
    hook = session.get(Webhook, webhook_id)
    if hook is None or hook.removed_at is not None:
        return None
    hook.removed_at = now
    session.add(hook)
    return hook


def delivery_counts(*, session: Session) -> dict[tuple[int, str], int]:
    statement = select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count()).group_by(
        col(WebhookDelivery.webhook_id), col(WebhookDelivery.status)
    )
    return {(hook, str(status)): n for hook, status, n in session.exec(statement)}


def enqueue_event(
    workspace: str,
    event: str,
    event_id: str,
    payload: dict[str, Any],
    *,
    session: Session,
    now: datetime,
) -> int:
    """One pending delivery per live subscription of the workspace to ``event``; an
    event id already queued for a subscription is not queued again. How many were."""
    queued = 0
    for hook in list_webhooks(session=session):
        if hook.workspace != workspace or event not in hook.events or hook.id is None:
            continue
        known = select(WebhookDelivery.id).where(
            WebhookDelivery.webhook_id == hook.id, WebhookDelivery.event_id == event_id
        )
        if session.exec(known).first() is not None:
            continue
        session.add(
            WebhookDelivery(
                webhook_id=hook.id,
                event_id=event_id,
                event=event,
                payload=payload,
                created_at=now,
                next_attempt_at=now,
            )
        )
        queued += 1
    session.flush()
    return queued


@dataclass(frozen=True)
class Claimed:
    id: int
    event_id: str
    event: str
    payload: dict[str, Any]
    attempts: int
    url: str
    secret: str


def claim_deliveries(
    *, session: Session, now: datetime, lease: timedelta, limit: int = 20
) -> list[Claimed]:
    """Due deliveries, each the oldest pending one of its subscription (so a receiver
    hears events in order), leased for ``lease``. Rows are locked with ``FOR UPDATE
    SKIP LOCKED`` on PostgreSQL; the caller commits the claim before sending."""
    earlier = aliased(WebhookDelivery)
    blocked = exists().where(
        col(earlier.webhook_id) == col(WebhookDelivery.webhook_id),
        col(earlier.status) == DeliveryStatus.PENDING,
        col(earlier.id) < col(WebhookDelivery.id),
    )
    statement = (
        select(WebhookDelivery, Webhook)
        .join(Webhook, col(Webhook.id) == col(WebhookDelivery.webhook_id))
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            col(WebhookDelivery.next_attempt_at) <= now,
            ~blocked,
        )
        .order_by(col(WebhookDelivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True, of=WebhookDelivery)  # type: ignore[arg-type]
    )
    claimed = []
    for delivery, hook in session.exec(statement):
        assert delivery.id is not None
        delivery.next_attempt_at = now + lease
        delivery.attempts += 1
        session.add(delivery)
        claimed.append(
            Claimed(
                delivery.id,
                delivery.event_id,
                delivery.event,
                dict(delivery.payload),
                delivery.attempts,
                hook.url,
                hook.secret,
            )
        )
    return claimed


def finish_delivery(
    delivery_id: int,
    *,
    code: int | None,
    error: str | None,
    retry_at: datetime | None,
    session: Session,
    now: datetime,
) -> None:
    """Record an attempt: delivered (no error), to be retried at ``retry_at``, or
    failed for good (``retry_at`` None)."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        return
    delivery.last_code = code
    delivery.last_error = error
    if error is None:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
    elif retry_at is None:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = retry_at
    session.add(delivery)


def list_deliveries(*, session: Session, webhook_id: int | None = None) -> list[WebhookDelivery]:
    statement = select(WebhookDelivery).order_by(col(WebhookDelivery.id))
    if webhook_id is not None:
        statement = statement.where(WebhookDelivery.webhook_id == webhook_id)
    return list(session.exec(statement))
