"""One configuration story: each of the three settings models reads the environment and a `.env` file in
the working directory, the environment winning."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import ApiSettings
from assistant.settings import Settings
from search_index.settings import SearchSettings


@pytest.fixture
def env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("HOTLINE", "DATABASE_URL", "RASA_URL", "QDRANT_COLLECTION", "QDRANT_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / ".env"
    path.write_text(
        "HOTLINE=02363822111\nDATABASE_URL=sqlite:///tinh.db\nRASA_URL=http://rasa.tinh:5005\n"
        "QDRANT_COLLECTION=thu_tuc_tinh\nQDRANT_PATH=/srv/qdrant\n",
        encoding="utf-8",
    )
    return path


def test_every_model_reads_the_env_file(env_file: Path) -> None:
    assert Settings().hotline == "02363822111"
    assert Settings().database_url == "sqlite:///tinh.db"
    assert ApiSettings().rasa_url == "http://rasa.tinh:5005"
    search = SearchSettings()
    assert search.qdrant_collection == "thu_tuc_tinh"
    assert search.qdrant_path == Path("/srv/qdrant")


def test_the_environment_wins_over_the_env_file(env_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE", "18001096")
    monkeypatch.setenv("QDRANT_COLLECTION", "procedures")
    assert Settings().hotline == "18001096"
    assert SearchSettings().qdrant_collection == "procedures"
