"""The ``nextstep`` command line. Each command group lives in its own module with a
``register(app)``; this file only assembles them and turns errors into exit codes."""

from __future__ import annotations

import sys

import typer

from bot.errors import NextStepError

app = typer.Typer(
    name="nextstep",
    help="Check whether every conversation ended with a secured next step.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# One line per command module; each defines register(app).
COMMAND_MODULES = [
    "bot.cli.analyze",
]


def build_app() -> typer.Typer:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def main() -> None:
    application = build_app()
    try:
        application(standalone_mode=False)
    except NextStepError as error:
        typer.echo(f"nextstep: {error.message}", err=True)
        sys.exit(error.exit_code)
