"""Từ đầu đến cuối qua toàn bộ hệ thống (Rasa thật, action server thật, API thật; Zalo và Messenger là bản
giả nói đúng định dạng của nền tảng): công dân tra cứu hồ sơ, qua yếu tố thứ hai, nhờ "báo khi có kết
quả" → hồ sơ đổi trạng thái trong kho SQL → đúng một tin trên mỗi kênh; hủy theo dõi → không còn tin."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from assistant.database import Database, utcnow
from assistant.dossiers.sql_store import NewDossier, SqlDossierStore
from assistant.dossiers.status import DossierStatus
from assistant.settings import Settings
from evaluation.platform_fakes import FakePlatform, fake_graph, fake_zalo
from evaluation.stack import ServerProcess, start_api_server
from tests.api.conftest import MESSENGER_SECRET, ZALO_APP_ID, ZALO_SECRET, ZALO_TOKEN
from tests.api.test_webhooks_messenger import page_event, signed, to_psid
from tests.conftest import ActionServer
from tests.e2e.test_feedback_lifecycle import ZaloCitizen

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PHONE = "0912000111"


@pytest.fixture(scope="module")
def platforms() -> Iterator[tuple[FakePlatform, FakePlatform]]:
    zalo, graph = fake_zalo(), fake_graph()
    yield zalo, graph
    zalo.close()
    graph.close()


@pytest.fixture(scope="module")
def notifying_stack(
    action_server: ActionServer,
    rasa_server: ServerProcess,
    platforms: tuple[FakePlatform, FakePlatform],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ServerProcess]:
    """The API as `make run` starts it, with Zalo and Messenger configured; its worker looks for status
    notifications every half second."""
    zalo, graph = platforms
    tmp = tmp_path_factory.mktemp("notifying-stack")
    env = {
        "DATABASE_URL": action_server.database_url,
        "QDRANT_PATH": str(tmp / "qdrant"),
        "RASA_URL": rasa_server.url,
        "ACTION_SERVER_URL": action_server.url,
        "RATE_LIMIT_PER_MINUTE": "100000",
        "ZALO_APP_ID": ZALO_APP_ID,
        "ZALO_OA_SECRET_KEY": ZALO_SECRET,
        "ZALO_ACCESS_TOKEN": ZALO_TOKEN,
        "ZALO_API_BASE": zalo.url,
        "MESSENGER_APP_SECRET": MESSENGER_SECRET,
        "MESSENGER_PAGE_ACCESS_TOKEN": "page-token",
        "GRAPH_API_BASE": graph.url,
        "NOTIFICATION_INTERVAL_SECONDS": "0.5",
    }
    server = start_api_server(env, tmp, timeout=120)
    yield server
    server.stop()


class MessengerCitizen:
    def __init__(self, stack: ServerProcess, graph: FakePlatform) -> None:
        self.stack = stack
        self.graph = graph
        self.psid = uuid.uuid4().hex[:16]

    def says(self, text: str) -> str:
        before = len(self.graph.sent_to(to_psid(self.psid)))
        body = page_event(self.psid, {"mid": f"m_{uuid.uuid4().hex}", "text": text})
        response = httpx.post(f"{self.stack.url}/webhooks/messenger", content=body, headers=signed(body))
        assert response.status_code == 200, response.text
        self.graph.wait_for(to_psid(self.psid), count=before + 1, timeout=120)
        self.graph.settled_count(to_psid(self.psid), quiet=1.5)
        return "\n".join(r.body["message"]["text"] for r in self.graph.sent_to(to_psid(self.psid))[before:])


def dossier_of_this_test(database_url: str) -> tuple[SqlDossierStore, str]:
    """A dossier of its own in the stack's database (the demo dossiers are other tests' fixtures)."""
    code = f"H56.14-261127-{uuid.uuid4().int % 9000 + 1000}"
    received = utcnow() - timedelta(days=2)
    store = SqlDossierStore(Database(database_url), phone_hash_secret=Settings().phone_hash_secret)
    store.upsert(
        NewDossier(
            code=code,
            procedure_code="1.001193",
            procedure_name="Đăng ký khai sinh",
            agency="UBND phường Hồng Hà",
            channel="trực tuyến",
            received_at=received,
            due_at=received + timedelta(days=5),
            applicant_masked="Lê V** T**",
            phone_number=PHONE,
            history=[(DossierStatus.RECEIVED, received), (DossierStatus.PROCESSING, received)],
        )
    )
    return store, code


def notices(platform: FakePlatform, predicate: object, code: str) -> list[str]:
    """The notifications about ``code`` a citizen got, once nothing more arrives."""
    platform.settled_count(predicate, quiet=2.5)
    return [
        r.body["message"]["text"]
        for r in platform.sent_to(predicate)
        if code in r.body["message"]["text"] and "vừa chuyển sang" in r.body["message"]["text"]
    ]


def test_theo_doi_ho_so_doi_trang_thai_mot_tin_moi_kenh_huy_thi_het(
    notifying_stack: ServerProcess,
    platforms: tuple[FakePlatform, FakePlatform],
    action_server: ActionServer,
) -> None:
    zalo, graph = platforms
    dossiers, code = dossier_of_this_test(action_server.database_url)

    # Zalo: the lookup first, then "báo cho tôi", then the last 4 phone digits.
    on_zalo = ZaloCitizen(notifying_stack, zalo)
    assert "Đang xử lý" in on_zalo.says(f"tra cứu hồ sơ {code}")
    asked = on_zalo.says("bao toi khi co ket qua nhe")
    assert "4 số cuối" in asked and "Đã đăng ký" not in asked
    assert "Đã đăng ký" in on_zalo.says(PHONE[-4:])

    # Messenger: the code in the request itself, the digits after.
    on_messenger = MessengerCitizen(notifying_stack, graph)
    asked = on_messenger.says(f"khi nào hồ sơ {code} có kết quả thì báo tôi với")
    assert "4 số cuối" in asked
    assert "Đã đăng ký" in on_messenger.says(f"4 số cuối là {PHONE[-4:]}")

    to_zalo_user = lambda r: r.body.get("recipient", {}).get("user_id") == on_zalo.user  # noqa: E731
    to_messenger_user = to_psid(on_messenger.psid)
    assert dossiers.change_status(code, DossierStatus.NEEDS_SUPPLEMENT, note="thiếu tờ khai")
    [on_zalo_notice] = notices(zalo, to_zalo_user, code)
    [on_messenger_notice] = notices(graph, to_messenger_user, code)
    for text in (on_zalo_notice, on_messenger_notice):
        assert "Yêu cầu bổ sung giấy tờ" in text and "Lê" not in text and PHONE not in text
    zalo_send = next(r for r in zalo.sent_to(to_zalo_user) if code in r.body["message"]["text"])
    assert zalo_send.body["recipient"].get("message_id")  # within 48 h: a reply, not a proactive message
    graph_send = next(
        r for r in graph.sent_to(to_messenger_user) if "vừa chuyển sang" in r.body["message"]["text"]
    )
    assert graph_send.body["messaging_type"] == "UPDATE"

    # "hủy" in one word stops Zalo's; Messenger's subscriber still hears of the next change.
    assert "Đã hủy theo dõi" in on_zalo.says("hủy")
    assert dossiers.change_status(code, DossierStatus.PROCESSING)
    assert len(notices(graph, to_messenger_user, code)) == 2
    assert len(notices(zalo, to_zalo_user, code)) == 1

    assert "Đã hủy theo dõi" in on_messenger.says("huy theo doi")
    assert dossiers.change_status(code, DossierStatus.DONE)
    assert len(notices(graph, to_messenger_user, code)) == 2
    assert len(notices(zalo, to_zalo_user, code)) == 1
