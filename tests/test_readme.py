"""The README stays true: its configuration table names every setting the code reads, and the
commands it shows exist in the Makefile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from api.settings import ApiSettings
from assistant.settings import ActionSettings
from search_index.settings import SearchSettings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def configuration_section() -> str:
    start = README.index("## Configuration")
    return README[start : README.index("\n## ", start + 1)]


@pytest.mark.parametrize("settings", [SearchSettings, ActionSettings, ApiSettings])
def test_every_setting_is_in_the_configuration_table(settings: type[BaseSettings]) -> None:
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", configuration_section()))
    wanted = {
        field.validation_alias if isinstance(field.validation_alias, str) else name.upper()
        for name, field in settings.model_fields.items()
    }
    assert wanted - documented == set()


def test_the_make_targets_the_readme_shows_exist() -> None:
    shown = set(re.findall(r"`make ([a-z-]+)", README)) | set(re.findall(r"^make ([a-z-]+)", README, re.M))
    targets = set(re.findall(r"^([a-z-]+):", MAKEFILE, flags=re.MULTILINE))
    assert {"run", "test"} <= shown
    assert shown - targets == set()
