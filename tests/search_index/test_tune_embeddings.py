"""The training pairs of `make tune-embeddings` look like what citizens type, and the split is honest."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from search_index.catalogue import Procedure
from search_index.encoder import OnnxEncoder, load_encoder
from search_index.tune_embeddings import (
    Pair,
    batches_without_repeats,
    citizen_queries,
    is_held_out,
    make_pairs,
    save_atomically,
)
from vntext.normalize import has_diacritics


def thu_tuc(code: str, name: str) -> Procedure:
    return Procedure(code=code, name=name, field="Hộ tịch")


def test_queries_include_the_name_without_diacritics_and_never_the_official_name_itself() -> None:
    procedure = thu_tuc("1.001193", "Thủ tục đăng ký khai sinh")
    queries = citizen_queries(procedure, random.Random(1))
    assert "thu tuc dang ky khai sinh" in queries
    assert "thủ tục đăng ký khai sinh" not in queries
    assert all(q == q.strip() and q for q in queries)


def test_official_terms_become_everyday_names() -> None:
    everyday = {"cccd", "cmnd", "cmt", "cmtnd", "chứng minh nhân dân", "chứng minh thư", "căn cước công dân"}
    seen: set[str] = set()
    for seed in range(40):
        for query in citizen_queries(thu_tuc("2.001", "Cấp lại thẻ căn cước"), random.Random(seed)):
            seen.update(word for word in everyday if word in query or word.replace(" ", "") in query)
    assert seen & {"cccd", "cmnd"}


def test_a_foreigners_residence_card_is_not_renamed_household_register() -> None:
    procedure = thu_tuc("1.003290", "Cấp thẻ thường trú cho người nước ngoài")
    for seed in range(20):
        assert not any("khẩu" in q or "khau" in q for q in citizen_queries(procedure, random.Random(seed)))


def test_held_out_procedures_never_appear_in_training() -> None:
    procedures = [thu_tuc(f"1.{i:06d}", f"Đăng ký hộ tịch loại {i}") for i in range(400)]
    train, held_out = make_pairs(procedures)
    assert {p.code for p in train}.isdisjoint({p.code for p in held_out})
    assert 20 <= len({p.code for p in held_out}) <= 60  # about a tenth
    assert all(is_held_out(p.code) for p in held_out)
    assert any(not has_diacritics(p.query) for p in held_out)


def test_no_batch_holds_the_same_procedure_twice() -> None:
    pairs = [Pair(f"truy van {i} {k}", f"1.{i:06d}") for i in range(50) for k in range(3)]
    batches = batches_without_repeats(pairs, size=16)
    for batch in batches:
        assert len({p.code for p in batch}) == len(batch) <= 17
    assert sorted(p.query for b in batches for p in b) == sorted(p.query for p in pairs)


@pytest.mark.slow
def test_a_kept_model_replaces_the_old_one_whole_with_its_onnx_export(
    e5_model_dir: Path, tmp_path: Path
) -> None:
    from sentence_transformers import SentenceTransformer

    out = tmp_path / "e5-small-st-tuned"
    out.mkdir()
    (out / "stale.txt").write_text("from an earlier run")
    save_atomically(SentenceTransformer(str(e5_model_dir), device="cpu", local_files_only=True), out)
    assert not (out / "stale.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["e5-small-st-tuned"]  # nothing staged left behind
    encoder = load_encoder(out)
    assert isinstance(encoder, OnnxEncoder)  # the search serves the tuned model on ONNX Runtime too
    assert encoder.encode_queries(["cấp lại căn cước"]).shape == (1, 384)
