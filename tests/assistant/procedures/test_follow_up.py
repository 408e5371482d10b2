"""Câu hỏi tiếp theo ở lại thủ tục đang bàn, câu nêu thủ tục khác thì chuyển."""

from __future__ import annotations

import pytest

from assistant.procedures.follow_up import carries_on
from assistant.procedures.lookup import content_words
from search_index.catalogue import Procedure


def khai_sinh(procedures: list[Procedure]) -> Procedure:
    return next(p for p in procedures if p.code == "1.001193")


@pytest.mark.parametrize(
    "text",
    [
        "can bao nhieu ngay",
        "mất mấy ngày thì có kết quả",
        "mẫu đơn là mẫu số mấy",
        "thủ tục này làm online được không",
        "nop o ubnd xa hay cong an",
        "con le phi thi sao",
        "bố đi làm thay được không",
        "khai sinh cho con thì nộp ở đâu",
        "phai dem theo nhung giay gi",
        "lam tren vneid dc ko",
        "tổng cộng khoảng bao nhiêu",
    ],
)
def test_câu_hỏi_tiếp_ở_lại_thủ_tục_đang_bàn(demo_procedures: list[Procedure], text: str) -> None:
    assert carries_on(text, content_words(text), khai_sinh(demo_procedures), ranked=[])


@pytest.mark.parametrize(
    "text",
    ["còn đăng ký kết hôn thì sao", "cap doi can cuoc het han", "xin giấy phép xây dựng nhà ở"],
)
def test_câu_nêu_thủ_tục_khác_thì_chuyển(demo_procedures: list[Procedure], text: str) -> None:
    assert not carries_on(text, content_words(text), khai_sinh(demo_procedures), ranked=[])


def test_thủ_tục_đang_bàn_vẫn_đứng_đầu_tìm_kiếm_thì_ở_lại(demo_procedures: list[Procedure]) -> None:
    current = khai_sinh(demo_procedures)
    text = "trẻ bị bỏ rơi thì sao"
    assert carries_on(text, content_words(text), current, ranked=[current])


def by_code(procedures: list[Procedure], code: str) -> Procedure:
    return next(p for p in procedures if p.code == code)


@pytest.mark.parametrize("text", ["có cần mang sổ hộ khẩu không", "nop kem ban sao so ho khau a"])
def test_hỏi_có_phải_mang_một_giấy_tờ_là_hỏi_về_thủ_tục_đang_bàn(
    demo_procedures: list[Procedure], text: str
) -> None:
    # The paper's name finds another procedure first ("hộ khẩu" → thường trú): still about this one.
    thường_trú = by_code(demo_procedures, "1.004222")
    assert carries_on(text, content_words(text), khai_sinh(demo_procedures), ranked=[thường_trú])


def test_cần_mang_gì_khi_làm_thủ_tục_khác_thì_chuyển(demo_procedures: list[Procedure]) -> None:
    text = "cần mang gì khi đi đăng ký thường trú"
    thường_trú = by_code(demo_procedures, "1.004222")
    assert not carries_on(text, content_words(text), khai_sinh(demo_procedures), ranked=[thường_trú])


@pytest.mark.parametrize(
    "text",
    [
        "còn khi tạm trú sắp hết hạn mà muốn ở tiếp thì phải gia hạn trước mấy ngày",
        "muon gia han thi sao",
    ],
)
def test_nói_rõ_việc_khác_của_cùng_giấy_thì_chuyển(demo_procedures: list[Procedure], text: str) -> None:
    tạm_trú, gia_hạn = by_code(demo_procedures, "1.004194"), by_code(demo_procedures, "1.002755")
    assert not carries_on(text, content_words(text), tạm_trú, ranked=[gia_hạn])
    assert carries_on(text, content_words(text), gia_hạn, ranked=[gia_hạn])
