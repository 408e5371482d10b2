"""Passage embeddings cached in SQLite by (model id, text hash): re-imports embed only what changed."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings ("
            " model TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,"
            " PRIMARY KEY (model, text_hash))"
        )
        self._db.commit()

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors by text hash, for those of ``texts`` that are cached."""
        keys = list({text_key(t) for t in texts})
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                    [model, *chunk],
                )
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (model, text_key(t), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)
            self._db.commit()

    def embed(
        self, model: str, texts: Sequence[str], encode: Callable[[Sequence[str]], np.ndarray]
    ) -> tuple[np.ndarray, int]:
        """Vectors for ``texts`` (cached reused, the rest encoded and stored) and how many were encoded."""
        cached = self.get_many(model, texts)
        missing = list(dict.fromkeys(t for t in texts if text_key(t) not in cached))
        if missing:
            vectors = encode(missing)
            self.put_many(model, missing, vectors)
            cached.update((text_key(t), v) for t, v in zip(missing, vectors, strict=True))
        return np.vstack([cached[text_key(t)] for t in texts]) if texts else np.zeros((0, 0)), len(missing)

    def close(self) -> None:
        with self._lock:
            self._db.close()
