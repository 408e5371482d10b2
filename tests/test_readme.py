"""The README stays true: its configuration table names every setting the code reads with the model that
reads it, and the commands it shows exist in the Makefile."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from api.settings import ApiSettings
from assistant.settings import Settings
from search_index.settings import SearchSettings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
# The "Read by" column names the model: assistant/settings.py, api/settings.py, search_index/settings.py.
MODELS: dict[str, type[BaseSettings]] = {"assistant": Settings, "api": ApiSettings, "search": SearchSettings}


def configuration_section() -> str:
    start = README.index("## Configuration")
    return README[start : README.index("\n## ", start + 1)]


def env_names(settings: type[BaseSettings]) -> set[str]:
    return {
        field.validation_alias if isinstance(field.validation_alias, str) else name.upper()
        for name, field in settings.model_fields.items()
    }


def documented_readers() -> dict[str, str]:
    """Variable → the "Read by" cell of its row in the configuration table."""
    readers = {}
    for line in configuration_section().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4:
            for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0]):
                readers[name] = cells[2]
    return readers


@pytest.mark.parametrize("label", sorted(MODELS))
def test_every_setting_is_in_the_configuration_table_with_its_model(label: str) -> None:
    readers = documented_readers()
    wanted = env_names(MODELS[label])
    assert {name: readers.get(name) for name in wanted} == dict.fromkeys(wanted, label)


def test_each_variable_is_read_by_one_model() -> None:
    for first, second in combinations(MODELS.values(), 2):
        assert env_names(first) & env_names(second) == set(), f"{first.__name__} and {second.__name__}"


def test_the_make_targets_the_readme_shows_exist() -> None:
    shown = set(re.findall(r"`make ([a-z-]+)", README)) | set(re.findall(r"^make ([a-z-]+)", README, re.M))
    targets = set(re.findall(r"^([a-z-]+):", MAKEFILE, flags=re.MULTILINE))
    assert {"run", "test"} <= shown
    assert shown - targets == set()
