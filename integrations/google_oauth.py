"""Signing in to Google, shared by Gmail and Google Calendar.

``authorise`` runs the installed-app flow (google-auth-oauthlib): the rep opens Google's
consent page, Google redirects the browser to a one-shot server on a loopback port, and
the code it carries is exchanged for a token at the client's token endpoint (the
``NEXTSTEP_GOOGLE_TOKEN_URI`` setting overrides the client file's, for a proxy or a
test). ``save_token`` writes the token readable by its owner only (0600), once per place
it is read from, so one consent can serve both Gmail and the calendar.

``refused_login`` turns what Google's token endpoint answers into a ``GoogleLoginError``
that names the fix: a revoked or expired token (``invalid_grant``), a scope the token
was never granted (``invalid_scope``), a service account without domain-wide delegation
for the scope (``unauthorized_client``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.errors import ConfigError

GMAIL_READONLY = "https://www.googleapis.com/auth/gmail.readonly"
GMAIL_MODIFY = "https://www.googleapis.com/auth/gmail.modify"
CALENDAR_READONLY = "https://www.googleapis.com/auth/calendar.readonly"
FLOW_TIMEOUT_SECONDS = 600


class GoogleLoginError(ConfigError):
    """Google refused the sign-in."""


def short_scope(scope: str) -> str:
    """``gmail.modify`` for ``https://www.googleapis.com/auth/gmail.modify``."""
    return scope.rsplit("/", 1)[-1]


def read_client_config(path: Path, *, token_uri: str | None = None) -> dict[str, Any]:
    """The OAuth client (type Desktop app) from the Google Cloud console's JSON file."""
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"Cannot read the OAuth client file {path}: {error}") from error
    if not isinstance(info, dict) or not isinstance(info.get("installed"), dict):
        kind = next(iter(info), "unknown") if isinstance(info, dict) else "not an object"
        raise ConfigError(
            f"{path} is not a Desktop-app OAuth client (it has '{kind}'); create one of type "
            "Desktop app in the Google Cloud console."
        )
    if token_uri:
        info["installed"]["token_uri"] = token_uri
    return info


def authorise(
    client_config: dict[str, Any],
    scopes: list[str],
    *,
    port: int = 0,
    open_browser: bool = True,
    prompt: str,
    success: str,
) -> Any:
    """Run the installed-app flow on 127.0.0.1:``port``; the credentials Google granted."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    flow = InstalledAppFlow.from_client_config(client_config, scopes=scopes)
    try:
        credentials = flow.run_local_server(
            host="127.0.0.1",
            port=port,
            open_browser=open_browser,
            authorization_prompt_message=prompt,
            success_message=success,
            timeout_seconds=FLOW_TIMEOUT_SECONDS,
        )
    except Exception as error:  # the OAuth libraries raise many kinds; say what happened
        raise ConfigError(f"Google sign-in did not complete: {error}") from error
    if credentials is None:
        raise ConfigError("Google sign-in did not complete (no answer within 10 minutes).")
    return credentials


def save_token(credentials: Any, paths: Iterable[Path]) -> None:
    """Write the token to each path, created 0600 (never readable by others, not even
    for a moment), replacing what was there."""
    text = credentials.to_json()
    for path in dict.fromkeys(paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.unlink(missing_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        temporary.replace(path)


def granted_scopes(info: dict[str, Any]) -> list[str]:
    """The scopes an installed-app token file says it was granted (a list or a string)."""
    scopes = info.get("scopes") or info.get("scope") or []
    if isinstance(scopes, str):
        scopes = scopes.split()
    return [str(s) for s in scopes]


def refused_login(error: Exception, *, service: str, scope: str, fix: str) -> GoogleLoginError:
    """What Google's token endpoint refused, and how to fix it. ``error`` is google-auth's
    ``RefreshError``: its second argument is the endpoint's JSON answer, when there was one."""
    answer = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], dict) else {}
    code = str(answer.get("error", ""))
    said = str(answer.get("error_description") or "").strip()
    first = str(error.args[0] if error.args else error).splitlines()[0]
    detail = f"{code}: {said}" if code and said else code or first
    if code == "invalid_grant":
        why = f"the {service} token expired or was revoked ({detail})."
    elif code == "invalid_scope":
        why = f"the {service} token was not granted {short_scope(scope)} ({detail})."
    elif code == "unauthorized_client":
        why = (
            f"the account is not authorised for {short_scope(scope)} ({detail}). For a service "
            "account, add its client id with the scope "
            f"{scope} under domain-wide delegation in the Google Admin console."
        )
    else:
        why = f"{service} refused the credentials ({detail})."
    return GoogleLoginError(f"{why[0].upper()}{why[1:]} {fix}")
