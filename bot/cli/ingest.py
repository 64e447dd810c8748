"""``nextstep ingest PATH...`` and ``nextstep reprocess``: files into the database,
through ``Application.ingest`` and ``Application.reprocess``.

Every input is stored before it is read, so nothing given is lost: each is listed with
its id (``nextstep show`` and ``nextstep inputs list`` take them), what fails with its
reason, and ``nextstep reprocess --failed`` tries again after a fix. Files in a folder
that nextstep does not read are counted and named. Exit status 0 when everything was
processed, 4 when some inputs failed (or failed before and were given again).
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

from bot.cli.context import state
from bot.errors import IngestError, UsageError
from bot.vocabulary import FILE_SUFFIXES, FileKind, IngestOutcome, InputSource, InputStatus

if TYPE_CHECKING:
    from bot.application import Application, IngestResult

SUFFIXES = tuple(FILE_SUFFIXES)
STATUSES = tuple(IngestOutcome)


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
    skipped: list[Path] = field(default_factory=list)  # files in folders nextstep does not read

    def add(self, label: str, result: IngestResult) -> None:
        self.counts[result.status] += 1
        typer.echo(stored_line(label, result))
        if result.status == IngestOutcome.FAILED:
            self.failures.append((label, result.inbound_id, result.error or "failed"))
        elif result.previous_status == InputStatus.FAILED:
            why = f"Stored before as input #{result.inbound_id}, which failed: {result.error}"
            self.failures.append((label, result.inbound_id, why))
        for child in result.attachments:
            self.add(f"{label} › attachment", child)

    def fail(self, label: str, reason: str) -> None:
        self.counts[IngestOutcome.FAILED] += 1
        self.failures.append((label, None, reason))


def stored_line(label: str, result: IngestResult) -> str:
    """One line per input: its id, what happened, where it went."""
    line = f"#{result.inbound_id} {result.status} {label}"
    if result.status == IngestOutcome.DUPLICATE and result.previous_status == InputStatus.FAILED:
        return f"{line}: failed before; fix it, then `nextstep reprocess {result.inbound_id}`"
    if result.conversation_id is not None:
        line += f" → conversation #{result.conversation_id}"
        if result.analysis is not None:
            verdict = "secured" if result.analysis.next_steps_secured else "not secured"
            line += f" ({verdict}, {result.analysis.tier})"
    return line


def ingest_command(
    ctx: typer.Context,
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
        str | None,
        typer.Option(
            help="The rep (email address) the inputs belong to. Default: the registered "
            "rep in each email, else a guess the analysis marks rep_guessed."
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="When the conversations happened (ISO 8601), for files that do not say "
            "(emails have a Date, notes may have a date line). Default: the file's "
            "modification time.",
        ),
    ] = None,
) -> None:
    """Store and analyse .eml, .mbox, transcripts (.vtt, .srt, .txt) and notes (.md);
    .ics invitations and replies update the calendar status of the stored steps.

    The same email or file again is a duplicate; a reply to a stored thread updates
    that conversation. Each input is listed with its id; inputs that cannot be read are
    kept and listed with the reason.
    """
    from bot.cli.common import parse_at
    from bot.zones import check_zone_name

    default_tz = check_zone_name(tz) if tz is not None else None
    files, skipped = find_files_and_skipped(paths)
    files = in_time_order(files)
    if not files:
        kinds = ", ".join(SUFFIXES)
        raise UsageError(f"No files to ingest ({kinds}) under {', '.join(map(str, paths))}.")
    application = state(ctx).application()
    if default_tz is not None:
        application = application.with_default_zone(default_tz)
    when = parse_at(at, application.zone_for(rep_email=rep)) if at is not None else None
    tally = Tally(skipped=skipped)
    with _progress(len(files)) as advance:
        for path in files:
            _ingest_file(path, tally, application=application, rep=rep, at=when)
            advance(path.name)
    _report(tally)


def reprocess_command(
    ctx: typer.Context,
    ids: Annotated[
        list[int] | None,
        typer.Argument(help="Ids of stored inputs (`ingest` prints them; `inputs list` too)."),
    ] = None,
    failed: Annotated[bool, typer.Option("--failed", help="Every input that failed.")] = False,
    stuck: Annotated[
        bool,
        typer.Option("--stuck", help="Every input still waiting that no live worker holds."),
    ] = False,
) -> None:
    """Run stored inputs through parsing and analysis again, e.g. after registering a
    rep's time zone; their conversations are updated in place."""
    if not ids and not failed and not stuck:
        raise UsageError("Name the inputs to reprocess by id, or pass --failed or --stuck.")
    application = state(ctx).application()
    targets = application.reprocess_targets(ids or [], failed=failed)
    if stuck:
        targets = list(dict.fromkeys([*targets, *application.stuck_inputs()]))
    if not targets:
        typer.echo(
            "Nothing to reprocess: no stored input has failed" + (" or is stuck." if stuck else ".")
        )
        return
    tally = Tally()
    with _progress(len(targets)) as advance:
        for inbound_id in targets:
            tally.add(f"input #{inbound_id}", application.reprocess(inbound_id))
            advance(f"#{inbound_id}")
    _report(tally)


