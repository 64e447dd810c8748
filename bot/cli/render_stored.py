"""Readable reports of what is stored (rich): lists, and a stored analysis rendered as
``nextstep analyze`` renders a fresh one."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from bot.application.records import (
    ConversationDetail,
    ConversationSummary,
    InputRecord,
    StepRecord,
)
from bot.cli.render import OUTCOME_STYLE, TIER_STYLE, _console
from bot.engine.coaching import quote
from bot.engine.model import Outcome, Tier
from bot.vocabulary import InputStatus, StepFilter


def conversations(found: list[ConversationSummary]) -> None:
    console = _console()
    if not found:
        console.print("No conversations stored yet: `nextstep ingest PATH` adds some.")
        return
    table = Table("id", "when", "kind", "subject / source", "rep", "verdict", "steps (open)")
    for c in found:
        verdict = Text("secured" if c.secured else "not secured")
        if c.outcome == Outcome.CLEAR_NO:
            verdict = Text("clear no")
        verdict.append(f" {c.tier}", style=TIER_STYLE.get(Tier(c.tier), "dim"))
        rep = (c.rep or "-") + (" (guessed)" if c.rep_guessed else "")
        table.add_row(
            str(c.id),
            f"{c.reference_time:%Y-%m-%d %H:%M} {c.tz}",
            c.kind,
            c.subject or str(c.source),
            rep,
            verdict,
            f"{c.steps} ({c.open_steps})",
        )
    console.print(table)


def conversation(detail: ConversationDetail) -> None:
    """The stored analysis as `analyze` prints it, with each step's id and status."""
    console = _console()
    stored = detail.analysis
    read: dict[str, Any] = stored.get("conversation", {})
    secured = bool(stored.get("next_steps_secured"))
    head = Text()
    head.append(
        "SECURED" if secured else "NOT SECURED", style="bold green" if secured else "bold red"
    )
    head.append("  tier: ")
    tier = str(stored.get("tier", "none"))
    head.append(tier, style=TIER_STYLE.get(Tier(tier), "dim"))
    head.append("  outcome: ")
    outcome = _outcome(stored.get("outcome"), secured=secured)
    head.append(str(outcome), style=OUTCOME_STYLE[outcome])
    console.print(head)
    console.print(stored.get("reason", ""))
    rep = read.get("rep") or "unknown"
    guessed = " (guessed)" if read.get("rep_guessed") else ""
    summary = detail.summary
    console.print(
        f"[dim]conversation #{summary.id}, input #{detail.inbound_id or '-'}; "
        f"{read.get('kind')}, {read.get('turns')} turns, "
        f"{summary.reference_time:%a %d %b %Y %H:%M} {summary.tz}, rep: {rep}{guessed}[/dim]"
    )
    for warning in read.get("warnings", []):
        console.print(f"[yellow]warning:[/yellow] {warning}")
    if detail.steps:
        console.print()
        console.print(_stored_steps(detail))
    if detail.history:
        console.print()
        console.print("[bold]History[/bold]")
        for change in reversed(detail.history):  # newest first: the verdict as it stands
            console.print(f"- {escape(change.line)}")
    findings = stored.get("findings", [])
    if findings:
        console.print()
        console.print("[bold]Coaching[/bold]")
        for finding in findings:
            console.print(f"- {escape(_finding_line(finding))}")


def _stored_steps(detail: ConversationDetail) -> Table:
    table = Table(show_lines=False, pad_edge=False)
    for column in ("", "id", "step", "kind", "owner", "due", "agreed", "status", "evidence"):
        table.add_column(column, overflow="fold")
    stored = {s.get("action"): s for s in detail.analysis.get("steps", [])}
    for step in detail.steps:
        evidence = (stored.get(step.action) or {}).get("evidence") or {}
        where = evidence.get("timestamp") or f"line {evidence.get('line', '?')}"
        table.add_row(
            "[green]✔[/green]" if step.secured else "[red]✘[/red]",
            str(step.id),
            step.action,
            step.kind,
            step.owner_name or step.owner,
            _due(step),
            "yes" if step.acknowledged else "no",
            str(step.status),
            escape(f'[{where}] "{quote(evidence.get("quote", ""))}"'),
        )
    return table


def _due(step: StepRecord) -> str:
    if step.due is not None:
        shown = step.due.isoformat()[:16]
        return f"{step.due_text} ({shown})" if step.due_text else shown
    if step.trigger is not None:
        return step.trigger
    return step.due_text or "—"


def _finding_line(finding: dict[str, Any]) -> str:
    evidence = finding.get("evidence") or {}
    stamp = ""
    if evidence:
        stamp = f"[{evidence['timestamp']}] " if evidence.get("timestamp") else ""
        stamp = stamp or f"[line {evidence.get('line')}] "
    suggestion = f" {finding['suggestion']}" if finding.get("suggestion") else ""
    return f"{stamp}{finding.get('message', '')}{suggestion}"


def steps(found: list[StepRecord], view: StepFilter) -> None:
    console = _console()
    if not found:
        console.print(f"No {view} steps.")
        return
    table = Table("id", "conv", "step", "owner", "due", "agreed", "flags", "subject")
    for step in found:
        flags = [
            flag
            for flag, on in (
                ("overdue", step.overdue),
                ("vague", step.vague),
                ("awaiting", step.awaiting),
                (str(step.status), step.status != "open"),
            )
            if on
        ]
        table.add_row(
            str(step.id),
            str(step.conversation_id),
            step.action,
            step.owner_name or step.owner,
            _due(step),
            "yes" if step.acknowledged else "no",
            ", ".join(flags) or "-",
            step.subject or "-",
        )
    console.print(table)


def inputs(found: list[InputRecord], status: InputStatus | None) -> None:
    console = _console()
    if not found:
        console.print(f"No {status or 'stored'} inputs.")
        return
    table = Table("id", "received", "source", "name", "status", "conv", "reason")
    for item in found:
        table.add_row(
            str(item.id),
            f"{item.received_at:%Y-%m-%d %H:%M}",
            str(item.source) + (f" of #{item.parent_id}" if item.parent_id else ""),
            item.filename or item.source_id or "-",
            str(item.status),
            str(item.conversation_id or "-"),
            item.error or "",
        )
    console.print(table)
    if any(item.status == InputStatus.FAILED for item in found):
        console.print("Retry with: nextstep reprocess ID... (or --failed)")


def _outcome(value: Any, *, secured: bool) -> Outcome:
    """The stored outcome; an analysis stored before outcomes were named reads as open."""
    if value in tuple(Outcome):
        return Outcome(value)
    return Outcome.SECURED if secured else Outcome.OPEN
