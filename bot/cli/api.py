"""``nextstep tokens create|list|revoke`` (the HTTP API's bearer tokens) and
``nextstep webhooks add|list|remove|deliver`` (signed POSTs when verdicts change)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from bot.cli.common import Format
from bot.cli.context import state
from bot.vocabulary import TokenScope, WebhookEvent

FormatOpt = Annotated[Format, typer.Option("--format", help="text or json.")]
WorkspaceOpt = Annotated[
    str,
    typer.Option(
        "--workspace",
        help="The workspace it sees: a Slack team id (T…), or 'default' for reps outside Slack.",
    ),
]


def register(app: typer.Typer) -> None:
    tokens = typer.Typer(name="tokens", help="Tokens for the HTTP API.", no_args_is_help=True)
    tokens.command("create")(tokens_create)
    tokens.command("list")(tokens_list)
    tokens.command("revoke")(tokens_revoke)
    app.add_typer(tokens, name="tokens")
    webhooks = typer.Typer(
        name="webhooks", help="Signed POSTs when conversations change.", no_args_is_help=True
    )
    webhooks.command("add")(webhooks_add)
    webhooks.command("list")(webhooks_list)
    webhooks.command("remove")(webhooks_remove)
    webhooks.command("deliver")(webhooks_deliver)
    app.add_typer(webhooks, name="webhooks")


def _use_cases(ctx: typer.Context) -> Any:
    from bot.application.api import ApiUseCases

    return ApiUseCases(state(ctx).application())


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def tokens_create(
    ctx: typer.Context,
    workspace: WorkspaceOpt = "default",
    scope: Annotated[
        TokenScope, typer.Option("--scope", help="read (GET, analyze) or write (also store).")
    ] = TokenScope.READ,
    name: Annotated[str | None, typer.Option("--name", help="What it is for.")] = None,
    output: FormatOpt = Format.TEXT,
) -> None:
    """Make an API token; its secret is shown this once (only a hash is kept)."""
    token, secret = _use_cases(ctx).create_token(workspace, scope, name)
    if output == Format.JSON:
        _echo_json({**token.to_dict(), "token": secret})
        return
    typer.echo(f"Token #{token.id} ({token.scope}, workspace {token.workspace}):")
    typer.echo(secret)
    typer.echo(
        "Keep it now: it is not shown again. Send it as 'Authorization: Bearer …'.", err=True
    )


def tokens_list(ctx: typer.Context, output: FormatOpt = Format.TEXT) -> None:
    """List API tokens (their first characters, never the secret)."""
    found = _use_cases(ctx).list_tokens()
    if output == Format.JSON:
        _echo_json([t.to_dict() for t in found])
        return
    if not found:
        typer.echo("No tokens yet: `nextstep tokens create --workspace W --scope read`.")
    for t in found:
        state_ = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
        typer.echo(f"#{t.id}  {t.prefix}…  {t.scope:<5}  {t.workspace}  {state_}  {t.name or ''}")


def tokens_revoke(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(help="A token's id (`tokens list` shows them).")],
) -> None:
    """Revoke a token; requests with it are refused from now on (401)."""
    token = _use_cases(ctx).revoke_token(token_id)
    typer.echo(f"Token #{token.id} ({token.prefix}…) revoked.")


def webhooks_add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="Where to POST the events (http or https).")],
    events: Annotated[
        list[WebhookEvent] | None,
        typer.Option("--events", help="An event to send (repeatable). Default: all."),
    ] = None,
    workspace: WorkspaceOpt = "default",
    output: FormatOpt = Format.TEXT,
) -> None:
    """Subscribe a URL to events; the signing secret is shown this once."""
    hook, secret = _use_cases(ctx).add_webhook(workspace, url, list(events or []))
    if output == Format.JSON:
        _echo_json({**hook.to_dict(), "secret": secret})
        return
    typer.echo(f"Webhook #{hook.id} → {hook.url} ({', '.join(hook.events)}). Signing secret:")
    typer.echo(secret)
    typer.echo("Keep it now: it is not shown again.", err=True)


def webhooks_list(ctx: typer.Context, output: FormatOpt = Format.TEXT) -> None:
    """List webhook subscriptions with their deliveries so far."""
    found = _use_cases(ctx).list_webhooks()
    if output == Format.JSON:
        _echo_json([h.to_dict() for h in found])
        return
    if not found:
        typer.echo("No webhooks yet: `nextstep webhooks add URL --events conversation.secured`.")
    for h in found:
        typer.echo(
            f"#{h.id}  {h.url}  [{', '.join(h.events)}]  {h.workspace}  "
            f"delivered {h.delivered}, pending {h.pending}, failed {h.failed}"
        )


def webhooks_remove(
    ctx: typer.Context,
    webhook_id: Annotated[int, typer.Argument(help="A webhook's id (`webhooks list`).")],
) -> None:
    """Remove a subscription; nothing more is sent to it."""
    _use_cases(ctx).remove_webhook(webhook_id)
    typer.echo(f"Webhook #{webhook_id} removed.")


def webhooks_deliver(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
) -> None:
    """Send queued webhook events (`nextstep serve` does this on its own)."""
    from bot.application.process import stop_on_signals
    from bot.application.webhooks import WebhookDeliverer

    cli = state(ctx)
    deliverer = WebhookDeliverer(cli.application())
    if once:
        typer.echo(f"{deliverer.run_once()} delivery attempt(s).")
        return
    with stop_on_signals() as stopping:
        deliverer.run(stopping, cli.settings.webhook_interval)
