"""The ``nextstep`` command line: one client of ``bot.application``. Each command group
lives in its own module with a ``register(app)``; this file only assembles them, builds
the process's state (one ``Settings``, one ``Application``, see ``context``) and turns
errors into exit codes."""

from __future__ import annotations

import os
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
    "bot.cli.inbox",
    "bot.cli.db",
    "bot.cli.ingest",
    "bot.cli.calendar",
    "bot.cli.read",
    "bot.cli.serve",
    "bot.cli.api",
    "bot.cli.work",
]


def build_app() -> typer.Typer:
    """The whole command line (each module registered once, however often asked)."""
    import importlib

    if not (app.registered_commands or app.registered_groups):
        for name in COMMAND_MODULES:
            importlib.import_module(name).register(app)
    return app


INTERNAL_ERROR = 70


def main() -> None:
    """Run the command line; errors become a message and a documented exit code."""
    from typer.exceptions import Abort, Exit, TyperException

    from bot.cli.context import CliState

    application = build_app()
    state = CliState()  # the one Settings and Application of this process, built on use
    try:
        code = application(standalone_mode=False, obj=state)
    except NextStepError as error:
        typer.echo(f"nextstep: {error.message}", err=True)
        sys.exit(error.exit_code)
    except Exit as done:
        sys.exit(done.exit_code)
    except TyperException as error:  # a usage error: say it the way typer would
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"nextstep: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except (Abort, KeyboardInterrupt):
        typer.echo("nextstep: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # the last line of defence: a message, not a traceback
        if os.environ.get("NEXTSTEP_DEBUG"):
            raise
        typer.echo(
            f"nextstep: internal error ({type(error).__name__}: {error}). "
            "Set NEXTSTEP_DEBUG=1 to see the traceback, and please report it.",
            err=True,
        )
        sys.exit(INTERNAL_ERROR)
    finally:
        state.close()
    sys.exit(code if isinstance(code, int) else 0)
