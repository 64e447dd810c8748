"""The import rule: arrows point down only.

    front ends    bot.cli, integrations, bot.slack
    use cases     bot.application
    below         storage, bot.loaders, bot.mail, bot.config, bot.evaluate
    pure core     bot.engine, bot.zones, bot.vocabulary, bot.errors

Every import counts, including those inside functions, so the rule is read from the
source (ast), not from what one import happens to load.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRONT_ENDS = ("bot.cli", "integrations", "bot.slack")
BELOW_APPLICATION = (
    "storage",
    "bot.loaders",
    "bot.mail",
    "bot.engine",
    "bot.config",
    "bot.zones",
    "bot.vocabulary",
    "bot.errors",
    "bot.evaluate",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_under(*packages: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in packages:
        base = ROOT / Path(*package.split("."))
        files = [base.with_suffix(".py")] if base.with_suffix(".py").is_file() else []
        files += sorted(base.rglob("*.py")) if base.is_dir() else []
        found.update({module_name(f): f for f in files if "migrations" not in f.parts})
    return found


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def breaches(sources: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    modules = modules_under(*sources)
    assert modules, sources
    return sorted(
        f"{module} imports {name}"
        for module, path in modules.items()
        for name in imports_of(path)
        if within(name, forbidden)
    )


def test_nothing_below_the_application_imports_it_or_a_front_end() -> None:
    assert breaches(BELOW_APPLICATION, ("bot.application", *FRONT_ENDS)) == []


def test_the_application_imports_no_front_end() -> None:
    assert breaches(("bot.application",), FRONT_ENDS) == []


def test_the_engine_imports_neither_storage_nor_the_loaders() -> None:
    assert breaches(("bot.engine",), ("storage", "bot.loaders", "bot.mail", "bot.config")) == []


def test_the_zone_policy_and_vocabulary_import_only_the_core() -> None:
    allowed = ("bot.errors", "bot.zones", "bot.vocabulary")
    for module, path in modules_under("bot.zones", "bot.vocabulary").items():
        ours = {n for n in imports_of(path) if within(n, ("bot", "storage", "integrations"))}
        assert {n for n in ours if not within(n, allowed)} == set(), module


@pytest.mark.parametrize(
    ("rule", "sources", "forbidden"),
    [("a check that can fail", ("bot.cli",), ("bot.application",))],
)
def test_the_rule_finds_a_breach_when_there_is_one(
    rule: str, sources: tuple[str, ...], forbidden: tuple[str, ...]
) -> None:
    """The CLI does import the application: the same check reports it."""
    assert breaches(sources, forbidden), rule
