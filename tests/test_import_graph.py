"""The packages depend on each other in one direction only: actions/ (Rasa) and api/ (HTTP) are two doors
onto assistant/, which knows neither door nor their frameworks; vntext/ and bot/ stay loadable in the
Rasa environment. Every import is read from the source with ``ast``, those inside functions and
TYPE_CHECKING blocks included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "actions", "api", "evaluation", "search_index", "vntext", "bot")

# Package → top-level modules it must never import.
FORBIDDEN: dict[str, set[str]] = {
    "assistant": {"actions", "api", "evaluation", "tests", "rasa_sdk", "fastapi", "starlette"},
    "actions": {"api", "evaluation", "tests", "fastapi", "starlette"},
    "api": {"actions", "evaluation", "tests", "rasa_sdk"},
    "search_index": {"assistant", "actions", "api", "evaluation", "tests", "rasa_sdk", "fastapi"},
    "vntext": {"assistant", "actions", "api", "evaluation", "search_index", "bot", "tests"},
    "bot": {"assistant", "actions", "api", "evaluation", "search_index", "tests"},
    "evaluation": {"tests"},
}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every absolute import in the file (relative ones stay inside the package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_it_must_not(package: str) -> None:
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & FORBIDDEN[package])
        for path in sources(package)
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_the_import_reader_sees_every_kind_of_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nimport api.main\nfrom actions import runtime\n"
        "from . import sibling\nif TYPE_CHECKING:\n    from rasa_sdk import Tracker\n"
        "def f() -> None:\n    import fastapi.routing\n",
        encoding="utf-8",
    )
    assert imported_modules(module) == {"typing", "api", "actions", "rasa_sdk", "fastapi"}


def test_every_package_is_checked() -> None:
    on_disk = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    assert on_disk == set(PACKAGES) == set(FORBIDDEN)
