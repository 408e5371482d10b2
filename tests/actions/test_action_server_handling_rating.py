"""Tra cứu hồ sơ đã trả kết quả (có 4 số cuối) thì công dân nhận đường dẫn đánh giá việc giải quyết."""

from __future__ import annotations

import uuid

from assistant.handling_ratings import rating_token
from assistant.settings import Settings
from tests.actions.rasa_requests import action_request, call, texts
from tests.conftest import ActionServer

RETURNED = "38.98.H29-261020-0002"  # đã trả kết quả; số điện thoại …6234 (demo dossiers)


def look_up(server: ActionServer, code: str, last4: str | None) -> str:
    body = action_request(
        "action_check_dossier_status",
        sender=f"test-{uuid.uuid4().hex[:8]}",
        text=code,
        intent="check_dossier_status",
        slots={"dossier_code": code, "phone_last4": last4},
    )
    return texts(call(server.url, body))


def test_ho_so_da_tra_ket_qua_co_duong_dan_danh_gia(action_server: ActionServer) -> None:
    reply = look_up(action_server, RETURNED, "6234")
    token = rating_token(RETURNED, Settings().phone_hash_secret)
    assert f"http://127.0.0.1:8000/danh-gia/{RETURNED}?t={token}" in reply
    assert "mức độ hài lòng" in reply


def test_khong_co_4_so_cuoi_hoac_ho_so_chua_xong_thi_khong_moi_danh_gia(action_server: ActionServer) -> None:
    assert "/danh-gia/" not in look_up(action_server, RETURNED, None)
    assert "/danh-gia/" not in look_up(action_server, RETURNED, "0000")
    assert "/danh-gia/" not in look_up(action_server, "H56.14-261110-0021", "3456")  # đang xử lý
