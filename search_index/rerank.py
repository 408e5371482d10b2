"""The re-ranking stage: a small linear model over what tells the meant procedure from its neighbours.

Retrieval gives candidates from two sides with their raw scores: the dense model's cosine and BM25
over the name; BM25 over the whole record scores them as a third. Fusing by rank alone (RRF with
constants picked by hand) let a clear BM25 first place on a generic word ("cấp lại … do bị mất") beat
the procedure whose name the message covers. The re-ranker reads, for each candidate, the scores and
ranks, how much of the name's distinctive words (weighted by their rarity among the catalogue's names)
and word pairs the message covers, how much of the message's catalogue words the name covers, the
qualifiers and the action of the name that the message does not say, and whether only organisations
apply; a linear model turns them into a score and a softmax over the candidates into a confidence.
The weights are learned on our tune queries (``python -m search_index.train_rerank``) and shipped in
``data/rerank_weights.json`` with the score below which nothing fits the message (``fit_floor``).
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search_index import sparse
from search_index.catalogue import Level, Procedure
from search_index.families import (
    Cues,
    Qualifier,
    action_words,
    family_key,
    for_enterprises,
    foreigners_only,
    organisations_only,
    qualifiers_of,
    unsaid_in,
)
from vntext.abbreviations import expand_abbreviations
from vntext.normalize import normalize

WEIGHTS_FILE = Path(__file__).parent / "data" / "rerank_weights.json"
FEATURES = (
    "dense",  # cosine of the query and the passage
    "dense_gap",  # how far below the best cosine of this query
    "sparse",  # BM25 score over the best BM25 score of this query
    "dense_rr",  # 1 / (rank + 2) on the dense side, 0 when not retrieved there
    "sparse_rr",  # the same on the BM25 side
    "name_covered",  # share of the name's words (by rarity) that the message has
    "message_covered",  # share of the message's catalogue words (by rarity) that the name has
    "pairs_covered",  # share of the name's word pairs (by rarity) that the message has
    "name_length",  # log of the name's distinct words
    "organisations_only",  # only organisations apply and the message does not speak for one
    "foreigners_only",  # only foreigners apply and the message does not speak of one
    "enterprise_named",  # the name is an enterprise's and the message does not speak for one
    "unsaid_qualifiers",  # qualifiers of the name the message does not mention
    "unsaid_action",  # the name's action (cấp đổi, gia hạn…) is not asked for
    "both_sides",  # retrieved by both the dense model and BM25
    "served_level",  # done at a level the deployment serves
    "qualifiers",  # how many qualifiers the name has
    "field_covered",  # share of the field's words (by rarity) that the message has
    "text",  # BM25 over the whole record, over the best such score of this query
    "text_rr",  # 1 / (rank + 2) among the whole-record BM25's results, 0 when not among them
)
_PARENTHESES = re.compile(r"\([^()]*\)")


def _syllables(text: str) -> list[str]:
    return sparse.syllables(expand_abbreviations(normalize(text)))


def _name_syllables(name: str) -> list[str]:
    """The syllables of a name without its parenthesised details (long lists of cases)."""
    return _syllables(_PARENTHESES.sub(" ", name))


def _pairs(syllables: Sequence[str]) -> set[str]:
    return {f"{a}_{b}" for a, b in itertools.pairwise(syllables)}


@dataclass(frozen=True)
class Candidate:
    procedure: Procedure
    dense: float | None = None  # cosine, None when the dense side did not retrieve it
    dense_rank: int | None = None
    sparse: float | None = None  # BM25, None when that side did not retrieve it
    sparse_rank: int | None = None
    # BM25 over the whole record over the query's best such score; None when not among that side's best.
    text: float | None = None
    text_rank: int | None = None


class TermStats:
    """How rare each word and word pair is among the catalogue's names (their parenthesised details
    aside): rare words tell procedures apart, "cấp", "giấy", "thủ tục" do not."""

    def __init__(self, names: Iterable[str]) -> None:
        words: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        count = 0
        for name in names:
            syllables = _name_syllables(name)
            words.update(set(syllables))
            pairs.update(_pairs(syllables))
            count += 1
        # Looked up ~10,000 times a query: the logarithms are taken once here.
        self._words = {t: math.log(count / n) for t, n in words.items()}
        self._pairs = {t: math.log(count / n) for t, n in pairs.items()}

    def word(self, term: str) -> float:
        return self._words.get(term, 0.0)

    def pair(self, term: str) -> float:
        return self._pairs.get(term, 0.0)


def _covered(part: set[str], whole: set[str], weight: Callable[[str], float]) -> float:
    """The share of ``whole``'s weight that ``part`` has."""
    total = sum(weight(t) for t in whole)
    return sum(weight(t) for t in part & whole) / total if total else 0.0


