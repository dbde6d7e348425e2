"""The layers only point down: every module of the project imports only from its own
layer and the layers below it, and imports project modules at the top of the file (an
import inside a function hides a cycle). Read from the source with ``ast``.

One table says it (lowest first). Adding a module means placing it here; a module of
the understanding package also takes a row of its own order (``UNDERSTANDING``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PACKAGES = ("bot", "handlers", "scheduling", "storage", "webui")
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # settings, messages, what a person sent and what the bot answers
    ("base", ("bot.checks", "bot.config", "bot.i18n", "bot.logs", "bot.metrics", "bot.transport")),
    # pure: no I/O, no database, no Telegram
    ("language", ("bot.language",)),
    ("matching", ("bot.matching",)),
    (
        "pure",
        (
            "bot.plans",
            "bot.understanding",
            "bot.charts",
            "bot.buttons",
            "bot.sheets",
            "scheduling.policy",
            "scheduling.calendar",
        ),
    ),
    ("storage", ("storage",)),
    # the reminder rows: built from the policy, claimed, sent, answered
    ("scheduling", ("scheduling",)),
    ("services", ("bot.services",)),
    ("views", ("bot.views", "bot.photos")),
    ("core", ("bot.core", "bot.areas")),
    ("adapters", ("handlers", "bot.ratelimit", "webui")),
    ("entry", ("bot.app", "bot.cli", "bot.console", "bot.demo", "bot.web", "bot.__main__")),
]
# The understanding package (pure) in its own order, lowest first: what a message is
# understood as; the words of intent, the plan's indexes, the message being read and
# the status choices; each step's reading; the whole message; the package's surface.
# A module imports only from the rows below its own, so the steps cannot form a cycle.
UNDERSTANDING: list[tuple[str, ...]] = [
    ("bot.understanding.model", "bot.understanding.counted"),
    (
        "bot.understanding.intent",
        "bot.understanding.prepare",
        "bot.understanding.text",
        "bot.understanding.choices",
    ),
    (
        "bot.understanding.units",
        "bot.understanding.statuses",
        "bot.understanding.indicators",
        "bot.understanding.tasks",
        "bot.understanding.mixed",
    ),
    ("bot.understanding.interpret",),
    ("bot.understanding",),
]
# Libraries that do I/O: nothing at or below the pure layer imports them.
IO_LIBRARIES = ("sqlalchemy", "alembic", "psycopg", "telegram", "httpx")
PURE = next(index for index, (name, _prefixes) in enumerate(LAYERS) if name == "pure")
# Entry points import lazily on purpose: `dondoc --help` loads no database or Telegram code.
LAZY_ALLOWED = ("bot.cli", "bot.console", "bot.demo", "bot.app")


def _layer(module: str) -> int:
    best: tuple[int, int] | None = None
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[1]
            ):
                best = (index, len(prefix))
    if best is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS")
    return best[0]


def _modules() -> list[tuple[str, Path]]:
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts).removesuffix(".__init__")
            if name != "bot":  # the package marker holds no code
                found.append((name, path))
    return sorted(found)


def _imported(node: ast.AST) -> list[str]:
    """Project modules an import statement names (``from bot import areas`` → bot.areas)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        names = [node.module]
        if node.module in PACKAGES:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
    else:
        return []
    return [name for name in names if name.split(".")[0] in PACKAGES]


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Imports under ``if TYPE_CHECKING:`` (types only, never run)."""
    found = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found |= {id(child) for child in ast.walk(node)}
    return found


MODULES = _modules()


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_pure_modules_do_no_io(module: str, path: Path) -> None:
    if _layer(module) > PURE:
        return
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in IO_LIBRARIES, f"{module} imports {name}"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_imports_point_down(module: str, path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mine = _layer(module)
    typing_only = _type_checking_only(tree)
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        for name in _imported(node):
            if id(node) in typing_only:
                continue
            assert _layer(name) <= mine, f"{module} (line {node.lineno}) imports {name}, above it"
            lazy = id(node) not in top and not module.startswith(LAZY_ALLOWED)
            assert not lazy, f"{module} (line {node.lineno}) imports {name} inside a function"


def _understanding_row(module: str) -> int:
    for index, modules in enumerate(UNDERSTANDING):
        if module in modules:
            return index
    raise AssertionError(f"{module} is in no row of UNDERSTANDING: add it there")


UNDERSTANDING_MODULES = [(m, p) for m, p in MODULES if m.startswith("bot.understanding")]


@pytest.mark.parametrize(
    ("module", "path"), UNDERSTANDING_MODULES, ids=[m for m, _ in UNDERSTANDING_MODULES]
)
def test_understanding_modules_point_down(module: str, path: Path) -> None:
    mine = _understanding_row(module)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        for name in _imported(node):
            if name.startswith("bot.understanding"):
                row = _understanding_row(name)
                assert row < mine, f"{module} (line {node.lineno}) imports {name}, not below it"


def test_the_table_knows_every_module() -> None:
    assert all(_layer(module) is not None for module, _path in MODULES)
    assert len(MODULES) > 50  # the walk found the project
