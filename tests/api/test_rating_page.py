"""Công dân đánh giá việc giải quyết hồ sơ qua đường dẫn được gửi; quản trị viên xem tổng hợp theo cơ quan."""

from __future__ import annotations

import httpx
import pytest

from assistant.handling_ratings import rating_token
from assistant.seed import seed
from search_index.catalogue_files import DEMO_CATALOGUE, load_catalogue
from tests.api.conftest import RunningApi
from tests.api.test_operator import add_operator, logged_in

RETURNED = "38.98.H29-261020-0002"  # đã trả kết quả (demo dossiers)
PROCESSING = "H56.14-261110-0021"


@pytest.fixture(scope="module")
def seeded(gateway: RunningApi) -> str:
    """The demo dossiers in the gateway's database; returns the secret of the rating links."""
    settings = gateway.services.domain.settings
    seed(gateway.services.domain.database, settings, list(load_catalogue(DEMO_CATALOGUE).procedures))
    return settings.phone_hash_secret


def rate(client: httpx.Client, code: str, token: str, overall: str, **criteria: bool) -> httpx.Response:
    body = {"token": token, "overall": overall, "criteria": criteria, "comment": "cán bộ nhiệt tình"}
    return client.post(f"/api/v1/dossier-ratings/{code}", json=body)


def test_trang_danh_gia_mo_bang_duong_dan_hop_le(client: httpx.Client, seeded: str) -> None:
    page = client.get(f"/danh-gia/{RETURNED}", params={"t": rating_token(RETURNED, seeded)})
    assert page.status_code == 200 and RETURNED in page.text and "Thái độ cán bộ" in page.text
    assert client.get(f"/danh-gia/{RETURNED}", params={"t": "0" * 32}).status_code == 403
    assert client.get(f"/danh-gia/{RETURNED}").status_code == 403


def test_danh_gia_roi_doi_danh_gia_van_la_mot(client: httpx.Client, gateway: RunningApi, seeded: str) -> None:
    token = rating_token(RETURNED, seeded)
    first = rate(client, RETURNED, token, "khong_hai_long", on_time=False)
    assert first.status_code == 200 and "ghi nhận" in first.json()["message"]
    again = rate(client, RETURNED, token, "rat_hai_long", on_time=True, staff_attitude=True)
    assert again.status_code == 200 and "cập nhật" in again.json()["message"]
    kept = gateway.services.domain.handling_ratings.get(RETURNED)
    assert kept is not None and kept.overall == "rat_hai_long" and kept.criteria["staff_attitude"] is True
    assert kept.agency  # stored with the dossier's agency, for the reports


def test_ho_so_chua_xong_hoac_sai_duong_dan_khong_danh_gia_duoc(client: httpx.Client, seeded: str) -> None:
    assert rate(client, PROCESSING, rating_token(PROCESSING, seeded), "hai_long").status_code == 409
    assert rate(client, RETURNED, rating_token(PROCESSING, seeded), "hai_long").status_code == 403
    assert (
        rate(client, "H56.14-200101-9999", rating_token("H56.14-200101-9999", seeded), "hai_long").status_code
        == 404
    )


def test_quan_tri_vien_xem_muc_do_hai_long_theo_co_quan(
    client: httpx.Client, gateway: RunningApi, seeded: str
) -> None:
    rate(client, RETURNED, rating_token(RETURNED, seeded), "hai_long", on_time=True)
    add_operator(gateway, "quantri.csat", "admin")
    add_operator(gateway, "canbo.csat", "operator")
    admin, operator = logged_in(gateway, "quantri.csat"), logged_in(gateway, "canbo.csat")
    try:
        figures = admin.get("/operator/api/handling-ratings").json()
        assert operator.get("/operator/api/handling-ratings").status_code == 403
    finally:
        admin.close()
        operator.close()
    agency = gateway.services.domain.handling_ratings.get(RETURNED).agency  # type: ignore[union-attr]
    mine = next(f for f in figures if f["agency"] == agency)
    assert (
        mine["ratings"] >= 1 and 0 <= mine["satisfied_share"] <= 1 and "on_time" in mine["criteria_met_share"]
    )
