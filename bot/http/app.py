"""The ASGI app ``nextstep serve`` runs: Slack's requests and API v1 side by side, and
how errors become answers (a JSON ``{"error", "message"}``, never a traceback)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.application.api import ApiUseCases, NotFoundError
from bot.errors import ConfigError, InputError, NextStepError, StorageError, UsageError
from bot.http.limits import BodyLimit, RateLimiter

log = logging.getLogger("nextstep.http")

ERROR_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "rate_limited"}


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status)


def _validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = list(error.errors())
    if any(p.get("type") == "json_invalid" for p in problems):
        where = next(p for p in problems if p.get("type") == "json_invalid")
        detail = (where.get("ctx") or {}).get("error", "")
        return _error(
            400, "malformed_json", f"The body is not valid JSON ({detail}); nothing was stored."
        )
    lines = []
    for p in problems:
        place = ".".join(str(part) for part in p.get("loc", ()) if part != "body")
        lines.append(f"{place or 'body'}: {p.get('msg')}")
    return _error(
        422,
        "invalid_request",
        "; ".join(lines) + "; nothing was stored.",
        fields=[
            {"field": ".".join(map(str, p.get("loc", ()))), "problem": p.get("msg")}
            for p in problems
        ],
    )


def _http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    response = _error(
        error.status_code, ERROR_CODES.get(error.status_code, "error"), str(error.detail)
    )
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


def _domain(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, NextStepError)
    if isinstance(error, NotFoundError):
        return _error(404, "not_found", error.message)
    if isinstance(error, UsageError | InputError):
        return _error(422, "invalid_input", error.message)
    if isinstance(error, StorageError | ConfigError):
        log.error("the API could not answer: %s", error.message)
        return _error(503, "unavailable", error.message)
    return _error(400, "refused", error.message)


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("the API failed on %s %s", request.method, request.url.path, exc_info=error)
    return _error(500, "internal", "Something went wrong on our side; it is in the server's log.")


def create_app(
    use_cases: ApiUseCases | None,
    *,
    bolt: Any = None,
    rate_limit: int = 120,
    max_body_bytes: int = 1024 * 1024,
) -> Any:
    """The ASGI app: API v1 when ``use_cases`` is given, Slack's routes when ``bolt``
    is; bodies above ``max_body_bytes`` are refused with 413 on both."""
    api = FastAPI(
        title="nextstep API",
        version="1",
        description="Whether each conversation ended with a secured next step. "
        "Every request needs 'Authorization: Bearer <token>' (`nextstep tokens create`).",
        openapi_url=None,  # served with the token check in bot.http.routes
        docs_url=None,
        redoc_url=None,
    )
    api.state.use_cases = use_cases
    api.state.rate_limiter = RateLimiter(rate_limit)
    api.add_exception_handler(RequestValidationError, _validation)
    api.add_exception_handler(StarletteHTTPException, _http)
    api.add_exception_handler(NextStepError, _domain)
    api.add_exception_handler(Exception, _unexpected)
    if use_cases is not None:
        from bot.http.routes import router

        api.include_router(router)
    if bolt is not None:
        from bot.http.slack import mount_slack

        mount_slack(api, bolt)
    return BodyLimit(api, max_body_bytes)


class HttpServer:
    """uvicorn serving an ASGI app on a thread (port 0: any free one, see ``port``)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        import socket

        import uvicorn

        self._socket = socket.socket(
            socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM
        )
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))  # OSError here: the caller says which address
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=5
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="nextstep-http",
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> HttpServer:
        import time

        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise ConfigError(f"The HTTP server on {self.base_url} did not start.")
            self._thread.join(0.02)  # a pause that a patched time.sleep leaves alone
        self._first_request()
        return self

    def _first_request(self) -> None:
        """One request to ourselves before anyone else's: the first request through
        uvicorn and the ASGI app pays for their lazy set-up (about 150 ms, measured in
        benchmarks/bench_slack.py), and it should not be a user's. Any answer will do."""
        import http.client

        connection = http.client.HTTPConnection(self.host, self.port, timeout=5)
        try:
            connection.request("GET", "/")
            connection.getresponse().read()
        except OSError:
            log.warning("the HTTP server did not answer its first request")
        finally:
            connection.close()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
