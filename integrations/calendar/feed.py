"""An ``.ics`` feed URL (a published or secret calendar address) as a calendar source.

The feed is fetched with a conditional GET: the ETag and Last-Modified of the last
answer are sent back, and a 304 reuses the cached copy, so a frequent recheck costs the
server almost nothing. When the feed cannot be fetched, the last cached copy is used and
the failure is a problem of the listing: it can still show an invite, but "no invite"
becomes "unknown". With no cached copy the read fails with the reason.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

from bot.calendar.ics import IcsInput, IcsSource
from bot.calendar.model import Listing, Window
from bot.errors import CalendarError

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20
MAX_BYTES = 50 * 1024 * 1024


class IcsFeedSource:
    def __init__(self, url: str, *, cache_dir: Path, tz: str = "UTC", name: str = "ics") -> None:
        if url.startswith("webcal://"):
            url = "https://" + url[len("webcal://") :]
        self.url = url
        self.name = name
        self.tz = tz
        key = hashlib.sha256(url.encode()).hexdigest()[:24]
        self.body_path = cache_dir / f"{key}.ics"
        self.meta_path = cache_dir / f"{key}.json"
        self.requests = 0  # HTTP requests made, for reports and benchmarks
        self.not_modified = 0
        self._listing: Listing | None = None

    def events(self, window: Window) -> Listing:
        if self._listing is None:
            self._listing = self._read()
        return self._listing

    def refresh(self) -> None:
        """Fetch again on the next ``events`` (a new check run)."""
        self._listing = None

    def _read(self) -> Listing:
        problem = None
        try:
            data = self._fetch()
        except CalendarError as error:
            if not self.body_path.is_file():
                raise
            log.warning("feed %s not fetched, using the cached copy: %s", self.url, error.detail)
            problem = f"The feed could not be fetched ({error.detail}); its cached copy was used."
            data = self.body_path.read_bytes()
        listing = IcsSource([IcsInput(self.url, data)], tz=self.tz).listing()
        if problem is None:
            return listing
        return Listing(listing.events, (*listing.problems, problem))

    def _fetch(self) -> bytes:
        meta = self._meta()
        request = urllib.request.Request(self.url, headers={"User-Agent": "nextstep"})
        if self.body_path.is_file():
            etag, modified = meta.get("etag"), meta.get("last_modified")
            if etag:
                request.add_header("If-None-Match", etag)
            if modified:
                request.add_header("If-Modified-Since", modified)
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                data = response.read(MAX_BYTES + 1)
                headers = response.headers
        except urllib.error.HTTPError as error:
            if error.code == 304 and self.body_path.is_file():
                self.not_modified += 1
                return self.body_path.read_bytes()
            raise CalendarError(f"{self.url} answered HTTP {error.code} {error.reason}.") from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise CalendarError(f"{self.url} could not be reached: {reason}.") from error
        if len(data) > MAX_BYTES:
            raise CalendarError(f"{self.url} is larger than {MAX_BYTES // 1024 // 1024} MB.")
        self.body_path.parent.mkdir(parents=True, exist_ok=True)
        self.body_path.write_bytes(data)
        self.meta_path.write_text(
            json.dumps({"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")})
        )
        return data

    def _meta(self) -> dict[str, str | None]:
        try:
            loaded = json.loads(self.meta_path.read_text())
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}
