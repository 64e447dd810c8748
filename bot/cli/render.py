"""Readable reports for the terminal (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.engine import coaching
from bot.engine.model import Analysis, Outcome, Tier

TIER_STYLE = {Tier.GOLD: "bold yellow", Tier.SILVER: "bold white", Tier.BRONZE: "bold red3"}
OUTCOME_STYLE = {Outcome.SECURED: "green", Outcome.CLEAR_NO: "cyan", Outcome.OPEN: "dim"}


def _console() -> Console:
    import sys

    # A pipe or a file gets a wide report; a terminal gets its own width.
    width = None if sys.stdout.isatty() else 160
    return Console(highlight=False, soft_wrap=False, width=width)


def analysis(result: Analysis) -> None:
    console = _console()
    document = result.document
    verdict = "SECURED" if result.next_steps_secured else "NOT SECURED"
    style = "bold green" if result.next_steps_secured else "bold red"
    head = Text()
    head.append(f"{verdict}", style=style)
    head.append("  tier: ")
    head.append(str(result.tier), style=TIER_STYLE.get(result.tier, "dim"))
    head.append("  outcome: ")
    head.append(str(result.outcome), style=OUTCOME_STYLE[result.outcome])
    console.print(head)
    console.print(result.reason)
    rep = document.rep or "unknown"
    guessed = " (guessed)" if document.rep_guessed else ""
    console.print(
        f"[dim]{document.kind}, {len(document.turns)} turns, "
        f"{document.reference_time:%a %d %b %Y %H:%M} {document.tz}, rep: {rep}{guessed}[/dim]"
    )
    for warning in document.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    if result.steps:
        console.print()
        console.print(_steps_table(result))
    if result.findings:
        console.print()
        console.print("[bold]Coaching[/bold]")
        for finding in result.findings:
            console.print(f"- {coaching.conversation_line(finding)}")


def _steps_table(result: Analysis) -> Table:
    table = Table(show_lines=False, pad_edge=False)
    for column in ("", "step", "kind", "owner", "due", "agreed", "evidence"):
        table.add_column(column, overflow="fold")
    for step in result.steps:
        mark = "[green]✔[/green]" if step.secured else "[red]✘[/red]"
        due = coaching.when(step) if step.due is not None else (step.due_text or "—")
        if step.due is not None:
            due = f"{due} ({step.due.isoformat()[:16]})"
        if step.trigger is not None and step.due is None:
            due = f"{step.trigger.condition}" + (
                f", {step.trigger.window_text}" if step.trigger.window_text else ""
            )
        agreed = "yes" if step.acknowledged else "no"
        where = step.evidence.timestamp or f"line {step.evidence.line}"
        table.add_row(
            mark,
            step.action,
            str(step.kind),
            step.owner_name or str(step.owner),
            due,
            agreed,
            f'[{where}] "{coaching.quote(step.evidence.quote)}"',
        )
    return table


def times(result: dict[str, Any]) -> None:
    console = _console()
    found = result["times"]
    if not found:
        console.print("No time expressions found.")
        return
    for t in found:
        flags = [t["grain"]]
        if t["deadline"]:
            flags.append("deadline")
        flags.append("specific" if t["specific"] else "not specific")
        if t["past"]:
            flags.append("past")
        line = f'"{t["text"]}" → {t["value"]}'
        if t.get("end_value"):
            line += f" .. {t['end_value']}"
        console.print(f"{line}  [dim]({', '.join(flags)})[/dim]")
        if t["ambiguous"]:
            console.print(f"  [yellow]ambiguous:[/yellow] {t['ambiguity']}")


def evaluation_files(files: dict[str, Any]) -> None:
    """One line per corpus file: verdict, tier, due exact, unsecured reported, wrongly secured."""
    console = _console()
    table = Table(title="by file")
    for column in ("file", "conversations", "verdict", "tier", "due exact", "unsecured reported"):
        table.add_column(column, justify="left" if column == "file" else "right")
    table.add_column("wrongly secured", justify="right")
    for name, part in files.items():
        table.add_row(
            name,
            str(len(part.cases)),
            f"{part.verdict_accuracy:.1%}",
            f"{part.tier_accuracy:.1%}",
            f"{part.due_exactness:.1%}",
            f"{part.unsecured_reported:.1%}",
            str(part.wrongly_secured),
        )
    console.print(table)


def evaluation(report: Any, *, show_errors: bool) -> None:
    console = _console()
    table = Table(title=f"nextstep eval: {len(report.cases)} conversations")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    rows = [
        ("verdict accuracy", report.verdict_accuracy, ">= 95%"),
        ("tier accuracy", report.tier_accuracy, ""),
        ("step precision", report.precision, ""),
        ("step recall", report.recall, ""),
        ("step F1", report.f1, ">= 90%"),
        ("due exact", report.due_exactness, ">= 95%"),
    ]
    for name, value, target in rows:
        table.add_row(name, f"{value:.1%}", target)
    console.print(table)
    for attribute in ("vertical", "kind"):
        parts = [f"{k} {r}/{t}" for k, (r, t) in report.breakdown(attribute).items()]
        console.print(f"verdict by {attribute}: " + ", ".join(parts))
    if show_errors:
        for case in report.cases:
            if case.problems:
                console.print(f"[bold]{case.id}[/bold]")
                for problem in case.problems:
                    console.print(f"  - {problem}")
