"""Where Rasa's time per turn goes: cProfile over scripted conversations handled in this process.

    .venv-rasa/bin/python -m bot.profile_turns MODEL_TAR --action-url http://127.0.0.1:5055 \
        [--conversations 30] [--sort cumulative|tottime] [--lines 45]

Loads the model as ``rasa run`` does (the tracker store of bot/endpoints.yml on a SQLite file in a
temporary folder, the action server at ``--action-url``, which must be running), plays a few
conversations to warm up, then profiles ``--conversations`` more and prints the CPU time per turn and the
profile. This is how the action-answer schema check and the SQLite store were found (bot/rasa_speedups.py,
bot/gateway_channel.py); `make bench-chat` measures their effect on the whole stack.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import pstats
import tempfile
import time
import uuid
from pathlib import Path

from rasa.core.agent import load_agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.utils import AvailableEndpoints
from rasa.utils.log_utils import configure_structlog

CONVERSATIONS = [
    ["đăng ký khai sinh cần giấy tờ gì", "còn lệ phí thì sao", "mất bao lâu"],
    ["le phi cap doi cccd bao nhieu", "nop o dau", "cam on"],
    ["tra cứu hồ sơ H56.14-261110-0021", "cảm ơn"],
    ["xin chào", "làm hộ chiếu mất bao lâu", "có làm online được không"],
    ["dang ky ket hon nop o dau", "can giay to gi"],
]


async def profile(model: str, action_url: str, conversations: int, sort: str, lines: int) -> str:
    with tempfile.TemporaryDirectory(prefix="profile-turns-") as tmp:
        endpoints_file = Path(tmp) / "endpoints.yml"
        endpoints_file.write_text(
            f'action_endpoint:\n  url: "{action_url.rstrip("/")}/webhook"\n'
            "tracker_store:\n  type: bot.gateway_channel.TurnSummarySQLTrackerStore\n"
            f'  dialect: "sqlite"\n  db: "{Path(tmp) / "tracker.db"}"\n',
            encoding="utf-8",
        )
        agent = await load_agent(
            model_path=model, endpoints=AvailableEndpoints.read_endpoints(str(endpoints_file))
        )

        async def play(count: int) -> int:
            turns = 0
            for n in range(count):
                sender = f"profile-{uuid.uuid4().hex[:8]}"
                for text in CONVERSATIONS[n % len(CONVERSATIONS)]:
                    await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
                    turns += 1
            return turns

        await play(len(CONVERSATIONS))
        profiler = cProfile.Profile()
        cpu = time.process_time()
        profiler.enable()
        turns = await play(conversations)
        profiler.disable()
        per_turn = (time.process_time() - cpu) * 1000 / turns
    out = io.StringIO()
    out.write(f"{turns} turns, {per_turn:.1f} ms CPU per turn (with the profiler's own overhead)\n")
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(lines)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.profile_turns", description=__doc__)
    parser.add_argument("model")
    parser.add_argument("--action-url", default="http://127.0.0.1:5055")
    parser.add_argument("--conversations", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--lines", type=int, default=45)
    args = parser.parse_args(argv)
    configure_structlog(logging.INFO)  # as `rasa run`: Rasa's debug events are not rendered
    print(asyncio.run(profile(args.model, args.action_url, args.conversations, args.sort, args.lines)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
