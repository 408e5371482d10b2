"""Learn the re-ranker's weights on our tune queries (`make tune-rerank`).

For every query of the tune file the search's candidates and their features are computed over the real
catalogue; a linear model is fitted so that the softmax over each query's candidates puts its weight on
an accepted procedure (the listwise loss of ListNet with one relevant class, L2-regularised). Before
the final fit, a 5-fold cross-validation in which no procedure is in both the training and the
validation folds (folds by accept set) says what the weights do on procedures they were not fitted on,
through the whole search (families included), and how sure the lookup can be at each margin between the
first two families — the table ``AMBIGUITY_MARGIN`` is chosen from.

The fit floor: with the final weights, the linear score of each tune query's best candidate; the
floor is the ``FLOOR_PERCENTILE`` percentile of those scores over the queries answered right, so that
about that share of right answers is given up for "not in the catalogue". What it costs and gains is
printed: right answers lost, wrong answers turned into "not found", and the share of messages outside
the catalogue (``search_outside_tune.txt``: citizens' questions no procedure answers) it catches.

The dev files in ../shared/eval are refused: they are a last check, never training data.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from search_index.evaluation import eval_settings, read_eval_file
from search_index.hybrid_search import SearchFilter
from search_index.rerank import FEATURES, WEIGHTS_FILE, Candidate, Reranker, softmax
from search_index.service import FAMILY_POOL, SearchService, clean_query
from search_index.settings import REPO_ROOT, real_catalogue_file, shared_data_dir

TUNE_FILE = REPO_ROOT / "evaluation" / "data" / "search_tune.tsv"
OUTSIDE_FILE = REPO_ROOT / "evaluation" / "data" / "search_outside_tune.txt"
FLOOR_PERCENTILE = 1.0
L2 = 1.0
FOLDS = 5
SEED = 0
MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6)


@dataclass(frozen=True)
class Query:
    text: str
    accept: frozenset[str]
    candidates: tuple[Candidate, ...]
    rows: np.ndarray

    @property
    def labels(self) -> np.ndarray:
        return np.array([c.procedure.code in self.accept for c in self.candidates], dtype=float)


def fit(queries: Sequence[Query], l2: float = L2) -> np.ndarray:
    """Weights on the raw features; fitted on standardised ones so that one L2 suits every feature."""
    usable = [q for q in queries if q.labels.any()]
    stacked = np.vstack([q.rows for q in usable])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    data = [((q.rows - mean) / scale, q.labels) for q in usable]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for rows, labels in data:
            p = softmax(rows @ w)
            meant = float((p * labels).sum()) + 1e-12
            total -= np.log(meant)
            grad -= rows.T @ (p * labels / meant) - rows.T @ p
        return total + l2 * float(w @ w), grad + 2 * l2 * w

    weights = minimize(loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B").x
    return np.asarray(weights / scale)


def collect(service: SearchService, cases: Sequence[tuple[frozenset[str], str]]) -> list[Query]:
    queries = []
    for accept, text in cases:
        found, rows = service.candidates(clean_query(text), text)
        queries.append(Query(text, accept, tuple(found), rows))
    return queries


@dataclass(frozen=True)
class Outcome:
    """What the whole search answers for one query with some weights: the leaders, best first."""

    query: Query
    leaders: tuple[str, ...]
    lead: float  # the first family's confidence minus the second's

    @property
    def first_right(self) -> bool:
        return bool(self.leaders) and self.leaders[0] in self.query.accept


def outcome(service: SearchService, query: Query, weights: np.ndarray) -> Outcome:
    # As the search does: the best FAMILY_POOL candidates are grouped into families.
    ranked = Reranker(weights).rank(query.candidates, query.rows)[:FAMILY_POOL]
    hits = service._by_family(query.text, ranked, SearchFilter())
    leaders = [h for h in hits if h.variant_of is None]
    lead = leaders[0].score - (leaders[1].score if len(leaders) > 1 else 0.0) if leaders else 0.0
    return Outcome(query, tuple(h.procedure.code for h in hits[:10]), lead)


def cross_validate(service: SearchService, queries: Sequence[Query], l2: float) -> list[Outcome]:
    groups = sorted({tuple(sorted(q.accept)) for q in queries})
    random.Random(SEED).shuffle(groups)
    fold_of = {g: i % FOLDS for i, g in enumerate(groups)}
    outcomes: dict[int, Outcome] = {}
    for fold in range(FOLDS):
        weights = fit([q for q in queries if fold_of[tuple(sorted(q.accept))] != fold], l2)
        for i, q in enumerate(queries):
            if fold_of[tuple(sorted(q.accept))] == fold:
                outcomes[i] = outcome(service, q, weights)
    return [outcomes[i] for i in range(len(queries))]


def report(outcomes: Sequence[Outcome]) -> list[str]:
    n = len(outcomes)
    r1 = sum(o.first_right for o in outcomes) / n
    r5 = sum(any(c in o.query.accept for c in o.leaders[:5]) for o in outcomes) / n
    lines = [f"cross-validated on tune (folds by procedure): R@1 {r1:.3f}  R@5 {r5:.3f}  n={n}", ""]
    lines.append("margin  answered alone  right when alone")
    for margin in MARGINS:
        alone = [o for o in outcomes if o.lead >= margin]
        right = sum(o.first_right for o in alone) / len(alone) if alone else 0.0
        lines.append(f"{margin:6.2f}  {len(alone) / n:14.3f}  {right:16.3f}")
    return lines


def _answered_right(model: Reranker, query: Query) -> bool:
    """Whether the model's best candidate for the query is an accepted procedure."""
    return bool(len(query.rows)) and bool(query.labels[int(np.argmax(model.scores(query.rows)))])


