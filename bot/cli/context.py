"""What a command line process shares: one ``Settings`` and one ``Application``, each
built on first use and at most once per process (``main()`` hands the state to every
command as Typer's context object)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from bot.config import Settings, load_settings

if TYPE_CHECKING:
    from bot.application import Application


@dataclass
class CliState:
    load: Callable[[], Settings] = load_settings
    clock: Callable[[], datetime] | None = None  # tests pin it; else the wall clock
    _settings: Settings | None = field(default=None, repr=False)
    _application: Application | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self.load()
        return self._settings

    def application(self) -> Application:
        """The application on the configured database (migrated on first use)."""
        if self._application is None:
            from bot.application import Application, utc_now

            clock = self.clock or utc_now
            self._application = Application.from_settings(self.settings, clock=clock)
        return self._application

    def close(self) -> None:
        if self._application is not None:
            self._application.close()
            self._application = None


def state(ctx: typer.Context) -> CliState:
    """The process's state, kept on the root context (made here when a test's runner
    invokes a command without ``main()``)."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
        root.call_on_close(root.obj.close)
    return root.obj
