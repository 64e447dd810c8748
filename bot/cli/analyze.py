"""``nextstep analyze``, ``nextstep when`` and ``nextstep eval``."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from bot.cli import render
from bot.cli.common import Format, parse_at
from bot.engine.model import SourceKind
from bot.errors import NextStepError, UsageError
from bot.zones import zone_in_force

PathArg = Annotated[str | None, typer.Argument(help="A file to analyse, or - for standard input.")]
AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="When the conversation happened (ISO 8601). Default: the email's Date, "
        "else the file's modification time, else now.",
    ),
]
TzOpt = Annotated[
    str | None,
    typer.Option("--tz", help="The rep's time zone (IANA name). Default: this machine's zone."),
]
RepOpt = Annotated[str | None, typer.Option("--rep", help="The rep's name or email address.")]
FormatOpt = Annotated[Format, typer.Option("--format", help="text (a report) or json.")]
BatchOpt = Annotated[
    Path | None,
    typer.Option("--batch", help="A JSON Lines file; one result per line, same id.", exists=False),
]


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)
    app.command("when")(when_command)
    app.command("eval")(eval_command)


def analyze_command(
    path: PathArg = None,
    at: AtOpt = None,
    tz: TzOpt = None,
    rep: RepOpt = None,
    kind: Annotated[
        SourceKind | None,
        typer.Option("--kind", help="transcript, notes or email. Default: detected."),
    ] = None,
    output: FormatOpt = Format.TEXT,
    batch: BatchOpt = None,
    calendar: Annotated[
        list[str] | None,
        typer.Option(
            "--calendar",
            help="An .ics file, iTIP reply or feed URL to check the meeting steps against "
            "(repeatable; files are read in order, an invitation before its replies).",
        ),
    ] = None,
) -> None:
    """Find the next steps in a conversation and judge whether they were secured."""
    from bot.engine import analyze
    from bot.engine.schema import analysis_to_dict

    if batch is not None:
        if path is not None:
            raise UsageError("give either a PATH or --batch, not both.")
        if calendar:
            raise UsageError("--calendar works on one conversation, not with --batch.")
        _run_batch(batch, _analyze_record)
        return
    if path is None:
        raise UsageError("give a file to analyse, - for standard input, or --batch FILE.jsonl.")
    zone = _zone(tz)
    document = _load(path, at=parse_at(at, zone), tz=zone, rep=rep, kind=kind)
    analysis = analyze(document)
    if calendar:
        from bot.cli.calendar import analysis_with_calendar

        analysis_with_calendar(analysis, calendar, rep=rep, output=output)
        return
    if output == Format.JSON:
        typer.echo(json.dumps(analysis_to_dict(analysis), indent=2, ensure_ascii=False))
    else:
        render.analysis(analysis)


def when_command(
    phrase: Annotated[str | None, typer.Argument(help="A phrase such as 'by Friday 3pm'.")] = None,
    at: AtOpt = None,
    tz: TzOpt = None,
    output: FormatOpt = Format.TEXT,
    batch: BatchOpt = None,
) -> None:
    """Show the time expressions found in a phrase and what each resolves to."""
    if batch is not None:
        _run_batch(batch, _when_record)
        return
    if phrase is None:
        raise UsageError("give a phrase, or --batch FILE.jsonl.")
    zone = _zone(tz)
    now = parse_at(at, zone) or datetime.now(ZoneInfo(zone))
    result = _when(phrase, now, zone)
    if output == Format.JSON:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        render.times(result)


def eval_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Corpus files (JSON Lines). Default: the bundled corpus."),
    ] = None,
    output: FormatOpt = Format.TEXT,
    show_errors: Annotated[
        bool, typer.Option("--errors", help="List every conversation the engine got wrong.")
    ] = False,
) -> None:
    """Score the engine against a labelled corpus: verdict, tier, steps, due dates.

    The own part (tests/corpus/*.jsonl) and the blind part (files in a blind/ folder)
    are reported apart, each with the independent-set measures under its table.
    """
    from bot.evaluate import default_corpus, evaluate_files

    report = evaluate_files(paths or default_corpus())
    if output == Format.JSON:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    for name, part in report.parts().items():
        typer.echo(f"{name} part")
        render.evaluation(part, show_errors=show_errors)
        outcome = (
            f"{part.outcome_accuracy:.1%} of {sum(c.outcome_checked for c in part.cases)}, "
            f"clear no on another outcome: {part.clear_no_wrongly} (target 0)"
            if any(c.outcome_checked for c in part.cases)
            else "none expected"
        )
        typer.echo(
            f"unsecured steps reported at all: {part.unsecured_reported:.1%} "
            f"(target >= 90%); steps wrongly called secured: {part.wrongly_secured} "
            f"(target <= 1); inputs refused: {part.refused} (target 0); "
            f"outcome: {outcome}\n"
        )
    render.evaluation_files(report.files())


def _zone(tz: str | None) -> str:
    """The zone in force for a conversation given here: --tz, else this machine's."""
    return zone_in_force(tz)


def _load(path: str, *, at: datetime | None, tz: str, rep: str | None, kind: SourceKind | None):
    from bot.loaders import detect_kind, find_reference_time, load_bytes

    if path == "-":
        data = sys.stdin.buffer.read()
        source = "stdin"
        fallback = datetime.now(ZoneInfo(tz))
    else:
        file = Path(path)
        if file.is_dir():
            raise UsageError(
                f"{path} is a folder; analyze reads one file (`nextstep ingest {path}` "
                "stores and analyses a folder)."
            )
        if not file.is_file():
            raise UsageError(f"No such file: {path}")
        data = file.read_bytes()
        source = file.name
        fallback = datetime.fromtimestamp(file.stat().st_mtime, ZoneInfo(tz))
    if at is None:
        head = data[:4096].decode("utf-8", "replace")
        guess = kind or detect_kind(head, source)
        # An email has its Date, notes and transcripts may have a date line; else fall back.
        if guess != SourceKind.EMAIL and find_reference_time(head, tz) is None:
            at = fallback
    return load_bytes(data, filename=source, kind=kind, at=at, tz=tz, rep=rep, source=source)


def _analyze_record(record: dict[str, Any]) -> dict[str, Any]:
    from bot.engine import analyze
    from bot.engine.schema import analysis_to_dict
    from bot.loaders import load_text

    zone = _zone(record.get("tz"))
    text = record.get("text")
    if not isinstance(text, str):
        raise UsageError('each line needs a "text" string.')
    kind = SourceKind(record["kind"]) if record.get("kind") else None
    at = parse_at(record.get("at"), zone)
    document = load_text(text, kind=kind, at=at, tz=zone, rep=record.get("rep"), source="batch")
    return analysis_to_dict(analyze(document))


def _when_record(record: dict[str, Any]) -> dict[str, Any]:
    zone = _zone(record.get("tz"))
    now = parse_at(record.get("at"), zone)
    if now is None:
        raise UsageError('each line needs "at".')
    phrase = record.get("text") or record.get("phrase")
    if not isinstance(phrase, str):
        raise UsageError('each line needs a "text" string.')
    return _when(phrase, now, zone)


def _when(phrase: str, now: datetime, zone: str) -> dict[str, Any]:
    from bot.engine.schema import times_to_dict
    from bot.engine.timex import find_times

    return times_to_dict(phrase, now, zone, find_times(phrase, now=now, tz=zone))


def _run_batch(batch: Path, handle) -> None:
    """One JSON result per input line, carrying its id; a bad line gets an error object."""
    stream = sys.stdin if str(batch) == "-" else batch.open(encoding="utf-8", errors="replace")
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            record_id: Any = None
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise UsageError("each line must be a JSON object.")
                record_id = record.get("id", number)
                result = {"id": record_id, **handle(record)}
            except json.JSONDecodeError as error:
                result = _error_line(number, number, "invalid_json", f"line {number}: {error.msg}")
            except NextStepError as error:
                code = type(error).__name__
                result = _error_line(record_id, number, code, error.message)
            typer.echo(json.dumps(result, ensure_ascii=False))


def _error_line(record_id: Any, number: int, code: str, message: str) -> dict[str, Any]:
    from bot.engine.model import SCHEMA_VERSION

    return {
        "id": record_id if record_id is not None else number,
        "schema": SCHEMA_VERSION,
        "error": {"code": code, "message": message},
    }