def find_files(paths: list[Path]) -> list[Path]:
    """The files named, and the ingestible files under the folders named (hidden ones
    skipped), each once, in a stable order."""
    return find_files_and_skipped(paths)[0]


def find_files_and_skipped(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """``find_files``, and the files in the folders that nextstep does not read (by
    extension; hidden files and folders are not counted)."""
    found: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for file in sorted(path.rglob("*")):
            if not file.is_file() or any(
                part.startswith(".") for part in file.relative_to(path).parts
            ):
                continue
            (found if FileKind.of(file.name) is not None else skipped).append(file)
    return list(dict.fromkeys(found)), list(dict.fromkeys(skipped))


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


def inputs_of(path: Path, *, at: datetime | None = None) -> Iterator[Input]:
    """A file as one input, an mbox as one input per message. Raises OSError and
    InputTooLargeError (for one message: the rest still come). A file that does not say
    when it happened (no date line) is dated ``at``, else its modification time."""
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
    raw = path.read_bytes()
    yield Input(str(path), raw, path.name, str(path.resolve()), _dated(path, raw, at))


def _dated(path: Path, raw: bytes, at: datetime | None) -> datetime | None:
    """When a file's conversation happened where its text cannot say: emails have a
    Date and notes may have a date line (None: the loader reads it), else ``at``, else
    the file's modification time."""
    from bot.loaders import find_reference_time

    if FileKind.of(path.name) == FileKind.EMAIL:
        return at
    if find_reference_time(raw[:4096].decode("utf-8", "replace"), "UTC") is not None:
        return None
    return at or datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _ingest_file(
    path: Path,
    tally: Tally,
    *,
    application: Application,
    rep: str | None,
    at: datetime | None = None,
) -> None:
    from bot.errors import InputError

    try:
        for item in inputs_of(path, at=at):
            result = application.ingest(
                item.raw,
                source=InputSource.FILE,
                source_id=item.source_id,
                filename=item.filename,
                rep_email=rep,
                at=item.at,
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
    summary = Table(*STATUSES, title="Ingest summary")
    summary.add_row(*(str(tally.counts[s]) for s in STATUSES))
    console.print(summary)
    if tally.skipped:
        names = ", ".join(str(p) for p in tally.skipped[:10])
        more = f" and {len(tally.skipped) - 10} more" if len(tally.skipped) > 10 else ""
        console.print(
            f"Skipped {len(tally.skipped)} file(s) nextstep does not read ({names}{more}); "
            f"it reads {', '.join(SUFFIXES)}.",
            highlight=False,
            soft_wrap=True,
        )
    if not tally.failures:
        return
    failures = Table("input", "id", "reason", title="Not processed (kept; fix, then reprocess)")
    for label, inbound_id, reason in tally.failures:
        failures.add_row(label, "-" if inbound_id is None else str(inbound_id), reason)
    console.print(failures)
    console.print("Retry with: nextstep reprocess --failed (or the ids above)")
    raise typer.Exit(IngestError.exit_code)
