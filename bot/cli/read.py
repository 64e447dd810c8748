"""The read side: ``nextstep conversations list``, ``show``, ``steps list|done|drop|ack`` and
``inputs list``. Each calls ``bot.application.Application`` and renders what it returns,
as a table or (``--format json``) as JSON."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from bot.cli import render_stored
from bot.cli.common import Format, parse_at, state
from bot.engine.model import Outcome
from bot.vocabulary import InputStatus, StepFilter

FormatOpt = Annotated[Format, typer.Option("--format", help="text (a table) or json.")]
RepOpt = Annotated[
    str | None, typer.Option("--rep", help="Only this rep's (an address or a rep id).")
]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="At most this many.")]


def register(app: typer.Typer) -> None:
    conversations = typer.Typer(
        name="conversations", help="The conversations nextstep has stored.", no_args_is_help=True
    )
    conversations.command("list")(conversations_list)
    app.add_typer(conversations, name="conversations")
    app.command("show")(show)
    steps = typer.Typer(
        name="steps", help="The next steps, and what people did with them.", no_args_is_help=True
    )
    steps.command("list")(steps_list)
    steps.command("done")(steps_done)
    steps.command("drop")(steps_drop)
    steps.command("ack")(steps_ack)
    app.add_typer(steps, name="steps")
    inputs = typer.Typer(
        name="inputs", help="What came in: files, emails, attachments.", no_args_is_help=True
    )
    inputs.command("list")(inputs_list)
    app.add_typer(inputs, name="inputs")


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def conversations_list(
    ctx: typer.Context,
    rep: RepOpt = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Only conversations held on or after this day or time (ISO 8601)."
        ),
    ] = None,
    unsecured: Annotated[
        bool, typer.Option("--unsecured", help="Only those without a secured next step.")
    ] = False,
    limit: LimitOpt = None,
    output: FormatOpt = Format.TEXT,
    outcome: Annotated[
        Outcome | None,
        typer.Option("--outcome", help="Only those that ended so: secured, clear_no or open."),
    ] = None,
) -> None:
    """List stored conversations, newest first, with their verdict and open steps."""
    application = state(ctx).application()
    after = parse_at(since, application.zone_for(), option="--since")
    found = application.list_conversations(
        rep=rep, since=after, unsecured=unsecured, limit=limit, outcome=outcome
    )
    if output == Format.JSON:
        _echo_json([c.to_dict() for c in found])
    else:
        render_stored.conversations(found)


def show(
    ctx: typer.Context,
    conversation_id: Annotated[
        int, typer.Argument(help="A conversation's id (`conversations list` shows them).")
    ],
    output: FormatOpt = Format.TEXT,
) -> None:
    """Show a stored conversation's analysis as `analyze` shows it, with step ids."""
    detail = state(ctx).application().show_conversation(conversation_id)
    if output == Format.JSON:
        _echo_json(detail.to_dict())
    else:
        render_stored.conversation(detail)


def steps_list(
    ctx: typer.Context,
    rep: RepOpt = None,
    status: Annotated[
        StepFilter,
        typer.Option(
            "--status",
            help="open; overdue; vague (action or time not specific); unacknowledged (no "
            "yes from the other side); awaiting (their move, or a trigger); done.",
        ),
    ] = StepFilter.OPEN,
    output: FormatOpt = Format.TEXT,
) -> None:
    """List next steps in one view, soonest due first."""
    found = state(ctx).application().list_steps(status=status, rep=rep)
    if output == Format.JSON:
        _echo_json([s.to_dict() for s in found])
    else:
        render_stored.steps(found, status)


StepId = Annotated[int, typer.Argument(help="A step's id (`steps list` shows them).")]


def steps_done(ctx: typer.Context, step_id: StepId, output: FormatOpt = Format.TEXT) -> None:
    """Mark a step done; re-analysing its conversation keeps it done."""
    step = state(ctx).application().mark_done(step_id, by="cli")
    _changed(step.to_dict(), f"Step #{step.id} done: {step.action}.", output)


def steps_drop(ctx: typer.Context, step_id: StepId, output: FormatOpt = Format.TEXT) -> None:
    """Drop a step nobody will do; it is no longer listed or nudged."""
    step = state(ctx).application().drop(step_id, by="cli")
    _changed(step.to_dict(), f"Step #{step.id} dropped: {step.action}.", output)


def steps_ack(
    ctx: typer.Context,
    step_id: StepId,
    note: Annotated[
        str | None,
        typer.Option("--note", help="How they agreed, in a few words (kept as the evidence)."),
    ] = None,
    output: FormatOpt = Format.TEXT,
) -> None:
    """Mark a step agreed by the other side (said outside the text); the
    conversation's verdict and tier are worked out again."""
    application = state(ctx).application()
    step = application.acknowledge(step_id, by="cli", note=note)
    conversation = application.show_conversation(step.conversation_id).summary
    verdict = "secured" if conversation.secured else "not secured"
    _changed(
        step.to_dict(),
        f"Step #{step.id} agreed: {step.action}. Conversation #{conversation.id}: "
        f"{verdict}, tier {conversation.tier}.",
        output,
    )


def _changed(record: dict[str, Any], message: str, output: Format) -> None:
    if output == Format.JSON:
        _echo_json(record)
    else:
        typer.echo(message)


def inputs_list(
    ctx: typer.Context,
    status: Annotated[
        InputStatus | None,
        typer.Option(
            "--status", help="Only inputs in this state (failed ones can be reprocessed)."
        ),
    ] = None,
    limit: LimitOpt = None,
    output: FormatOpt = Format.TEXT,
) -> None:
    """List stored inputs, newest first, with their state and conversation."""
    found = state(ctx).application().list_inputs(status=status, limit=limit)
    if output == Format.JSON:
        _echo_json([i.to_dict() for i in found])
    else:
        render_stored.inputs(found, status)
