"""Slack's requests on the ASGI app: Bolt's Starlette adapter helpers, with the
(synchronous) Bolt app run on the thread pool so an ack never blocks the event loop."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

EVENTS_PATH = "/slack/events"


def mount_slack(api: FastAPI, bolt: Any) -> None:
    """``POST /slack/events``, and with OAuth ``GET /slack/install`` and the redirect."""

    def dispatch(request: Request, body: bytes) -> Response:
        bolt_request = to_bolt_request(request, body)
        flow = bolt.oauth_flow
        if request.method == "GET" and flow is not None:
            if request.url.path == flow.install_path:
                return to_starlette_response(flow.handle_installation(bolt_request))
            if request.url.path == flow.redirect_uri_path:
                return to_starlette_response(flow.handle_callback(bolt_request))
            return Response(status_code=404, content="Not found")
        return to_starlette_response(bolt.dispatch(bolt_request))

    async def slack(request: Request) -> Response:
        body = await request.body()
        return await run_in_threadpool(dispatch, request, body)

    api.add_api_route(EVENTS_PATH, slack, methods=["POST"], include_in_schema=False)
    flow = bolt.oauth_flow
    if flow is not None:
        for path in (flow.install_path, flow.redirect_uri_path):
            api.add_api_route(path, slack, methods=["GET"], include_in_schema=False)
