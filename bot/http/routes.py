"""API v1: each route parses, calls ``ApiUseCases`` and answers with the ``"schema": 1``
objects the CLI prints with ``--format json``. Routes are plain functions (FastAPI runs
them on its thread pool), since the database calls block."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from bot.application.api import NotFoundError
from bot.errors import UsageError
from bot.http.auth import Reader, UseCases, Writer
from bot.vocabulary import StepFilter, StepStatus
from storage.api import ConversationQuery

router = APIRouter(prefix="/api/v1")

MAX_PAGE = 200
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnalyzeBody(Body):
    text: str = Field(min_length=1, description="Notes, a transcript or a raw email.")
    kind: Literal["transcript", "notes", "email"] | None = None
    at: datetime | None = Field(None, description="When it happened (ISO 8601).")
    tz: str | None = Field(None, description="The rep's IANA time zone.")
    rep: str | None = Field(None, description="The rep's name or email address.")
    store: bool = Field(False, description="Store it too, as POST /api/v1/inputs does.")


class InputBody(Body):
    text: str = Field(min_length=1, description="Notes, a transcript or a raw email.")
    at: datetime | None = None
    tz: str | None = None
    rep: str | None = Field(None, description="The rep's email address.")
    filename: str | None = Field(None, description="Its name, e.g. call.vtt or recap.eml.")


class StepChange(Body):
    status: Literal["done", "dropped", "open"] | None = None
    acknowledged: Literal[True] | None = None
    due: str | None = Field(
        None, description="A day (2026-12-04) or a time with its offset (2026-12-04T15:00-05:00)."
    )


def _due(value: str | None) -> datetime | date | None:
    if value is None:
        return None
    try:
        if len(value.strip()) == 10:
            return date.fromisoformat(value.strip())
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"due {value!r} is not a day (2026-12-04) or a time (2026-12-04T15:00-05:00)."
        ) from None
    if moment.tzinfo is None:
        raise UsageError(f"due {value!r} has no UTC offset; add one, e.g. -05:00 or Z.")
    return moment


def _page(
    request: Request, items: list[dict[str, Any]], total: int, limit: int, offset: int
) -> dict[str, Any]:
    following = None
    if offset + limit < total:
        query = dict(request.query_params) | {"offset": str(offset + limit), "limit": str(limit)}
        following = f"{request.url.path}?{urlencode(query)}"
    return {
        "schema": 1,
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": following,
    }


@router.post("/analyze", summary="Analyse a conversation (stored only with store=true)")
def analyze(body: AnalyzeBody, token: Reader, use: UseCases) -> dict[str, Any]:
    if body.store:
        from fastapi import HTTPException

        if not token.can_write:
            raise HTTPException(403, "store=true needs a write token.")
        return _stored(token.workspace, body.text, body.at, body.tz, body.rep, None, use)
    return use.analyze(body.text, kind=body.kind, at=body.at, tz=body.tz, rep=body.rep)


def _stored(
    workspace: str,
    text: str,
    at: datetime | None,
    tz: str | None,
    rep: str | None,
    filename: str | None,
    use: Any,
) -> dict[str, Any]:
    result = use.store(text, at=at, tz=tz, rep=rep, filename=filename)
    conversation, conversation_id = None, result.conversation_id
    if conversation_id is not None:
        try:  # a thread of another workspace's rep is stored, but not shown here
            conversation = use.conversation(workspace, conversation_id).to_dict()
        except NotFoundError:
            conversation_id = None
    return {
        "schema": 1,
        "status": str(result.status),
        "input_id": result.inbound_id,
        "conversation_id": conversation_id,
        "error": result.error,
        "conversation": conversation,
    }


@router.post("/inputs", status_code=201, summary="Store and analyse an input, like ingest")
def inputs(body: InputBody, token: Writer, use: UseCases) -> dict[str, Any]:
    return _stored(token.workspace, body.text, body.at, body.tz, body.rep, body.filename, use)


@router.get("/conversations", summary="Conversations, newest first")
def conversations(
    request: Request,
    token: Reader,
    use: UseCases,
    rep: Annotated[str | None, Query(description="A rep's address or id.")] = None,
    account: Annotated[str | None, Query(description="A counterpart's mail domain.")] = None,
    since: Annotated[datetime | None, Query(description="Held on or after (ISO 8601).")] = None,
    secured: Annotated[bool | None, Query(description="Only secured, or unsecured.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    if since is not None and since.tzinfo is None:  # read in the zone in force, as the CLI does
        since = since.replace(tzinfo=ZoneInfo(use.application.zone_for()))
    query = ConversationQuery(
        token.workspace, use.rep_id(rep), account, since, secured, limit, offset
    )
    found, total = use.conversations(query)
    return _page(request, [c.to_dict() for c in found], total, limit, offset)


@router.get("/conversations/{conversation_id}", summary="One conversation's analysis")
def conversation(conversation_id: int, token: Reader, use: UseCases) -> dict[str, Any]:
    return use.conversation(token.workspace, conversation_id).to_dict()


@router.get("/steps", summary="Next steps in one view, soonest due first")
def steps(
    request: Request,
    token: Reader,
    use: UseCases,
    status: StepFilter = StepFilter.OPEN,
    rep: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    found = use.steps(token.workspace, status, rep)
    items = [s.to_dict() for s in found[offset : offset + limit]]
    return _page(request, items, len(found), limit, offset)


@router.patch("/steps/{step_id}", summary="Mark a step done, dropped, acknowledged or due")
def change_step(step_id: int, body: StepChange, token: Writer, use: UseCases) -> dict[str, Any]:
    step = use.update_step(
        token.workspace,
        step_id,
        status=StepStatus(body.status) if body.status else None,
        acknowledged=body.acknowledged,
        due=_due(body.due),
        by=f"api:{token.id}",
    )
    return step.to_dict()


@router.get("/accounts", summary="Counterpart organisations with their conversations")
def accounts(token: Reader, use: UseCases) -> dict[str, Any]:
    found = use.accounts(token.workspace)
    return {"schema": 1, "items": found, "total": len(found)}


@router.get(
    "/accounts/{domain}/next-step",
    summary="The stage gate: is the account's latest conversation's next step secured?",
)
def account_next_step(domain: str, token: Reader, use: UseCases) -> dict[str, Any]:
    return use.account_next_step(token.workspace, domain)


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request, token: Reader) -> dict[str, Any]:
    return request.app.openapi()  # type: ignore[no-any-return]
