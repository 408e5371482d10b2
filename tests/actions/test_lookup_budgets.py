"""Attack tests of the dossier lookup budgets through the action server's real /webhook endpoint.

A server of its own with small budgets (the session's server relaxes the per-network and per-code ones):
a web client chooses its sender id, so rotating it must not buy more lookups; neither must rotating IPv6
addresses inside one /64; and one code's second factor is locked after a few wrong guesses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.dossiers.guard import client_network
from evaluation.stack import ServerProcess, start_action_server
from tests.actions.rasa_requests import action_request, call, texts

NETWORK_LIMIT = 4
CODE_LIMIT = 3
MAX_MISSES = 2
REFUSED = "nhiều lần trong thời gian ngắn"
STRICT_DATABASE_URL = ""  # set by the strict server's fixture


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    from assistant.database import Database
    from assistant.seed import seed
    from assistant.settings import Settings
    from search_index.catalogue_files import DEMO_CATALOGUE, load_catalogue

    var_dir = Path(tmp_path_factory.mktemp("strict-action-server"))
    database_url = f"sqlite:///{var_dir / 'assistant.db'}"
    global STRICT_DATABASE_URL
    STRICT_DATABASE_URL = database_url
    database = Database(database_url)
    seed(database, Settings(database_url=database_url), list(load_catalogue(DEMO_CATALOGUE).procedures))
    database.dispose()
    env = {
        "DATABASE_URL": database_url,
        "DOSSIER_BACKEND": "sql",
        "WARM_UP": "false",
        "LOOKUP_RATE_LIMIT": "100",
        "LOOKUP_NETWORK_RATE_LIMIT": str(NETWORK_LIMIT),
        "LOOKUP_CODE_RATE_LIMIT": str(CODE_LIMIT),
        "SECOND_FACTOR_MAX_MISSES": str(MAX_MISSES),
    }
    server = start_action_server(env, var_dir)
    yield server
    server.stop()


def fresh_sender() -> str:
    return f"web-{uuid.uuid4().hex}"


def look_up(server: ServerProcess, code: str, network: str | None, last4: str | None = None) -> str:
    body = action_request(
        "action_check_dossier_status",
        sender=fresh_sender(),  # the attacker's trick: a new sender id for every request
        text=code,
        intent="check_dossier_status",
        slots={"dossier_code": code, "phone_last4": last4},
        metadata={"channel": "web", "client_network": network} if network else None,
    )
    return texts(call(server.url, body))


def random_code() -> str:
    return f"H56.14-2401{uuid.uuid4().int % 28 + 1:02d}-{uuid.uuid4().int % 10000:04d}"


def test_rotating_sender_ids_from_one_network_are_refused_after_the_budget(
    strict_server: ServerProcess,
) -> None:
    network = "203.0.113.7"
    answers = [look_up(strict_server, random_code(), network) for _ in range(NETWORK_LIMIT + 3)]
    assert all(REFUSED not in a for a in answers[:NETWORK_LIMIT])
    assert all(REFUSED in a for a in answers[NETWORK_LIMIT:])
    assert REFUSED not in look_up(strict_server, random_code(), "198.51.100.9")  # another client unaffected


def test_rotating_ipv6_addresses_inside_one_64_share_a_budget(strict_server: ServerProcess) -> None:
    networks = [client_network(f"2001:db8:42:7::{n:x}") for n in range(1, NETWORK_LIMIT + 3)]
    assert len(set(networks)) == 1
    answers = [look_up(strict_server, random_code(), n) for n in networks]
    assert all(REFUSED in a for a in answers[NETWORK_LIMIT:])
    assert REFUSED not in look_up(strict_server, random_code(), client_network("2001:db8:43:7::1"))


def test_one_code_from_rotating_senders_and_networks_is_refused_after_its_budget(
    strict_server: ServerProcess,
) -> None:
    code = "H56.14-261110-0021"
    answers = [look_up(strict_server, code, f"192.0.2.{n}") for n in range(CODE_LIMIT + 2)]
    assert all("Đang xử lý" in a for a in answers[:CODE_LIMIT])
    assert all(REFUSED in a and "Đang xử lý" not in a for a in answers[CODE_LIMIT:])


def test_second_factor_is_locked_after_a_few_wrong_guesses(strict_server: ServerProcess) -> None:
    code = "000.00.06.H56-261120-0012"  # registered phone ends in 5678
    for n, guess in enumerate(["1111", "2222"][:MAX_MISSES]):
        wrong = look_up(strict_server, code, f"198.18.0.{n}", guess)
        assert "không khớp" in wrong and "Nguyễn" not in wrong
    locked = look_up(strict_server, code, "198.18.1.1", "5678")  # the right digits, too late
    assert "Nguyễn" not in locked and "nhập sai nhiều lần" in locked


def test_feedback_answer_digits_are_locked_like_a_dossiers(strict_server: ServerProcess) -> None:
    # Merge of onestop: a feedback's answer is shown with the phone's last 4 digits; they are a second
    # factor too, locked after a few wrong guesses whoever sends them.
    from assistant.database import Database
    from assistant.feedback import FeedbackStatus, FeedbackStore

    database = Database(STRICT_DATABASE_URL)
    store = FeedbackStore(database)
    number = store.submit(
        content="Cán bộ hẹn sai ngày",
        category="phản ánh",
        contact="0912345678",
        consent=True,
        channel="web",
        sender_id=fresh_sender(),
    ).tracking_number
    store.update(number, operator="canbo.lan", status=FeedbackStatus.ANSWERED, answer="Phường đã xử lý.")
    database.dispose()

    def ask(digits: str, network: str) -> str:
        body = action_request(
            "action_feedback_status",
            sender=fresh_sender(),
            text=f"phản ánh {number} {digits}",
            intent="check_feedback_status",
            metadata={"channel": "web", "client_network": network},
        )
        return texts(call(strict_server.url, body))

    for n, guess in enumerate(["1111", "2222"][:MAX_MISSES]):
        assert "chưa khớp" in ask(guess, f"198.18.2.{n}")
    locked = ask("5678", "198.18.3.1")  # the right digits, too late
    assert "Phường đã xử lý" not in locked and "nhập sai nhiều lần" in locked
