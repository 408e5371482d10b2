"""What in the citizen's message brings in the second factor of a dossier lookup."""

from __future__ import annotations

import pytest

from assistant.dossiers.second_factor import asks_personal_details, last_four_beside
from vntext.tracking_numbers import FEEDBACK_CODE_PATTERN


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("hồ sơ H56.14-261110-0021 sđt 0978 123 456", "3456"),
        ("H56.14-261110-0021 số cuối 3456", "3456"),
        ("kiểm tra giúp hồ sơ H56.14-261110-0021", None),  # the code's own digits are not a phone
        ("000.00.06.H56-261120-0012", None),
    ],
)
def test_so_dien_thoai_go_canh_ma_ho_so(text: str, digits: str | None) -> None:
    assert last_four_beside(text) == digits


def test_canh_so_phan_anh_ngay_thang_khong_phai_so_dien_thoai() -> None:
    assert (
        last_four_beside("PA-20261123-0001 ngày 28/11/2026, 4 số cuối 5678", FEEDBACK_CODE_PATTERN) == "5678"
    )
    assert last_four_beside("PA-20261123-0001 gửi ngày 28/11/2026", FEEDBACK_CODE_PATTERN) is None


def test_hoi_ve_nguoi_nop_co_dau_hay_khong_dau() -> None:
    assert asks_personal_details("hồ sơ này ai đứng tên vậy")
    assert asks_personal_details("ten nguoi nop la gi")
    assert not asks_personal_details("hồ sơ của tôi đến đâu rồi")
