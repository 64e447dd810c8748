"""An .ics feed over real HTTP on 127.0.0.1: cached, conditional GET, failures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from bot.calendar.matcher import check_listing, window_for
from bot.calendar.model import MeetingQuery
from bot.errors import CalendarError
from integrations.calendar.feed import IcsFeedSource

DATA = Path(__file__).parent.parent / "data" / "ics"
FEED = (DATA / "google-invite-awaiting.ics").read_bytes()
ETAG = '"v1"'


class Feed(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str | None]]] = []
    status = 200

    def do_GET(self) -> None:
        type(self).seen.append(
            {
                "if_none_match": self.headers.get("If-None-Match"),
                "if_modified_since": self.headers.get("If-Modified-Since"),
            }
        )
        if type(self).status != 200:
            self.send_response(type(self).status)
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("ETag", ETAG)
        self.send_header("Last-Modified", "Thu, 19 Nov 2026 23:30:12 GMT")
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Feed.seen = []
    Feed.status = 200
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/calendar.ics"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


QUERY = MeetingQuery(
    action="review the proposal",
    conversation_at=datetime(2026, 11, 19, 23, 0, tzinfo=UTC),
    tz="America/Los_Angeles",
    due=datetime(2026, 11, 25, 18, 0, tzinfo=UTC),
    counterpart_emails=frozenset({"priya@acme.example"}),
)
NOW = datetime(2026, 11, 21, tzinfo=UTC)


def test_feed_is_fetched_then_revalidated(server: str, tmp_path: Path) -> None:
    feed = IcsFeedSource(server, cache_dir=tmp_path)
    first = check_listing(QUERY, feed.events(window_for(QUERY)), now=NOW)
    assert first.status == "awaiting"
    feed.refresh()
    second = check_listing(QUERY, feed.events(window_for(QUERY)), now=NOW)
    assert second.status == "awaiting"
    assert len(Feed.seen) == 2
    assert Feed.seen[0] == {"if_none_match": None, "if_modified_since": None}
    assert Feed.seen[1] == {
        "if_none_match": ETAG,
        "if_modified_since": "Thu, 19 Nov 2026 23:30:12 GMT",
    }
    assert (feed.requests, feed.not_modified) == (2, 1)
    # A new source over the same cache folder (a new process) revalidates too.
    again = IcsFeedSource(server, cache_dir=tmp_path)
    again.events(window_for(QUERY))
    assert Feed.seen[2]["if_none_match"] == ETAG


def test_failing_feed_uses_the_cache_but_cannot_prove_no_invite(
    server: str, tmp_path: Path
) -> None:
    IcsFeedSource(server, cache_dir=tmp_path).events(window_for(QUERY))
    Feed.status = 503
    feed = IcsFeedSource(server, cache_dir=tmp_path)
    listing = feed.events(window_for(QUERY))
    assert check_listing(QUERY, listing, now=NOW).status == "awaiting"  # the invite is known
    other = MeetingQuery(**{**QUERY.__dict__, "counterpart_emails": frozenset({"x@y.example"})})
    unknown = check_listing(other, listing, now=NOW)
    assert unknown.status == "unknown"
    assert unknown.reason and "HTTP 503" in unknown.reason


def test_unreachable_feed_without_cache_is_an_error(tmp_path: Path) -> None:
    feed = IcsFeedSource("http://127.0.0.1:9/nothing.ics", cache_dir=tmp_path)
    with pytest.raises(CalendarError, match="could not be reached"):
        feed.events(window_for(QUERY))
