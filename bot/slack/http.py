"""Serving the Bolt app over HTTP: Slack's requests at ``/slack/events`` (and, with
OAuth, ``/slack/install`` and ``/slack/oauth_redirect``), one thread a request."""

from __future__ import annotations

import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    """No access log on stderr (request lines carry no secrets, but they are noise)."""

    def log_message(self, format: str, *args: object) -> None:
        return


def make_http_server(app: App, host: str = "127.0.0.1", port: int = 3000) -> WSGIServer:
    """A server for ``app`` (port 0 picks a free one: ``server.server_port``)."""
    handler = SlackRequestHandler(app, path=EVENTS_PATH)
    return make_server(
        host, port, handler, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )


def serve_in_thread(server: WSGIServer) -> threading.Thread:
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="slack-http", daemon=True
    )
    thread.start()
    return thread
