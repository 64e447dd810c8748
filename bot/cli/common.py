"""Small pieces the commands share: output formats, --at parsing, the process state."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.cli.context import CliState, state
from bot.errors import UsageError
from bot.zones import machine_zone

__all__ = ["CliState", "Format", "local_zone", "parse_at", "state"]


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


def local_zone() -> str:
    """This machine's IANA zone (``bot.zones.machine_zone``)."""
    return machine_zone()


def parse_at(value: str | None, zone: str, *, option: str = "--at") -> datetime | None:
    """An ISO 8601 time; a naive one is read in the rep's zone."""
    if value is None or value == "":
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise UsageError(
            f"{option} '{value}' is not an ISO 8601 time such as 2026-11-19T15:00-08:00."
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment
