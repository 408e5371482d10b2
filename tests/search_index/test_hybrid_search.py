"""Hybrid search over real portal records: citizens' wording finds the official procedure."""

from __future__ import annotations

import random

import numpy as np
import pytest
from qdrant_client.http.models import SparseVector
from qdrant_client.local.sparse_distances import calculate_distance_sparse as library_scorer

from search_index.catalogue import Level
from search_index.local_mode import calculate_distance_sparse
from search_index.service import SearchService
from vntext.normalize import normalize

pytestmark = pytest.mark.slow


def top_name(service: SearchService, query: str, **filters: object) -> str:
    return normalize(service.search(query, **filters)[0].procedure.name)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query", ["lam lai cccd", "làm lại căn cước", "cap lai the can cuoc", "mất CCCD cấp lại"]
)
def test_cap_lai_can_cuoc_however_it_is_typed(search_service: SearchService, query: str) -> None:
    name = top_name(search_service, query)
    assert name.startswith("cấp lại") and "căn cước" in name


@pytest.mark.parametrize("query", ["sổ đỏ lần đầu", "so do lan dau", "cấp sổ đỏ lần đầu"])
def test_so_do_lan_dau_is_the_first_land_certificate(search_service: SearchService, query: str) -> None:
    hit = search_service.search(query)[0].procedure
    assert hit.field == "Đất đai"
    assert "giấy chứng nhận quyền sử dụng đất" in normalize(hit.name) and "lần đầu" in normalize(hit.name)


@pytest.mark.parametrize(
    ("accented", "expected"),
    [
        ("đăng ký kết hôn", "thủ tục đăng ký kết hôn"),
        ("đăng ký thường trú", "đăng ký thường trú"),
        ("cấp lại giấy phép lái xe", "cấp lại giấy phép lái xe"),
    ],
)
def test_unaccented_query_finds_what_the_accented_one_finds(
    search_service: SearchService, accented: str, expected: str
) -> None:
    from vntext.normalize import strip_accents

    assert top_name(search_service, accented) == expected
    assert top_name(search_service, strip_accents(accented)) == expected


def test_everyday_name_for_driving_licence(search_service: SearchService) -> None:
    assert top_name(search_service, "cap lai bang lai xe") == "cấp lại giấy phép lái xe"
    assert "đổi giấy phép lái xe" in top_name(search_service, "đổi gplx")


def test_results_are_sorted_best_first_and_bounded(search_service: SearchService) -> None:
    hits = search_service.search("đăng ký khai sinh", limit=7)
    assert len(hits) == 7
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.procedure.code for h in hits}) == 7


def test_level_filter_keeps_only_that_level(search_service: SearchService) -> None:
    unfiltered = search_service.search("cấp lại thẻ căn cước", limit=10)
    assert any(Level.COMMUNE not in h.procedure.levels for h in unfiltered)
    for level in (Level.MINISTRY, "tỉnh", "xa", "cấp xã"):
        hits = search_service.search("cấp lại thẻ căn cước", level=level, limit=10)
        assert hits
        wanted = level if isinstance(level, Level) else search_service.resolve_filter(level=level).level
        assert all(wanted in h.procedure.levels for h in hits)
    ministry = search_service.search("cấp lại thẻ căn cước", level="bộ")[0].procedure
    assert ministry.code == "1.000757"  # the central-level variant of the same procedure


def test_field_and_agency_filters_match_catalogue_spelling(search_service: SearchService) -> None:
    hits = search_service.search("cấp lại", field="ho tich", limit=10)
    assert hits and all(h.procedure.field == "Hộ tịch" for h in hits)
    agency = search_service.search("đổi giấy phép lái xe")[0].procedure.agencies[0]
    hits = search_service.search("giấy phép", agency=agency.upper(), limit=10)
    assert hits and all(agency in h.procedure.agencies for h in hits)


def test_national_code_comes_first(search_service: SearchService) -> None:
    assert [h.procedure.code for h in search_service.search("1.001193", limit=5)] == ["1.001193"]
    hits = search_service.search("thủ tục 1.004222 cần giấy tờ gì")
    assert hits[0].procedure.code == "1.004222"
    assert len(hits) == 5 and len({h.procedure.code for h in hits}) == 5


def test_unknown_national_code_falls_back_to_text_search(search_service: SearchService) -> None:
    hits = search_service.search("9.999999 đăng ký kết hôn")
    assert hits and hits[0].procedure.code != "9.999999"


def test_local_sparse_scorer_matches_the_library() -> None:
    rng = random.Random(3)
    vectors = []
    for _ in range(500):
        indices = sorted(rng.sample(range(300), rng.randint(0, 30)))
        vectors.append(SparseVector(indices=indices, values=[rng.random() for _ in indices]))
    query = SparseVector(indices=sorted(rng.sample(range(300), 12)), values=[rng.random() for _ in range(12)])
    for empty_is_zero in (False, True):
        expected = library_scorer(query, vectors, empty_is_zero=empty_is_zero)
        np.testing.assert_allclose(
            calculate_distance_sparse(query, vectors, empty_is_zero), expected, rtol=1e-5
        )
    vectors[7] = SparseVector(indices=query.indices[:2], values=[2.0, 3.0])  # a stored vector replaced
    np.testing.assert_allclose(
        calculate_distance_sparse(query, vectors), library_scorer(query, vectors), rtol=1e-5
    )