@dataclass(frozen=True)
class _NameFacts:
    """What the features read of a record that does not depend on the message."""

    words: set[str]
    pairs: set[str]
    field_words: set[str]
    qualifiers: frozenset[Qualifier]
    key: str  # the family key (the name without qualifiers)
    organisations_only: bool
    foreigners_only: bool
    for_enterprises: bool


@functools.lru_cache(maxsize=8192)
def _facts(name: str, field: str, applicants: tuple[str, ...]) -> _NameFacts:
    # Folding and qualifier patterns cost ~0.1 ms a name: computed once per record, not per query.
    syllables = _name_syllables(name)
    return _NameFacts(
        words=set(syllables),
        pairs=_pairs(syllables),
        field_words=set(_syllables(field)),
        qualifiers=qualifiers_of(name),
        key=family_key(name),
        organisations_only=organisations_only(applicants),
        foreigners_only=foreigners_only(applicants),
        for_enterprises=for_enterprises(name),
    )


def features(
    message: str,
    expanded: str,
    candidates: Sequence[Candidate],
    stats: TermStats,
    said: Cues,
    served: frozenset[Level],
) -> np.ndarray:
    """One row of FEATURES per candidate. ``expanded``: the message with everyday names expanded."""
    asked = _syllables(expanded)
    asked_words, asked_pairs = set(asked), _pairs(asked)
    dense_scores = [c.dense for c in candidates if c.dense is not None]
    sparse_scores = [c.sparse for c in candidates if c.sparse is not None]
    top_dense = max(dense_scores, default=0.0)
    floor_dense = min(dense_scores, default=0.0)
    top_sparse = max(sparse_scores, default=0.0) or 1.0
    catalogue_words = {t for t in asked_words if stats.word(t)}
    asked_actions = action_words(message)
    rows = []
    for c in candidates:
        p = c.procedure
        facts = _facts(p.name, p.field, tuple(p.applicants))
        dense = c.dense if c.dense is not None else floor_dense
        rows.append(
            [
                dense,
                top_dense - dense,
                (c.sparse or 0.0) / top_sparse,
                1 / (c.dense_rank + 2) if c.dense_rank is not None else 0.0,
                1 / (c.sparse_rank + 2) if c.sparse_rank is not None else 0.0,
                _covered(asked_words, facts.words, stats.word),
                _covered(facts.words, catalogue_words, stats.word),
                _covered(asked_pairs, facts.pairs, stats.pair),
                math.log(1 + len(facts.words)),
                float(facts.organisations_only and Qualifier.ORGANISATION not in said.said),
                float(facts.foreigners_only and Qualifier.FOREIGN not in said.said),
                float(facts.for_enterprises and Qualifier.ORGANISATION not in said.said),
                sum(1 for q in facts.qualifiers if q not in said.said and q != Qualifier.INDIVIDUAL),
                float(unsaid_in(facts.key, asked_actions)),
                float(c.dense is not None and c.sparse is not None),
                float(any(level in served for level in p.levels)),
                len(facts.qualifiers),
                _covered(asked_words, facts.field_words, stats.word),
                c.text or 0.0,
                1 / (c.text_rank + 2) if c.text_rank is not None else 0.0,
            ]
        )
    return np.array(rows, dtype=float).reshape(len(candidates), len(FEATURES))


def softmax(scores: np.ndarray) -> np.ndarray:
    if not len(scores):
        return scores
    shifted = np.exp(scores - scores.max())
    return np.asarray(shifted / shifted.sum())


@dataclass(frozen=True)
class Reranker:
    weights: np.ndarray
    # The score below which a message's best candidate fits nothing in the catalogue ("ai là chủ tịch
    # xã"): chosen by ``train_rerank`` from the tune queries answered right.
    fit_floor: float = -math.inf

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> Reranker:
        data = json.loads(path.read_text(encoding="utf-8"))
        by_name = data["weights"]
        missing = [f for f in FEATURES if f not in by_name]
        if missing:
            names = ", ".join(missing)
            raise ValueError(f"{path}: no weight for {names} (python -m search_index.train_rerank)")
        return cls(np.array([by_name[f] for f in FEATURES], dtype=float), data.get("fit_floor", -math.inf))

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The linear score of each candidate: how well it fits the message, on one scale for all messages."""
        return rows @ self.weights if len(rows) else np.zeros(0)

    def confidences(self, rows: np.ndarray) -> np.ndarray:
        """The probability that each candidate is the one meant (summing to 1 over the candidates)."""
        return softmax(self.scores(rows))

    def fits(self, rows: np.ndarray) -> bool:
        """Whether the best candidate fits the message well enough to be a procedure it names."""
        return bool(len(rows)) and float(self.scores(rows).max()) >= self.fit_floor

    def rank(self, candidates: Sequence[Candidate], rows: np.ndarray) -> list[tuple[Procedure, float]]:
        """The candidates best first, each with its confidence (``rows``: their features)."""
        confidences = self.confidences(rows)
        order = np.argsort(-confidences, kind="stable")
        return [(candidates[i].procedure, float(confidences[i])) for i in order]
