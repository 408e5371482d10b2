"""Từ đầu đến cuối qua toàn bộ hệ thống (Rasa thật, action server thật, API thật; Zalo là bản giả nói
đúng định dạng của Zalo): phản ánh gửi trong chat Zalo → cán bộ xử lý trên bảng điều khiển → câu trả lời
tới đúng kênh Zalo → công dân hỏi lại trong chat và xem được câu trả lời bằng 4 số cuối; yêu cầu gặp cán
bộ được giữ và xếp hàng theo giờ làm việc."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import closing

import httpx
import pytest

from assistant.database import Database, utcnow
from assistant.operators import OperatorAccounts, Role
from assistant.settings import Settings
from evaluation.platform_fakes import FakePlatform, fake_graph, fake_zalo
from evaluation.stack import ServerProcess, start_api_server
from tests.api.conftest import MESSENGER_SECRET, ZALO_APP_ID, ZALO_SECRET, ZALO_TOKEN
from tests.api.test_webhooks_zalo import signed_headers, to_user, zalo_event
from tests.conftest import ActionServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PASSWORD = "mat-khau-dai-1"
ANSWER = "UBND phường Hồng Hà đã trả kết quả cho bạn ngày 30/11 và xin lỗi vì sự chậm trễ."


@pytest.fixture(scope="module")
def zalo() -> Iterator[FakePlatform]:
    fake = fake_zalo()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def channel_stack(
    action_server: ActionServer,
    rasa_server: ServerProcess,
    zalo: FakePlatform,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ServerProcess]:
    """The API as `make run` starts it, with the Zalo OA and Messenger channels configured."""
    graph = fake_graph()
    tmp = tmp_path_factory.mktemp("channel-stack")
    env = {
        "DATABASE_URL": action_server.database_url,
        "QDRANT_PATH": str(tmp / "qdrant"),
        "RASA_URL": rasa_server.url,
        "ACTION_SERVER_URL": action_server.url,
        "RATE_LIMIT_PER_MINUTE": "100000",
        "OPERATOR_SESSION_SECRET": "stack-secret",
        "ZALO_APP_ID": ZALO_APP_ID,
        "ZALO_OA_SECRET_KEY": ZALO_SECRET,
        "ZALO_ACCESS_TOKEN": ZALO_TOKEN,
        "ZALO_API_BASE": zalo.url,
        "MESSENGER_APP_SECRET": MESSENGER_SECRET,
        "MESSENGER_PAGE_ACCESS_TOKEN": "page-token",
        "GRAPH_API_BASE": graph.url,
    }
    database = Database(action_server.database_url)
    accounts = OperatorAccounts(database)
    if "canbo.e2e" not in {name for name, _ in accounts.list()}:
        accounts.add("canbo.e2e", PASSWORD, Role.OPERATOR)
    database.dispose()
    server = start_api_server(env, tmp, timeout=120)
    yield server
    server.stop()
    graph.close()


class ZaloCitizen:
    def __init__(self, stack: ServerProcess, zalo: FakePlatform) -> None:
        self.stack = stack
        self.zalo = zalo
        self.user = f"zalo-{uuid.uuid4().hex[:8]}"

    def says(self, text: str) -> str:
        """What the citizen reads on Zalo after sending ``text`` (every message until they stop coming)."""
        before = len(self.zalo.sent_to(to_user(self.user)))
        body = zalo_event(self.user, text=text)
        response = httpx.post(f"{self.stack.url}/webhooks/zalo", content=body, headers=signed_headers(body))
        assert response.status_code == 200, response.text
        self.zalo.wait_for(to_user(self.user), count=before + 1, timeout=120)
        self.zalo.settled_count(to_user(self.user), quiet=1.5)
        return self.reads(since=before)

    def reads(self, since: int) -> str:
        return "\n".join(r.body["message"]["text"] for r in self.zalo.sent_to(to_user(self.user))[since:])


def operator(stack: ServerProcess) -> httpx.Client:
    client = httpx.Client(base_url=stack.url, timeout=60)
    assert client.post("/operator/login", json={"name": "canbo.e2e", "password": PASSWORD}).status_code == 200
    return client


def test_phan_anh_tren_zalo_duoc_xu_ly_va_tra_loi_dung_kenh(
    channel_stack: ServerProcess, zalo: FakePlatform
) -> None:
    citizen = ZaloCitizen(channel_stack, zalo)
    assert "nội dung phản ánh" in citizen.says("tôi muốn gửi phản ánh")
    content = "Bộ phận một cửa phường Hồng Hà hẹn trả kết quả thứ Hai nhưng đến nay vẫn chưa có"
    assert "số điện thoại" in citizen.says(content)
    consent = citizen.says("0912 345 678")
    assert "1. Đồng ý" in consent  # Zalo has no buttons: a numbered list
    confirmation = citizen.says("1")
    match = re.search(r"PA-\d{8}-\d{4}", confirmation)
    assert match, confirmation
    number = match.group()

    with closing(operator(channel_stack)) as staff:
        listed = staff.get("/operator/api/feedback").json()
        mine = next(i for i in listed if i["tracking_number"] == number)
        assert mine["channel"] == "zalo" and mine["status"] == "received"
        assert (
            staff.post(
                f"/operator/api/feedback/{number}",
                json={"status": "in_progress", "agency": "UBND phường Hồng Hà"},
            ).status_code
            == 200
        )
        before = len(zalo.sent_to(to_user(citizen.user)))
        done = staff.post(
            f"/operator/api/feedback/{number}", json={"status": "answered", "answer": ANSWER}
        ).json()
    assert done["delivery"] == "sent"
    zalo.wait_for(to_user(citizen.user), count=before + 1)
    delivered = citizen.reads(since=before)
    assert number in delivered and ANSWER in delivered

    # The NLU data of this branch has no examples of these two yet (another worktree adds them): the
    # citizen's question and digits are sent as the intents they are, through Rasa all the same.
    status = citizen.says(f'/check_feedback_status{{"feedback_code": "{number}"}}')
    assert "đã trả lời" in status and "4 số cuối" in status and ANSWER not in status
    assert ANSWER in citizen.says('/inform{"phone_last4": "5678"}')


def test_gap_can_bo_trong_gio_biet_hang_cho_ngoai_gio_duoc_giu_cau_hoi(
    channel_stack: ServerProcess, zalo: FakePlatform
) -> None:
    """Whichever it is now by the default working hours (each case alone: tests/actions/…handoff_hours)."""
    citizen = ZaloCitizen(channel_stack, zalo)
    question = "hồ sơ chuyển nhượng đất của tôi quá hạn mười ngày rồi thì sao"
    citizen.says(question)
    reply = citizen.says("cho tôi gặp cán bộ")
    sender = f"zalo:{citizen.user}"
    with closing(operator(channel_stack)) as staff:
        listed = staff.get("/operator/api/conversations").json()
    mine = next(c for c in listed if c["sender_id"] == sender)
    if Settings().working_hours().is_open(utcnow()):
        assert "vị trí số" in reply and "hàng chờ" in reply and not mine["after_hours"]
    else:
        assert "ngoài giờ làm việc" in reply and "làm việc trở lại lúc" in reply and question in reply
        assert mine["after_hours"] and mine["last_message"]
        flags = [c["after_hours"] for c in listed]
        assert flags == sorted(flags, reverse=True)  # questions left after hours come first
