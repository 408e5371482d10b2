"""Property tests (hypothesis). Hypothesis is not installed in the Rasa venv: skipped there."""

import unicodedata

import pytest

pytest.importorskip("hypothesis")

from hypothesis import given, settings
from hypothesis import strategies as st

from vntext import (
    expand_abbreviations,
    find_dossier_codes,
    has_diacritics,
    normalize,
    segment,
    strip_accents,
    unify_tone_marks,
)

VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
vietnamese_text = st.text(
    alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + "fjwz0123456789 .,?!-\n\t", max_size=80
)
any_text = st.text(max_size=60)


@given(any_text)
def test_normalize_luy_dang(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


@given(any_text)
def test_unify_tone_marks_luy_dang(text: str) -> None:
    assert unify_tone_marks(unify_tone_marks(text)) == unify_tone_marks(text)


@given(any_text)
def test_strip_accents_luy_dang_va_het_dau(text: str) -> None:
    stripped = strip_accents(text)
    assert strip_accents(stripped) == stripped
    assert not has_diacritics(stripped)
    assert "đ" not in stripped and "Đ" not in stripped
    assert not any(unicodedata.category(ch) == "Mn" for ch in stripped)


@given(vietnamese_text)
def test_strip_accents_giu_do_dai(text: str) -> None:
    assert len(strip_accents(text)) == len(text)


@given(vietnamese_text)
def test_unify_tone_marks_giu_do_dai_va_chu(text: str) -> None:
    unified = unify_tone_marks(text)
    assert len(unified) == len(text)
    assert strip_accents(unified) == strip_accents(text)


@given(any_text)
def test_normalize_va_strip_accents_giao_hoan(text: str) -> None:
    assert normalize(strip_accents(text)) == strip_accents(normalize(text))


@given(vietnamese_text)
def test_expand_abbreviations_luy_dang_tren_van_ban_da_chuan(text: str) -> None:
    once = expand_abbreviations(normalize(text))
    assert expand_abbreviations(once) == once


@settings(deadline=None, max_examples=50)  # the first call loads underthesea's model
@given(vietnamese_text)
def test_segment_khong_mat_khong_them_ky_tu(text: str) -> None:
    tokens = segment(text)
    assert all(token.strip() == token and token for token in tokens)
    assert "".join("".join(tokens).split()) == "".join(unify_tone_marks(text).split())


@given(
    st.from_regex(
        r"[a-zA-Z][0-9]{2}\.[0-9]{2} ?- ?2[0-4](0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8]) ?- ?[0-9]{4}",
        fullmatch=True,
    )
)
def test_ma_hop_le_luon_tim_thay(code: str) -> None:
    found = find_dossier_codes(f"ho so {code} a")
    assert len(found) == 1
    assert " " not in found[0] and found[0] == found[0].upper()
