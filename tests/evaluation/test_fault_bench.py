"""`make bench-faults`'s pieces that need no Rasa: the private PostgreSQL and Redis (started, crashed,
started again, stopped), the ledger check against the database, the table and the last line."""

from __future__ import annotations

import json
import shutil
import socket
from collections import Counter
from pathlib import Path

import pytest

from evaluation.fault_bench import (
    HANDOFF,
    PG_BIN,
    REDIS_SERVER,
    TRACKING,
    ZALO_APP_ID,
    ZALO_SECRET,
    Ledger,
    Phase,
    last_line,
    lost_records,
    pg_dsn,
    private_postgres,
    private_redis,
    table,
    wait_pg,
    wait_port,
    zalo_event,
    zalo_headers,
)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_table_and_last_line() -> None:
    steady = Phase("steady", Counter({200: 40}), degraded=1)
    rasa = Phase(
        "rasa killed", Counter({200: 30, 0: 1, 503: 2}), degraded=12, sorry=3, no_reply=1, recover_s=41.25
    )
    rasa.zalo_statuses = Counter({200: 6, 503: 1, 0: 1})
    rasa.zalo_lost = 1
    redis = Phase("redis killed", Counter({200: 20, 429: 1}), degraded=2, recover_s=1.5)
    text = table([steady, rasa, redis])
    assert text.splitlines()[0].split()[:5] == ["phase", "turns", "2xx", "4xx", "5xx"]
    assert text.splitlines()[2].split() == [
        *("rasa", "killed", "33", "30", "0", "2", "1", "12", "3", "41.2"),
        *("6", "2", "1"),  # Zalo: accepted, refused or unanswered by the webhook, never replied to
    ]
    assert text.splitlines()[1].split()[-4] == "-"
    assert last_line([steady, rasa, redis], 0) == (
        "bench_faults lost_feedback=0 lost_replies=2 http_5xx=2 degraded=15 recover_s_max=41.2"
    )
    # A component that never came back is not a small number.
    assert last_line([steady, Phase("postgres killed")], 3).endswith(
        "lost_feedback=3 lost_replies=0 http_5xx=0 degraded=1 recover_s_max=never"
    )


def test_zalo_events_are_signed_as_zalo_signs_them() -> None:
    from api.signatures import zalo_signature

    body = zalo_event("zf1", "lệ phí khai sinh")
    event = json.loads(body)
    assert event["sender"] == {"id": "zf1"} and event["message"]["text"] == "lệ phí khai sinh"
    expected = zalo_signature(ZALO_APP_ID, body, event["timestamp"], ZALO_SECRET)
    assert zalo_headers(body)["X-ZEvent-Signature"] == f"mac={expected}"


def test_promises_are_read_from_the_replies() -> None:
    reply = "Đã ghi nhận phản ánh. Số phản ánh của bạn: PA-20261128-0042. Cảm ơn bạn."
    assert TRACKING.findall(reply) == ["PA-20261128-0042"]
    assert HANDOFF.findall("Tôi đã chuyển yêu cầu của bạn tới cán bộ hỗ trợ (số yêu cầu 17).") == ["17"]


@pytest.mark.skipif(
    not (PG_BIN / "initdb").exists() or shutil.which(REDIS_SERVER) is None,
    reason="needs PostgreSQL's initdb and redis-server",
)
def test_private_postgres_and_redis_survive_a_crash(tmp_path: Path) -> None:
    import psycopg

    with private_postgres(tmp_path / "pg", ("assistant",)) as pg, private_redis(tmp_path / "redis") as rds:
        database_url = f"postgresql+psycopg://postgres@127.0.0.1:{pg.port}/assistant"
        with psycopg.connect(pg_dsn(pg.port, "assistant"), autocommit=True) as conn:
            conn.execute("CREATE TABLE feedback (tracking_number text, sender_id text)")
            conn.execute("CREATE TABLE handoff_requests (id int, conversation_id text)")
            conn.execute("INSERT INTO feedback VALUES ('PA-20261128-0001', 'a'), ('PA-20261128-0002', 'b')")
            conn.execute("INSERT INTO handoff_requests VALUES (1, 'c')")
        pg.kill()
        pg.start()
        wait_pg(pg)  # crash recovery: what was committed is there
        ledger = Ledger(
            feedback={"PA-20261128-0001": "a", "PA-20261128-0002": "x", "PA-20261128-0003": "a"},
            handoffs={1: "c", 2: "d"},
        )
        assert lost_records(database_url, ledger) == (["PA-20261128-0002", "PA-20261128-0003"], [2])

        assert _listening(rds.port)
        rds.kill()
        assert not _listening(rds.port)
        rds.start()
        wait_port(rds)
        assert _listening(rds.port)
    assert not _listening(pg.port) and not _listening(rds.port)
