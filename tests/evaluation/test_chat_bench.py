"""`make bench-chat`'s arithmetic and its guard: percentiles, the table, loopback only."""

from __future__ import annotations

from collections import Counter

from evaluation.chat_bench import CHAT_QUESTIONS, PhaseResult, main, sender_and_text, table


def test_percentiles_and_throughput_count_only_answered_requests() -> None:
    result = PhaseResult(
        "POST /api/v1/chat", seconds=10, users=2, latencies_ms=[float(n) for n in range(1, 101)]
    )
    result.statuses = Counter({"200": 90, "429": 8, "ReadTimeout": 2})
    assert (result.percentile(50), result.percentile(95), result.ok) == (51.0, 95.0, 90)
    row = table([result]).splitlines()[-1]
    assert row.split()[-7:] == ["2", "100", "90", "9.0", "51", "95", "99"]


def test_conversations_change_every_few_questions() -> None:
    first, second = sender_and_text("run", 0, 0), sender_and_text("run", 0, 4)
    assert first[0] == second[0] and first[1] == CHAT_QUESTIONS[0]
    assert sender_and_text("run", 0, 5)[0] != first[0]


def test_only_loopback_addresses_are_loaded() -> None:
    assert main(["--url", "https://dichvucong.gov.vn", "--seconds", "1"]) == 2
