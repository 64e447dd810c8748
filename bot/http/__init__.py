"""The HTTP front end: one ASGI app (FastAPI) that serves Slack's requests
(``/slack/...``, through Bolt) and the API v1 (``/api/v1/...``), run by uvicorn in
``nextstep serve``. It parses, calls ``bot.application`` and renders, nothing more."""
