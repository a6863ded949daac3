"""The layers point one way: handlers parse, call use cases and render; use cases and rules
never reach up into the bot or its handlers; and no feature reaches into another's handlers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HANDLERS = ROOT / "handlers"
SHARED = {"kit", "buttons"}
USE_CASES = (
    "decide",
    "cycle",
    "success",
    "meetings",
    "feedback",
    "approvals",
    "opportunities",
    "claims",
    "questions",
    "projects",
    "assisted",
    "privacy",
)
LONGEST = 300  # lines: a handler module longer than this holds more than one thing


def imported(path: Path) -> set[str]:
    """Every module a file imports, at any depth (deferred imports count too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def features() -> list[Path]:
    return sorted(p for p in HANDLERS.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def test_handlers_are_feature_packages_and_nothing_is_left_loose():
    assert {p.name for p in HANDLERS.glob("*.py")} == {"__init__.py"}
    assert {p.name for p in features()} >= SHARED


@pytest.mark.parametrize("feature", [p.name for p in features() if p.name not in SHARED])
def test_a_feature_imports_no_other_features_handlers(feature: str):
    reaching = {}
    for path in (HANDLERS / feature).glob("*.py"):
        others = {
            name.split(".")[1] for name in imported(path) if name.startswith("handlers.") and name.count(".") >= 1
        }
        wrong = others - SHARED - {feature}
        if wrong:
            reaching[path.name] = sorted(wrong)
    assert not reaching, f"{feature} reaches into other features' handlers: {reaching}"


@pytest.mark.parametrize("shared", sorted(SHARED))
def test_the_shared_toolkit_depends_on_no_feature(shared: str):
    for path in (HANDLERS / shared).glob("*.py"):
        others = {name.split(".")[1] for name in imported(path) if name.startswith("handlers.")}
        assert others <= SHARED, f"{path.relative_to(ROOT)} imports {sorted(others - SHARED)}"


@pytest.mark.parametrize("layer", ["domain", "storage", *USE_CASES])
def test_rules_storage_and_use_cases_never_import_the_bot_or_its_handlers(layer: str):
    upward = ("handlers",) if layer in USE_CASES else ("handlers", "bot")
    for path in (ROOT / layer).rglob("*.py"):
        wrong = sorted(name for name in imported(path) if name.split(".")[0] in upward)
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_no_handler_module_is_over_300_lines():
    long = {
        str(p.relative_to(ROOT)): n for p in HANDLERS.rglob("*.py") if (n := len(p.read_text().splitlines())) > LONGEST
    }
    assert not long, long
