"""`make bench-chat`'s arithmetic: percentiles, CPU per turn, the table, the conversations it plays, the
open loop's schedule, and the CPU counters it reads."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter

import httpx

from evaluation.chat_bench import (
    CONVERSATIONS,
    Conversations,
    PhaseResult,
    group_cpu_seconds,
    open_loop,
    table,
)


def test_percentiles_throughput_and_cpu_count_only_answered_turns() -> None:
    result = PhaseResult(
        "POST /api/v1/chat", seconds=10, users="2", latencies_ms=[float(n) for n in range(1, 101)]
    )
    result.statuses = Counter({"200": 90, "429": 8, "ReadTimeout": 2})
    result.cpu = {"rasa-a": 1.8, "action-server": 0.9}
    assert (result.percentile(50), result.percentile(95), result.ok, result.failed) == (51.0, 95.0, 90, 10)
    assert result.cpu_ms_per_ok("rasa-a") == 20.0 and result.cpu_ms_per_ok("rasa-a", "action-server") == 30.0
    row = table([result], ["rasa-a", "action-server"]).splitlines()[-1]
    assert row.split()[-9:] == ["2", "100", "90", "9.0", "51", "95", "99", "20.0", "10.0"]


def test_each_scripted_conversation_has_its_own_sender() -> None:
    turns = Conversations("run").turns(0)
    first = [next(turns) for _ in range(len(CONVERSATIONS[0]) + 1)]
    assert [text for _, text in first[:-1]] == CONVERSATIONS[0]
    assert len({sender for sender, _ in first[:-1]}) == 1
    assert first[-1][0] != first[0][0] and first[-1][1] == CONVERSATIONS[1][0]


def test_the_open_loop_sends_on_schedule_and_keeps_each_conversation_in_order() -> None:
    sent: list[tuple[float, str, str]] = []

    async def slow(client: httpx.AsyncClient, sender: str, text: str) -> str:
        sent.append((time.perf_counter(), sender, text))
        await asyncio.sleep(0.3)  # slower than the schedule: the loop must not wait for answers
        return "200"

    started = time.perf_counter()
    result = asyncio.run(open_loop("t", "http://127.0.0.1:9", 20.0, 1.0, slow, Conversations("r")))
    assert result.ok == 20 and result.percentile(50) >= 300
    assert sent[10][0] - started < 0.9  # the 11th turn left at ~0.5 s, before the first answers piled up
    by_sender: dict[str, list[str]] = {}
    for _, sender, text in sorted(sent):
        by_sender.setdefault(sender, []).append(text)
    for texts in by_sender.values():
        assert any(texts == script[: len(texts)] for script in CONVERSATIONS)


def test_cpu_counters_of_a_process_group() -> None:
    before = group_cpu_seconds(os.getpgid(0))
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    assert group_cpu_seconds(os.getpgid(0)) - before >= 0.15
