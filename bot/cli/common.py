"""Small pieces the commands share: output formats, the machine's zone, --at parsing."""

from __future__ import annotations

import os
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.errors import UsageError


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


def local_zone() -> str:
    """This machine's IANA zone: $TZ, else /etc/localtime's target, else UTC."""
    env = os.environ.get("TZ", "").lstrip(":")
    if (env and "/" in env) or env == "UTC":
        return env
    try:
        target = Path("/etc/localtime").resolve()
        parts = target.parts
        if "zoneinfo" in parts:
            return "/".join(parts[parts.index("zoneinfo") + 1 :])
    except OSError:
        pass
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        name = timezone_file.read_text().strip()
        if name:
            return name
    return "UTC"


def parse_at(value: str | None, zone: str) -> datetime | None:
    """An ISO 8601 time; a naive one is read in the rep's zone."""
    if value is None or value == "":
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise UsageError(
            f"--at '{value}' is not an ISO 8601 time such as 2026-11-19T15:00-08:00."
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment
