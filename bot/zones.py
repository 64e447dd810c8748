"""The zone policy: which time zone a conversation is read in, and the one check of a
zone name. Pure apart from ``machine_zone`` (which reads ``$TZ`` and ``/etc/localtime``
when called, never at import), so the engine and loaders may use it.

Order of precedence (``zone_in_force``): an explicit option (``--tz``) > the rep's stored
zone > their Slack profile's zone > a configured default (``NEXTSTEP_DEFAULT_TZ``) > this
machine's zone (where the machine may stand for the rep: local files, the command line).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import TimeZoneError


def check_zone(name: str) -> ZoneInfo:
    """The zone called ``name``, or the one TimeZoneError every front end shows."""
    try:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError, KeyError):
        raise TimeZoneError(
            f"{name!r} is not an IANA time zone name such as America/Los_Angeles or Europe/Berlin."
        ) from None


def check_zone_name(name: str) -> str:
    """``name`` itself, once ``check_zone`` accepts it (for columns that store names)."""
    check_zone(name)
    return name


def machine_zone() -> str:
    """This machine's IANA zone: $TZ, else /etc/localtime's target, else UTC."""
    env = os.environ.get("TZ", "").lstrip(":")
    if (env and "/" in env) or env == "UTC":
        return env
    try:
        parts = Path("/etc/localtime").resolve().parts
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


@overload
def zone_in_force(
    explicit: str | None = ...,
    rep_zone: str | None = ...,
    slack_zone: str | None = ...,
    *,
    default: str | None = ...,
    machine: Callable[[], str] = ...,
) -> str: ...


@overload
def zone_in_force(
    explicit: str | None = ...,
    rep_zone: str | None = ...,
    slack_zone: str | None = ...,
    *,
    default: str | None = ...,
    machine: None,
) -> str | None: ...


def zone_in_force(
    explicit: str | None = None,
    rep_zone: str | None = None,
    slack_zone: str | None = None,
    *,
    default: str | None = None,
    machine: Callable[[], str] | None = machine_zone,
) -> str | None:
    """The zone name in force: ``explicit`` > ``rep_zone`` > ``slack_zone`` > ``default``
    > ``machine()``. Pass ``machine=None`` where this machine's zone says nothing about
    the rep (mail from elsewhere); then None means no zone is known. The chosen name is
    checked; an unknown one raises TimeZoneError."""
    for name in (explicit, rep_zone, slack_zone, default):
        if name:
            return check_zone_name(name)
    return check_zone_name(machine()) if machine is not None else None
