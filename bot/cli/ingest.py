"""``nextstep ingest PATH...`` and ``nextstep reprocess``: files into the database.

Every input is stored before it is read, so nothing given is lost: what fails is listed
with its reason and its id, and ``nextstep reprocess --failed`` tries again after a fix.
Exit status 0 when everything was processed, 4 when some inputs failed.
"""

from __future__ import annotations

import mailbox
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.config import Settings
from bot.errors import IngestError, UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.ingest import IngestResult

SUFFIXES = (".eml", ".mbox", ".vtt", ".srt", ".txt", ".md", ".json", ".ics")
STATUSES = ("ingested", "updated", "duplicate", "failed")
CALENDAR = "ics"  # bot.ingest.CALENDAR, the source of stored calendar parts


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("reprocess")(reprocess_command)


@dataclass(frozen=True)
class Input:
    """One input to store: a file, or one message of an mbox."""

    label: str  # what the user is shown: the path, "inbox.mbox#3"
    raw: bytes
    filename: str
    source_id: str
    at: datetime | None  # a file's modification time; mail has its Date


@dataclass
class Tally:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    failures: list[tuple[str, int | None, str]] = field(default_factory=list)  # label, id, why

    def add(self, label: str, result: IngestResult) -> None:
        self.counts[result.status] += 1
        if result.status == "failed":
            self.failures.append((label, result.inbound_id, result.error or "failed"))
        for child in result.attachments:
            self.add(f"{label} › attachment #{child.inbound_id}", child)

    def fail(self, label: str, reason: str) -> None:
        self.counts["failed"] += 1
        self.failures.append((label, None, reason))


def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, help="Files and folders (read recursively) to ingest."),
    ],
    tz: Annotated[
        str | None,
        typer.Option(
            help="Time zone for inputs whose rep has none. Default: NEXTSTEP_DEFAULT_TZ, "
            "else this machine's zone."
        ),
    ] = None,
    rep: Annotated[
        str | None, typer.Option(help="The rep (email address) the inputs belong to.")
    ] = None,
) -> None:
    """Store and analyse .eml, .mbox, transcripts (.vtt, .srt, .txt) and notes (.md);
    .ics invitations and replies update the calendar status of the stored steps.

    The same email or file again is a duplicate; a reply to a stored thread updates
    that conversation. Inputs that cannot be read are kept and listed with the reason.
    """
    from bot.cli.db import open_database
    from storage.repo import check_tz

    settings = Settings()
    if tz is not None:
        settings = settings.model_copy(update={"default_tz": check_tz(tz)})
    files = in_time_order(find_files(paths))
    if not files:
        kinds = ", ".join(SUFFIXES)
        raise UsageError(f"No files to ingest ({kinds}) under {', '.join(map(str, paths))}.")
    engine = open_database(settings)
    tally = Tally()
    try:
        with _progress(len(files)) as advance:
            for path in files:
                _ingest_file(path, tally, engine=engine, settings=settings, rep=rep)
                advance(path.name)
    finally:
        engine.dispose()
    _report(tally)


def reprocess_command(
    ids: Annotated[
        list[int] | None, typer.Argument(help="Ids of stored inputs (as `ingest` lists them).")
    ] = None,
    failed: Annotated[bool, typer.Option("--failed", help="Every input that failed.")] = False,
) -> None:
    """Run stored inputs through parsing and analysis again, e.g. after registering a
    rep's time zone; their conversations are updated in place."""
    from bot.cli.db import open_database

    if not ids and not failed:
        raise UsageError("Name the inputs to reprocess by id, or pass --failed.")
    settings = Settings()
    engine = open_database(settings)
    tally = Tally()
    try:
        targets = _reprocess_targets(engine, ids or [], failed=failed)
        with _progress(len(targets)) as advance:
            for inbound_id in targets:
                _reprocess_one(inbound_id, tally, engine=engine, settings=settings)
                advance(f"#{inbound_id}")
    finally:
        engine.dispose()
    if not targets:
        typer.echo("Nothing to reprocess: no stored input has failed.")
        return
    _report(tally)


