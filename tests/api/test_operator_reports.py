"""Báo cáo thời gian chờ cán bộ: theo ngày, không tính hội thoại thử nghiệm, có trong số liệu tổng hợp và
xuất CSV (chỉ quản trị viên)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import sqlalchemy as sa

from assistant.database import utcnow
from assistant.tables import HandoffRow
from tests.api.conftest import RunningApi
from tests.api.test_operator import add_operator, logged_in


def waited(gateway: RunningApi, conversation: str, minutes: float) -> None:
    """A citizen asked for a person ``minutes`` ago and an operator takes it now."""
    handoffs = gateway.services.domain.handoffs
    handoffs.request(conversation_id=conversation, channel="web", sender_id=conversation, reason="gặp cán bộ")
    with gateway.services.domain.database.session() as s:
        s.execute(
            sa.update(HandoffRow)
            .where(HandoffRow.conversation_id == conversation)
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        )
    handoffs.take_over(conversation, "canbo.bieudo", channel="web")


def test_thoi_gian_cho_trong_so_lieu_va_csv(gateway: RunningApi) -> None:
    add_operator(gateway, "quantri.cho", "admin")
    add_operator(gateway, "canbo.baocao", "operator")
    tag = uuid.uuid4().hex[:6]
    waited(gateway, f"web-cho-{tag}", 45)
    waited(gateway, f"bench-cho-{tag}", 500)  # a benchmark's conversation: not a citizen
    test_conversation = f"web-thu-{tag}"
    gateway.services.store.begin_turn(test_conversation, "web", "thử gặp cán bộ")
    gateway.services.store.mark_test(test_conversation)
    waited(gateway, test_conversation, 600)

    admin = logged_in(gateway, "quantri.cho")
    operator = logged_in(gateway, "canbo.baocao")
    try:
        waits = admin.get("/operator/api/analytics").json()["handoff_waits"]
        answer = admin.get("/operator/api/handoffs/waiting.csv")
        refused = operator.get("/operator/api/handoffs/waiting.csv")
    finally:
        admin.close()
        operator.close()
    assert waits and max(w["longest_minutes"] for w in waits) < 100  # the test and bench ones left out
    assert 44.9 <= waits[-1]["longest_minutes"] <= 45.5
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert rows[0] == ["Ngày", "Yêu cầu được nhận", "Chờ trung bình (phút)", "Chờ lâu nhất (phút)"]
    assert rows[-1][0] == waits[-1]["day"] and float(rows[-1][3]) == waits[-1]["longest_minutes"]
    assert refused.status_code == 403
