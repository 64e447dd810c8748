"""Sending to a rep in Slack: open the DM, post, and find a post again by its key.

Each post carries its nudge keys in Slack message metadata, so after a crash between
posting and recording it the scheduler can see the post is already there
(``conversations.history``) instead of sending it twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import NextStepError

METADATA_TYPE = "nextstep_nudge"


class DeliveryError(NextStepError):
    """Slack did not take the message."""


@dataclass(frozen=True)
class Delivered:
    channel: str
    ts: str


@dataclass(frozen=True)
class SlackMember:
    user_id: str
    tz: str | None
    name: str | None


class NudgeChannel(Protocol):
    def deliver(
        self, team_id: str, user_id: str, message: dict[str, Any], keys: Sequence[str]
    ) -> Delivered: ...

    def find_delivered(
        self, team_id: str, user_id: str, key: str, since: datetime
    ) -> Delivered | None: ...

    def member_by_email(self, team_id: str, email: str) -> SlackMember | None: ...


class SlackOutbox:
    """``NudgeChannel`` over the real ``WebClient`` (one per team: ``client_for``)."""

    def __init__(self, client_for: Callable[[str], WebClient]) -> None:
        self.client_for = client_for

    def _channel(self, client: WebClient, user_id: str) -> str:
        return client.conversations_open(users=user_id)["channel"]["id"]

    def deliver(
        self, team_id: str, user_id: str, message: dict[str, Any], keys: Sequence[str]
    ) -> Delivered:
        client = self.client_for(team_id)
        payload = {k: v for k, v in message.items() if k != "response_type"}
        metadata = {"event_type": METADATA_TYPE, "event_payload": {"keys": ",".join(keys)}}
        try:
            channel = self._channel(client, user_id)
            posted = client.chat_postMessage(channel=channel, metadata=metadata, **payload)
        except SlackApiError as error:
            raise DeliveryError(_reason(error)) from error
        return Delivered(channel, posted["ts"])

    def find_delivered(
        self, team_id: str, user_id: str, key: str, since: datetime
    ) -> Delivered | None:
        client = self.client_for(team_id)
        try:
            channel = self._channel(client, user_id)
            history = client.conversations_history(
                channel=channel,
                oldest=f"{since.timestamp():.6f}",
                include_all_metadata=True,
                limit=100,
            )
        except SlackApiError as error:
            raise DeliveryError(_reason(error)) from error
        found: list[dict[str, Any]] = history.get("messages", [])
        for message in found:
            meta = message.get("metadata") or {}
            keys = str((meta.get("event_payload") or {}).get("keys", "")).split(",")
            if meta.get("event_type") == METADATA_TYPE and key in keys:
                return Delivered(channel, message["ts"])
        return None

    def member_by_email(self, team_id: str, email: str) -> SlackMember | None:
        """The workspace member with this email (users.lookupByEmail), or None."""
        try:
            user = self.client_for(team_id).users_lookupByEmail(email=email)["user"]
        except SlackApiError as error:
            if error.response.get("error") == "users_not_found":
                return None
            raise DeliveryError(_reason(error)) from error
        if user.get("deleted") or user.get("is_bot"):
            return None
        name = (user.get("profile") or {}).get("real_name") or user.get("real_name")
        return SlackMember(user["id"], user.get("tz"), name)


def _reason(error: SlackApiError) -> str:
    response = error.response
    status = getattr(response, "status_code", "?")
    code = response.get("error") if hasattr(response, "get") else None
    return f"Slack answered {status} ({code or 'no error code'})."
