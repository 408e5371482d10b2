"""Settings of the search index (one pydantic-settings class; every field is an env var of the same name)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from search_index.catalogue import Level
from search_index.catalogue_files import DEMO_CATALOGUE

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"
BASE_MODEL_DIR = VAR_DIR / "models" / "e5-small-st"
TUNED_MODEL_DIR = VAR_DIR / "models" / "e5-small-st-tuned"


def shared_data_dir() -> Path:
    """The read-only shared data beside the repository (`../shared`), or `SHARED_DATA_DIR`."""
    return Path(os.environ.get("SHARED_DATA_DIR") or REPO_ROOT.parent / "shared")


def real_catalogue_file() -> Path:
    """The national-portal catalogue used by the evaluation and the benchmark."""
    return shared_data_dir() / "data" / "dvcqg" / "procedures.jsonl.gz"


class SearchSettings(BaseSettings):
    """Where the index lives and which model embeds it.

    Qdrant runs in local mode on disk (``QDRANT_PATH``) unless ``QDRANT_URL`` points at a server;
    both go through the same client code. Local mode locks its folder to one process, so each
    searching process gets its own ``QDRANT_PATH``.
    """

    model_config = SettingsConfigDict(env_prefix="", env_file=".env", extra="ignore")

    qdrant_url: str | None = Field(default=None, validation_alias="QDRANT_URL")
    qdrant_api_key: str | None = Field(default=None, validation_alias="QDRANT_API_KEY")
    qdrant_path: Path = Field(default=VAR_DIR / "qdrant" / "default", validation_alias="QDRANT_PATH")
    qdrant_collection: str = Field(default="procedures", validation_alias="QDRANT_COLLECTION")
    embedding_model_dir: Path | None = Field(
        default=None,
        validation_alias="EMBEDDING_MODEL_DIR",
        description="Unset: the fine-tuned model (var/models/e5-small-st-tuned) when `make tune-embeddings` "
        "kept one, else the converted base model (var/models/e5-small-st).",
    )
    catalogue_file: Path = Field(default=DEMO_CATALOGUE, validation_alias="CATALOGUE_FILE")
    embedding_cache_path: Path = Field(
        default=VAR_DIR / "embeddings.sqlite", validation_alias="EMBEDDING_CACHE_PATH"
    )

    served_levels: Annotated[list[Level], NoDecode] = Field(
        default=[Level.PROVINCE, Level.COMMUNE],
        validation_alias="SERVED_LEVELS",
        description="Levels the deployment serves (comma-separated: bộ, tỉnh, xã, khác): among records of "
        "one family published at several levels, one at these levels is preferred.",
    )

    @field_validator("served_levels", mode="before")
    @classmethod
    def _split_levels(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def model_dir(self) -> Path:
        if self.embedding_model_dir is not None:
            return self.embedding_model_dir
        return TUNED_MODEL_DIR if TUNED_MODEL_DIR.is_dir() else BASE_MODEL_DIR
