"""What in the citizen's message brings in the second factor of a dossier lookup."""

from __future__ import annotations

import pytest

from assistant.dossiers.second_factor import asks_personal_details, phone_digits_beside_code


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("hồ sơ H56.14-261110-0021 sđt 0978 123 456", "0978123456"),
        ("H56.14-261110-0021 số cuối 3456", "3456"),
        ("kiểm tra giúp hồ sơ H56.14-261110-0021", None),  # the code's own digits are not a phone
        ("000.00.06.H56-261120-0012", None),
    ],
)
def test_so_dien_thoai_go_canh_ma_ho_so(text: str, digits: str | None) -> None:
    assert phone_digits_beside_code(text) == digits


def test_hoi_ve_nguoi_nop_co_dau_hay_khong_dau() -> None:
    assert asks_personal_details("hồ sơ này ai đứng tên vậy")
    assert asks_personal_details("ten nguoi nop la gi")
    assert not asks_personal_details("hồ sơ của tôi đến đâu rồi")
