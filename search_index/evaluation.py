"""Retrieval evaluation on a tsv of `accept<TAB>query` (accept = comma-separated national codes)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from search_index.settings import VAR_DIR, SearchSettings
from vntext.normalize import has_diacritics, strip_accents

EVAL_QDRANT_PATH = VAR_DIR / "qdrant" / "eval"


@dataclass(frozen=True)
class Judged:
    query: str
    accept: frozenset[str]
    ranked: tuple[str, ...]  # codes returned, best first (top 10)

    @property
    def rank(self) -> int | None:
        return next((i + 1 for i, code in enumerate(self.ranked) if code in self.accept), None)

    @property
    def accented(self) -> bool:
        return has_diacritics(self.query)


@dataclass(frozen=True)
class Scores:
    r1: float
    r5: float
    mrr: float
    n: int

    @classmethod
    def of(cls, judged: Sequence[Judged]) -> Scores:
        n = len(judged)
        if not n:
            return cls(0.0, 0.0, 0.0, 0)
        ranks = [j.rank for j in judged]
        return cls(
            r1=sum(1 for r in ranks if r == 1) / n,
            r5=sum(1 for r in ranks if r is not None and r <= 5) / n,
            mrr=sum(1 / r for r in ranks if r is not None and r <= 10) / n,
            n=n,
        )

    def line(self) -> str:
        return f"r1={self.r1:.3f} r5={self.r5:.3f} mrr={self.mrr:.3f} n={self.n}"


def read_eval_file(path: Path) -> list[tuple[frozenset[str], str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if rows and rows[0][:2] == ["accept", "query"]:
        rows = rows[1:]
    cases = []
    for number, row in enumerate(rows, start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2:
            raise ValueError(f"{path}:{number}: expected accept<TAB>query")
        codes = frozenset(code.strip() for code in row[0].split(",") if code.strip())
        cases.append((codes, row[1].strip()))
    return cases


def judge(cases: Sequence[tuple[frozenset[str], str]], search: Callable[[str], list[str]]) -> list[Judged]:
    return [Judged(query, accept, tuple(search(query))) for accept, query in cases]


def judge_stripped(judged: Sequence[Judged], search: Callable[[str], list[str]]) -> list[Judged]:
    """The accented queries asked again without diacritics.

    The split by how queries were typed compares different questions (and a dev set holds few typed
    without diacritics); the same questions with and without their diacritics show what diacritics
    alone cost.
    """
    return [
        Judged(strip_accents(j.query), j.accept, tuple(search(strip_accents(j.query))))
        for j in judged
        if j.accented
    ]


def eval_settings() -> SearchSettings:
    """The settings of the evaluation index: its own local folder, so it never touches a service's."""
    return SearchSettings(QDRANT_PATH=EVAL_QDRANT_PATH, QDRANT_URL=None)


def family_first(judged: Sequence[Judged], family: Callable[[str], frozenset[str]]) -> float:
    """Share of queries whose first procedure is of the right family (any member accepted or not)."""
    if not judged:
        return 0.0
    return sum(1 for j in judged if j.ranked and family(j.ranked[0]) & j.accept) / len(judged)


def report(
    judged: Sequence[Judged], stripped: Sequence[Judged] = (), family: float | None = None
) -> list[str]:
    overall = Scores.of(judged)
    paired = [("có dấu, gõ lại không dấu", Scores.of(stripped))] if stripped else []
    lines = [
        f"{'':18}{'R@1':>7}{'R@5':>7}{'MRR@10':>8}{'n':>5}",
        *([f"{'đúng họ ở hạng 1':18}{family:7.3f}{'':7}{'':8}{overall.n:5d}"] if family is not None else []),
        *(
            f"{label:18}{s.r1:7.3f}{s.r5:7.3f}{s.mrr:8.3f}{s.n:5d}"
            for label, s in (
                ("tất cả", overall),
                ("có dấu", Scores.of([j for j in judged if j.accented])),
                ("không dấu", Scores.of([j for j in judged if not j.accented])),
                *paired,
            )
        ),
    ]
    misses = [j for j in judged if j.rank != 1]
    if misses:
        lines.append(f"Truy vấn chưa đúng ở hạng 1 ({len(misses)}):")
        lines.extend(
            f"  hạng {j.rank or '>10'}: {j.query!r} cần {','.join(sorted(j.accept))}, "
            f"được {', '.join(j.ranked[:3]) or '(không có)'}"
            for j in misses
        )
    accented = [j for j in judged if j.accented] if stripped else []
    lost = [again for first, again in zip(accented, stripped, strict=True) if first.rank == 1 != again.rank]
    if lost:
        lines.append(f"Đúng khi có dấu, chưa đúng khi bỏ dấu ({len(lost)}):")
        lines.extend(f"  hạng {j.rank or '>10'}: {j.query!r} cần {','.join(sorted(j.accept))}" for j in lost)
    lines.append(f"search_eval {overall.line()}")
    return lines
