"""Example tests of Vietnamese normalisation (run in both venvs: no hypothesis here)."""

import pytest

from vntext import folded_words, has_diacritics, nfc, normalize, strip_accents, unify_tone_marks


@pytest.mark.parametrize(
    ("kieu_moi", "kieu_cu"),
    [
        ("hoà bình", "hòa bình"),
        ("thuỷ lợi", "thủy lợi"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("tuỳ chọn", "tùy chọn"),
        ("huỷ hồ sơ", "hủy hồ sơ"),
        ("Toà án", "Tòa án"),
        ("xoá đăng ký thường trú", "xóa đăng ký thường trú"),
        ("hoá đơn", "hóa đơn"),
        ("HOÀ", "HÒA"),
        ("qủa", "quả"),
        ("cuả", "của"),
        ("gịa đình", "giạ đình"),
    ],
)
def test_dau_thanh_kieu_moi_ve_kieu_cu(kieu_moi: str, kieu_cu: str) -> None:
    assert unify_tone_marks(kieu_moi) == kieu_cu
    assert unify_tone_marks(kieu_cu) == kieu_cu


@pytest.mark.parametrize(
    "tu",
    [
        "quý",
        "quả",
        "quyết",
        "quỳnh",
        "giá",
        "giữ",
        "gìn",
        "già",
        "giường",
        "hoàng",
        "khuyến",
        "thuyền",
        "ngoài",
        "khuỷu",
        "ngoẹo",
        "thuở",
        "mùa",
        "mía",
        "hữu",
        "người",
        "được",
        "hoặc",
        "tuần",
        "thuế",
        "khuya",
        "xoáy",
        "iPhone",
        "COVID",
        "Zalo",
    ],
)
def test_tu_da_chuan_khong_doi(tu: str) -> None:
    assert unify_tone_marks(tu) == tu


def test_nfc_ghep_dau_to_hop() -> None:
    decomposed = "Đăng ky\u0301 khai sinh"
    assert nfc(decomposed) == "Đăng ký khai sinh"
    assert len(nfc(decomposed)) == len(decomposed) - 1


def test_normalize_chu_thuong_mot_khoang_trang_dau_chuan() -> None:
    assert (
        normalize("  Đăng KÝ   khai\n\tsinh  ở  UBND Xã Hoà Bình ") == "đăng ký khai sinh ở ubnd xã hòa bình"
    )
    assert normalize("") == ""
    assert normalize(" \n ") == ""


def test_normalize_bo_dau_mo_coi_sau_khoang_trang() -> None:
    assert normalize("a \u0301 b") == "a b"


def test_bo_dau_giu_chu_d() -> None:
    assert strip_accents("Đăng ký khai sinh ở Thủy Nguyên") == "Dang ky khai sinh o Thuy Nguyen"
    assert strip_accents("Cấp đổi giấy phép lái xe") == "Cap doi giay phep lai xe"
    assert strip_accents("hồ sơ 000.00.06.H56-231027-0361") == "ho so 000.00.06.H56-231027-0361"


def test_co_dau_hay_khong() -> None:
    assert has_diacritics("đăng ký khai sinh")
    assert has_diacritics("dang ky khai sinh đ")
    assert not has_diacritics("dang ky khai sinh")
    assert not has_diacritics("")
    assert not has_diacritics("CCCD 1.001193")


def test_folded_words_drop_diacritics_case_and_punctuation() -> None:
    assert folded_words("Thủ tục đăng ký kết hôn, có yếu tố nước ngoài.") == [
        "thu",
        "tuc",
        "dang",
        "ky",
        "ket",
        "hon",
        "co",
        "yeu",
        "to",
        "nuoc",
        "ngoai",
    ]
