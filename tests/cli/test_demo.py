"""`make demo`, its commands run as the Makefile runs them: the stored copy of the demo
call must say what the analysis it prints says (same due dates, same verdict)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo_commands() -> list[list[str]]:
    """The demo target's nextstep lines, with the Makefile's variables filled in."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+) :?= (.+)$", makefile, re.MULTILINE))
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    commands = []
    for line in recipe.splitlines()[1:]:
        line = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), ""), line.strip())
        words = shlex.split(line)
        assert words[0].endswith("/nextstep"), line
        commands.append(words[1:])
    return commands


def test_make_demo_stores_the_call_as_it_analyses_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXTSTEP_")}
    env.pop("DATABASE_URL", None)
    env.update(NEXTSTEP_DATA_DIR=str(tmp_path), TZ="UTC", COLUMNS="200")
    commands = demo_commands()
    assert len(commands) == 4 and commands[-1][0] == "analyze"

    for command in commands[:-1]:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def nextstep_json(*args: str) -> object:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args, "--format", "json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        return json.loads(done.stdout)

    analysed = nextstep_json(*commands[-1])
    listed = nextstep_json("conversations", "list")
    assert isinstance(listed, list) and isinstance(analysed, dict)
    calls = [c for c in listed if c["kind"] == "transcript"]
    assert len(calls) == 1
    stored = nextstep_json("show", str(calls[0]["id"]))
    assert isinstance(stored, dict)

    assert [s["due"] for s in stored["steps"]] == [s["due"] for s in analysed["steps"]]
    assert (stored["tier"], stored["reason"]) == (analysed["tier"], analysed["reason"])
    assert stored["conversation"]["rep"] == "Dana Reyes"
