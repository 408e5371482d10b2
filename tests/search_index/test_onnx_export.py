"""The search serves queries from the model's ONNX export, and the export gives the model's own vectors.

The reference is the sentence-transformers directory itself, run by sentence-transformers, on real
procedure names from ``../shared`` with and without diacritics, as queries and as passages.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from sentence_transformers import SentenceTransformer

from search_index.catalogue import Procedure
from search_index.encoder import (
    ONNX_CONFIG,
    ONNX_DIR,
    ModelNotFoundError,
    OnnxEncoder,
    SentenceTransformerEncoder,
    load_encoder,
)
from search_index.onnx_export import MIN_COSINE_QUANTIZED, ExportError, check_parity, export_onnx, main
from search_index.service import passage_text
from vntext.normalize import strip_accents


def without_export(model_dir: Path, into: Path) -> Path:
    """A copy of ``model_dir`` (links to its files) that has no ``onnx/`` folder."""
    into.mkdir()
    for entry in model_dir.iterdir():
        if entry.name != ONNX_DIR:
            (into / entry.name).symlink_to(entry)
    return into


@pytest.fixture(scope="module")
def names(real_procedures: list[Procedure]) -> list[str]:
    picked = sorted({p.name for p in real_procedures})[::26][:100]
    return picked + [strip_accents(name) for name in picked]


@pytest.mark.slow
def test_onnx_vectors_are_close_to_the_sentence_transformers_vectors(
    e5_model_dir: Path, tmp_path: Path, names: list[str], real_procedures: list[Procedure]
) -> None:
    served = load_encoder(e5_model_dir)
    reference = SentenceTransformerEncoder(without_export(e5_model_dir, tmp_path / "st"))
    assert isinstance(served, OnnxEncoder)
    # Passages in one batch of mixed lengths, the longest far beyond the model's 512-token window.
    longest = max(real_procedures, key=lambda p: len(passage_text(p)))
    passages = [*names[:40], passage_text(longest)]
    for ours, theirs in (
        (served.encode_queries(names), reference.encode_queries(names)),
        (served.encode_passages(passages), reference.encode_passages(passages)),
    ):
        assert ours.dtype == np.float32 and ours.shape == theirs.shape
        # The served graph has int8 weights: close, not equal (how the search fares is measured on
        # our tune queries by `make tune-rerank`).
        cosine = np.sum(ours * theirs, axis=1)
        assert cosine.min() >= MIN_COSINE_QUANTIZED and cosine.mean() >= 0.98


def test_a_model_without_export_runs_on_sentence_transformers(e5_model_dir: Path, tmp_path: Path) -> None:
    encoder = load_encoder(without_export(e5_model_dir, tmp_path / "st"))
    assert isinstance(encoder, SentenceTransformerEncoder)
    assert encoder.dim == 384 and not encoder.loaded


def test_the_export_is_loaded_only_on_the_first_encode(e5_model_dir: Path) -> None:
    encoder = load_encoder(e5_model_dir)
    assert isinstance(encoder, OnnxEncoder) and encoder.dim == 384
    assert encoder.encode_queries([]).shape == (0, 384)
    assert not encoder.loaded


def test_an_incomplete_export_says_how_to_rebuild_it(e5_model_dir: Path, tmp_path: Path) -> None:
    model_dir = without_export(e5_model_dir, tmp_path / "model")
    (model_dir / ONNX_DIR).mkdir()
    (model_dir / ONNX_DIR / ONNX_CONFIG).write_text(json.dumps({"dimension": 384}))
    with pytest.raises(ModelNotFoundError, match="onnx_export"):
        load_encoder(model_dir)


@pytest.mark.slow
def test_export_writes_a_complete_folder_and_refuses_a_graph_that_differs(
    e5_model_dir: Path, tmp_path: Path
) -> None:
    model_dir = without_export(e5_model_dir, tmp_path / "model")
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    onnx_dir = export_onnx(model, model_dir)
    assert sorted(p.name for p in onnx_dir.iterdir()) == ["config.json", "model.onnx", "tokenizer.json"]
    assert [p.name for p in model_dir.iterdir() if p.name.startswith(".onnx.")] == []
    assert json.loads((onnx_dir / ONNX_CONFIG).read_text())["max_seq_length"] == model.max_seq_length
    # The served graph is the int8 one: close to the model, a quarter of its float weights' size.
    check_parity(model, onnx_dir, MIN_COSINE_QUANTIZED)
    assert (onnx_dir / "model.onnx").stat().st_size < 0.5 * (model_dir / "model.safetensors").stat().st_size

    with torch.no_grad():  # the weights change after the export: the graph no longer matches
        model[0].auto_model.embeddings.word_embeddings.weight.mul_(-1.0)
    with pytest.raises(ExportError, match="does not reproduce"):
        check_parity(model, onnx_dir)


def test_export_cli_refuses_a_folder_without_a_model(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(tmp_path)]) == 1
    assert "no sentence-transformers model" in capsys.readouterr().err
    assert not (tmp_path / ONNX_DIR).exists()
