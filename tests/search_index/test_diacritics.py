"""Diacritics restoration from the catalogue's own vocabulary."""

from __future__ import annotations

import pytest

from search_index.catalogue import Procedure
from search_index.diacritics import DiacriticsRestorer
from vntext.syllables import vietnamese_syllables


@pytest.fixture(scope="module")
def restorer(real_procedures: list[Procedure]) -> DiacriticsRestorer:
    return DiacriticsRestorer.from_texts(t for p in real_procedures for t in (p.name, p.field))


@pytest.mark.parametrize(
    ("typed", "restored"),
    [
        ("dang ky ket hon luu dong", "đăng ký kết hôn lưu động"),
        ("cap lai giay phep xay dung bi mat", "cấp lại giấy phép xây dựng bị mất"),
        ("chung thuc van ban tu choi nhan di san", "chứng thực văn bản từ chối nhận di sản"),
        ("dang ky lai khai sinh co yeu to nuoc ngoai", "đăng ký lại khai sinh có yếu tố nước ngoài"),
    ],
)
def test_real_catalogue_restores_citizen_queries(
    restorer: DiacriticsRestorer, typed: str, restored: str
) -> None:
    assert restorer.restore(typed) == restored


def test_longer_ngrams_decide_ambiguous_syllables(restorer: DiacriticsRestorer) -> None:
    # "lai" alone is "lại" (cấp lại) far more often than "lái"; the n-gram "giay phep lai xe" knows better.
    assert restorer.restore("doi giay phep lai xe") == "đổi giấy phép lái xe"
    assert restorer.restore("giay phep kinh doanh van tai bang xe o to").endswith("bằng xe ô tô")


def test_most_frequent_form_wins() -> None:
    restorer = DiacriticsRestorer.from_texts(["Cấp lại thẻ", "cấp lại giấy", "Cáp treo"])
    assert restorer.restore("cap lai") == "cấp lại"


def test_accented_words_and_unknown_words_are_kept() -> None:
    restorer = DiacriticsRestorer.from_texts(["đăng ký khai sinh"])
    assert restorer.restore("dang ky khai sinh cho bé") == "đăng ký khai sinh cho bé"
    assert restorer.restore("xyz dang ky") == "xyz đăng ký"


def test_punctuation_breaks_ngrams() -> None:
    restorer = DiacriticsRestorer.from_texts(["hộ tịch, lưu động", "hộ tịch"])
    assert restorer.restore("ho tich luu dong") == "hộ tịch lưu động"
    assert len(DiacriticsRestorer.from_texts(["a, b"])) == 2  # "a b" is not an n-gram


def test_empty_vocabulary_changes_nothing_but_normalisation() -> None:
    assert DiacriticsRestorer.from_texts([]).restore("  Cap  LAI ") == "cap lai"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("làm căn cươc cho con", "làm căn cước cho con"),  # "cươc" is no Vietnamese syllable
        ("thủ tuc cấp lai giây phép lái xe", "thủ tục cấp lại giấy phép lái xe"),  # in context
        ("cấp lại mã số 1.001193, sô đỏ", "cấp lại mã số 1.001193, sô đỏ"),  # "sơ đồ" is contradicted
        ("tôi muốn đăng ký kết hôn ở đâu", "tôi muốn đăng ký kết hôn ở đâu"),  # typed right: unchanged
    ],
)
def test_mistyped_diacritics_are_repaired_from_the_catalogues_spelling(
    restorer: DiacriticsRestorer, typed: str, meant: str
) -> None:
    assert restorer.repair(typed, vietnamese_syllables()) == meant
