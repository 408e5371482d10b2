"""Chooses FallbackClassifier thresholds on a tune file: accuracy for each pair, from one parse per line.

    .venv-rasa/bin/python -m bot.tune_fallback var/models/rasa/assistant.tar.gz evaluation/data/nlu_tune.tsv

The classifier's ranking (without ``nlu_fallback``) is kept for every line, and the fallback rule is
replayed for each candidate: below ``threshold`` confidence, or top two closer than
``ambiguity_threshold``, the message falls back. Lines whose gold intent is ``nlu_fallback`` count as
right when they fall back. Prints one line per pair, best accuracy last, with how many lines fell back
and how many got a wrong intent (a fallback is a safer miss: the assistant asks or searches instead of
answering another aspect); use a tune file, never a test file.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.evaluate import is_long, quiet_rasa, read_examples, score
from vntext import has_diacritics

FALLBACK = "nlu_fallback"
THRESHOLDS = (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
AMBIGUITY = (0.0, 0.02, 0.05, 0.1)


@dataclass(frozen=True)
class Ranked:
    first: str
    confidence: float
    margin: float  # top confidence minus the second's


def decide(ranked: Ranked, threshold: float, ambiguity: float) -> str:
    if ranked.confidence < threshold or ranked.margin < ambiguity:
        return FALLBACK
    return ranked.first


async def rank(model_path: Path, texts: list[str]) -> list[Ranked]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    ranked = []
    for text in texts:
        parsed = await agent.parse_message(text)
        ranking = [r for r in parsed.get("intent_ranking") or [] if r.get("name") != FALLBACK]
        if not ranking:
            ranked.append(Ranked(FALLBACK, 0.0, 0.0))
            continue
        second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
        top = ranking[0]
        ranked.append(Ranked(top["name"], top["confidence"], top["confidence"] - second))
    return ranked


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bot.tune_fallback MODEL_TAR TUNE_FILE.tsv", file=sys.stderr)
        return 2
    model_path, data_path = Path(argv[0]), Path(argv[1])
    quiet_rasa()
    examples = read_examples(data_path)
    ranked = asyncio.run(rank(model_path, [e.text for e in examples]))
    gold = [e.intent for e in examples]
    slices = {
        "long": [i for i, e in enumerate(examples) if is_long(e.text)],
        "short_plain": [
            i for i, e in enumerate(examples) if not is_long(e.text) and not has_diacritics(e.text)
        ],
    }
    rows = []
    for threshold in THRESHOLDS:
        for ambiguity in AMBIGUITY:
            predicted = [decide(r, threshold, ambiguity) for r in ranked]
            overall = score(gold, predicted)
            parts = " ".join(
                f"{name}={score([gold[i] for i in idx], [predicted[i] for i in idx]).accuracy:.3f}"
                for name, idx in slices.items()
            )
            fallbacks = sum(p == FALLBACK != g for p, g in zip(predicted, gold, strict=True))
            wrong = sum(p not in (g, FALLBACK) for p, g in zip(predicted, gold, strict=True))
            rows.append((overall.accuracy, overall.macro_f1, threshold, ambiguity, parts, fallbacks, wrong))
    for accuracy, macro_f1, threshold, ambiguity, parts, fallbacks, wrong in sorted(rows):
        print(
            f"threshold={threshold:.2f} ambiguity={ambiguity:.2f} accuracy={accuracy:.3f} "
            f"macro_f1={macro_f1:.3f} {parts} fell_back={fallbacks} wrong_intent={wrong}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
