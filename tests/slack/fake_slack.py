"""A local stand-in for Slack's servers, over real HTTP.

``FakeSlackApi`` answers the Web API methods the app calls in the shapes Slack's own
answers have (``{"ok": true, ...}``), records every call, can answer a method with
429 and Retry-After a number of times, and takes ``response_url`` posts at
``/response/<id>``. ``signed_post`` sends a request to the app the way Slack does:
signed with the signing secret (``v0=`` HMAC-SHA256 over ``v0:{ts}:{body}``).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response_url" for a post to a response URL
    params: dict[str, Any]
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.perf_counter)  # when it arrived


@dataclass
class FakeSlackApi:
    calls: list[Call] = field(default_factory=list)
    limited: dict[str, list[int]] = field(default_factory=dict)  # method -> Retry-After values
    failing: dict[str, str] = field(default_factory=dict)  # method -> Slack error code
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id -> profile
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> posts
    condition: threading.Condition = field(default_factory=threading.Condition)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(100))
    server: ThreadingHTTPServer | None = None

    # --- set-up ---

    def start(self) -> FakeSlackApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                if self.path.startswith("/upload/"):  # a file's bytes (files_upload_v2)
                    api._record(Call("file_upload", {"bytes": data}, self.path, dict(self.headers)))
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"OK")
                    return
                raw = data.decode()
                status, headers, body = api.handle(self.path, dict(self.headers), raw)
                data = body.encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}/api/"

    def response_url(self, name: str = "cmd") -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}/response/{name}"

    def rate_limit(self, method: str, *retry_after: int) -> None:
        """Answer the next calls of ``method`` with 429 and these Retry-After values."""
        self.limited.setdefault(method, []).extend(retry_after)

    # --- answers ---

    def handle(
        self, path: str, headers: dict[str, str], raw: str
    ) -> tuple[int, dict[str, str], str]:
        params = _params(headers, raw)
        if path.startswith("/response/"):
            self._record(Call("response_url", params, path, headers))
            return 200, {"Content-Type": "text/html"}, "ok"
        method = path.split("?")[0].removeprefix("/api/")
        with self.condition:
            waits = self.limited.get(method)
            if waits:
                retry_after = waits.pop(0)
                self.calls.append(Call(method + ":429", params, path, headers))
                self.condition.notify_all()
                body = json.dumps({"ok": False, "error": "ratelimited"})
                return (
                    429,
                    {"Content-Type": "application/json", "Retry-After": str(retry_after)},
                    body,
                )
        self._record(Call(method, params, path, headers))
        if method in self.failing:
            return (
                200,
                {"Content-Type": "application/json"},
                json.dumps({"ok": False, "error": self.failing[method]}),
            )
        return (
            200,
            {"Content-Type": "application/json; charset=utf-8"},
            json.dumps(self.answer(method, params)),
        )

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://acme.slack.com/",
                "team": "Acme",
                "user": "nextstep",
                "team_id": "T0ACME",
                "user_id": "U0BOT",
                "bot_id": "B0BOT",
                "is_enterprise_install": False,
            }
        if method == "oauth.v2.access":  # an install: Slack's answer for a bot token
            return {
                "ok": True,
                "access_token": "xoxb-installed-" + str(params.get("code", "")),
                "token_type": "bot",
                "scope": "chat:write,im:write,im:history,commands,users:read,users:read.email",
                "bot_user_id": "U0BOT2",
                "app_id": "A0NEXT",
                "team": {"name": "Globex", "id": "T0GLOBEX"},
                "enterprise": None,
                "authed_user": {"id": "U0INSTALLER"},
                "is_enterprise_install": False,
            }
        if method == "files.getUploadURLExternal":
            file_id = f"F0{next(self._ts)}"
            assert self.server is not None
            url = f"http://127.0.0.1:{self.server.server_port}/upload/{file_id}"
            return {"ok": True, "upload_url": url, "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = params.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            return {
                "ok": True,
                "files": [{"id": f["id"], "title": f.get("title", "")} for f in files],
            }
        if method == "conversations.open":
            user = str(params.get("users", "U0")).split(",")[0]
            return {
                "ok": True,
                "no_op": True,
                "already_open": True,
                "channel": {"id": "D" + user[1:]},
            }
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            channel = params.get("channel", "")
            message = {"type": "message", "text": params.get("text", ""), "user": "U0BOT", "ts": ts}
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            if method == "chat.postMessage":
                metadata = params.get("metadata")
                metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
                if metadata:
                    message["metadata"] = metadata
                with self.condition:
                    self.history.setdefault(channel, []).insert(0, message)
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method in ("views.publish", "views.open", "views.update"):
            view = params.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {"id": "V0" + ts[-4:], "hash": ts, **(view or {})}}
        if method == "conversations.history":
            oldest = float(params.get("oldest") or 0)
            with self.condition:
                posts = [
                    m
                    for m in self.history.get(params.get("channel", ""), [])
                    if float(m["ts"]) >= oldest
                ]
            if str(params.get("include_all_metadata", "")).lower() not in ("true", "1"):
                posts = [{k: v for k, v in m.items() if k != "metadata"} for m in posts]
            return {"ok": True, "messages": posts, "has_more": False, "pin_count": 0}
        if method == "users.lookupByEmail":
            email = params.get("email", "")
            for user in self.users.values():
                if user.get("profile", {}).get("email") == email:
                    return {"ok": True, "user": user}
            return {"ok": False, "error": "users_not_found"}
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        return {"ok": False, "error": "unknown_method"}

    def _record(self, call: Call) -> None:
        with self.condition:
            self.calls.append(call)
            self.condition.notify_all()

    # --- what happened ---

    def of(self, method: str) -> list[Call]:
        with self.condition:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """The calls of ``method`` once there are ``count`` of them (or fail after ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} {method} call(s); saw {seen}")
                self.condition.wait(left)


def _params(headers: dict[str, str], raw: str) -> dict[str, Any]:
    kind = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    if not raw:
        return {}
    if "json" in kind:
        return json.loads(raw)
    params: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    for key in ("blocks", "view"):
        if isinstance(params.get(key), str) and params[key].startswith(("[", "{")):
            params[key] = json.loads(params[key])
    return params


# --- requests to the app, signed like Slack's ----------------------------------------


def signature(body: str, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_post(
    url: str,
    body: str,
    *,
    content_type: str = "application/x-www-form-urlencoded",
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    bad_signature: bool = False,
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    """POST ``body`` to the app as Slack would; (status, response body)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    sig = signature(body, ts, secret)
    if bad_signature:
        sig = sig[:-4] + ("0000" if not sig.endswith("0000") else "1111")
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sig,
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def command_body(
    text: str, response_url: str, *, team: str = "T0ACME", user: str = "U0DANA"
) -> str:
    return urlencode(
        {
            "token": "unused",
            "team_id": team,
            "team_domain": "acme",
            "channel_id": "C0SALES",
            "channel_name": "sales",
            "user_id": user,
            "user_name": "dana",
            "command": "/nextstep",
            "text": text,
            "api_app_id": "A0NEXT",
            "response_url": response_url,
            "trigger_id": "1337.42.abcd",
        }
    )


def interactive_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def event_body(event: dict[str, Any], *, event_id: str, team: str = "T0ACME") -> str:
    return json.dumps(
        {
            "token": "unused",
            "team_id": team,
            "api_app_id": "A0NEXT",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "U0BOT", "is_bot": True}],
        }
    )
