"""How fast does the Gmail poller read a label, and what does a repeat full sync cost?

A local Gmail (real HTTP, the recorded response shapes) holds --count recaps under the
label, listed 100 a page. The poller, built from settings as `nextstep gmail poll` builds
it, runs three passes on a fresh SQLite database:

1. the first full sync: list, fetch raw, ingest and analyse, label each message;
2. a pass with nothing new (one history call);
3. a full sync after Gmail forgot the history (404): every message is already stored,
   so none is fetched again.

Printed: seconds, messages per second and requests made for each pass.

    python benchmarks/bench_gmail.py [--count 300]
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integrations.google_server import GoogleServer, google_server, recorded  # noqa: E402

SAMPLES = ["19a8c3e1f04b7d21", "19a8c52d7e6a0f93", "19a8c6f0aa13b5c7", "19a8d01b3c44e2a8"]
PAGE = 100


def raw_message(index: int) -> bytes:
    """A recorded recap made unique: its own Message-ID and subject."""
    sample = json.loads(recorded(f"message_raw_{SAMPLES[index % len(SAMPLES)]}"))
    raw = base64.urlsafe_b64decode(sample["raw"] + "==")
    raw = raw.replace(b"Message-ID: <", f"Message-ID: <bench-{index}-".encode(), 1)
    return raw.replace(b"Subject: ", f"Subject: [{index}] ".encode(), 1)


def script_first_sync(gmail: GoogleServer, ids: list[str]) -> None:
    gmail.recorded("GET labels", "labels_list_with_processed")
    gmail.recorded("GET profile", "profile")
    for start in range(0, len(ids), PAGE):
        page: dict[str, object] = {
            "messages": [{"id": i, "threadId": i} for i in ids[start : start + PAGE]],
            "resultSizeEstimate": len(ids),
        }
        if start + PAGE < len(ids):
            page["nextPageToken"] = f"page-{start + PAGE}"
        gmail.answer("GET messages", json.dumps(page))
    for index, message_id in enumerate(ids):
        raw = raw_message(index)
        body = {
            "id": message_id,
            "threadId": message_id,
            "labelIds": ["Label_3", "INBOX"],
            "sizeEstimate": len(raw),
            "raw": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        }
        gmail.answer(f"GET messages/{message_id}", json.dumps(body))
        gmail.recorded(f"POST messages/{message_id}/modify", "message_modified")


def timed(gmail: GoogleServer, run: object) -> tuple[float, int, str]:
    before = len(gmail.requests)
    started = time.perf_counter()
    report = run()  # type: ignore[operator]
    return time.perf_counter() - started, len(gmail.requests) - before, str(report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()

    from bot.application import Application
    from bot.config import Settings
    from integrations.gmail import poller_from_settings

    ids = [f"19b{index:013x}" for index in range(args.count)]
    with tempfile.TemporaryDirectory() as folder, google_server() as gmail:
        token = Path(folder) / "token.json"
        token.write_text(
            json.dumps(
                {
                    "token": "ya29.a0-bench",
                    "expiry": "2099-01-01T00:00:00Z",
                    "refresh_token": "1//0g-bench",
                    "client_id": "123-bench.apps.googleusercontent.com",
                    "client_secret": "GOCSPX-bench",
                    "scopes": ["https://www.googleapis.com/auth/gmail.modify"],
                }
            )
        )
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(folder),
            default_tz="America/Los_Angeles",
            gmail_api_url=f"{gmail.url}/",
            gmail_credentials=token,
            gmail_label="NextStep",
        )
        with Application.from_settings(settings) as application:
            poller = poller_from_settings(application)
            script_first_sync(gmail, ids)
            first = timed(gmail, poller.poll)
            gmail.recorded("GET history", "history_list_unchanged")
            quiet = timed(gmail, poller.poll)
            gmail.answer("GET history", recorded("history_not_found"), status=404)
            gmail.recorded("GET profile", "profile")
            for start in range(0, len(ids), PAGE):
                page: dict[str, object] = {
                    "messages": [{"id": i, "threadId": i} for i in ids[start : start + PAGE]]
                }
                if start + PAGE < len(ids):
                    page["nextPageToken"] = f"page-{start + PAGE}"
                gmail.answer("GET messages", json.dumps(page))
            again = timed(gmail, poller.poll)
            assert not gmail.script, f"{len(gmail.script)} answers left: {gmail.script[0].call}"

    print(f"Gmail poller, {args.count} recaps under the label, SQLite, local Gmail over HTTP")
    print(f"{'pass':<34} {'seconds':>8} {'msg/s':>8} {'requests':>9}  report")
    for name, (seconds, requests, report) in (
        ("first full sync", first),
        ("nothing new (history)", quiet),
        ("full sync again (history 404)", again),
    ):
        rate = f"{args.count / seconds:8.1f}" if name != "nothing new (history)" else "       -"
        print(f"{name:<34} {seconds:8.2f} {rate} {requests:9d}  {report}")


if __name__ == "__main__":
    main()
