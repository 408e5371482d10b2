"""End-to-end conversation evaluation: `make eval-chat FILE=…` (`python -m evaluation.chat_eval FILE`).

A file holds citizen conversations, one turn a line (``conv<TAB>text<TAB>expect``, header line; the
format of ``../shared/eval/chat_dev.tsv``). Each turn goes through ``POST /api/v1/chat`` of the real
stack — Rasa, the action server and the API with the real catalogue imported — and its reply (texts,
buttons and links together) is checked against ``expect``, ``;``-separated:

- ``code=A|B``   one of these national codes appears in the reply text; found only among the buttons
                 it counts half (the citizen still has to choose);
- ``has=x|y``    one of these words appears (compared without diacritics, case-insensitive);
- ``nocode``     no national code in the reply;
- ``nonempty``   the reply is not empty.

A turn scores the lowest of its checks (1, ½ or 0). The report prints every turn that is not full with
the reply it got, and ends with exactly one line ``chat_eval score=<x> full=<n> n=<n>``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import re
import sys
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from vntext.normalize import normalize, strip_accents
from vntext.procedure_codes import NATIONAL_CODE

# Conversations of the evaluation are marked as tests: reports of real use leave them out.
SENDER_PREFIX = "eval-"


@dataclass(frozen=True)
class Check:
    kind: str  # "code", "has", "nocode" or "nonempty"
    values: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Check:
        name, _, rest = text.strip().partition("=")
        name = name.strip()
        if name in ("code", "has"):
            values = tuple(v.strip() for v in rest.split("|") if v.strip())
            if not values:
                raise ValueError(f"{name}= needs at least one value")
            return cls(name, values)
        if name in ("nocode", "nonempty") and not rest:
            return cls(name)
        raise ValueError(f"unknown check {text!r}")

    def __str__(self) -> str:
        return f"{self.kind}={'|'.join(self.values)}" if self.values else self.kind


@dataclass(frozen=True)
class Turn:
    conversation: str
    text: str
    checks: tuple[Check, ...]
    line: int


@dataclass(frozen=True)
class Reply:
    """What the citizen saw: the texts, and the buttons and links offered with them."""

    texts: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()  # titles and payloads
    links: tuple[str, ...] = ()  # titles and addresses

    @classmethod
    def of_messages(cls, messages: Sequence[dict[str, object]]) -> Reply:
        texts, buttons, links = [], [], []
        for message in messages:
            texts.append(str(message.get("text") or ""))
            for button in _dicts(message.get("buttons")):
                buttons.extend([str(button.get("title") or ""), str(button.get("payload") or "")])
            for link in _dicts(message.get("links")):
                links.extend([str(link.get("title") or ""), str(link.get("url") or "")])
        return cls(tuple(t for t in texts if t), tuple(buttons), tuple(links))

    def shown(self) -> str:
        lines = list(self.texts)
        if self.buttons:
            lines.append("[nút] " + " · ".join(self.buttons[::2]))
        return "\n".join(lines)


def _dicts(value: object) -> list[dict[str, object]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _folded(text: str) -> str:
    return strip_accents(normalize(text))


def check_score(check: Check, reply: Reply) -> float:
    text = "\n".join(reply.texts)
    everything = "\n".join((*reply.texts, *reply.buttons, *reply.links))
    if check.kind == "nonempty":
        return 1.0 if any(t.strip() for t in reply.texts) or reply.buttons else 0.0
    if check.kind == "nocode":
        return 0.0 if NATIONAL_CODE.search(everything) else 1.0
    if check.kind == "code":
        if set(NATIONAL_CODE.findall(text)) & set(check.values):
            return 1.0
        return 0.5 if set(NATIONAL_CODE.findall("\n".join(reply.buttons))) & set(check.values) else 0.0
    folded = _folded(everything)
    return 1.0 if any(_folded(v) in folded for v in check.values) else 0.0


def turn_score(turn: Turn, reply: Reply) -> float:
    return min((check_score(c, reply) for c in turn.checks), default=1.0)


def read_turns(path: Path) -> list[Turn]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if rows and [c.strip() for c in rows[0][:3]] == ["conv", "text", "expect"]:
        rows = rows[1:]
    turns = []
    for number, row in enumerate(rows, start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 3:
            raise ValueError(f"{path}:{number}: expected conv<TAB>text<TAB>expect")
        try:
            checks = tuple(Check.parse(part) for part in row[2].split(";") if part.strip())
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
        turns.append(Turn(row[0].strip(), row[1].strip(), checks, number))
    return turns


@dataclass
class Judged:
    turn: Turn
    reply: Reply
    score: float
    mode: str = "bot"


@dataclass
class Report:
    judged: list[Judged] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(j.score for j in self.judged) / len(self.judged) if self.judged else 0.0

    @property
    def full(self) -> int:
        return sum(1 for j in self.judged if j.score == 1.0)

    def lines(self) -> list[str]:
        out = []
        for j in self.judged:
            mark = "✓" if j.score == 1.0 else ("½" if j.score else "✗")
            out.append(f"{mark} {j.score:.1f}  {j.turn.conversation}  {j.turn.text}")
            if j.score < 1.0:
                failing = [str(c) for c in j.turn.checks if check_score(c, j.reply) < 1.0]
                out.append(f"      cần: {'; '.join(failing)}   (chế độ: {j.mode})")
                shown = j.reply.shown() or "(không có trả lời)"
                out.extend(f"      │ {line}" for line in shown.splitlines()[:12])
        out.append(f"chat_eval score={self.score:.3f} full={self.full} n={len(self.judged)}")
        return out


async def run_conversations(url: str, turns: Sequence[Turn], run_id: str | None = None) -> Report:
    """Each conversation in order, its turns one after another, under its own sender id."""
    run_id = run_id or uuid.uuid4().hex[:8]
    report = Report()
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        for turn in turns:
            sender = f"{SENDER_PREFIX}{run_id}-{re.sub(r'[^A-Za-z0-9_-]', '_', turn.conversation)}"[:64]
            response = await client.post("/api/v1/chat", json={"sender": sender, "text": turn.text})
            if response.status_code != 200:
                reply, mode = Reply(texts=(f"HTTP {response.status_code}: {response.text[:200]}",)), "error"
            else:
                body = response.json()
                reply, mode = Reply.of_messages(body.get("messages") or []), str(body.get("mode"))
            report.judged.append(Judged(turn, reply, turn_score(turn, reply), mode))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.chat_eval", description=__doc__)
    parser.add_argument("file", type=Path, help="conversations: conv<TAB>text<TAB>expect")
    parser.add_argument("--url", help="a running stack on loopback (default: start one on free ports)")
    args = parser.parse_args(argv)
    turns = read_turns(args.file)
    if args.url:
        if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            print("the evaluation only runs against loopback addresses", file=sys.stderr)
            return 2
        report = asyncio.run(run_conversations(args.url.rstrip("/"), turns))
    else:
        from evaluation.stack import own_stack
        from search_index.settings import real_catalogue_file

        with (
            tempfile.TemporaryDirectory(prefix="eval-chat-") as tmp,
            own_stack(Path(tmp), catalogue=real_catalogue_file()) as (url, _rasa_url),
        ):
            report = asyncio.run(run_conversations(url, turns))
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
