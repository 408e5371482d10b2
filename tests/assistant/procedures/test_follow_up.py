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
