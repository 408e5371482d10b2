"""Đánh giá mức độ hài lòng về giải quyết hồ sơ: một đánh giá mỗi hồ sơ (đổi được), tổng hợp theo cơ quan,
không lưu danh tính người đánh giá."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assistant.database import Database
from assistant.handling_ratings import HandlingRatingStore, rating_link, rating_token, token_matches

PHUONG = "UBND phường Hồng Hà"
SO = "Sở Tư pháp"


def test_moi_ho_so_mot_danh_gia_doi_duoc(database: Database) -> None:
    store = HandlingRatingStore(database)
    first = store.rate(
        dossier_code="H56.14-261116-0027",
        agency=PHUONG,
        procedure_code="1.001193",
        overall="khong_hai_long",
        criteria={"on_time": False, "staff_attitude": True},
        comment="trả muộn 3 ngày",
    )
    changed = store.rate(
        dossier_code="H56.14-261116-0027",
        agency=PHUONG,
        procedure_code="1.001193",
        overall="hai_long",
        criteria={"on_time": True},
    )
    assert changed.created_at == first.created_at and changed.updated_at >= first.updated_at
    kept = store.get("H56.14-261116-0027")
    assert kept is not None and kept.overall == "hai_long" and kept.comment == ""
    assert kept.criteria == {"staff_attitude": None, "on_time": True, "guidance": None, "fees": None}
    with database.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM dossier_handling_ratings")).scalar_one() == 1
    with pytest.raises(ValueError):
        store.rate(dossier_code="x", agency=PHUONG, procedure_code="", overall="tot", criteria={})


def test_tong_hop_theo_co_quan(database: Database) -> None:
    store = HandlingRatingStore(database)
    for n, (agency, overall, on_time) in enumerate(
        [
            (PHUONG, "rat_hai_long", True),
            (PHUONG, "hai_long", True),
            (PHUONG, "khong_hai_long", False),
            (SO, "hai_long", None),
        ]
    ):
        store.rate(
            dossier_code=f"H56.14-261101-{n:04d}",
            agency=agency,
            procedure_code="1.001193",
            overall=overall,
            criteria={"on_time": on_time},
        )
    phuong, so = store.by_agency()
    assert (phuong.agency, phuong.ratings, phuong.satisfied_share) == (PHUONG, 3, 0.667)
    assert phuong.overall == {"rat_hai_long": 1, "hai_long": 1, "khong_hai_long": 1}
    assert phuong.criteria_met_share["on_time"] == 0.667 and phuong.criteria_met_share["fees"] is None
    assert (so.ratings, so.satisfied_share, so.criteria_met_share["on_time"]) == (1, 1.0, None)


def test_khong_luu_danh_tinh_nguoi_danh_gia(database: Database) -> None:
    columns = {c["name"] for c in sa.inspect(database.engine).get_columns("dossier_handling_ratings")}
    assert not columns & {"sender_id", "conversation_id", "contact", "phone", "channel"}


def test_duong_dan_danh_gia_chi_dung_cho_ho_so_cua_no() -> None:
    token = rating_token("H56.14-261116-0027", "bi-mat")
    assert token_matches("H56.14-261116-0027", token, "bi-mat")
    assert not token_matches("H56.14-261116-0028", token, "bi-mat")
    assert not token_matches("H56.14-261116-0027", token, "bi-mat-khac")
    link = rating_link("https://dichvucong.tinh.gov.vn/", "H56.14-261116-0027", "bi-mat")
    assert link == f"https://dichvucong.tinh.gov.vn/danh-gia/H56.14-261116-0027?t={token}"
