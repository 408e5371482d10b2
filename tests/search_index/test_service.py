"""SearchService contract: idempotent sync, re-embedding only what changed, validation, health, threads."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from search_index.catalogue import Procedure
from search_index.errors import InvalidQuery, UnknownFilter
from search_index.service import MAX_QUERY_CHARS, SearchService, clean_query
from tests.search_index.conftest import make_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def small_service(tmp_path: Path, search_service: SearchService) -> Iterator[SearchService]:
    """A fresh index in tmp_path that reuses the session's loaded model."""
    service = SearchService(
        make_settings(tmp_path, search_service.settings.model_dir),
        encoder=search_service.encoder,
        model_id=search_service.model_id,
    )
    yield service
    service.close()


@pytest.fixture
def eight(indexed_procedures: list[Procedure]) -> list[Procedure]:
    return indexed_procedures[:8]


def test_construction_is_cheap_and_touches_nothing(tmp_path: Path) -> None:
    started = time.perf_counter()
    service = SearchService.from_settings(make_settings(tmp_path, tmp_path / "no-model"))
    assert time.perf_counter() - started < 0.5
    assert not (tmp_path / "qdrant").exists()
    assert service.health()["model_loaded"] is False


def test_second_sync_changes_nothing_and_embeds_nothing(
    small_service: SearchService, eight: list[Procedure]
) -> None:
    first = small_service.sync(eight)
    assert (first.added, first.updated, first.unchanged, first.embedded) == (8, 0, 0, 8)
    second = small_service.sync(eight)
    assert (second.added, second.updated, second.unchanged, second.embedded) == (0, 0, 8, 0)
    assert small_service.count() == 8


def test_a_restarted_service_finds_its_index_unchanged(
    tmp_path: Path, small_service: SearchService, eight: list[Procedure]
) -> None:
    small_service.sync(eight)
    small_service.close()
    reopened = SearchService(
        small_service.settings, encoder=small_service.encoder, model_id=small_service.model_id
    )
    report = reopened.sync(eight)
    assert (report.unchanged, report.embedded) == (8, 0)
    assert reopened.get(eight[3].code) == eight[3]
    reopened.close()


def test_only_changed_records_are_reembedded(small_service: SearchService, eight: list[Procedure]) -> None:
    small_service.sync(eight)
    renamed = eight[0].model_copy(update={"name": eight[0].name + " (thí điểm)"})
    new_steps = eight[1].model_copy(update={"steps": ["Bước 1: nộp hồ sơ trực tuyến"]})
    report = small_service.sync([renamed, new_steps, *eight[2:]])
    # Both are updated; only the renamed one has new passage text to embed.
    assert (report.updated, report.unchanged, report.embedded) == (2, 6, 1)
    assert small_service.get(eight[1].code).steps == ["Bước 1: nộp hồ sơ trực tuyến"]  # type: ignore[union-attr]
    assert small_service.get(eight[0].code).name.endswith("(thí điểm)")  # type: ignore[union-attr]


def test_search_serves_a_changed_record_as_changed(
    small_service: SearchService, eight: list[Procedure]
) -> None:
    small_service.sync(eight)
    before = small_service.search(eight[1].name, limit=3)[0].procedure  # now held in memory
    assert before == eight[1]
    new_steps = eight[1].model_copy(update={"steps": ["Bước 1: nộp hồ sơ trực tuyến"]})
    small_service.sync([new_steps, *eight[2:]])
    after = small_service.search(eight[1].name, limit=3)[0].procedure
    assert after.code == eight[1].code and after.steps == ["Bước 1: nộp hồ sơ trực tuyến"]


def test_embeddings_are_reused_by_a_new_index(
    small_service: SearchService, eight: list[Procedure], tmp_path: Path
) -> None:
    small_service.sync(eight)
    settings = small_service.settings.model_copy(update={"qdrant_path": tmp_path / "another"})
    other = SearchService(settings, encoder=small_service.encoder, model_id=small_service.model_id)
    report = other.sync(eight)
    assert (report.added, report.embedded) == (8, 0)
    other.close()


def test_nothing_is_deleted_unless_pruned(small_service: SearchService, eight: list[Procedure]) -> None:
    small_service.sync(eight)
    kept = small_service.sync(eight[:5])
    assert kept.removed == 0 and small_service.count() == 8
    pruned = small_service.sync(eight[:5], prune=True)
    assert pruned.removed == 3 and small_service.count() == 5
    assert small_service.get(eight[7].code) is None


def test_duplicate_codes_are_skipped_and_reported(
    small_service: SearchService, eight: list[Procedure]
) -> None:
    twin = eight[0].model_copy(update={"name": "Bản ghi trùng mã"})
    report = small_service.sync([*eight[:3], twin])
    assert report.added == 3
    assert report.skipped == [(eight[0].code, "mã thủ tục trùng, đã dùng bản ghi đầu tiên")]


def test_empty_index_answers_without_error(small_service: SearchService) -> None:
    assert small_service.count() == 0
    assert small_service.get("1.001193") is None
    assert small_service.health()["status"] == "empty"


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "?!...", None])
def test_empty_query_is_a_clear_vietnamese_error(search_service: SearchService, query: str) -> None:
    with pytest.raises(InvalidQuery, match="Vui lòng nhập tên thủ tục"):
        search_service.search(query)


def test_huge_query_is_truncated_and_answered_quickly(search_service: SearchService) -> None:
    query = "tôi muốn làm lại căn cước vì bị mất " * 300
    assert len(query) > 10_000
    assert len(clean_query(query)) <= MAX_QUERY_CHARS
    started = time.perf_counter()
    hits = search_service.search(query)
    assert time.perf_counter() - started < 5
    assert len(hits) == 5
    assert hits == search_service.search(clean_query(query))  # what was searched is the bounded prefix


def test_unknown_filters_are_clear_errors(search_service: SearchService) -> None:
    with pytest.raises(UnknownFilter, match=r"cấp thực hiện “huyện”.*bộ, tỉnh, xã, khác"):
        search_service.search("khai sinh", level="huyện")
    with pytest.raises(UnknownFilter, match="lĩnh vực “Thiên văn”"):
        search_service.search("khai sinh", field="Thiên văn")
    with pytest.raises(UnknownFilter, match="cơ quan thực hiện"):
        search_service.search("khai sinh", agency="Bộ Không Tồn Tại")
    with pytest.raises(InvalidQuery, match="Số kết quả"):
        search_service.search("khai sinh", limit=0)


def test_get_returns_the_stored_procedure(
    search_service: SearchService, indexed_procedures: list[Procedure]
) -> None:
    procedure = indexed_procedures[10]
    assert search_service.get(procedure.code) == procedure
    assert search_service.get(" " + procedure.code + " ") == procedure
    assert search_service.get("không phải mã") is None
    assert search_service.count() == len(indexed_procedures)


def test_health_reports_the_index(search_service: SearchService, indexed_procedures: list[Procedure]) -> None:
    health = search_service.health()
    assert health["status"] == "ok"
    assert health["procedures"] == len(indexed_procedures)
    assert health["model_loaded"] is True


def test_concurrent_searches_agree_with_sequential_ones(search_service: SearchService) -> None:
    queries = [
        "lam lai cccd",
        "đăng ký kết hôn",
        "so do lan dau",
        "gia hạn tạm trú",
        "1.001193",
        "đổi gplx",
    ] * 2
    expected = [[h.procedure.code for h in search_service.search(q)] for q in queries]
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(lambda q: [h.procedure.code for h in search_service.search(q)], queries))
    assert got == expected
