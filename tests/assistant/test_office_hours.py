"""Giờ làm việc của bộ phận một cửa: khi nào có cán bộ, khi nào họ quay lại, hạn theo ngày làm việc."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import ValidationError

from assistant.office_hours import VN_TZ, OfficeHours, opening_text
from assistant.settings import Settings

# Tết 2027: 05/02 (thứ Sáu) … 11/02 (thứ Năm) nghỉ.
HOURS = OfficeHours.parse("1-5", "07:30-11:30,13:30-17:00", "2027-01-01,2027-02-05..2027-02-11")


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        ("2026-11-30 07:30", True),  # thứ Hai, vừa mở cửa
        ("2026-11-30 11:30", False),  # nghỉ trưa
        ("2026-11-30 16:59", True),
        ("2026-11-30 17:00", False),
        ("2026-11-28 09:00", False),  # thứ Bảy
        ("2027-01-01 09:00", False),  # Tết Dương lịch (thứ Sáu)
    ],
)
def test_co_can_bo_trong_gio_hanh_chinh(at: str, open_: bool) -> None:
    assert HOURS.is_open(vn(at)) is open_


def test_ngoai_gio_thi_biet_luc_nao_can_bo_quay_lai() -> None:
    assert HOURS.next_opening(vn("2026-11-30 12:00")) == vn("2026-11-30 13:30")
    assert HOURS.next_opening(vn("2026-11-27 21:00")) == vn("2026-11-30 07:30")  # tối thứ Sáu → thứ Hai
    assert HOURS.next_opening(vn("2027-02-04 18:00")) == vn("2027-02-12 07:30")  # qua kỳ nghỉ Tết
    during = vn("2026-11-30 08:00")
    assert HOURS.next_opening(during) == during


def test_cau_bao_gio_mo_cua_bang_tieng_viet() -> None:
    assert opening_text(vn("2026-11-30 07:30"), vn("2026-11-27 21:00")) == "7 giờ 30 sáng thứ Hai 30/11"
    assert opening_text(vn("2026-11-30 07:30"), vn("2026-11-29 22:00")) == "7 giờ 30 sáng mai (thứ Hai 30/11)"
    assert opening_text(vn("2026-11-30 13:30"), vn("2026-11-30 12:00")) == "13 giờ 30 chiều nay"


def test_han_tinh_theo_ngay_lam_viec_bo_qua_cuoi_tuan_va_ngay_le() -> None:
    assert HOURS.add_working_days(vn("2026-11-27 10:00"), 2) == vn("2026-12-01 17:00")  # T6 → T3
    assert HOURS.add_working_days(vn("2027-02-04 10:00"), 1) == vn("2027-02-12 17:00")


@pytest.mark.parametrize(
    "values",
    [
        {"office_hours": "7h30-11h30"},
        {"office_hours": "13:30-11:30"},
        {"office_days": "1-8"},
        {"holidays": "2027-02-30"},
    ],
)
def test_cau_hinh_sai_bi_tu_choi_ngay_khi_khoi_dong(values: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Settings(**values)  # type: ignore[arg-type]
