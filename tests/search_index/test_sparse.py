"""BM25 sparse vectors: the same terms with or without diacritics, abbreviations expanded, BM25 weights."""

from __future__ import annotations

import hashlib

from search_index.sparse import document_vector, query_vector, term_index, terms


def test_terms_are_accent_stripped_syllables_and_bigrams() -> None:
    assert terms("Cấp lại Căn cước") == ["cap", "lai", "can", "cuoc", "cap_lai", "lai_can", "can_cuoc"]


def test_query_without_diacritics_has_the_same_vector() -> None:
    assert query_vector("đăng ký kết hôn lưu động") == query_vector("dang ky ket hon luu dong")


def test_old_and_new_tone_placement_give_the_same_terms() -> None:
    assert terms("hoà giải thuỷ lợi") == terms("hòa giải thủy lợi")


def test_abbreviations_are_expanded_before_terms() -> None:
    expanded = set(terms("lam lai cccd"))
    assert {"can", "cuoc", "can_cuoc"} <= expanded
    assert "cccd" not in expanded
    assert {"giay", "phep", "lai", "xe", "giay_phep"} <= set(terms("đổi GPLX"))


def test_term_indices_are_stable_32_bit_numbers() -> None:
    # A stored index must mean the same term in every process and release.
    assert term_index("can_cuoc") == term_index("can_cuoc")
    assert term_index("can_cuoc") != term_index("cuoc_can")
    assert 0 <= term_index("can_cuoc") < 2**32
    assert term_index("cap") == int.from_bytes(hashlib.blake2b(b"cap", digest_size=4).digest(), "big")


def test_query_weights_are_one_per_distinct_term_sorted_by_index() -> None:
    vector = query_vector("cấp cấp lại")
    assert vector.indices == sorted(vector.indices)
    assert len(vector.indices) == len(set(terms("cấp cấp lại")))
    assert set(vector.values) == {1.0}


def test_document_weights_saturate_with_repetition() -> None:
    once = dict(zip(*_pairs(document_vector([("khai sinh", 1.0)])), strict=True))
    twice = dict(zip(*_pairs(document_vector([("khai sinh khai sinh", 1.0)])), strict=True))
    cap = term_index("khai")
    assert once[cap] < twice[cap] < 2 * once[cap]


def test_longer_documents_weigh_each_term_less() -> None:
    short = dict(zip(*_pairs(document_vector([("đăng ký khai sinh", 1.0)])), strict=True))
    long_name = "đăng ký khai sinh cho trẻ em có yếu tố nước ngoài tại cơ quan đại diện ở nước ngoài " * 2
    long = dict(zip(*_pairs(document_vector([(long_name, 1.0)])), strict=True))
    assert long[term_index("sinh")] < short[term_index("sinh")]


def test_field_weights_scale_term_frequency() -> None:
    vector = document_vector([("cấp thẻ căn cước", 1.0), ("hộ tịch", 0.3)])
    weights = dict(zip(vector.indices, vector.values, strict=True))
    assert weights[term_index("tich")] < weights[term_index("the")]


def test_secondary_fields_add_terms_but_not_length() -> None:
    # A long parenthesised list of cases must not make the name's own words count for less.
    name_only = dict(zip(*_pairs(document_vector([("cấp lại giấy phép xây dựng", 1.0)])), strict=True))
    details = "công trình không theo tuyến, theo tuyến trong đô thị, tín ngưỡng, tôn giáo, tượng đài " * 3
    with_details = document_vector([("cấp lại giấy phép xây dựng", 1.0), (details, 0.3)])
    weights = dict(zip(*_pairs(with_details), strict=True))
    assert weights[term_index("xay_dung")] == name_only[term_index("xay_dung")]
    assert term_index("tuong_dai") in weights


def test_text_without_letters_gives_an_empty_vector() -> None:
    assert query_vector("?!…").indices == []


def _pairs(vector: object) -> tuple[list[int], list[float]]:
    return vector.indices, vector.values  # type: ignore[attr-defined]
