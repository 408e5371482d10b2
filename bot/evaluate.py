"""Intent accuracy of a trained Rasa model on a tab-separated file (``intent<TAB>text``, header line).

    .venv-rasa/bin/python -m bot.evaluate var/models/rasa/assistant.tar.gz ../shared/eval/nlu_dev.tsv

Prints accuracy and macro-F1 overall, for lines with and without diacritics, and for long questions
(``LONG_WORDS`` words or more: the formal questions sent to the national portal) apart from short ones
with and without diacritics; then the most frequent confusions, and ends with exactly one line
``nlu_eval accuracy=<x> macro_f1=<x> n=<n>``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from vntext import has_diacritics

# Messages of this many words or more are "long" in the report: the formal questions citizens send to the
# national portal ("Kính gửi Quý cơ quan, thủ tục … thu lệ phí bao nhiêu?"); chat questions are shorter.
LONG_WORDS = 16


@dataclass(frozen=True)
class Example:
    intent: str
    text: str


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    n: int


def read_examples(path: Path) -> list[Example]:
    """Rows after the header; blank lines and rows without a tab are skipped."""
    examples = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if "\t" not in line:
            continue
        intent, text = line.split("\t", 1)
        if intent.strip():
            examples.append(Example(intent.strip(), text.strip()))
    return examples


def score(gold: list[str], predicted: list[str]) -> Scores:
    """Accuracy, and macro-F1 over the gold intents present (a wrong guess lowers precision too)."""
    if not gold:
        return Scores(0.0, 0.0, 0)
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    f1s = []
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return Scores(correct / len(gold), sum(f1s) / len(f1s), len(gold))


def quiet_rasa() -> None:
    """Keep Rasa's and TensorFlow's logs and warnings out of the report."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ["LOG_LEVEL"] = "ERROR"
    warnings.filterwarnings("ignore")
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.ERROR)
    logging.disable(logging.WARNING)


async def predict(model_path: Path, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    intents = []
    for text in texts:
        parsed = await agent.parse_message(text)
        intents.append((parsed.get("intent") or {}).get("name") or "")
    return intents


def is_long(text: str) -> bool:
    return len(text.split()) >= LONG_WORDS


def report(examples: list[Example], predicted: list[str]) -> list[str]:
    gold = [e.intent for e in examples]
    lines = []
    accented = [has_diacritics(e.text) for e in examples]
    long = [is_long(e.text) for e in examples]
    indices = range(len(examples))
    groups = [
        ("all", list(indices)),
        ("with diacritics", [i for i in indices if accented[i]]),
        ("without diacritics", [i for i in indices if not accented[i]]),
        (f"long (>={LONG_WORDS} words)", [i for i in indices if long[i]]),
        ("short, diacritics", [i for i in indices if not long[i] and accented[i]]),
        ("short, no diacritics", [i for i in indices if not long[i] and not accented[i]]),
    ]
    for name, group in groups:
        s = score([gold[i] for i in group], [predicted[i] for i in group])
        lines.append(f"{name:<22} accuracy={s.accuracy:.3f} macro_f1={s.macro_f1:.3f} n={s.n}")
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    if confusions:
        lines.append("confusions (gold -> predicted, count):")
        lines += [f"  {g} -> {p}: {count}" for (g, p), count in confusions.most_common()]
        lines.append("misclassified lines:")
        wrong = [(e, p) for e, p in zip(examples, predicted, strict=True) if e.intent != p]
        lines += [f"  [{e.intent} -> {p}] {e.text}" for e, p in wrong]
    overall = score(gold, predicted)
    lines.append(f"nlu_eval accuracy={overall.accuracy:.3f} macro_f1={overall.macro_f1:.3f} n={overall.n}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bot.evaluate MODEL_TAR FILE.tsv", file=sys.stderr)
        return 2
    model_path, data_path = Path(argv[0]), Path(argv[1])
    for path in (model_path, data_path):
        if not path.is_file():
            print(f"not found: {path}", file=sys.stderr)
            return 2
    quiet_rasa()
    examples = read_examples(data_path)
    predicted = asyncio.run(predict(model_path, [e.text for e in examples]))
    print("\n".join(report(examples, predicted)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
