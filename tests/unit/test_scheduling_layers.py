"""``scheduling`` sits below the services: it imports neither the services, the views, the
core nor the Telegram adapters (so the services may import it), and its pure modules no
I/O at all. Read from the source, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SCHEDULING = Path(__file__).parents[2] / "scheduling"
ABOVE = ("bot.services", "bot.views", "bot.core", "bot.app", "handlers", "telegram")
IO = ("storage", "sqlalchemy")
PURE = ("policy.py", "calendar.py")


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


@pytest.mark.parametrize("path", sorted(SCHEDULING.glob("*.py")), ids=lambda p: p.name)
def test_scheduling_imports_nothing_above_it(path: Path) -> None:
    assert [name for name in _imports(path) if _within(name, ABOVE)] == []


@pytest.mark.parametrize("name", PURE)
def test_the_pure_modules_import_no_io(name: str) -> None:
    assert [n for n in _imports(SCHEDULING / name) if _within(n, IO)] == []


def test_the_modules_are_found() -> None:
    assert {"policy.py", "calendar.py", "schedule.py", "outbox.py"} <= {
        p.name for p in SCHEDULING.glob("*.py")
    }
