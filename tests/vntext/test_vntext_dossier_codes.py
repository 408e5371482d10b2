"""Dossier receipt codes: found however citizens type them, never taken for phones or procedure codes."""

import re

import pytest

from vntext import DOSSIER_CODE_PATTERN, canonical_dossier_code, find_dossier_codes, looks_like_attempted_code

EXAMPLES = ["000.00.06.H56-231027-0361", "H56.14-240823-0001", "38.98.H29-210519-0013", "G22.12-250410-0105"]


@pytest.mark.parametrize("code", EXAMPLES)
def test_ma_mau_nhan_dung(code: str) -> None:
    assert find_dossier_codes(f"Cho tôi tra cứu hồ sơ {code} ạ") == [code]
    assert canonical_dossier_code(code) == code


@pytest.mark.parametrize(
    ("go", "chuan"),
    [
        ("h56.14-240823-0001", "H56.14-240823-0001"),
        ("H56.14 - 240823 - 0001", "H56.14-240823-0001"),
        ("000.00.06.h56 -231027- 0361", "000.00.06.H56-231027-0361"),
        ("G22.12–250410–0105", "G22.12-250410-0105"),
    ],
)
def test_chu_thuong_va_khoang_trang_quanh_gach(go: str, chuan: str) -> None:
    assert canonical_dossier_code(go) == chuan
    assert find_dossier_codes(f"ma ho so {go}, kiem tra giup") == [chuan]


def test_nhieu_ma_khong_lap() -> None:
    text = "hồ sơ H56.14-240823-0001 và h56.14-240823-0001, còn 38.98.H29-210519-0013"
    assert find_dossier_codes(text) == ["H56.14-240823-0001", "38.98.H29-210519-0013"]


@pytest.mark.parametrize(
    "khong_phai_ma",
    ["0905-123-456", "0905 123 456", "1.001193", "thủ tục 1.001193 phí 50.000 đồng", "ngày 10/12/2024", ""],
)
def test_khong_nham_so_dien_thoai_ma_thu_tuc(khong_phai_ma: str) -> None:
    assert find_dossier_codes(khong_phai_ma) == []
    assert not looks_like_attempted_code(khong_phai_ma)


@pytest.mark.parametrize(
    "sai",
    [
        "H56.14-2408230001",  # thiếu gạch
        "000.00.06.H56-231027",  # thiếu số thứ tự
        "H56.14-241323-0001",  # tháng 13
        "H56.14 240823 0001",  # dấu cách thay gạch
        "H56.14-240823-01",  # số thứ tự ngắn
        "hồ sơ số 240823-0001",  # thiếu mã đơn vị
        "hồ sơ số H5614-261110 sao rồi",  # thiếu dấu chấm trong mã đơn vị, thiếu số thứ tự
    ],
)
def test_ma_sai_dinh_dang_thi_goi_y(sai: str) -> None:
    assert find_dossier_codes(sai) == []
    assert canonical_dossier_code(sai) is None
    assert looks_like_attempted_code(sai)


def test_pattern_dung_duoc_trong_rasa() -> None:
    # Rasa compiles NLU regexes with plain `re`, case-insensitively, inside word boundaries.
    rasa_like = re.compile(rf"\b{DOSSIER_CODE_PATTERN}\b", re.IGNORECASE)
    assert rasa_like.search("tra ho so h56.14 - 240823 - 0001 nhe")
    assert not rasa_like.search("goi 0905123456")
