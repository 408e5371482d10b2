"""Procedure search over REST and the degraded (search-only) chat, on the real model and demo catalogue."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api.conftest import RunningApi

pytestmark = pytest.mark.slow


@pytest.fixture
def api(search_gateway: RunningApi) -> Iterator[httpx.Client]:
    with search_gateway.client() as c:
        yield c


def test_tim_thu_tuc_khong_dau(api: httpx.Client) -> None:
    response = api.get("/api/v1/procedures/search", params={"q": "dang ky khai sinh", "limit": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert 1 <= len(results) <= 3
    assert "khai sinh" in results[0]["name"].lower()
    assert results[0]["score"] >= results[-1]["score"]


def test_loc_theo_cap_thuc_hien(api: httpx.Client) -> None:
    results = api.get("/api/v1/procedures/search", params={"q": "khai sinh", "level": "xã"}).json()["results"]
    assert results and all("xã" in r["levels"] for r in results)
    assert (
        api.get("/api/v1/procedures/search", params={"q": "khai sinh", "level": "huyện"}).status_code == 422
    )


def test_chi_tiet_thu_tuc_theo_ma(api: httpx.Client) -> None:
    code = api.get("/api/v1/procedures/search", params={"q": "đăng ký khai sinh"}).json()["results"][0][
        "code"
    ]
    detail = api.get(f"/api/v1/procedures/{code}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["code"] == code and body["documents"] and body["channels"]
    assert api.get("/api/v1/procedures/9.999999").status_code == 404


def test_cau_tim_kiem_chi_co_dau_cau_bi_400_lich_su(api: httpx.Client) -> None:
    response = api.get("/api/v1/procedures/search", params={"q": "?!..."})
    assert response.status_code == 400
    assert response.json()["detail"]


def test_rasa_ngung_thi_van_tra_loi_giay_to_tu_tra_cuu(api: httpx.Client) -> None:
    body = api.post(
        "/api/v1/chat", json={"sender": "web-rasa-ngung", "text": "đăng ký khai sinh cần giấy tờ gì"}
    ).json()
    assert body["mode"] == "degraded"
    notice, answer = body["messages"][0]["text"], body["messages"][1]["text"]
    assert "tra cứu nhanh" in notice and "18001096" in notice
    assert "Đăng ký khai sinh (mã thủ tục 1.001193)" in answer and "Hồ sơ cần chuẩn bị" in answer


def test_du_phong_doan_khia_canh_le_phi_tu_tu_khoa(api: httpx.Client) -> None:
    body = api.post(
        "/api/v1/chat", json={"sender": "web-rasa-ngung", "text": "le phi dang ky khai sinh bao nhieu"}
    ).json()
    answer = "\n".join(m["text"] for m in body["messages"][1:])
    assert "Đăng ký khai sinh" in answer and "Phí, lệ phí" in answer and "Hồ sơ cần chuẩn bị" not in answer


def test_du_phong_khong_bia_khi_khong_co_thu_tuc(api: httpx.Client) -> None:
    body = api.post("/api/v1/chat", json={"sender": "web-rasa-ngung", "text": "xin chào bạn"}).json()
    assert body["mode"] == "degraded"
    assert "chưa tìm thấy thủ tục phù hợp" in body["messages"][-1]["text"]


def test_tra_cuu_cho_can_bo_co_the_sao_chep(search_gateway: RunningApi) -> None:
    from tests.api.test_operator import add_operator, logged_in

    add_operator(search_gateway, "canbo.tracuu", "operator")
    operator = logged_in(search_gateway, "canbo.tracuu")
    cards = operator.get("/operator/api/procedures", params={"q": "dang ky khai sinh", "limit": 3}).json()
    operator.close()
    assert (
        cards
        and "Hồ sơ gồm" in cards[0]["summary"]
        and cards[0]["procedure"]["source_url"] in cards[0]["summary"]
    )
