"""Shared, expensive fixtures of the search tests: the converted e5 model and one real index.

The index holds real national-portal records (../shared) of the fields citizens ask about most plus
look-alike distractors (road transport: driving schools and instructors), embedded once per session
in a tmp folder.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from search_index.catalogue import Procedure
from search_index.catalogue_files import load_catalogue
from search_index.service import SearchService
from search_index.settings import BASE_MODEL_DIR, SearchSettings, real_catalogue_file

INDEXED_FIELDS = {
    "Hộ tịch",
    "Cấp, quản lý căn cước",
    "Đăng ký, quản lý cư trú",
    "Đất đai",
    "Sát hạch, cấp giấy phép lái xe",
    "Hoạt động xây dựng",
    "Chứng thực",
    "Đường bộ",
}


@pytest.fixture(scope="session")
def e5_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model `make embeddings` builds; converted into a tmp dir when it has not been built."""
    if (BASE_MODEL_DIR / "modules.json").is_file() and (BASE_MODEL_DIR / "onnx").is_dir():
        return BASE_MODEL_DIR
    out = tmp_path_factory.mktemp("e5") / "e5-small-st"
    subprocess.run([sys.executable, "-m", "search_index.e5_conversion", str(out)], check=True)
    return out


@pytest.fixture(scope="session")
def real_procedures() -> list[Procedure]:
    return load_catalogue(real_catalogue_file()).procedures


@pytest.fixture(scope="session")
def indexed_procedures(real_procedures: list[Procedure]) -> list[Procedure]:
    return [p for p in real_procedures if p.field in INDEXED_FIELDS]


def make_settings(folder: Path, model_dir: Path) -> SearchSettings:
    return SearchSettings(
        QDRANT_PATH=folder / "qdrant",
        QDRANT_URL=None,
        EMBEDDING_MODEL_DIR=model_dir,
        EMBEDDING_CACHE_PATH=folder / "embeddings.sqlite",
    )


@pytest.fixture(scope="session")
def search_service(
    tmp_path_factory: pytest.TempPathFactory, e5_model_dir: Path, indexed_procedures: list[Procedure]
) -> Iterator[SearchService]:
    """One real index for the read-only tests (do not sync into it)."""
    service = SearchService.from_settings(make_settings(tmp_path_factory.mktemp("search"), e5_model_dir))
    service.sync(indexed_procedures)
    yield service
    service.close()