def fit_floor(queries: Sequence[Query], weights: np.ndarray) -> float:
    """The score a message's best candidate needs to count as naming a procedure (see the module doc)."""
    model = Reranker(weights)
    right = [float(model.scores(q.rows).max()) for q in queries if _answered_right(model, q)]
    return float(np.percentile(right, FLOOR_PERCENTILE))


def floor_report(queries: Sequence[Query], outside: Sequence[Query], model: Reranker) -> str:
    right: list[Query] = []
    wrong: list[Query] = []
    for q in queries:
        (right if _answered_right(model, q) else wrong).append(q)
    lost = sum(not model.fits(q.rows) for q in right) / max(len(right), 1)
    turned = sum(not model.fits(q.rows) for q in wrong) / max(len(wrong), 1)
    caught = sum(not model.fits(q.rows) for q in outside) / max(len(outside), 1)
    return (
        f"fit floor {model.fit_floor:.3f}: right answers lost {lost:.3f} (of {len(right)}), "
        f"wrong answers turned into not found {turned:.3f} (of {len(wrong)}), "
        f"messages outside the catalogue caught {caught:.3f} (of {len(outside)})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search_index.train_rerank", description=__doc__)
    parser.add_argument("--tune", type=Path, default=TUNE_FILE, help="accept<TAB>query to learn from")
    parser.add_argument("--outside", type=Path, default=OUTSIDE_FILE, help="questions no procedure answers")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--l2", type=float, default=L2)
    args = parser.parse_args(argv)
    if any(shared_data_dir().resolve() in path.resolve().parents for path in (args.tune, args.outside)):
        print("Lỗi: tệp dev trong ../shared chỉ dùng để kiểm tra lần cuối, không để học.", file=sys.stderr)
        return 2
    service = SearchService.from_settings(eval_settings())
    print(service.sync_catalogue(real_catalogue_file()).summary())
    queries = collect(service, read_eval_file(args.tune))
    print("\n".join(report(cross_validate(service, queries, args.l2))))
    weights = fit(queries, args.l2)
    floor = fit_floor(queries, weights)
    texts = [line.strip() for line in args.outside.read_text(encoding="utf-8").splitlines() if line.strip()]
    outside = collect(service, [(frozenset(), text) for text in texts])
    print(floor_report(queries, outside, Reranker(weights, floor)))
    args.out.write_text(
        json.dumps(
            {
                "trained_on": args.tune.name,
                "queries": len(queries),
                "l2": args.l2,
                "fit_floor": round(floor, 6),
                "weights": {name: round(float(w), 6) for name, w in zip(FEATURES, weights, strict=True)},
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"rerank weights written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
