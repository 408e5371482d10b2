"""Khía cạnh được hỏi, đọc từ chữ của câu khi không có bộ phân loại ý định."""

from __future__ import annotations

import pytest

from assistant.procedures.answers import Aspect
from assistant.procedures.asked_aspect import asked_aspect


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        (
            "Kính gửi Quý cơ quan, xin hỏi thủ tục cấp giấy phép xây dựng cần những giấy tờ gì?",
            Aspect.DOCUMENTS,
        ),
        ("le phi doi bang lai bao nhieu", Aspect.FEE),
        ("đăng ký kết hôn mất bao lâu", Aspect.PROCESSING_TIME),
        ("nop ho so o dau", Aspect.WHERE_TO_SUBMIT),
        ("làm online được không", Aspect.ONLINE_SERVICE),
        ("chấm dứt hộ kinh doanh", None),
    ],
)
def test_khía_cạnh_theo_từ_khóa(text: str, aspect: Aspect | None) -> None:
    assert asked_aspect(text) == aspect
