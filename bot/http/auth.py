"""Bearer tokens: who is asking (``TokenRecord``: workspace and scope), checked on every
API request, and held to the per-token rate limit."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from bot.application.api import ApiUseCases, TokenRecord
from bot.http.limits import RateLimiter


def _use_cases(request: Request) -> ApiUseCases:
    return request.app.state.use_cases  # type: ignore[no-any-return]


def current_token(request: Request) -> TokenRecord:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise HTTPException(
            401,
            "Send an API token as 'Authorization: Bearer ns_…' (`nextstep tokens create`).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    token = _use_cases(request).authenticate(secret.strip())
    if token is None:
        raise HTTPException(
            401,
            "This API token is unknown or revoked.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.allow(token.id)
    if wait is not None:
        raise HTTPException(
            429,
            f"More than {limiter.per_minute} requests a minute with this token; "
            f"try again in {math.ceil(wait)} s.",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    return token


def writer(token: Annotated[TokenRecord, Depends(current_token)]) -> TokenRecord:
    if not token.can_write:
        raise HTTPException(403, "This token's scope is read; this request needs a write token.")
    return token


Reader = Annotated[TokenRecord, Depends(current_token)]
Writer = Annotated[TokenRecord, Depends(writer)]
UseCases = Annotated[ApiUseCases, Depends(_use_cases)]