def _reprocess_targets(engine: Engine, ids: list[int], *, failed: bool) -> list[int]:
    """The ids asked for, then every failed one; a UsageError naming unknown ids."""
    from sqlmodel import col, select

    from storage.db import session_scope
    from storage.models import InboundMessage
    from storage.repo import failed_inbound_ids

    with session_scope(engine) as session:
        asked = failed_inbound_ids(session=session) if failed else []
        targets = list(dict.fromkeys([*ids, *asked]))
        statement = select(InboundMessage.id, InboundMessage.source).where(
            col(InboundMessage.id).in_(ids)
        )
        sources = {i: source for i, source in session.exec(statement)}
    unknown = [i for i in ids if i not in sources]
    if unknown:
        raise UsageError(f"No stored input has id {', '.join(map(str, unknown))}.")
    calendar = [f"#{i}" for i in ids if sources[i] == CALENDAR]
    if calendar:
        raise UsageError(
            f"Input {', '.join(calendar)} is a calendar part, read by the calendar check."
        )
    return targets


def _reprocess_one(inbound_id: int, tally: Tally, *, engine: Engine, settings: Settings) -> None:
    from bot.ingest import reprocess
    from storage.db import session_scope

    with session_scope(engine) as session:
        result = reprocess(inbound_id, session=session, settings=settings, now=datetime.now(UTC))
    tally.add(f"input #{inbound_id}", result)


def find_files(paths: list[Path]) -> list[Path]:
    """The files named, and the ingestible files under the folders named (hidden ones
    skipped), each once, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def in_time_order(files: list[Path]) -> list[Path]:
    """Oldest first, so a thread is read in the order it was written: an email by its
    Date header, any other file by its modification time."""

    def when(path: Path) -> float:
        try:
            if path.suffix.lower() == ".eml":
                with path.open("rb") as handle:
                    sent = sent_at(handle.read(64 * 1024))
                if sent is not None:
                    return sent.timestamp()
            return path.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(files, key=when)


def sent_at(head: bytes) -> datetime | None:
    """The Date header of a raw email's first bytes, if it has a readable one."""
    from email.parser import BytesHeaderParser
    from email.utils import parsedate_to_datetime

    try:
        value = BytesHeaderParser().parsebytes(head).get("Date")
        sent = parsedate_to_datetime(str(value)) if value else None
    except (ValueError, TypeError, IndexError):
        return None
    return sent if sent is not None and sent.tzinfo is not None else None


def inputs_of(path: Path) -> Iterator[Input]:
    """A file as one input, an mbox as one input per message. Raises OSError and
    InputTooLargeError (for one message: the rest still come)."""
    from bot.loaders import MAX_INPUT_BYTES

    if path.suffix.lower() == ".mbox":
        box = mailbox.mbox(path, create=False)
        try:
            for index, key in enumerate(box.iterkeys(), start=1):
                raw = box.get_bytes(key)
                yield Input(f"{path}#{index}", raw, path.name, f"{path.resolve()}#{index}", None)
        finally:
            box.close()
        return
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        from bot.errors import InputTooLargeError

        raise InputTooLargeError(f"{size:,} bytes; the limit is {MAX_INPUT_BYTES:,}.")
    modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    yield Input(str(path), path.read_bytes(), path.name, str(path.resolve()), modified)


def _ingest_file(
    path: Path, tally: Tally, *, engine: Engine, settings: Settings, rep: str | None
) -> None:
    from bot.errors import InputError
    from bot.ingest import ingest_raw
    from storage.db import session_scope

    try:
        for item in inputs_of(path):
            with session_scope(engine) as session:
                result = ingest_raw(
                    item.raw,
                    source="file",
                    source_id=item.source_id,
                    filename=item.filename,
                    rep_email=rep,
                    at=item.at,
                    session=session,
                    settings=settings,
                    now=datetime.now(UTC),
                )
            tally.add(item.label, result)
    except OSError as error:
        tally.fail(str(path), f"Cannot read it: {error.strerror or error}.")
    except InputError as error:  # too large to keep: not stored
        tally.fail(str(path), error.message)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr while a terminal watches; silent otherwise."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[item]}"),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with progress:
        task = progress.add_task("ingesting", total=total, item="")
        yield lambda item: progress.update(task, advance=1, item=item)


def _report(tally: Tally) -> None:
    """The summary table, the failures with their reasons; exit 4 if any failed."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    summary = Table("ingested", "updated", "duplicate", "failed", title="Ingest summary")
    summary.add_row(*(str(tally.counts[s]) for s in STATUSES))
    console.print(summary)
    if not tally.failures:
        return
    failures = Table("input", "id", "reason", title="Not processed (kept; fix, then reprocess)")
    for label, inbound_id, reason in tally.failures:
        failures.add_row(label, "-" if inbound_id is None else str(inbound_id), reason)
    console.print(failures)
    console.print("Retry with: nextstep reprocess --failed")
    raise typer.Exit(IngestError.exit_code)
